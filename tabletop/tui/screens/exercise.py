"""The exercise: story clock, inject feed, decisions with countdowns, state, dilemmas, notes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, Markdown, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.errors import TabletopUserError, display_path
from tabletop.i18n import Translator
from tabletop.i18n.names import Names, story_time
from tabletop.journal.format import JournalError
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.commands import Command, RunUntil, Step
from tabletop.model.events import (
    AdHocInject,
    DecisionTaken,
    DilemmaSurfaced,
    Event,
    InjectDelivered,
    NoteAdded,
)
from tabletop.report.timeline import dilemma_summary
from tabletop.tui.format import countdown
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.screens.exercise_actions import FacilitatorActions
from tabletop.tui.screens.forms import (
    ConfirmScreen,
    MessageScreen,
)
from tabletop.tui.text import join, lit, safe_markdown_parser
from tabletop.tui.widgets.state_panel import StatePanel

CHANNEL_ICON = {"briefing": "◆", "melding": "☎", "nieuws": "▤", "sociale-media": "#",
                "telefoon": "☎", "email": "✉", "overleg": "◎", "rapport": "▦"}


class ExerciseScreen(FacilitatorActions, TabletopScreen):
    """The oefenleider's main screen; a thin client of the engine and the journal."""

    BINDINGS = [
        Binding("space", "next", "key.next", id="next", tooltip="tip.advance-to-the-next-event"),
        Binding("r", "run", "key.run", id="run", tooltip="tip.run-or-pause-the-compressed-clock"),
        Binding("b", "decide", "key.decide", id="decide", tooltip="tip.take-an-open-decision"),
        Binding("i", "release", "key.release", id="release",
                tooltip="tip.deliver-an-inject-now-manual-injects-inc"),
        Binding("x", "skip", "key.skip", id="skip", tooltip="tip.skip-a-scheduled-inject"),
        Binding("a", "adhoc", "key.adhoc", id="adhoc", tooltip="tip.write-an-ad-hoc-inject"),
        Binding("m", "met", "key.met", id="met", tooltip="tip.mark-an-expectation-met"),
        Binding("n", "note", "key.note", id="note", tooltip="tip.add-a-note-lovp-mark"),
        Binding("o", "observe", "key.observe", id="observe", tooltip="tip.add-an-observation"),
        Binding("f", "flag", "key.flag", id="flag", tooltip="tip.flag-a-dilemma-by-hand"),
        Binding("p", "materials", "key.materials", id="materials",
                tooltip="tip.open-attachments-and-materials"),
        Binding("e", "end", "key.end", id="end", tooltip="tip.end-the-exercise"),
        Binding("escape", "leave", "key.home", id="leave", tooltip="tip.back-to-home"),
    ]

    def __init__(self, session: LiveSession) -> None:
        super().__init__()
        self.session = session
        self.ex: Exercise = session.exercise
        settings = session.settings
        self.names = Names(session.loaded, self.t.lang, settings.participants,
                           parameters=settings.parameters)
        self.feed: list[Event] = []
        self.timer: Timer | None = None
        self.seen_dilemmas = 0
        self._ended_shown = False
        self._clock_on = False
        self.log_failure: str | None = None

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="ex-header"):
            yield Static(id="ex-clock")
            yield Static(id="ex-state")
        yield Static(id="dilemma-banner")
        with Horizontal(id="ex-body"):
            with Vertical(id="feed-column"):
                yield Label(lit(t("ex.feed"), "bold"), classes="section-title")
                yield OptionList(id="feed")
            with TabbedContent(id="tabs"):
                with TabPane(t("ex.tab.inject"), id="tab-inject"):
                    with VerticalScroll(id="inject-detail"):
                        yield Static(lit(t("ex.start_hint")), id="inject-meta")
                        yield Markdown(id="inject-text", parser_factory=safe_markdown_parser,
                                       open_links=False)
                        yield Static(id="inject-facilitator", classes="facilitator")
                with TabPane(t("ex.tab.decisions"), id="tab-decisions"):
                    yield OptionList(id="open-decisions")
                    yield Static(id="taken-decisions")
                with TabPane(t("ex.tab.state"), id="tab-state"):
                    yield StatePanel(self.session.loaded, self.names, t, id="state-panel")
                with TabPane(t("ex.tab.dilemmas"), id="tab-dilemmas"):
                    yield VerticalScroll(Static(lit(t("ex.no_dilemmas"), "dim"),
                                                id="dilemma-list"))
                with TabPane(t("ex.tab.questions"), id="tab-questions"):
                    yield Label(id="questions-title", classes="section-title")
                    yield OptionList(id="questions")
                    yield Static(id="notes")
            with VerticalScroll(id="sidebar"):
                yield Label(lit(t("ex.open_decisions"), "bold"), classes="section-title")
                yield Static(id="side-decisions")
                yield Label(lit(t("ex.tab.dilemmas"), "bold"), classes="section-title")
                yield Static(lit(t("ex.no_dilemmas"), "dim"), id="side-dilemmas")
        yield Static(id="ex-status")
        yield Footer()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 140, "wide")

    def on_mount(self) -> None:
        self.set_class(self.size.width >= 140, "wide")
        self.feed = [e for e in self.ex.events if isinstance(e, (InjectDelivered, AdHocInject))]
        self.seen_dilemmas = sum(isinstance(e, DilemmaSurfaced) for e in self.ex.events)
        self.query_one("#dilemma-banner", Static).display = False
        self.refresh_view([])
        self.query_one("#feed", OptionList).focus()
        if self.session.settings.clock_factor > 0:
            self.timer = self.set_interval(1.0, self._tick, pause=True)

    # -- rendering -----------------------------------------------------------------------
    def refresh_view(self, events: list[Event]) -> None:
        snap = self.ex.snapshot()
        self._header(snap)
        new_feed = [e for e in events if isinstance(e, (InjectDelivered, AdHocInject))]
        self.feed += new_feed
        feed = self.query_one("#feed", OptionList)
        if new_feed or feed.option_count != len(self.feed):
            feed.clear_options()
            feed.add_options([self._feed_option(e) for e in self.feed])
            if self.feed:
                feed.highlighted = len(self.feed) - 1
        self._decisions(snap)
        self.query_one("#state-panel", StatePanel).show(snap)
        self._dilemmas(snap, events)
        self._questions(snap)
        log = self.session.log_path
        status = self.t("ex.log", path=display_path(log)) if log else self.t("ex.no_log")
        self.query_one("#ex-status", Static).update(lit(status, "dim"))
        if snap.finished and not self._ended_shown:
            self._ended_shown = True
            self._stop_clock()
            self.notify(self.t("ex.ended", outcome=self.names.outcome(snap.outcome)))
            self.action_debrief()

    def _header(self, snap: Any) -> None:
        t, n = self.t, self.names
        s = self.session.loaded.scenario
        clock: list[Content | str] = [
            lit(story_time(snap.t), "bold"), "  ", lit(snap.clock.strftime("%d-%m-%Y %H:%M")),
            "  ·  ", lit(n.phase(snap.phase), "bold")]
        if self.timer is not None and self._clock_on:
            clock += ["  ·  ", lit(t("ex.running"), "bold green")]
        elif snap.next_t is not None:
            clock += ["  ·  ", lit(t("ex.next", time=story_time(snap.next_t)), "dim")]
        elif not snap.finished:
            clock += ["  ·  ", lit(t("ex.nothing_next"), "dim")]
        self.query_one("#ex-clock", Static).update(join(*clock))
        state: list[Content | str] = []
        for var, spec in s.state.items():
            if spec.key:
                value = snap.state[var]
                shown = n.value(value, spec.unit)
                state += [lit(f"{spec.label}: ", "dim"), lit(shown, "bold"), "  ·  "]
        self.query_one("#ex-state", Static).update(join(*state[:-1]) if state else "")

    def _feed_option(self, e: Event) -> Option:
        n = self.names
        if isinstance(e, InjectDelivered):
            inj = self.session.loaded.scenario.inject(e.inject)
            icon = CHANNEL_ICON.get(inj.channel.value, "•") if inj else "•"
            sender = (n.role(inj.from_, True) if inj.from_ in self.session.loaded.roles
                      else n.fill(inj.from_)) if inj else ""
            return Option(join(lit(story_time(e.t), "dim"), f" {icon} ", lit(sender, "bold"),
                               ": ", lit(n.inject(e.inject))))
        assert isinstance(e, AdHocInject)
        return Option(join(lit(story_time(e.t), "dim"), " ✎ ", lit(e.sender, "bold"), ": ",
                           lit(e.title)))

    def _show_inject(self, e: Event) -> None:
        t, n = self.t, self.names
        meta = self.query_one("#inject-meta", Static)
        text = self.query_one("#inject-text", Markdown)
        facilitator = self.query_one("#inject-facilitator", Static)
        if isinstance(e, AdHocInject):
            meta.update(join(lit(e.title, "bold"), "\n", lit(f"{e.sender} · {story_time(e.t)}",
                                                            "dim")))
            text.update(e.text)
            facilitator.update("")
            return
        assert isinstance(e, InjectDelivered)
        inj = self.session.loaded.scenario.inject(e.inject)
        if inj is None:
            return
        sender = n.role(inj.from_) if inj.from_ in self.session.loaded.roles else n.fill(
            inj.from_)
        head: list[Content | str] = [
            lit(n.fill(inj.title), "bold"), "\n",
            lit(f"{sender} → {n.roles(inj.to, short=False)} · {inj.channel.value} · "
                f"{story_time(e.t)}", "dim")]
        if inj.reliability and inj.reliability.value != "onjuist":
            head += ["\n", lit(f"{t('ex.reliability')}: {inj.reliability.value}", "italic")]
        meta.update(join(*head))
        text.update(n.fill(inj.text))
        parts: list[Content | str] = [lit(f"{t('ex.facilitator_only')}\n", "bold")]
        if inj.facilitator and inj.facilitator.expect:
            parts += [lit(f"{t('ex.expect')}: ", "bold"), lit(n.fill(inj.facilitator.expect)),
                      "\n"]
        if inj.facilitator and inj.facilitator.guidance:
            parts += [lit(f"{t('ex.guidance')}: ", "bold"),
                      lit(n.fill(inj.facilitator.guidance)), "\n"]
        if inj.reliability and inj.reliability.value == "onjuist":
            parts += [lit(f"{t('ex.reliability')}: onjuist", "bold red"), "\n"]
        if inj.expect:
            within = f" ({t('ex.within', time=story_time(inj.expect.within))})" \
                if inj.expect.within else ""
            parts += [lit(f"{t('ex.expectation')}: ", "bold"), lit(n.fill(inj.expect.what)
                                                                   + within), "\n"]
        if inj.attachments:
            parts += [lit(f"{t('ex.attachments')}: ", "bold"), lit(", ".join(inj.attachments))]
        facilitator.update(join(*parts))

    def _decisions(self, snap: Any) -> None:
        t, n = self.t, self.names
        listing = self.query_one("#open-decisions", OptionList)
        listing.clear_options()
        if not snap.open_decisions:
            listing.add_option(Option(lit(t("ex.no_open"), "dim"), disabled=True))
        side: list[Content | str] = []
        for view in snap.open_decisions:
            left = (countdown(t, view.deadline_t - snap.t)
                    if view.deadline_t is not None else t("ex.no_deadline"))
            urgent = view.deadline_t is not None and view.deadline_t - snap.t <= 10
            parts: list[Content | str] = [
                lit(left, "bold red" if urgent else "bold"), "  ",
                lit(n.decision(view.decision)), "\n   ",
                lit(f"{t('dec.owner')}: {n.role(view.owner, True)}", "dim")]
            if view.simulated:
                parts.append(lit(f" ({t('ex.simulated')})", "dim"))
            if view.disputed:
                parts.append(lit(f"  ⚠ {t('ex.disputed')}", "red"))
            listing.add_option(Option(join(*parts), id=view.decision))
            side += [*parts, "\n"]
        self.query_one("#side-decisions", Static).update(
            join(*side) if side else lit(t("ex.no_open"), "dim"))
        count = len(snap.open_decisions)
        label = t("ex.tab.decisions") + (f" ({count})" if count else "")
        self.query_one("#tabs", TabbedContent).get_tab("tab-decisions").label = lit(label)
        taken = [e for e in self.ex.events if isinstance(e, DecisionTaken)]
        lines: list[Content | str] = [lit(t("ex.taken_decisions"), "bold"), "\n"]
        for e in taken[-12:]:
            choice = n.option(e.decision, e.option) if e.option else e.answer.strip()
            who = t("tl.default") if e.default else n.role(e.by, True)
            lines += [lit(story_time(e.t), "dim"), " ", lit(n.decision(e.decision)), " → ",
                      lit(choice, "bold"), lit(f" ({who})", "dim"), "\n"]
        self.query_one("#taken-decisions", Static).update(join(*lines))

    def _dilemmas(self, snap: Any, events: list[Event]) -> None:
        t, n = self.t, self.names
        surfaced = list(snap.dilemmas)
        if not surfaced:
            return
        lines: list[Content | str] = []
        for e in reversed(surfaced):
            lines += [lit(story_time(e.t), "dim"), " ",
                      lit(f"[{t('kind.' + e.kind)}] ", "bold red"),
                      lit(dilemma_summary(e, n), "bold"), "\n"]
            if e.roles:
                lines += ["   ", lit(n.roles(e.roles, short=False)), "\n"]
            for basis in e.bases:
                if basis.get("basis"):
                    who = f"{n.role(basis['role'], True)}: " if basis.get("role") else ""
                    mark = f" ({t('tl.unverified')})" if basis.get("unverified") else ""
                    lines += ["   ", lit(f"{who}{basis['basis']}{mark}", "dim"), "\n"]
            if e.kind == "authored" and e.dilemma:
                dil = self.session.loaded.scenario.dilemma(e.dilemma)
                if dil and dil.question:
                    lines += ["   ", lit(f"LOVP: {dil.question}", "italic"), "\n"]
        self.query_one("#dilemma-list", Static).update(join(*lines))
        self.query_one("#side-dilemmas", Static).update(join(*lines))
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.get_tab("tab-dilemmas").label = lit(f"{t('ex.tab.dilemmas')} ({len(surfaced)})")
        new = [e for e in events if isinstance(e, DilemmaSurfaced)]
        if new:
            banner = self.query_one("#dilemma-banner", Static)
            latest = new[-1]
            banner.update(join(lit(f"⚠ [{t('kind.' + latest.kind)}] ", "bold"),
                               lit(dilemma_summary(latest, n))))
            banner.display = True
            banner.add_class("lit")
            self.set_timer(8, lambda: banner.remove_class("lit"))

    def _questions(self, snap: Any) -> None:
        t = self.t
        phase = next((p for p in self.session.loaded.scenario.phases if p.id == snap.phase),
                     None)
        title = self.query_one("#questions-title", Label)
        listing = self.query_one("#questions", OptionList)
        title.update(lit(t("ex.questions", phase=phase.title if phase else "—")))
        wanted = [f"{phase.id}/{i}" for i in range(1, len(phase.questions) + 1)] if phase else []
        current = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        if current != wanted:
            listing.clear_options()
            if phase:
                listing.add_options([Option(lit(f"{i}. {q}"), id=f"{phase.id}/{i}")
                                     for i, q in enumerate(phase.questions, start=1)])
        notes = [e for e in self.ex.events if isinstance(e, NoteAdded)]
        lines: list[Content | str] = [lit(t("ex.notes"), "bold"), "\n"]
        for e in notes[-10:]:
            flag = f" [{t('tl.lovp')}]" if e.lovp else ""
            lines += [lit(story_time(e.t), "dim"), " ", lit(e.text), lit(flag, "bold"), "\n"]
        self.query_one("#notes", Static).update(join(*lines))

    # -- selection -----------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#feed")
    def _feed_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if 0 <= event.option_index < len(self.feed):
            self._show_inject(self.feed[event.option_index])

    @on(OptionList.OptionSelected, "#feed")
    def _feed_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#tabs", TabbedContent).active = "tab-inject"

    @on(OptionList.OptionSelected, "#open-decisions")
    def _decision_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._open_decision_card(event.option.id)

    @on(OptionList.OptionSelected, "#questions")
    def _question_selected(self, event: OptionList.OptionSelected) -> None:
        self._note_dialog(event.option.id)

    # -- doing things -------------------------------------------------------------------
    def perform(self, command: Command) -> list[Event]:
        """One command: applied, logged, then shown. A refusal is shown, never raised.

        Once the log cannot be written, the exercise stops taking actions: what the engine
        did would no longer be on disk, and `tabletop resume` continues from the log.
        """
        if self.log_failure is not None:
            self.notify(self.log_failure, severity="error", markup=False)
            return []
        try:
            events: list[Event] = self.session.apply(command)
        except ExerciseError as exc:
            self.notify(self.t("ex.error", error=exc.render(self.t.lang)), severity="error",
                        markup=False)
            return []
        except JournalError as exc:
            self._stop_clock()
            self.log_failure = str(exc)
            self.app.push_screen(MessageScreen(self.t("ex.log_failed"), str(exc)))
            return []
        self.refresh_view(events)
        return events

    def _tick(self) -> None:
        if self.ex.finished:
            self._stop_clock()
            return
        factor = self.session.settings.clock_factor
        self.perform(RunUntil(until=self.ex.now + max(1, int(factor))))

    def _stop_clock(self) -> None:
        if self.timer is not None:
            self.timer.pause()
        self._clock_on = False

    def action_next(self) -> None:
        if not self.ex.finished:
            self.perform(Step())

    def action_run(self) -> None:
        if self.timer is None:
            self.notify(self.t("setup.clock.step"), markup=False)
            return
        if self._clock_on:
            self._stop_clock()
        else:
            self._clock_on = True
            self.timer.resume()
        self.refresh_view([])

    def action_leave(self) -> None:
        """Back to the home screen; mid-exercise only after asking (the log is kept)."""
        def go() -> None:
            from tabletop.tui.screens.home import HomeScreen

            self._stop_clock()
            self.session.close()
            stack = self.app.screen_stack
            if len(stack) >= 2 and isinstance(stack[-2], HomeScreen):
                self.app.pop_screen()
            else:
                self.app.switch_screen(HomeScreen())

        if self.ex.finished or self.log_failure is not None:
            go()
        else:
            self._ask_to_interrupt(self.t("key.home"), go)

    def confirm_quit(self) -> bool:
        """Ask before quitting mid-exercise; True when the question was put."""
        if self.ex.finished:
            return False

        def quit_app() -> None:
            self.session.close()
            self.app.exit(0)

        self._ask_to_interrupt(self.t("ex.quit_yes"), quit_app)
        return True

    def _ask_to_interrupt(self, yes: str, then: Callable[[], None]) -> None:
        """Stop the clock and ask whether to interrupt; the log is kept for `resume`."""
        self._stop_clock()
        path = display_path(self.session.log_path) if self.session.log_path else ""

        def done(result: object) -> None:
            if result is True:
                then()

        self.app.push_screen(ConfirmScreen(self.t("ex.quit_title"),
                                           self.t("ex.quit_body", path=path), yes), done)



def resume_screen(app: App[Any], path: Path) -> Screen[Any]:
    """An exercise screen that continues a log, or a message saying why it cannot."""
    from tabletop.journal.resume import resume
    from tabletop.tui.screens.forms import MessageScreen

    t: Translator = getattr(app, "t", Translator())
    try:
        resumed = resume(path)
    except (JournalError, TabletopUserError, OSError) as exc:
        return MessageScreen(t("key.resume"), str(exc))
    settings = SessionSettings.from_header(resumed.journal.header, t.lang)
    session = LiveSession(resumed.loaded, resumed.exercise, resumed.writer, settings)
    screen = ExerciseScreen(session)
    for message in resumed.messages:
        app.notify(message, severity="warning", markup=False)
    return screen
