"""Where a screen can go next, without importing the screen it goes to.

The screens that lead to another full screen (home → set-up → exercise, home → replay or
resume, replay → a fork's exercise, exercise → home) ask the app through `routes(app)`; the
app (`tui/app.py`) is the one module that imports them all. So the screens form layers, not
a web of imports: import-linter's "The TUI's screens point down" keeps it so. Dialogs are
different: a screen opens its own dialogs and takes their `dismiss()` result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from textual.app import App

    from tabletop.journal.session import LiveSession
    from tabletop.model.loading import LoadedScenario


@runtime_checkable
class Routes(Protocol):
    """The full screens an app can open."""

    def open_home(self) -> None:
        """Back to the home screen (the one below, else a new one instead of this)."""

    def open_setup(self, loaded: LoadedScenario) -> None:
        """The set-up of a new exercise of this scenario."""

    def open_exercise(self, session: LiveSession, *, instead: bool = False) -> None:
        """The console of a running session (`instead`: in place of the current screen)."""

    def open_resume(self, path: Path) -> None:
        """The console continuing a log, or a message saying why it cannot."""

    def open_replay(self, path: Path) -> None:
        """The replay of a log."""


def routes(app: App[Any]) -> Routes:
    """The app, as the screens' router."""
    if not isinstance(app, Routes):
        raise TypeError(f"{type(app).__name__} does not route tabletop's screens")
    return app
