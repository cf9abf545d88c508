"""The participant view keeps time, shows the story's day, newest dilemmas first, the end."""

from __future__ import annotations

from datetime import datetime, timedelta, UTC
from pathlib import Path

from apps import load_example
from textual.widgets import Digits

from tabletop.engine.exercise import Exercise
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.commands import End, SetClock, Step
from tabletop.model.events import DilemmaSurfaced
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.participant import ParticipantScreen

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


class Wall:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def write_log(path: Path, wall: Wall, steps: int, factor: float | None = None,
              end: bool = False) -> Exercise:
    """A log as the console writes it: the clock's factor (SetClock), steps, the end."""
    loaded = load_example()
    settings = SessionSettings(title="Oefening Zeestad",
                               participants={r: "" for r in loaded.roles})
    session = LiveSession.start(loaded, settings, path, clock=wall)
    if factor is not None:
        session.apply(SetClock(factor=factor))
    for _ in range(steps):
        session.apply(Step())
    if end:
        session.apply(End())
    session.close()
    return session.exercise


def shown(screen: ParticipantScreen) -> str:
    return screen.participant_text()


async def test_the_clock_runs_between_events_at_the_facilitators_factor(tmp_path: Path) -> None:
    wall = Wall()
    log = tmp_path / "oefening.jsonl"
    ex = write_log(log, wall, steps=3, factor=15)
    app = TabletopApp(start=("custom", lambda a: ParticipantScreen(log, now=wall)))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, ParticipantScreen)
        await pilot.pause()
        at_log = screen.story_minute()
        assert at_log == ex.now
        wall.now += timedelta(seconds=1)  # one real second at 1 s = 15 min
        screen.poll()
        await pilot.pause()
        assert screen.story_minute() == ex.now + 15, "the clock moved without a new event"
        minute = ex.now + 15
        hhmm = (load_example().scenario.start + timedelta(minutes=minute)).strftime("%H:%M")
        assert screen.query_one("#pv-clock", Digits).value == hhmm
        assert "Oefening Zeestad" in shown(screen)
        assert "dag 1, " + hhmm in shown(screen)


async def test_the_running_clock_stops_before_a_seated_deadline(tmp_path: Path) -> None:
    wall = Wall()
    log = tmp_path / "oefening.jsonl"
    ex = write_log(log, wall, steps=3, factor=15)
    deadline = min(v.deadline_t for v in ex.snapshot().open_decisions
                   if v.deadline_t is not None and not v.simulated)
    app = TabletopApp(start=("custom", lambda a: ParticipantScreen(log, now=wall)))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.pause()
        wall.now += timedelta(minutes=10)
        assert screen.story_minute() == deadline - 1, "as the facilitator's clock does"


async def test_without_a_factor_the_clock_moves_only_on_events(tmp_path: Path) -> None:
    wall = Wall()
    log = tmp_path / "oefening.jsonl"
    ex = write_log(log, wall, steps=3)
    app = TabletopApp(start=("custom", lambda a: ParticipantScreen(log, now=wall)))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.pause()
        wall.now += timedelta(minutes=5)
        screen.poll()
        assert screen.story_minute() == ex.now


async def test_newest_dilemmas_first_and_never_facilitator_text(tmp_path: Path) -> None:
    wall = Wall()
    log = tmp_path / "oefening.jsonl"
    ex = write_log(log, wall, steps=12)
    surfaced = [e for e in ex.events if isinstance(e, DilemmaSurfaced)]
    assert len(surfaced) >= 2
    app = TabletopApp(start=("custom", lambda a: ParticipantScreen(log, now=wall)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        text = str(screen.query_one("#pv-dilemmas").render())
        times = [line.split(" ")[0] for line in text.splitlines() if line.startswith("T+")]
        assert times == sorted(times, reverse=True) and len(times) == len(surfaced)
        words = shown(screen)
        for inj in load_example().scenario.injects:
            if inj.facilitator and inj.facilitator.guidance:
                assert inj.facilitator.guidance.strip()[:40] not in words


async def test_the_end_screen_shows_the_outcome(tmp_path: Path) -> None:
    wall = Wall()
    log = tmp_path / "oefening.jsonl"
    write_log(log, wall, steps=4, factor=15, end=True)
    app = TabletopApp(start=("custom", lambda a: ParticipantScreen(log, now=wall)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.pause()
        assert screen.query_one("#pv-end").display
        assert not screen.query_one("#pv-body").display
        assert "De oefening is afgelopen" in shown(screen)
        assert "Uitkomst" in shown(screen)
        before = screen.story_minute()
        wall.now += timedelta(minutes=5)
        assert screen.story_minute() == before, "an ended exercise's clock stands still"
