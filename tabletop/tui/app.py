"""TabletopApp: themes, language, the command palette; screens own their behaviour."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.theme import Theme

from tabletop.i18n import Translator
from tabletop.tui.commands import ScreenCommands
from tabletop.tui.screens import translate_bindings

if TYPE_CHECKING:
    from tabletop.journal.session import LiveSession
    from tabletop.model.loading import LoadedScenario

HIGH_CONTRAST = Theme(
    name="hoog-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ff00ff",
    warning="#ffff00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    dark=True,
)


class TabletopApp(App[int]):
    """The facilitator's terminal."""

    CSS_PATH = Path(__file__).parent / "tabletop.tcss"
    TITLE = "tabletop"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "key.quit", id="quit", tooltip="tip.quit-tabletop",
                priority=True, show=False),
        Binding("question_mark", "help", "key.help", id="help", key_display="?",
                tooltip="tip.keys-and-what-they-do"),
        Binding("f1", "help", "key.help", id="help-f1", show=False,
                tooltip="tip.keys-and-what-they-do"),
    ]

    def __init__(self, lang: str = "nl", start: tuple[str, Any] | None = None) -> None:
        super().__init__()
        self.t = Translator(lang or "nl")
        self.lang = self.t.lang
        self._start: tuple[str, Any] = start or ("home", None)
        self.register_theme(HIGH_CONTRAST)
        translate_bindings(self, self.t)

    def on_mount(self) -> None:
        # What the start imported and built stays for the program's life; until the first
        # screen is drawn and settled the collector leaves it alone. Why: the first full
        # collection falls in the first frames and scans all of it (15-20 ms of the home
        # screen's start). After the second refresh everything is collectable again, or
        # when the app stops before that (on_unmount).
        gc.freeze()
        self.call_after_refresh(self.call_after_refresh, gc.unfreeze)
        self.title = self.t("app.title")
        kind, arg = self._start
        if kind == "home":
            from tabletop.tui.screens.home import HomeScreen

            self.push_screen(HomeScreen())
        elif kind == "resume":
            from tabletop.tui.screens.exercise import resume_screen

            self.push_screen(resume_screen(self, arg))
        elif kind == "replay":
            from tabletop.tui.screens.replay import ReplayScreen

            self.push_screen(ReplayScreen.from_log(arg))
        elif kind == "screen":
            from tabletop.tui.screens.participant import ParticipantScreen

            if isinstance(arg, Path):
                self.push_screen(ParticipantScreen(arg))
            else:  # a store's exercise (PostgreSQL)
                self.push_screen(ParticipantScreen(Path(arg.label), store=arg))
        elif kind == "custom":
            self.push_screen(arg(self))
        elif kind == "play":
            from tabletop.tui.screens.setup import SetupScreen

            loaded, log_path, seed, *rest = arg
            self.push_screen(SetupScreen(loaded, log_path=log_path, seed=seed,
                                         clock=rest[0] if rest else None,
                                         store=rest[1] if len(rest) > 1 else None))

    def on_unmount(self) -> None:
        gc.unfreeze()

    # -- the routes between full screens (tui/routes.py) ------------------------------
    def open_home(self) -> None:
        from tabletop.tui.screens.home import HomeScreen

        stack = self.screen_stack
        if len(stack) >= 2 and isinstance(stack[-2], HomeScreen):
            self.pop_screen()
        else:
            self.switch_screen(HomeScreen())

    def open_setup(self, loaded: LoadedScenario) -> None:
        from tabletop.tui.screens.setup import SetupScreen

        self.push_screen(SetupScreen(loaded))

    def open_exercise(self, session: LiveSession, *, instead: bool = False) -> None:
        from tabletop.tui.screens.exercise import ExerciseScreen

        screen = ExerciseScreen(session)
        if instead:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_resume(self, path: Path) -> None:
        from tabletop.tui.screens.exercise import resume_screen

        self.push_screen(resume_screen(self, path))

    def open_replay(self, path: Path) -> None:
        from tabletop.tui.screens.replay import ReplayScreen

        self.push_screen(ReplayScreen.from_log(path))

    def current_log(self) -> Path | None:
        """The log the app writes or shows now (for a crash report beside it)."""
        for screen in reversed(self.screen_stack):
            session = getattr(screen, "session", None)
            path = getattr(session, "log_path", None) or getattr(screen, "path", None)
            if isinstance(path, Path) and path.suffix == ".jsonl":
                return path
        return None

    def action_help(self) -> None:
        from tabletop.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        guard = getattr(self.screen, "confirm_quit", None)
        if guard is not None and guard():
            return
        self.exit(0)


def run_app(lang: str | None = None, resume_log: Any = None,
            replay_log: Path | None = None, screen_log: Any = None,
            play: tuple[Any, ...] | None = None) -> int:
    """Start the app (home, or straight into resume/replay/participant view/set-up).
    `resume_log`: a log file, or a store holding the exercise to continue."""
    start: tuple[str, Any] = ("home", None)
    if resume_log is not None:
        start = ("resume", resume_log)
    elif replay_log is not None:
        start = ("replay", replay_log)
    elif screen_log is not None:
        start = ("screen", screen_log)
    elif play is not None:
        start = ("play", play)
    app = TabletopApp(lang=lang or "nl", start=start)
    result = app.run()
    error = getattr(app, "_exception", None)
    if app.return_code:  # an error in the program stopped the app (hostile-input area)
        import sys

        from tabletop.journal.crash import EXIT_CRASH, crash_message, write_crash_report
        from tabletop.tui.library import log_dir

        log = app.current_log()
        report = write_crash_report(error, log, log_dir()) if error is not None else None
        sys.stderr.write(crash_message(report, log) + "\n")
        return EXIT_CRASH
    return int(result or 0)
