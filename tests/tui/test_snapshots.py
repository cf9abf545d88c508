"""Snapshots of the key screens at 80x24 and 160x48 (story time only, no animation)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from apps import ROOT, exercise_app, load_example, next_until
from textual.widgets import TabbedContent

from tabletop.engine.script import play_script
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.commands import Decide
from tabletop.model.scripted import load_script
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.deadline import DeadlinePrompt
from tabletop.tui.screens.debrief import DebriefScreen
from tabletop.tui.screens.exercise import ExerciseScreen
from tabletop.tui.screens.home import HomeScreen
from tabletop.tui.screens.participant import ParticipantScreen
from tabletop.tui.screens.replay import ReplayScreen
from tabletop.tui.screens.setup import SetupScreen
from datetime import UTC

SIZES = [(80, 24), (160, 48)]
COURSE = ROOT / "tests" / "data" / "courses" / "voorbeeld.yaml"


def played_log(tmp_path: Path, until_entries: int | None = None) -> tuple[LiveSession, Path]:
    """The example played headless from its course (optionally only its first entries)."""
    loaded = load_example()
    tmp_path.mkdir(parents=True, exist_ok=True)
    log = tmp_path / "oefening.jsonl"
    participants = {r: "" for r in loaded.roles if r != "spoorbeheerder"}
    session = LiveSession.start(loaded, SessionSettings(title="Oefening Zeestad",
                                                        participants=participants), log,
                                clock=lambda: __import__("datetime").datetime(2027, 1, 1))
    entries = load_script(COURSE, loaded)
    if until_entries is not None:
        entries = entries[:until_entries]
        from tabletop.engine.script import apply_entry
        for item in entries:
            apply_entry(session.exercise, item, session.apply)
    else:
        play_script(session.exercise, entries, session.apply)
    return session, log


def app_on(screen_factory) -> TabletopApp:  # type: ignore[no-untyped-def]
    app = TabletopApp(start=("custom", screen_factory))
    return app


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_home(snap_compare, size, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Home on a fixed folder (the example, an introduction, a broken file) and one log.
    Its own empty cache: the quick list (titles from the cache) must not depend on which
    tests ran before in the same process."""
    monkeypatch.setenv("TABLETOP_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "scenarios"
    folder.mkdir()
    example = load_example().path
    (folder / "voorbeeld.yaml").write_bytes(example.read_bytes())
    (folder / "materiaal").mkdir()
    for f in (example.parent / "materiaal").iterdir():
        (folder / "materiaal" / f.name).write_bytes(f.read_bytes())
    intro = example.read_text(encoding="utf-8").replace("id: voorbeeld", "id: introductie")
    (folder / "introductie.yaml").write_text(
        intro.replace('title: "Voorbeeld: konvooi en blokkade"', "title: Introductie"),
        encoding="utf-8")
    (folder / "kapot.yaml").write_text("format: 1\nid: kapot\ntittle: Kapot\n")
    session, _ = played_log(tmp_path / "logs", until_entries=3)
    session.close()
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app_on(lambda app: HomeScreen(folders=[folder])), terminal_size=size,
                        run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_exercise_with_open_decision_and_dilemma(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = exercise_app(load_example(), tmp_path / "oefening.jsonl")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)

        def is_open(decision: str) -> Callable[[], bool]:
            return lambda: any(v.decision == decision for v in screen.ex.snapshot().open_decisions)

        # The police take the guarding of the barracks (T+00:40) without holding that gezag
        # (the mayor and the OvJ do): a bevoegdheid dilemma; then the blockade's decision opens.
        await next_until(pilot, is_open("beveiliging-kazerne"), 30)
        screen.perform(Decide(decision="beveiliging-kazerne", option="zwaar", by="politie"))
        await next_until(pilot, is_open("blokkade-aanpak"), 30)
        snap = screen.ex.snapshot()
        assert [d.kind for d in snap.dilemmas] == ["bevoegdheid"]
        assert is_open("blokkade-aanpak")() and not isinstance(app.screen, DeadlinePrompt)
        screen.query_one("#tabs", TabbedContent).active = "tab-decisions"
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_decision_card(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = exercise_app(load_example(), tmp_path / "oefening.jsonl")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await next_until(pilot, lambda: any(v.decision == "blokkade-aanpak" for v in
                                            screen.ex.snapshot().open_decisions), 30)
        screen._open_decision_card("blokkade-aanpak")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        # A new dilemma's banner is lit for 8 s; on a busy machine (tests in parallel) playing
        # up to here can take longer: show it as it is at normal speed.
        banner = screen.query_one("#dilemma-banner")
        if banner.display:
            banner.add_class("lit")
            await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_participant_view(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session, log = played_log(tmp_path, until_entries=4)
    session.close()
    assert snap_compare(app_on(lambda app: ParticipantScreen(log)), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_participant_view_running(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Four real seconds after the last line at 1 s = 15 min: the clock has run on (up to
    the minute before a seated role's deadline, where the console's clock stops)."""
    from datetime import datetime, timedelta

    from tabletop.model.commands import SetClock, Step

    start = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    loaded = load_example()
    log = tmp_path / "oefening.jsonl"
    session = LiveSession.start(loaded, SessionSettings(
        title="Oefening Zeestad", participants={r: "" for r in loaded.roles}), log,
        clock=lambda: start)
    session.apply(SetClock(factor=15))
    for _ in range(8):
        session.apply(Step())
    session.close()
    later = start + timedelta(seconds=4)
    assert snap_compare(app_on(lambda app: ParticipantScreen(log, now=lambda: later)),
                        terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_participant_view_ended(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session, log = played_log(tmp_path)
    session.close()
    assert snap_compare(app_on(lambda app: ParticipantScreen(log)), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_control_view(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = exercise_app(load_example(), tmp_path / "oefening.jsonl")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(4):
            await pilot.press("space")
            await pilot.pause()
        await pilot.press("3")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_deadline_prompt(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = exercise_app(load_example(), tmp_path / "oefening.jsonl")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await next_until(pilot, lambda: False, 20)  # up to the deadline prompt
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_setup(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(lambda app: SetupScreen(load_example())), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_debrief(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session, _ = played_log(tmp_path)
    assert snap_compare(app_on(lambda app: DebriefScreen(session)), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_replay(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session, log = played_log(tmp_path)
    session.close()

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(12):
            await pilot.press("right")
        await pilot.pause()

    assert snap_compare(app_on(lambda app: ReplayScreen.from_log(log)), terminal_size=size,
                        run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x48"])
def test_seat(snap_compare, size, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A seat with a long role name: at 80 columns the clock (and whether it runs) comes
    before the name, so that it stays in view."""
    import json

    from textual.widgets import Static

    from tabletop.journal.seats import FileSeatLink
    from tabletop.journal.store import FileStore
    from tabletop.tui.seat.app import SeatApp

    session, log = played_log(tmp_path, until_entries=4)
    session.close()
    header = json.loads(FileStore(log).read()[0][1])
    app = SeatApp(FileSeatLink(FileStore(log), "defensie", session.loaded, header))

    async def shown(pilot) -> None:  # type: ignore[no-untyped-def]
        for _ in range(50):
            await pilot.pause(0.1)
            if "T+" in str(app.screen.query_one("#top", Static).render()):
                break
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=shown)
