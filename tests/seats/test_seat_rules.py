"""Need to know in the one function, and the join codes."""

from __future__ import annotations

from pathlib import Path

from seatpaths import SCENARIO

from tabletop.engine.visibility import visible_text
from tabletop.journal.seatcodes import ensure_codes, revoke, seat_for
from tabletop.model.loading import load_scenario


def test_visible_text_follows_to_and_need_to_know() -> None:
    loaded = load_scenario(SCENARIO)
    shared = loaded.scenario.inject("melding")
    assert shared is not None
    inj = shared.model_copy()  # loaded scenarios are cached and shared: change a copy only
    object.__setattr__(inj, "text", "Het pand is leeg.")
    assert visible_text(loaded, inj, "burgemeester") == "Het pand is leeg."
    assert visible_text(loaded, inj, "om") == "gerubriceerd bericht"  # not a recipient
    assert visible_text(loaded, inj, "om", "en") == "classified message"
    object.__setattr__(inj, "need_to_know", ["politie"])
    assert visible_text(loaded, inj, "burgemeester") == "gerubriceerd bericht"
    assert visible_text(loaded, inj, "politie") == "Het pand is leeg."
    assert visible_text(loaded, inj, "controller") == "Het pand is leeg."  # exercise control
    object.__setattr__(inj, "need_to_know", "geheim")  # a form it does not know: held back
    assert visible_text(loaded, inj, "politie") == "gerubriceerd bericht"


def test_join_codes_are_random_owner_only_and_revocable(tmp_path: Path) -> None:
    path = tmp_path / "x.codes"
    codes = ensure_codes(path, ["om", "politie"])
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(set(codes.values())) == 2 and all(len(c) >= 12 for c in codes.values())
    assert ensure_codes(path, ["om", "politie"]) == codes  # stable
    assert seat_for(path, codes["om"]) == "om"
    assert seat_for(path, f" {codes['om']}\n") == "om"
    for wrong in ("", codes["om"][:-1], codes["om"] + "x", codes["om"].upper(), "om"):
        assert seat_for(path, wrong) is None
    revoke(path, "om")
    assert seat_for(path, codes["om"]) is None
    assert "om" not in ensure_codes(path, ["om", "politie"])
    new = revoke(path, "om", renew=True)
    assert new and new != codes["om"] and seat_for(path, new) == "om"


def test_a_seat_shows_the_first_phase_before_any_phase_line() -> None:
    """The engine starts in the first phase without writing a line for it: a seat does too
    (it showed no phase until the first change)."""
    from seatpaths import SCENARIO

    from tabletop.journal.seatview import SeatView
    from tabletop.model.loading import load_scenario

    loaded = load_scenario(SCENARIO)
    view = SeatView(loaded, "om", {"participants": {}}).view()
    assert view["phase"] == "Aanloop"
