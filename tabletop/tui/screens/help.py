"""Help: every key of the screen underneath, and how the app works."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from tabletop.tui.screens import TabletopScreen
from tabletop.tui.text import join, lit


class HelpScreen(TabletopScreen):
    BINDINGS = [Binding("escape,q,question_mark", "back", "key.back", id="back",
                        tooltip="tip.close-help")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        t = self.t
        rows: list[Content | str] = []
        seen = set()
        for node in (self.under, self.app):
            for key, bindings in node._bindings.key_to_bindings.items():
                for b in bindings:
                    if (key, b.action) in seen or not b.description:
                        continue
                    seen.add((key, b.action))
                    rows += [lit(f"{key:>14}  ", "bold"), lit(b.description),
                             lit(f"  {b.tooltip}" if b.tooltip else "", "dim"), "\n"]
        with VerticalScroll(id="help"):
            yield Label(lit(t("help.title"), "bold"), classes="screen-title")
            yield Static(lit(t("help.intro")))
            yield Static(join(*rows), id="help-keys")
        yield Footer()

    def action_back(self) -> None:
        self.app.pop_screen()
