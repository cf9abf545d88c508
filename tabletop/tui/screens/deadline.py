"""The deadline prompt: the clock stopped the minute before a seated role's deadline.

Decide now (the focused choice), extend the deadline, or let it lapse. Lapsing takes its own
key (`l`): neither space nor enter lets a deadline pass.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Static

from tabletop.engine.snapshot import OpenDecisionView
from tabletop.i18n.names import Names, story_time
from tabletop.model.loading import LoadedScenario
from tabletop.tui.screens import TabletopModal
from tabletop.tui.text import join, lit

EXTEND_CHOICES = (15, 30, 60, 120)
"""Minutes the facilitator can add to a deadline."""


class DeadlinePrompt(TabletopModal):
    """Dismisses with `decide`, `extend`, `lapse`, or None (the clock stays stopped)."""

    BINDINGS = [
        Binding("b", "choose('decide')", "key.decide_now", id="decide-now",
                tooltip="tip.decide-now"),
        Binding("v", "choose('extend')", "key.extend", id="extend", tooltip="tip.extend"),
        Binding("l", "choose('lapse')", "key.lapse", id="lapse", tooltip="tip.lapse"),
        Binding("escape", "choose('')", "key.back", id="close", tooltip="tip.keep-stopped"),
        Binding("space", "nothing", show=False),
    ]

    def __init__(self, loaded: LoadedScenario, views: list[OpenDecisionView], now: int,
                 names: Names) -> None:
        super().__init__()
        self.loaded = loaded
        self.views = views
        self.now = now
        self.names = names

    def compose(self) -> ComposeResult:
        t, n = self.t, self.names
        first = self.views[0]
        assert first.deadline_t is not None
        with Vertical(classes="dialog deadline-prompt"):
            yield Label(lit(t("dl.title", time=story_time(first.deadline_t)), "bold"),
                        classes="dialog-title")
            lines: list[Content | str] = []
            for view in self.views:
                spec = self.loaded.scenario.decision(view.decision)
                default = spec.option(spec.default) if spec and spec.default else None
                lines += [lit(n.decision(view.decision), "bold"), "\n",
                          lit(f"{t('dec.owner')}: {n.role(view.owner)}", "dim"), "\n"]
                lines += [lit(t("dl.default", option=n.fill(default.label) if default
                                else t("dl.no_default"))), "\n"]
            yield Static(join(*lines), id="deadline-decisions")
            yield Static(lit(t("dl.explain"), "dim"))
            with Horizontal(classes="buttons"):
                yield Button(t("dl.decide"), id="decide", variant="primary")
                yield Button(t("dl.extend"), id="extend")
                yield Button(t("dl.lapse"), id="lapse", variant="error")

    def on_mount(self) -> None:
        self.query_one("#decide", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "lapse":
            # Why: enter on a focused button presses it; lapsing takes its own key.
            self.notify(self.t("dl.lapse_key"), markup=False)
            return
        self.action_choose(event.button.id or "")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)

    def action_nothing(self) -> None:
        """Space does nothing here: it must never let a deadline pass."""
