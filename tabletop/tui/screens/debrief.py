"""Debrief (hot wash): decisions, dilemmas and LOVP notes; export the report; the log's place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Label, Static

from tabletop.errors import display_path
from tabletop.i18n.names import Names, story_time
from tabletop.journal.session import LiveSession
from tabletop.model.events import DecisionTaken, DilemmaSurfaced, ExerciseEnded, NoteAdded
from tabletop.report.timeline import dilemma_summary
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.text import join, lit


class DebriefScreen(TabletopScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back", tooltip="tip.back-to-the-exercise"),
        Binding("ctrl+e", "export", "key.export", id="export",
                tooltip="tip.write-the-lovp-report-next-to-the-log"),
    ]

    def __init__(self, session: LiveSession) -> None:
        super().__init__()
        self.session = session
        s = session.settings
        self.names = Names(session.loaded, self.t.lang, s.participants, parameters=s.parameters)

    def compose(self) -> ComposeResult:
        t, n = self.t, self.names
        events = self.session.exercise.events
        end = next((e for e in events if isinstance(e, ExerciseEnded)), None)
        with VerticalScroll(id="debrief"):
            yield Label(lit(f"{t('debrief.title')}: {self.session.settings.title}", "bold"),
                        classes="screen-title")
            if end is not None:
                yield Static(lit(t("debrief.outcome", outcome=n.outcome(end.outcome)), "bold"))
            yield Label(lit(t("debrief.decisions"), "bold"), classes="section-title")
            rows: list[Content | str] = []
            for e in events:
                if isinstance(e, DecisionTaken):
                    choice = n.option(e.decision, e.option) if e.option else e.answer.strip()
                    who = t("tl.default") if e.default else n.role(e.by, True)
                    rows += [lit(story_time(e.t), "dim"), "  ", lit(n.decision(e.decision)),
                             "\n     → ", lit(choice, "bold"), lit(f"  ({who})", "dim"), "\n"]
                    if e.advice:
                        advice = "; ".join(f"{n.role(r, True)}: {n.option(e.decision, v)}"
                                           for r, v in e.advice.items())
                        rows += ["       ", lit(f"{t('tl.advice')}: {advice}", "dim"), "\n"]
                    if e.rationale:
                        rows += ["       ", lit(f"{t('tl.rationale')}: {e.rationale}", "dim"),
                                 "\n"]
            yield Static(join(*rows) if rows else lit(t("debrief.none")), id="debrief-decisions")
            yield Label(lit(t("debrief.dilemmas"), "bold"), classes="section-title")
            rows = []
            for e in events:
                if isinstance(e, DilemmaSurfaced):
                    rows += [lit(story_time(e.t), "dim"), "  ",
                             lit(f"[{t('kind.' + e.kind)}] ", "bold red"),
                             lit(dilemma_summary(e, n)), "\n"]
            yield Static(join(*rows) if rows else lit(t("debrief.none")), id="debrief-dilemmas")
            yield Label(lit(t("debrief.lovp"), "bold"), classes="section-title")
            rows = []
            for e in events:
                if isinstance(e, NoteAdded) and e.lovp:
                    rows += ["• ", lit(e.text), "\n"]
            for e in events:
                if isinstance(e, DilemmaSurfaced) and e.kind == "authored" and e.dilemma:
                    dil = self.session.loaded.scenario.dilemma(e.dilemma)
                    if dil and dil.question:
                        rows += ["• ", lit(dil.question), "\n"]
            yield Static(join(*rows) if rows else lit(t("debrief.none")), id="debrief-lovp")
            log = self.session.log_path
            yield Static(lit(t("ex.log", path=display_path(log)) if log else t("ex.no_log"), "dim"),
                         id="debrief-log")
        yield Footer()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        log = self.session.log_path
        if log is None:
            self.notify(self.t("ex.no_log"), markup=False)
            return
        from tabletop.report.api import ReportError, export_report

        written = []
        try:
            for fmt in ("html", "md"):
                written.append(export_report([log], log.with_suffix(f".{fmt}"), fmt,
                                             lang=self.t.lang))
        except (ReportError, OSError) as exc:
            self.notify(self.t("ex.error", error=str(exc)), severity="error", markup=False)
            return
        self.notify(self.t("debrief.exported", path=", ".join(display_path(p) for p in written)),
                    markup=False)
