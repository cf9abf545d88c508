"""The located problems of a scenario that does not load (as `tabletop validate` prints them)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from tabletop.errors import Problem
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.text import lit


class ProblemsScreen(TabletopScreen):
    BINDINGS = [Binding("escape", "back", "key.back", id="back", tooltip="tip.back-to-home")]

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        super().__init__()
        self.path = path
        self.problems = problems

    def compose(self) -> ComposeResult:
        yield Label(lit(self.t("problems.title", file=str(self.path)), "bold"),
                    classes="screen-title")
        yield OptionList(*[Option(lit(p.render(self.t.lang), "" if p.is_error else "yellow"))
                           for p in self.problems], id="problem-list")
        yield Footer()

    def action_back(self) -> None:
        self.app.pop_screen()
