"""App factories for Pilot and snapshot tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.loading import LoadedScenario, load_roles, load_scenario
from tabletop.tui.app import TabletopApp
from tabletop.tui.screens.deadline import DeadlinePrompt
from tabletop.tui.screens.exercise import ExerciseScreen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "voorbeeld.yaml"


def load_example(path: Path = EXAMPLE) -> LoadedScenario:
    return load_scenario(path, load_roles(ROOT / "roles"))


def exercise_app(loaded: LoadedScenario, log: Path | None, lang: str = "nl",
                 participants: dict[str, str] | None = None, seed: int = 0) -> TabletopApp:
    """The app opened straight on an exercise of `loaded`, logging to `log`."""
    settings = SessionSettings(title="Testoefening", participants=participants if
                               participants is not None else {r: "" for r in loaded.roles},
                               seed=seed, lang=lang)

    def screen(app: TabletopApp) -> ExerciseScreen:
        return ExerciseScreen(LiveSession.start(loaded, settings, log))

    return TabletopApp(lang=lang, start=("custom", screen))


async def next_until(pilot: Pilot[int], done: Callable[[], bool], limit: int) -> None:
    """Press space (the next event) until `done()` holds, at most `limit` times; or until a
    deadline prompt has stopped the clock: it takes every further space and does nothing
    (`test_forty_quick_spaces_lapse_no_decision_of_a_seated_role`), so pressing on would
    only cost time."""
    for _ in range(limit):
        if done() or isinstance(pilot.app.screen, DeadlinePrompt):
            return
        await pilot.press("space")
        await pilot.pause()
