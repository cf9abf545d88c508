"""Replay: step and seek through a logged exercise, see the state then, fork from a point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from tabletop.errors import TabletopUserError
from tabletop.i18n.names import Names, story_time
from tabletop.journal.format import JournalError
from tabletop.journal.reader import read_journal
from tabletop.journal.replay import load_for
from tabletop.journal.view import ReplayView
from tabletop.model.events import DecisionTaken, Event
from tabletop.report.timeline import render_event
from tabletop.tui.format import parse_story_time
from tabletop.tui.routes import routes
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.screens.forms import AskScreen, ConfirmScreen, MessageScreen
from tabletop.tui.text import join, lit
from tabletop.tui.widgets.state_panel import StatePanel


class ReplayScreen(TabletopScreen):
    BINDINGS = [
        Binding("right,j", "forward", "key.step_forward", id="step-forward",
                tooltip="tip.one-event-further"),
        Binding("left,k", "backward", "key.step_back", id="step-back",
                tooltip="tip.one-event-back"),
        Binding("g", "seek", "key.seek", id="seek", tooltip="tip.go-to-a-story-time"),
        Binding("f", "fork", "key.fork", id="fork",
                tooltip="tip.start-a-new-exercise-from-this-point-in-"),
        Binding("escape", "back", "key.back", id="back", tooltip="tip.back"),
    ]

    def __init__(self, path: Path, view: ReplayView) -> None:
        super().__init__()
        self.path = path
        self.view = view
        h = view.journal.header
        self.names = Names(view.loaded, self.t.lang, h.get("participants"),
                           parameters=h.get("parameters"))

    @classmethod
    def from_log(cls, path: Path) -> Screen[Any]:
        try:
            journal = read_journal(path)
            view = ReplayView(journal, load_for(journal))
        except (JournalError, TabletopUserError, OSError) as exc:
            from tabletop.errors import error_text
            from tabletop.i18n import Translator, current_language

            t = Translator(current_language())
            return MessageScreen(t("key.replay"), error_text(exc, t.lang))
        return cls(path, view)

    def compose(self) -> ComposeResult:
        t = self.t
        title = self.view.journal.header.get("title", "")
        yield Label(lit(t("replay.title", title=title), "bold"), classes="screen-title")
        yield Static(id="replay-position")
        with Horizontal(id="replay-body"):
            with Vertical(id="replay-timeline"):
                yield OptionList(*[self._option(e) for e in self.view.events], id="timeline")
            with VerticalScroll(id="replay-side"):
                yield Static(id="replay-detail")
                yield StatePanel(self.view.loaded, self.names, t, id="replay-state")
        yield Footer()

    def _option(self, e: Event) -> Option:
        line = render_event(e, self.names)
        label = f"{line.label} {line.text}" if line else e.type
        return Option(join(lit(story_time(e.t), "dim"), " ", lit(label)))

    def on_mount(self) -> None:
        timeline = self.query_one("#timeline", OptionList)
        timeline.focus()
        if self.view.events:
            timeline.highlighted = 0
        self._show(0)

    @on(OptionList.OptionHighlighted, "#timeline")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int) -> None:
        count = index + 1 if self.view.events else 0
        snap = self.view.snapshot(count)
        total = len(self.view.events)
        self.query_one("#replay-position", Static).update(lit(self.t(
            "replay.position", seq=count, total=total, time=story_time(snap.t)), "dim"))
        self.query_one("#replay-state", StatePanel).show(snap)
        detail = self.query_one("#replay-detail", Static)
        if not self.view.events:
            detail.update("")
            return
        e = self.view.events[index]
        line = render_event(e, self.names)
        parts: list[Content | str] = [lit(line.text if line else e.type, "bold")]
        for d in line.details if line else ():
            parts += ["\n", lit(d)]
        if isinstance(e, DecisionTaken) and e.beeld:
            n = self.names
            state = ", ".join(f"{n.variable(k)} {n.value(v)}"
                              for k, v in e.beeld.get("state", {}).items())
            parts += ["\n", lit(f"{self.t('dec.beeld')}: {state}", "dim")]
        detail.update(join(*parts))

    def _index(self) -> int:
        return self.query_one("#timeline", OptionList).highlighted or 0

    def _go(self, index: int) -> None:
        """Highlight a line; the list scrolls to keep it in view."""
        timeline = self.query_one("#timeline", OptionList)
        timeline.highlighted = index
        self.call_after_refresh(timeline.scroll_to_highlight)

    def action_forward(self) -> None:
        self._go(min(self._index() + 1, max(len(self.view.events) - 1, 0)))

    def action_backward(self) -> None:
        self._go(max(self._index() - 1, 0))

    def action_seek(self) -> None:
        def done(value: object) -> None:
            if not isinstance(value, str):
                return
            try:
                minutes = parse_story_time(value)
            except ValueError:
                self.notify(self.t("replay.bad_time_formats", value=value), severity="error",
                            markup=False)
                return
            count = self.view.index_at_time(minutes)
            self._go(max(count - 1, 0))
        self.app.push_screen(AskScreen(self.t("key.seek"), self.t("replay.seek_formats")), done)

    def action_fork(self) -> None:
        """Fork from the highlighted line, after asking."""
        if not self.view.events:
            return
        index = self._index()
        seq = self.view.seqs[index]

        def confirmed(yes: object) -> None:
            if yes is True:
                self._fork_at(seq)

        self.app.push_screen(ConfirmScreen(
            self.t("replay.fork_title"),
            self.t("replay.fork_body", seq=seq, time=story_time(self.view.events[index].t)),
            self.t("key.fork")), confirmed)

    def _fork_at(self, seq: int) -> None:
        from tabletop.journal.session import fork
        from tabletop.tui.library import new_log_path

        try:
            target = new_log_path(self.view.loaded.scenario.id)
            session = fork(self.path, seq, target)
        except (JournalError, TabletopUserError, OSError) as exc:
            from tabletop.errors import error_text

            self.app.push_screen(MessageScreen(self.t("key.fork"), error_text(exc, self.t.lang)))
            return
        self.notify(self.t("replay.forked", path=str(target)), markup=False)
        routes(self.app).open_exercise(session)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit(0)
