"""The participant view: follows a running exercise's log, read-only, for a second screen.

Shows only what participants may see: delivered injects (never the facilitator's part, never
what is still to come), open questions and surfaced dilemmas, in large, calm type.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Digits, Footer, Label, Markdown, Static

from tabletop.errors import TabletopUserError
from tabletop.i18n.names import Names, story_time
from tabletop.journal.format import JournalError
from tabletop.journal.reader import Journal, read_journal
from tabletop.journal.replay import load_for
from tabletop.model.events import (
    AdHocInject,
    DecisionOpened,
    DecisionTaken,
    DilemmaSurfaced,
    Event,
    ExerciseEnded,
    InjectDelivered,
)
from tabletop.model.loading import LoadedScenario
from tabletop.report.timeline import dilemma_summary
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.text import join, lit, safe_markdown_parser

POLL_SECONDS = 0.5


class ParticipantScreen(TabletopScreen):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.loaded: LoadedScenario | None = None
        self.names: Names | None = None
        self._log_bytes = -1

    def compose(self) -> ComposeResult:
        with Horizontal(id="pv-top"):
            yield Static(lit("T+", "bold"), id="pv-t")
            yield Digits("00:00", id="pv-clock")
            yield Static(id="pv-phase")
        with Horizontal(id="pv-body"):
            with VerticalScroll(id="pv-latest"):
                yield Label(lit(self.t("screen.latest"), "bold"), classes="section-title")
                yield Static(lit(self.t("screen.waiting")), id="pv-inject-head")
                yield Markdown(id="pv-inject-text", parser_factory=safe_markdown_parser,
                               open_links=False)
            with Vertical(id="pv-side"):
                yield Label(lit(self.t("screen.open_questions"), "bold"), classes="section-title")
                yield Static(id="pv-questions")
                yield Label(lit(self.t("screen.dilemmas"), "bold"), classes="section-title")
                yield Static(id="pv-dilemmas")
        yield Footer()

    def on_mount(self) -> None:
        self.poll()
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        try:
            size = self.path.stat().st_size
        except OSError:
            return
        if size == self._log_bytes:
            return
        self._log_bytes = size
        try:
            journal = read_journal(self.path)
            if self.loaded is None:
                self.loaded = load_for(journal)
                h = journal.header
                self.names = Names(self.loaded, self.t.lang, h.get("participants"),
                                   anonymise=True, parameters=h.get("parameters"))
        except (JournalError, TabletopUserError, OSError) as exc:
            self.query_one("#pv-inject-head", Static).update(lit(str(exc), "red"))
            return
        self.show(journal)

    def show(self, journal: Journal) -> None:
        assert self.loaded is not None and self.names is not None
        t, n = self.t, self.names
        events: list[Event] = [ln.event() for ln in journal.lines if ln.is_engine_event]
        if events:
            self.query_one("#pv-clock", Digits).update(story_time(events[-1].t)[2:])
        phase = next((e.phase for e in reversed(events) if isinstance(e, InjectDelivered)), None)
        self.query_one("#pv-phase", Static).update(lit(n.phase(phase), "bold"))
        latest = next((e for e in reversed(events)
                       if isinstance(e, (InjectDelivered, AdHocInject))), None)
        head = self.query_one("#pv-inject-head", Static)
        text = self.query_one("#pv-inject-text", Markdown)
        if isinstance(latest, InjectDelivered):
            inj = self.loaded.scenario.inject(latest.inject)
            if inj is not None:
                sender = n.role(inj.from_) if inj.from_ in self.loaded.roles else n.fill(
                    inj.from_)
                parts: list[Content | str] = [lit(n.fill(inj.title), "bold"), "\n",
                                              lit(f"{sender} · {inj.channel.value}", "dim")]
                if inj.reliability and inj.reliability.value != "onjuist":
                    parts += ["  ", lit(inj.reliability.value, "italic")]
                head.update(join(*parts))
                text.update(n.fill(inj.text))
        elif isinstance(latest, AdHocInject):
            head.update(join(lit(latest.title, "bold"), "\n", lit(latest.sender, "dim")))
            text.update(latest.text)
        open_ids: dict[str, DecisionOpened] = {}
        for e in events:
            if isinstance(e, DecisionOpened):
                open_ids[e.decision] = e
            elif isinstance(e, DecisionTaken):
                open_ids.pop(e.decision, None)
        questions: list[Content | str] = []
        for e in open_ids.values():
            questions += ["• ", lit(n.decision(e.decision)), "\n"]
        self.query_one("#pv-questions", Static).update(join(*questions) if questions else "—")
        dilemmas: list[Content | str] = []
        for e in events:
            if isinstance(e, DilemmaSurfaced):
                dilemmas += [lit(f"[{t('kind.' + e.kind)}] ", "bold"),
                             lit(dilemma_summary(e, n)), "\n"]
        if any(isinstance(e, ExerciseEnded) for e in events):
            dilemmas += ["\n", lit(t("screen.ended"), "bold")]
        self.query_one("#pv-dilemmas", Static).update(join(*dilemmas) if dilemmas else "—")
