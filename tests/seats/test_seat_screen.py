"""The seat screen: it shows the seat's view and its forms submit the seat's commands."""

from __future__ import annotations

import json
from pathlib import Path

from seatpaths import SCENARIO
from textual.widgets import Select, Static

from tabletop.journal.seats import FileSeatLink, SeatHost
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.store import FileStore
from tabletop.model.commands import RunUntil
from tabletop.model.loading import load_scenario
from tabletop.tui.seat.app import SeatApp


def _log(tmp_path: Path) -> tuple[LiveSession, FileStore]:
    loaded = load_scenario(SCENARIO)
    log = tmp_path / "a.jsonl"
    session = LiveSession.start(loaded, SessionSettings(
        title="Oefening Noord", participants={r: "" for r in loaded.roles}), log)
    session.apply(RunUntil(until=45))
    return session, FileStore(log)


def _link(store: FileStore, session: LiveSession, seat: str) -> FileSeatLink:
    header = json.loads(store.read()[0][1])
    return FileSeatLink(FileStore(store.path), seat, session.loaded, header)


async def test_a_consulted_role_types_its_advice(tmp_path: Path) -> None:
    session, store = _log(tmp_path)
    app = SeatApp(_link(store, session, "politie"))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
            if "Blokkade" in str(app.screen.query_one("#top", Static).render()):
                break
        top = str(app.screen.query_one("#top", Static).render())
        # the console's clock reads 45 after running to it (the last event was at 40)
        assert "Politiechef" in top and "T+00:45" in top
        feed = str(app.screen.query_one("#feedtext", Static).render())
        assert "Melding" in feed and "Blokkade" not in feed  # blokkade went to mayor and om
        await pilot.press(*"Wacht op de ME")
        await pilot.press("enter")
        await pilot.pause(0.2)
        status = str(app.screen.query_one("#status", Static).render())
        assert "ingestuurd" in status
        host = SeatHost(session, store)
        assert [t.state for t in host.tick()] == ["applied"]
        assert host.advice_for("aanpak") == {"politie": "ontruimen"}
        for _ in range(30):
            await pilot.pause(0.1)
            if "verwerkt" in str(app.screen.query_one("#status", Static).render()):
                break
        assert "verwerkt" in str(app.screen.query_one("#status", Static).render())
    session.close()


async def test_the_controller_releases_an_inject(tmp_path: Path) -> None:
    session, store = _log(tmp_path)
    app = SeatApp(_link(store, session, "controller"))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
            if app.screen.query_one("#target", Select).value == "rappel" or \
                    "Blokkade" in str(app.screen.query_one("#feedtext", Static).render()):
                break
        app.screen.query_one("#kind", Select).value = "release"
        await pilot.pause(0.2)
        app.screen.query_one("#target", Select).value = "pers"
        await pilot.pause(0.1)
        app.screen.query_one("#send").focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        host = SeatHost(session, store)
        taken = host.tick()
        assert [(t.state, t.submission.command.kind if t.submission else None)
                for t in taken] == [("applied", "release")]
    lines = [json.loads(x) for x in store.path.read_bytes().splitlines()]
    release = next(x for x in lines if x["type"] == "command"
                   and x["command"]["kind"] == "release")
    assert release["command"]["origin"] == "seat:controller"
    assert any(x["type"] == "inject" and x["inject"] == "pers" and x.get("released")
               for x in lines)
    session.close()
