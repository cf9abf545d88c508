"""Home acts on the focused log and shows its status; set-up reads clearly and remembers;
replay seeks in every way a time is written and asks before forking."""

from __future__ import annotations

import gc
import os
from pathlib import Path

from apps import load_example
from test_snapshots import played_log
from textual.widgets import Input, OptionList

from tabletop.journal.session import fork
from tabletop.tui.app import TabletopApp
from tabletop.tui.logstatus import read_status
from tabletop.tui.screens.exercise import ExerciseScreen
from tabletop.tui.screens.forms import AskScreen, ConfirmScreen
from tabletop.tui.screens.home import HomeScreen
from tabletop.tui.screens.replay import ReplayScreen
from tabletop.tui.screens.setup import SeatBox, SetupScreen


def logs_folder() -> Path:
    return Path(os.environ["TABLETOP_LOG_DIR"])


async def wait_loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_u_acts_on_the_focused_log_and_says_so_when_none_is(tmp_path: Path) -> None:
    session, log = played_log(logs_folder(), until_entries=3)
    session.close()
    os.utime(log, (1, 1))  # written long ago: interrupted, not running
    app = TabletopApp(start=("custom", lambda a: HomeScreen(folders=[tmp_path])))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_loaded(pilot)
        home = app.screen
        await pilot.press("u")  # focus is on the scenario list
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("Kies een logboek" in n.message for n in app._notifications)
        assert home.focused is home.query_one("#log-list", OptionList)
        label = str(home.query_one("#log-list", OptionList).get_option_at_index(0).prompt)
        assert "onderbroken" in label and "rollen aan tafel" in label
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)


def test_a_fork_and_an_ended_log_say_what_they_are(tmp_path: Path) -> None:
    session, log = played_log(tmp_path)
    session.close()
    assert read_status(log).status == "ended"  # type: ignore[union-attr]
    forked = fork(log, 5, tmp_path / "tak.jsonl")
    forked.close()
    status = read_status(tmp_path / "tak.jsonl")
    assert status is not None and status.forked_from == log.name
    assert status.status == "running"  # just written, no end


async def test_setup_reads_clearly_keeps_spaces_in_names_and_remembers(tmp_path: Path) -> None:
    loaded = load_example()
    log = tmp_path / "a.jsonl"
    app = TabletopApp(start=("custom", lambda a: SetupScreen(loaded, log_path=log)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        first = next(iter(loaded.roles))
        box = screen.query_one(f"#at-{first}", SeatBox)
        assert "[✓]" in str(box.render())
        box.value = False
        await pilot.pause()
        assert "[ ]" in str(box.render())
        box.value = True
        screen.query_one(f"#name-{first}", Input).focus()
        await pilot.press(*"Anna de Vries")
        await pilot.pause()
        assert screen.query_one(f"#name-{first}", Input).value == "Anna de Vries"
        assert box.value, "a space typed in the name field leaves the seat ticked"
        assert loaded.roles[first].name in str(box.render()), "the full role name"
        screen.query_one("#region", Input).value = "Zeestad-Rijnmond"
        screen.query_one("#facilitator", Input).value = "J. Jansen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseScreen)
    again = TabletopApp(start=("custom", lambda a: SetupScreen(loaded)))
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.screen.query_one("#region", Input).value == "Zeestad-Rijnmond"
        assert again.screen.query_one("#facilitator", Input).value == "J. Jansen"


async def test_play_with_a_clock_factor_runs_from_the_start(tmp_path: Path) -> None:
    loaded = load_example()
    app = TabletopApp(start=("play", (loaded, tmp_path / "a.jsonl", 0, 15.0)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause(1.3)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        assert screen.ex.now >= 15


async def seek(app: TabletopApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("g")
    await pilot.pause()
    assert isinstance(app.screen, AskScreen)
    app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_replay_seeks_every_written_time_and_asks_before_forking(tmp_path: Path) -> None:
    session, log = played_log(tmp_path)
    session.close()
    app = TabletopApp(start=("custom", lambda a: ReplayScreen.from_log(log)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        events = screen.view.events
        for text, minute in (("T+01:30", 90), ("01:30", 90), ("1h30m", 90)):
            await seek(app, pilot, text)
            at = events[screen._index()].t
            assert at <= minute, text
            later = [e.t for e in events[screen._index() + 1:]]
            assert not later or later[0] > minute, text
        await seek(app, pilot, "2d4h")
        assert screen._index() == len(events) - 1 or events[screen._index() + 1].t > 3120
        await seek(app, pilot, "morgen")
        assert any("geen verhaaltijd" in n.message for n in app._notifications)
        before = set(logs_folder().glob("*.jsonl")) if logs_folder().is_dir() else set()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "fork asks first"
        await pilot.press("n")
        await pilot.pause()
        after = set(logs_folder().glob("*.jsonl")) if logs_folder().is_dir() else set()
        assert after == before, "no fork without a yes"


def test_the_clock_flag_reaches_the_set_up(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`tabletop play … --clock 5` opens the set-up with that clock chosen."""
    import tabletop.tui.app as tui_app
    from tabletop.cli import main

    seen: dict[str, object] = {}

    def fake_run_app(**kwargs: object) -> int:
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(tui_app, "run_app", fake_run_app)
    scenario = str(load_example().path)
    assert main(["play", scenario, "--clock", "5"]) == 0
    assert seen["play"][3] == 5.0  # type: ignore[index]
    assert main(["play", scenario, "--clock", "step"]) == 0
    assert seen["play"][3] == 0.0  # type: ignore[index]
    assert main(["play", scenario]) == 0
    assert seen["play"][3] is None  # type: ignore[index]


async def test_the_bundled_introduction_shows_in_english_with_lang_en() -> None:
    """Issue 13: `--lang en` shows the bundled content in English where a translation file
    beside the scenario provides it (the introduction in full)."""
    app = TabletopApp(lang="en", start=("home", None))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_loaded(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        titles = [str(home.query_one("#scenario-list", OptionList).get_option_at_index(i).prompt)
                  for i in range(home.query_one("#scenario-list", OptionList).option_count)]
        assert "Introduction: sit-in at the gate" in titles[0]
        assert any("Het depot" in t for t in titles), "untranslated scenarios stay Dutch"


async def test_the_start_keeps_nothing_from_the_collector_once_home_has_settled(
        tmp_path: Path) -> None:
    """The app holds what its start built back from the garbage collector only until the
    first screen has settled (a full collection would fall in the first frames); after that
    nothing stays frozen, so garbage made during the start is still freed. No scenario is
    loaded here: the loader's own freeze and unfreeze cannot do it for the app."""
    app = TabletopApp(start=("custom", lambda a: HomeScreen(folders=[tmp_path])))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert gc.get_freeze_count() == 0


async def test_an_app_stopped_before_its_first_screen_settled_keeps_nothing_frozen() -> None:
    """Stopped during its start (here: before its first screen is even shown), the app
    still gives what its start built back to the collector."""
    from textual.screen import Screen

    def stop_at_once(app: TabletopApp) -> Screen[object]:
        app.exit(0)
        return Screen()

    app = TabletopApp(start=("custom", stop_at_once))
    async with app.run_test(size=(100, 30)):
        pass
    assert gc.get_freeze_count() == 0
