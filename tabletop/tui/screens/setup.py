"""Set-up: title, region, facilitator, who sits at the table, seed, clock, parameters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Footer, Input, Label, RadioButton, RadioSet

from tabletop.errors import error_text
from tabletop.journal.format import JournalError
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.loading import LoadedScenario
from tabletop.tui.routes import routes
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.settings import CLOCK_FACTORS, load_remembered, remember
from tabletop.tui.text import lit

"""Story minutes per real second offered for compressed real time."""


class SeatBox(Checkbox):
    """A checkbox whose state reads without colour: `[✓]` ticked, `[ ]` not."""

    @property
    def _button(self) -> Content:
        return lit("[✓]" if self.value else "[ ]", "bold" if self.value else "dim")


def field(label: str, widget: Input) -> Vertical:
    """A label above its field."""
    return Vertical(Label(lit(label), classes="field-label"), widget, classes="field")


class SetupScreen(TabletopScreen):
    BINDINGS = [
        Binding("ctrl+s", "start", "key.start", id="start", tooltip="tip.start-the-exercise"),
        Binding("escape", "back", "key.back", id="back", tooltip="tip.back-to-home"),
    ]

    def __init__(self, loaded: LoadedScenario, log_path: Path | None = None,
                 seed: int = 0, clock: float | None = None, store: Any = None) -> None:
        super().__init__()
        self.loaded = loaded
        self.log_path = log_path
        self.seed = seed
        self.clock = clock
        """Story minutes per real second chosen on the command line (None: not chosen)."""
        self.store = store
        """A `JournalStore` (PostgreSQL) to start the exercise in, instead of a log file."""

    def compose(self) -> ComposeResult:
        t = self.t
        s = self.loaded.scenario
        remembered = load_remembered()
        with VerticalScroll(id="setup"):
            yield Label(lit(f"{t('setup.title')}: {s.title}", "bold"), classes="screen-title")
            yield field(t("setup.exercise_title"), Input(s.title, id="title", compact=True))
            with Horizontal(classes="row"):
                yield field(t("setup.region"), Input(remembered.get("region", ""), id="region",
                                                     placeholder="—", compact=True))
                yield field(t("setup.facilitator"), Input(
                    remembered.get("facilitator", ""), id="facilitator", placeholder="—",
                    compact=True))
            yield Label(lit(t("setup.participants"), "bold"), classes="section-title")
            for rid, role in self.loaded.roles.items():
                with Vertical(classes="role"):
                    yield SeatBox(lit(role.name), True, id=f"at-{rid}", compact=True)
                    yield Input(placeholder=t("setup.name"), id=f"name-{rid}", compact=True)
            if s.parameters:
                yield Label(lit(t("setup.parameters"), "bold"), classes="section-title")
                for name, param in s.parameters.items():
                    yield field(param.label, Input(param.default, id=f"param-{name}",
                                                   compact=True))
            yield field(t("setup.seed"), Input(str(self.seed), id="seed", type="integer",
                                               compact=True))
            yield Label(lit(t("setup.clock"), "bold"), classes="section-title")
            chosen = int(self.clock) if self.clock else 0
            with RadioSet(id="clock", compact=True):
                yield RadioButton(lit(t("setup.clock.step")), chosen == 0, id="clock-0")
                for n in CLOCK_FACTORS:
                    yield RadioButton(lit(t("setup.clock.fast", n=n)), chosen == n,
                                      id=f"clock-{n}")
            yield SeatBox(lit(t("setup.seat_confirm")), False, id="seat-confirm", compact=True)
            yield Button(t("setup.start"), id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def settings(self) -> SessionSettings | None:
        seed_text = self.query_one("#seed", Input).value.strip() or "0"
        try:
            seed = int(seed_text)
        except ValueError:
            self.notify(self.t("setup.bad_seed"), severity="error")
            return None
        participants = {}
        for rid in self.loaded.roles:
            if self.query_one(f"#at-{rid}", SeatBox).value:
                participants[rid] = self.query_one(f"#name-{rid}", Input).value.strip()
        parameters = {name: self.query_one(f"#param-{name}", Input).value
                      for name in self.loaded.scenario.parameters}
        pressed = self.query_one("#clock", RadioSet).pressed_button
        factor = float(pressed.id.split("-")[1]) if pressed and pressed.id else 0.0
        return SessionSettings(
            title=self.query_one("#title", Input).value.strip() or self.loaded.scenario.title,
            region=self.query_one("#region", Input).value.strip(),
            facilitator=self.query_one("#facilitator", Input).value.strip(),
            participants=participants, seed=seed, parameters=parameters,
            lang=self.t.lang, clock_factor=factor,
            seat_decisions="confirm" if self.query_one("#seat-confirm", SeatBox).value
            else "apply")

    def action_start(self) -> None:
        from tabletop.tui.library import new_log_path

        settings = self.settings()
        if settings is None:
            return
        remember({"region": settings.region, "facilitator": settings.facilitator})
        try:
            if self.store is not None:
                from tabletop.journal.storeio import start_in_store

                session = start_in_store(self.loaded, settings, self.store)
            else:
                path = self.log_path or new_log_path(self.loaded.scenario.id)
                session = LiveSession.start(self.loaded, settings, path)
        except (JournalError, OSError) as exc:  # say why, stay on this screen
            self.notify(self.t("ex.error", error=error_text(exc, self.t.lang)), severity="error",
                        markup=False)
            return
        routes(self.app).open_exercise(session, instead=True)

    def action_back(self) -> None:
        self.app.pop_screen()
