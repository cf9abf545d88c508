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
from tabletop.model.events import (
    DecisionTaken,
    DilemmaSurfaced,
    Event,
    ExerciseEnded,
    ExpectationChanged,
    InjectDelivered,
    NoteAdded,
    ObservationAdded,
)
from tabletop.report.timeline import dilemma_summary
from tabletop.tui.drafts import DraftStore
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.text import join, lit

HOTWASH = "hotwash"
"""Draft key of a hot-wash note the log could not take yet."""


class DebriefScreen(TabletopScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back", tooltip="tip.back-to-the-exercise"),
        Binding("ctrl+e", "export", "key.export", id="export",
                tooltip="tip.write-the-lovp-report-next-to-the-log"),
        Binding("n", "hotwash", "key.hotwash", id="hotwash", tooltip="tip.hotwash"),
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
            yield Label(lit(t("debrief.expectations"), "bold"), classes="section-title")
            yield Static(self._expectations(events), id="debrief-expectations")
            yield Label(lit(t("debrief.observations"), "bold"), classes="section-title")
            yield Static(self._observations(events), id="debrief-observations")
            yield Label(lit(t("debrief.hotwash"), "bold"), classes="section-title")
            yield Static(self._hotwash(events), id="debrief-hotwash")
            log = self.session.log_path
            yield Static(lit(t("ex.log", path=display_path(log)) if log else t("ex.no_log"), "dim"),
                         id="debrief-log")
        yield Footer()

    # -- expectations, observations, hot wash (tui branch, issue 11) ---------------------
    def _expectations(self, events: list[Event]) -> Content:
        """Every delivered inject's expectation: met, missed, or still open (as the report)."""
        t, n = self.t, self.names
        s = self.session.loaded.scenario
        status: dict[str, tuple[str, str | None, int]] = {}
        delivered: list[tuple[int, str]] = []
        for e in events:
            if isinstance(e, InjectDelivered):
                inj = s.inject(e.inject)
                if inj is not None and inj.expect is not None:
                    delivered.append((e.t, e.inject))
            elif isinstance(e, ExpectationChanged):
                status[e.inject] = (e.status, e.by, e.t)
        rows: list[Content | str] = []
        styles = {"met": "bold green", "missed": "bold red", "open": "bold yellow"}
        counts = {"met": 0, "missed": 0, "open": 0}
        for t_at, inject_id in delivered:
            inj = s.inject(inject_id)
            assert inj is not None and inj.expect is not None
            state, by, when = status.get(inject_id, ("open", None, t_at))
            counts[state] = counts.get(state, 0) + 1
            label = t(f"debrief.exp.{state}")
            who = f" ({n.role(by, True)}, {story_time(when)})" if by else ""
            rows += [lit(story_time(t_at), "dim"), "  ", lit(n.inject(inject_id)), "\n     ",
                     lit(n.fill(inj.expect.what), "dim"), " → ",
                     lit(label, styles.get(state, "bold")), lit(who, "dim"), "\n"]
        if not rows:
            return lit(t("debrief.none"))
        head = lit(t("debrief.exp.counts", met=counts["met"], missed=counts["missed"],
                     open=counts["open"]), "bold")
        return join(head, "\n", *rows)

    def _observations(self, events: list[Event]) -> Content:
        t, n = self.t, self.names
        rows: list[Content | str] = []
        for e in events:
            if isinstance(e, ObservationAdded):
                rows += [lit(story_time(e.t), "dim"), "  ", lit(e.text)]
                if e.rating:
                    rows.append(lit(f"  [{e.rating}: {t(f'form.rating.{e.rating}')}]", "bold"))
                if e.inject:
                    rows.append(lit(f"  ({n.inject(e.inject)})", "dim"))
                rows.append("\n")
        return join(*rows) if rows else lit(t("debrief.none"))

    def _hotwash(self, events: list[Event]) -> Content:
        """Notes logged after the end, and those kept as drafts when the log refused them."""
        t = self.t
        end = next((i for i, e in enumerate(events) if isinstance(e, ExerciseEnded)), None)
        rows: list[Content | str] = []
        if end is not None:
            for e in events[end + 1:]:
                if isinstance(e, NoteAdded):
                    rows += ["• ", lit(e.text), "\n"]
        kept = DraftStore(self.session.log_path)
        for key in kept.keys():
            if key.startswith(HOTWASH + ":"):
                rows += ["• ", lit(str(kept.get(key).get("text", ""))),
                         lit(f"  ({t('debrief.hotwash_kept')})", "dim"), "\n"]
        rows.append(lit(t("debrief.hotwash_hint"), "dim"))
        return join(*rows)

    def action_hotwash(self) -> None:
        """A note from the hot wash: logged after the end (kept as a draft if refused)."""
        from tabletop.engine.exercise import ExerciseError
        from tabletop.journal.format import JournalError
        from tabletop.model.commands import Note
        from tabletop.tui.screens.forms import NoteScreen

        drafts = DraftStore(self.session.log_path)
        key = f"{HOTWASH}:{len([k for k in drafts.keys() if k.startswith(HOTWASH)]) + 1}"

        def done(result: object) -> None:
            if result == "discard":
                drafts.drop(key)
            if not isinstance(result, Note):
                return
            try:
                self.session.apply(result)
            except (ExerciseError, JournalError):
                drafts.put(key, {"text": result.text, "lovp": result.lovp})
                self.notify(self.t("debrief.hotwash_refused"), severity="warning",
                            markup=False, timeout=12)
            else:
                drafts.drop(key)
            self.query_one("#debrief-hotwash", Static).update(
                self._hotwash(list(self.session.exercise.events)))

        roles = [(rid, role.name) for rid, role in self.session.loaded.roles.items()]
        self.app.push_screen(NoteScreen([], None, roles, draft=drafts.get(key),
                                        on_draft=lambda d: drafts.put(key, d),
                                        title=self.t("key.hotwash")), done)

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
