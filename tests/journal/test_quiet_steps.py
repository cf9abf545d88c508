"""A clock step that causes nothing is held back until the next line (a running clock does
not write a line per tick); the console writes it at once where it stops and asks
(`write_held`), and then the followers (a seat, the projector) show the minute it moved
to."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabletop.journal.reader import read_journal
from tabletop.journal.seatview import SeatView, quiet_minute
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.store import FileStore
from tabletop.journal.verify import verify
from tabletop.model.base import MAX_MINUTES
from tabletop.model.commands import RunUntil, SetClock
from tabletop.model.loading import LoadedScenario, RoleLibrary, load_scenario
from tabletop.tui.screens.participant import clock_base
from tabletop.tui.seat.app import _clock, seat_minute

QUIET = 5
"""A minute before the example's first inject (at 10): nothing happens on the way there."""


@pytest.fixture
def example(roles: RoleLibrary) -> LoadedScenario:
    return load_scenario(Path(__file__).parents[2] / "scenarios" / "voorbeeld.yaml", roles)


def _session(example: LoadedScenario, tmp_path: Path) -> tuple[LiveSession, Path]:
    log = tmp_path / "stil.jsonl"
    return LiveSession.start(example, SessionSettings(participants={"politie": ""}), log), log


def _seat_view(example: LoadedScenario, log: Path) -> SeatView:
    lines = FileStore(log).read()
    view = SeatView(example, "politie", json.loads(lines[0][1]))
    for seq, raw in lines:
        view.feed_raw(seq, raw)
    return view


def test_a_held_step_written_on_request_moves_the_followers(
        example: LoadedScenario, tmp_path: Path) -> None:
    session, log = _session(example, tmp_path)
    first = session.exercise.peek()
    assert first is not None and first > QUIET
    before = log.read_bytes()
    session.apply(RunUntil(until=QUIET))
    assert log.read_bytes() == before, "held back"
    session.write_held()
    commands = [ln for ln in read_journal(log).lines if ln.is_command]
    assert [c.payload["command"] for c in commands] == [{"kind": "run_until", "until": QUIET}]
    view = _seat_view(example, log).view()
    assert seat_minute(view, datetime.now().astimezone()) == QUIET
    assert clock_base(read_journal(log)).t == QUIET
    session.write_held()  # nothing more held: nothing written
    assert len(read_journal(log).lines) == len(commands)
    session.close()
    assert verify(log).ok


def test_while_the_clock_runs_quiet_steps_wait_for_the_next_line(
        example: LoadedScenario, tmp_path: Path) -> None:
    session, log = _session(example, tmp_path)
    session.apply(SetClock(factor=5.0))
    before = log.read_bytes()
    session.apply(RunUntil(until=3))
    session.apply(RunUntil(until=QUIET))
    assert log.read_bytes() == before, "a running clock writes no line per tick"
    session.apply(RunUntil(until=12))  # the inject at 10: written, after the held-back step
    commands = [ln.payload["command"] for ln in read_journal(log).lines if ln.is_command]
    assert commands[-2:] == [{"kind": "run_until", "until": QUIET},
                             {"kind": "run_until", "until": 12}]
    session.close()
    assert verify(log).ok


def test_only_a_whole_run_until_moves_a_follower() -> None:
    assert quiet_minute({"kind": "run_until", "until": 7}) == 7
    others: list[object] = [{"kind": "step"}, {"kind": "run_until", "until": "7"},
                            {"kind": "run_until", "until": True}, {"kind": "run_until"},
                            {"kind": "run_until", "until": -1},
                            {"kind": "run_until", "until": 10**30},
                            None, [], "x"]
    for other in others:
        assert quiet_minute(other) == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3),
    max_leaves=10)
commands = st.one_of(json_values, st.fixed_dictionaries(
    {"kind": st.sampled_from(["run_until", "step", "clock", 3, None])},
    optional={"until": st.one_of(st.integers(), st.booleans(), st.text(max_size=4),
                                 st.floats(allow_nan=False))}))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(commands, min_size=1, max_size=5))
def test_a_seat_takes_any_command_line_and_shows_a_minute_it_can_draw(
        example: LoadedScenario, found: list[object]) -> None:
    """Command lines as a changed or hostile log may hold them: the seat's view takes each,
    and the minute it shows stays one a logged command may name (and the header draws)."""
    view = SeatView(example, "politie", {"title": "x", "created": "2027-01-01T00:00:00+01:00"})
    for seq, command in enumerate(found, start=1):
        view.feed({"seq": seq, "t": 0, "type": "command", "command": command})
    shown = view.view()
    minute = seat_minute(shown, datetime.now().astimezone())
    assert 0 <= minute <= MAX_MINUTES
    assert _clock(shown, minute)
