"""The facilitator's console and the projector on PostgreSQL: `play --store`, `screen --store`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from seatpaths import COURSE, SCENARIO
from textual.widgets import Static

from tabletop.cli import main
from tabletop.journal.pgstore import PgStore
from tabletop.journal.seats import SeatLink
from tabletop.journal.storeio import export_log
from tabletop.journal.verify import verify
from tabletop.model.commands import Note
from tabletop.model.loading import load_scenario
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.exercise import ExerciseScreen
from tabletop.tui.screens.participant import ParticipantScreen
from tabletop.tui.screens.setup import SetupScreen

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English


@pytest.fixture(autouse=True)
def _quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLETOP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("TABLETOP_CONFIG", str(tmp_path / "config" / "settings.json"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.delenv("TABLETOP_STORE", raising=False)


async def test_the_console_plays_an_exercise_in_postgresql(pg_url: str, tmp_path: Path) -> None:
    loaded = load_scenario(SCENARIO)
    store = PgStore(pg_url, "noord-1")
    app = TabletopApp(start=("play", (loaded, None, 0, None, store)))
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        status = str(screen.query_one("#ex-status", Static).render())
        assert "#noord-1" in status and "postgresql://" in status
        await pilot.press("space")
        await pilot.pause()
        assert app.screen is screen, "no dialog open: the console takes the inbox"
        seat = SeatLink(PgStore(pg_url, "noord-1"), "om")
        sid = seat.submit(Note(text="OvJ: de bron eerst", by="om", origin="seat:om"))
        for _ in range(50):
            await pilot.pause(0.1)
            if seat.outcomes().get(sid) is not None:
                break
        assert seat.outcomes()[sid].state == "applied"
        assert any(getattr(e, "text", "") == "OvJ: de bron eerst" for e in screen.ex.events)
        published = store.read_view("om")
        assert published is not None and published[1]["notes"][-1]["text"] == \
            "OvJ: de bron eerst", "the seat's own view is published for it"
        screen.session.close()
    export_log(PgStore(pg_url, "noord-1"), tmp_path / "noord-1.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "noord-1.jsonl").read_bytes().splitlines()]
    assert lines[0]["type"] == "header" and any(
        x["type"] == "command" and x["command"].get("origin") == "seat:om" for x in lines)
    assert verify(tmp_path / "noord-1.jsonl").ok
    assert not list((tmp_path / "logs").glob("*.jsonl")), "no log file: the journal is the store"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


async def test_the_projector_follows_an_exercise_in_postgresql(
        pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "run", str(SCENARIO), "--decisions", str(COURSE), "--store",
                       pg_url, "--exercise", "proj-1", "--title", "Oefening Projector")
    assert code == 0
    store = PgStore(pg_url, "proj-1")
    app = TabletopApp(start=("screen", store))
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, ParticipantScreen)
        for _ in range(30):
            await pilot.pause(0.1)
            if "Oefening Projector" in str(screen.query_one("#pv-title", Static).render()):
                break
        assert "Oefening Projector" in str(screen.query_one("#pv-title", Static).render())
        assert screen.ended, "the scripted course ran to its end"


def test_play_and_screen_with_a_store_on_the_command_line(
        pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        ) -> None:
    opened: list[dict[str, Any]] = []

    def fake_run_app(**kwargs: Any) -> int:
        opened.append(kwargs)
        return 0

    monkeypatch.setattr("tabletop.tui.app.run_app", fake_run_app)
    code, _, err = cli(capsys, "play", str(SCENARIO), "--store", pg_url, "--exercise", "zuid-1")
    assert code == 0 and "exercise: zuid-1" in err
    store = opened[-1]["play"][4]
    assert isinstance(store, PgStore) and store.exercise == "zuid-1"
    code, _, err = cli(capsys, "play", str(SCENARIO), "--store", pg_url)
    assert code == 0 and "exercise: oefening-" in err, "a fresh id, printed"
    code, _, _ = cli(capsys, "run", str(SCENARIO), "--decisions", str(COURSE), "--store",
                     pg_url, "--exercise", "zuid-2")
    assert code == 0
    code, _, err = cli(capsys, "play", str(SCENARIO), "--store", pg_url, "--exercise", "zuid-2")
    assert code == 2 and "already in the store" in err and "resume" in err
    code, _, err = cli(capsys, "play", str(SCENARIO), "--store", pg_url, "--log", "x.jsonl")
    assert code == 2 and "not both" in err
    code, _, err = cli(capsys, "play", str(SCENARIO), "--exercise", "zuid-3")
    assert code == 2 and "--store" in err
    code, _, err = cli(capsys, "screen", "--store", pg_url, "--exercise", "zuid-2")
    assert code == 0 and opened[-1]["screen_log"].exercise == "zuid-2"
    code, _, err = cli(capsys, "screen", "--store", pg_url, "--exercise", "nope")
    assert code == 2 and "no such exercise" in err
    code, _, err = cli(capsys, "screen", "--store", pg_url)
    assert code == 2 and "--exercise" in err
    code, _, err = cli(capsys, "screen", "--store", "postgresql://postgres@127.0.0.1:1/x",
                       "--exercise", "zuid-2")
    assert code == 1 and "cannot be reached" in err
    code, _, err = cli(capsys, "screen")
    assert code == 2


async def test_the_console_resumes_an_exercise_in_postgresql(pg_url: str,
                                                             tmp_path: Path) -> None:
    """A facilitator's machine fails mid-exercise: `tabletop resume --store … --exercise ID`
    opens the console where the store's journal stopped, and goes on writing there."""
    loaded = load_scenario(SCENARIO)
    first = TabletopApp(start=("play", (loaded, None, 0, None, PgStore(pg_url, "zuid-1"))))
    async with first.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = first.screen
        assert isinstance(screen, ExerciseScreen)
        for _ in range(3):
            await pilot.press("space")
            await pilot.pause()
        before = screen.ex.now
        logged = len(screen.ex.events)
        screen.session.close()  # the machine goes down here
    again = TabletopApp(start=("resume", PgStore(pg_url, "zuid-1")))
    async with again.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ExerciseScreen), type(screen).__name__
        assert screen.ex.now == before and len(screen.ex.events) == logged
        screen.perform(Note(text="Hervat na uitval van de laptop"))
        screen.session.close()
    export_log(PgStore(pg_url, "zuid-1"), tmp_path / "zuid-1.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "zuid-1.jsonl").read_bytes().splitlines()]
    kinds = [x["type"] for x in lines]
    assert "resumed" in kinds
    assert kinds.index("resumed") < max(i for i, x in enumerate(lines)
                                        if x["type"] == "note")
    assert verify(tmp_path / "zuid-1.jsonl").ok
    assert not list((tmp_path / "logs").glob("*.jsonl")), "no log file: the journal is the store"


def test_resume_store_without_a_terminal_needs_a_decisions_file(
        pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "resume", "--store", pg_url, "--exercise", "nergens")
    assert code != 0 and "--decisions" in err
