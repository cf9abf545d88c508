"""App factories for Pilot and snapshot tests."""

from __future__ import annotations

from pathlib import Path

from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.loading import LoadedScenario, load_roles, load_scenario
from tabletop.tui.app import TabletopApp
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
