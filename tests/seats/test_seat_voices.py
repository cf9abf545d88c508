"""Consent (instemming) and a position in a joint decision, from a role's own seat (gezag
model v2): what each seat is asked, what it may send, and what reaches the decision."""

from __future__ import annotations

import json
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Select, Static

from tabletop.journal.seats import Advice, FileSeatLink, SeatHost, SeatLink
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.store import FileStore
from tabletop.journal.verify import verify
from tabletop.model.commands import Decide, Note, RunUntil, SetClock
from tabletop.model.loading import LoadedScenario, load_scenario
from tabletop.tui.seat.app import SeatApp, seat_minute

JOINT = """\
format: 2
id: samen
title: Samen besluiten
start: 2027-03-14T06:00:00+01:00
end: 3h
roles: [burgemeester, politie, om, defensie]
injects:
  - {id: voorstel, at: 10m, from: Politie, to: [burgemeester, om, politie, defensie],
     channel: melding, title: Voorstel, text: Fouilleren in het gebied?}
decisions:
  - id: gebied
    on: voorstel
    question: Wijzen burgemeester en officier samen een gebied aan?
    domain: openbare-orde
    owner: [burgemeester, om]
    together: all
    consult: [politie]
    consent:
      - {role: defensie, basis: "Politiewet 2012 art. 57 lid 3", options: [aanwijzen]}
    deadline: 1h
    options:
      - {id: aanwijzen, label: Aanwijzen}
      - {id: niet, label: Niet aanwijzen}
"""


def _joint(tmp_path: Path) -> LoadedScenario:
    path = tmp_path / "samen.yaml"
    path.write_text(textwrap.dedent(JOINT), encoding="utf-8")
    return load_scenario(path)


def _session(tmp_path: Path) -> tuple[LiveSession, FileStore]:
    loaded = _joint(tmp_path)
    log = tmp_path / "samen.jsonl"
    session = LiveSession.start(loaded, SessionSettings(
        title="Samen", participants={r: "" for r in loaded.roles}), log)
    session.apply(RunUntil(until=15))
    return session, FileStore(log)


def _note(seat: str, text: str = "x") -> Note:
    return Note(text=text, by=seat, origin=f"seat:{seat}")


def _consent_and_position(store: FileStore) -> None:
    """Defence consents and the OvJ takes a position, each from its own seat."""
    SeatLink(store, "defensie").submit(
        _note("defensie", "Instemming: ja"), Advice(decision="gebied", value="yes",
                                                     kind="consent"), sid="def-consent-1")
    SeatLink(store, "om").submit(
        _note("om", "Standpunt: aanwijzen"), Advice(decision="gebied", value="aanwijzen",
                                                    kind="position"), sid="om-position-1")


def test_consent_and_positions_reach_the_decision(tmp_path: Path) -> None:
    session, store = _session(tmp_path)
    host = SeatHost(session, store)
    _consent_and_position(store)
    SeatLink(store, "politie").submit(
        _note("politie"), Advice(decision="gebied", value="yes", kind="consent"),
        sid="pol-consent-1")  # politie is consulted, not asked to consent
    SeatLink(store, "defensie").submit(
        _note("defensie"), Advice(decision="gebied", value="misschien", kind="consent"),
        sid="def-consent-2")
    SeatLink(store, "politie").submit(
        _note("politie"), Advice(decision="gebied", value="aanwijzen", kind="position"),
        sid="pol-position-1")  # not an owner of the joint decision
    SeatLink(store, "om").submit(
        _note("om"), Advice(decision="gebied", value="opblazen", kind="position"),
        sid="om-position-2")  # no such option
    SeatLink(store, "om").submit(
        Decide(decision="gebied", option="niet", by="om", origin="seat:om"),
        Advice(decision="gebied", value="niet", kind="position"), sid="om-position-3")
    taken = host.tick()
    assert [(t.id, t.state) for t in taken] == [
        ("def-consent-1", "applied"), ("om-position-1", "applied"),
        ("pol-consent-1", "refused"), ("def-consent-2", "refused"),
        ("pol-position-1", "refused"), ("om-position-2", "refused"),
        ("om-position-3", "refused")]
    messages = {t.id: t.message for t in taken}
    assert "niet om instemming gevraagd" in messages["pol-consent-1"]
    assert "misschien" in messages["def-consent-2"]
    assert "niet samen" in messages["pol-position-1"]
    assert "opblazen" in messages["om-position-2"]
    assert "notitie" in messages["om-position-3"]
    voices = host.voices_for("gebied")
    assert voices.consent == {"defensie": True} and voices.positions == {"om": "aanwijzen"}
    # the mayor decides from her seat: the seats' consent and the om's position go with it
    SeatLink(store, "burgemeester").submit(
        Decide(decision="gebied", option="aanwijzen", by="burgemeester",
               origin="seat:burgemeester",
               positions={"burgemeester": "aanwijzen"}), sid="bgm-decide-1")
    assert [t.state for t in host.tick()] == ["applied"]
    session.close()
    lines = [json.loads(x) for x in store.path.read_bytes().splitlines()]
    decided = next(x for x in lines if x["type"] == "decision")
    assert decided["consent"] == {"defensie": True}
    assert decided["positions"] == {"om": "aanwijzen", "burgemeester": "aanwijzen"}
    notes = [x["text"] for x in lines if x["type"] == "note"]
    assert notes == ["Instemming: ja", "Standpunt: aanwijzen"]
    assert verify(store.path).ok


def test_each_seat_sees_what_it_is_asked(tmp_path: Path) -> None:
    session, store = _session(tmp_path)
    host = SeatHost(session, store)
    host.refresh()
    asked = {seat: host.views[seat].view()["open"] for seat in ("defensie", "om", "politie",
                                                                "burgemeester")}
    session.close()
    assert [(d["id"], d["consenting"], d["joint"], d["consulted"])
            for d in asked["defensie"]] == [("gebied", True, False, False)]
    assert asked["defensie"][0]["consent_options"] == ["aanwijzen"]
    assert [(d["joint"], d["mine"], d["consenting"]) for d in asked["om"]] == [
        (True, True, False)]
    assert [(d["joint"], d["mine"]) for d in asked["burgemeester"]] == [(True, True)]
    assert [(d["consulted"], d["joint"], d["consenting"]) for d in asked["politie"]] == [
        (True, False, False)]


def _link(store: FileStore, session: LiveSession, seat: str) -> FileSeatLink:
    header = json.loads(store.read()[0][1])
    return FileSeatLink(FileStore(store.path), seat, session.loaded, header)


async def test_the_defence_seat_consents_and_the_om_seat_takes_a_position(
        tmp_path: Path) -> None:
    session, store = _session(tmp_path)
    for seat, kind, value in (("defensie", "consent", "yes"), ("om", "position", "niet")):
        app = SeatApp(_link(store, session, seat))
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(50):
                await pilot.pause(0.1)
                if app.screen.query_one("#kind", Select).value == kind:
                    break
            assert app.screen.query_one("#kind", Select).value == kind, \
                "the form opens on what this seat is asked"
            opened = str(app.screen.query_one("#opentext", Static).render())
            assert ("instemming gevraagd" if kind == "consent" else "samen besluiten") in opened
            assert app.screen.query_one("#target", Select).value == "gebied"
            app.screen.query_one("#value", Select).value = value
            await pilot.pause(0.1)
            app.screen.query_one("#send").focus()
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert "ingestuurd" in str(app.screen.query_one("#status", Static).render())
    host = SeatHost(session, store)
    taken = host.tick()
    assert [(t.seat, t.state) for t in taken] == [("defensie", "applied"), ("om", "applied")]
    voices = host.voices_for("gebied")
    assert voices.consent == {"defensie": True} and voices.positions == {"om": "niet"}
    session.close()
    notes = [json.loads(x) for x in store.path.read_bytes().splitlines()]
    texts = [x["text"] for x in notes if x["type"] == "note"]
    assert texts[0].startswith("Instemming met 'Wijzen burgemeester") and "ja" in texts[0]
    assert texts[1].startswith("Standpunt over") and "Niet aanwijzen" in texts[1]


def test_a_seats_clock_runs_with_the_facilitators_between_lines() -> None:
    wall = datetime(2027, 3, 14, 6, 30, tzinfo=datetime.now().astimezone().tzinfo)
    view: dict[str, Any] = {"t": 30, "ended": False, "open": [],
                            "clock": {"factor": 5.0, "wall": wall.isoformat(), "t": 30}}
    assert seat_minute(view, wall) == 30
    assert seat_minute(view, wall + timedelta(seconds=4)) == 50  # 5 story minutes a second
    view["open"] = [{"deadline_t": 45, "simulated": False}]
    assert seat_minute(view, wall + timedelta(seconds=10)) == 44, "stops before a deadline"
    view["open"] = [{"deadline_t": 45, "simulated": True}]
    assert seat_minute(view, wall + timedelta(seconds=10)) == 80, "the engine plays that one"
    view["clock"]["factor"] = 0.0
    assert seat_minute(view, wall + timedelta(seconds=10)) == 30, "a stopped clock stays"
    view["clock"]["factor"], view["ended"] = 5.0, True
    assert seat_minute(view, wall + timedelta(seconds=10)) == 30


async def test_the_seat_header_moves_without_a_new_line(tmp_path: Path) -> None:
    """The facilitator's clock runs at 5 story minutes a second: the seat's header follows
    it on its own, and the seat writes nothing (the log is unchanged)."""
    loaded = _joint(tmp_path)
    log = tmp_path / "klok.jsonl"
    session = LiveSession.start(loaded, SessionSettings(
        title="Klok", participants={"burgemeester": ""}), log)
    session.apply(SetClock(factor=5.0))
    before = log.read_bytes()
    start = datetime.now().astimezone()
    now = [start]
    header = json.loads(FileStore(log).read()[0][1])
    app = SeatApp(FileSeatLink(FileStore(log), "politie", loaded, header))
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.now = lambda: now[0]  # type: ignore[attr-defined]
        for _ in range(30):
            await pilot.pause(0.1)
            if "T+00:00" in str(app.screen.query_one("#top", Static).render()):
                break
        assert "T+00:00" in str(app.screen.query_one("#top", Static).render())
        now[0] = start + timedelta(seconds=6)
        for _ in range(30):
            await pilot.pause(0.1)
            if "T+00:30" in str(app.screen.query_one("#top", Static).render()):
                break
        top = str(app.screen.query_one("#top", Static).render())
        assert "06:30 (T+00:30)" in top and "▶" in top
    session.close()
    assert log.read_bytes().startswith(before) and not FileStore(log).waiting()


def test_a_lapsed_decision_leaves_the_seats_view(tmp_path: Path) -> None:
    session, store = _session(tmp_path)
    host = SeatHost(session, store)
    host.refresh()
    assert [d["id"] for d in host.views["om"].view()["open"]] == ["gebied"]
    session.apply(RunUntil(until=80))  # the deadline (1h after 10m) passed: it lapsed
    host.refresh()
    session.close()
    assert host.views["om"].view()["open"] == []
    assert host.views["om"].view()["taken"] == [], "a lapsed deadline decides nothing"


def test_what_the_seats_said_survives_a_resume(tmp_path: Path) -> None:
    """The console crashes after the seats spoke: the resumed console's decision card is
    prefilled as before, because each voice is journalled with its note (not only kept in
    the host's memory), and the log still verifies."""
    from tabletop.journal.resume import resume

    session, store = _session(tmp_path)
    host = SeatHost(session, store)
    _consent_and_position(store)
    SeatLink(store, "politie").submit(
        _note("politie", "Advies: aanwijzen"), Advice(decision="gebied", value="aanwijzen"),
        sid="pol-advice-1")
    assert [t.state for t in host.tick()] == ["applied"] * 3
    before = host.voices_for("gebied")
    session.close()  # the console is gone; its host with it
    notes = [json.loads(x)["command"] for x in store.path.read_bytes().splitlines()
             if json.loads(x).get("type") == "command"
             and json.loads(x)["command"]["kind"] == "note"]
    assert [n["voice"].get("kind", "advice") for n in notes] == ["consent", "position", "advice"]

    resumed = resume(store.path)
    again = LiveSession(resumed.loaded, resumed.exercise, resumed.writer,
                        SessionSettings.from_header(resumed.journal.header))
    after = SeatHost(again, FileStore(store.path)).voices_for("gebied")
    again.close()
    assert after == before
    assert after.consent == {"defensie": True} and after.positions == {"om": "aanwijzen"}
    assert after.advice == {"politie": "aanwijzen"}
    assert verify(store.path).ok


def test_a_seat_cannot_slip_a_voice_into_its_note(tmp_path: Path) -> None:
    """A voice is checked (asked of that role, on an open decision, a value the decision
    takes) only when it comes as `advice`: one inside the note itself is refused, so that
    nothing unchecked reaches the journal and, after a resume, the decision card."""
    from tabletop.model.commands import Voice

    session, store = _session(tmp_path)
    host = SeatHost(session, store)
    sneaky = Note(text="Standpunt", by="politie", origin="seat:politie",
                  voice=Voice(decision="gebied", value="aanwijzen", kind="position"))
    SeatLink(store, "politie").submit(sneaky, sid="pol-sneaky-1")
    taken = host.tick()
    session.close()
    assert [(t.id, t.state) for t in taken] == [("pol-sneaky-1", "refused")]
    assert "niet erin" in taken[0].message
    assert host.voices_for("gebied").positions == {}
    assert b'"voice"' not in store.path.read_bytes()
