"""The exercise: story clock, inject feed, decisions with countdowns, state, dilemmas, notes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from tabletop.errors import TabletopUserError, display_path, error_text
from tabletop.i18n import Translator
from tabletop.i18n.names import Names, story_time
from tabletop.journal.format import JournalError
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.commands import Command, SetClock
from tabletop.model.events import (
    AdHocInject,
    DecisionTaken,
    DilemmaSurfaced,
    EffectApplied,
    Event,
    InjectDelivered,
    NoteAdded,
)
from tabletop.report.timeline import dilemma_summary
from tabletop.tui.ahead import Ahead
from tabletop.tui.control import CommandHistory, upcoming
from tabletop.tui.drafts import DraftStore
from tabletop.tui.format import countdown
from tabletop.tui.routes import routes
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.screens.exercise_actions import FacilitatorActions
from tabletop.tui.screens.exercise_clock import ClockControl
from tabletop.tui.screens.exercise_seats import SeatConsole
from tabletop.tui.screens.forms import (
    ConfirmScreen,
    MessageScreen,
    PickScreen,
)
from tabletop.tui.screens.refusals import refusal
from tabletop.tui.settings import CLOCK_FACTORS
from tabletop.tui.text import join, lit, safe_markdown_parser
from tabletop.tui.widgets.state_panel import StatePanel

CHANNEL_ICON = {"briefing": "◆", "melding": "☎", "nieuws": "▤", "sociale-media": "#",
                "telefoon": "☎", "email": "✉", "overleg": "◎", "rapport": "▦"}

if TYPE_CHECKING:
    from tabletop.journal.seats import SeatHost
    from tabletop.journal.store import JournalStore


TABS = ("tab-inject", "tab-decisions", "tab-control", "tab-state", "tab-dilemmas",
        "tab-questions")
"""The tabs in order; keys 1-6 open them."""


def in_feed(e: Event) -> bool:
    """Feed items: injects, ad-hoc injects, and what rules did (with the rule's name)."""
    return isinstance(e, (InjectDelivered, AdHocInject)) or (
        isinstance(e, EffectApplied) and e.source.startswith("rule:"))


class ExerciseScreen(ClockControl, FacilitatorActions, SeatConsole, TabletopScreen):
    """The oefenleider's main screen; a thin client of the engine and the journal."""

    BINDINGS = [
        Binding("space", "next", "key.next", id="next", tooltip="tip.advance-to-the-next-event"),
        Binding("r", "run", "key.run", id="run", tooltip="tip.run-or-pause-the-compressed-clock"),
        Binding("b", "decide", "key.decide", id="decide", tooltip="tip.take-an-open-decision"),
        Binding("i", "release", "key.release", id="release", show=False,
                tooltip="tip.deliver-an-inject-now-manual-injects-inc"),
        Binding("x", "skip", "key.skip", id="skip", tooltip="tip.skip-a-scheduled-inject",
                show=False),
        Binding("t", "adjust", "key.adjust", id="adjust", show=False,
                tooltip="tip.adjust-state-by-hand"),
        Binding("a", "adhoc", "key.adhoc", id="adhoc", tooltip="tip.write-an-ad-hoc-inject",
                show=False),
        Binding("m", "met", "key.met", id="met", tooltip="tip.mark-an-expectation-met",
                show=False),
        Binding("n", "note", "key.note", id="note", tooltip="tip.add-a-note-lovp-mark"),
        Binding("o", "observe", "key.observe", id="observe", tooltip="tip.add-an-observation",
                show=False),
        Binding("f", "flag", "key.flag", id="flag", tooltip="tip.flag-a-dilemma-by-hand",
                show=False),
        Binding("k", "acknowledge", "key.acknowledge", id="acknowledge",
                tooltip="tip.acknowledge-signal", show=False),
        Binding("p", "materials", "key.materials", id="materials", show=False,
                tooltip="tip.open-attachments-and-materials"),
        Binding("e", "end", "key.end", id="end", tooltip="tip.end-the-exercise"),
        Binding("c", "confirm_seat", "key.confirm_seat", id="confirm-seat", show=False,
                tooltip="tip.confirm-a-seats-decision"),
        Binding("w", "reject_seat", "key.reject_seat", id="reject-seat", show=False,
                tooltip="tip.reject-a-seats-decision"),
        Binding("s", "seat_mode", "key.seat_mode", id="seat-mode", show=False,
                tooltip="tip.seat-decisions-apply-or-wait"),
        Binding("escape", "leave", "key.home", id="leave", tooltip="tip.back-to-home",
                show=False),
        *[Binding(str(i), f"tab('{tab}')", f"key.{tab}", id=tab, show=False,
                  tooltip="tip.open-tab") for i, tab in enumerate(TABS, start=1)],
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
        self.signals: list[DilemmaSurfaced] = []
        """Dilemmas and lapses not yet acknowledged (`k`), oldest first."""
        self.store: JournalStore | None = getattr(session.writer, "store", None)
        """The store the journal lives in when it is not a file (PostgreSQL)."""
        self.drafts = DraftStore(self._drafts_beside())
        self._unshown: list[Event] = []
        self._quiet = False
        """Events played by the clock's quiet steps, not yet shown."""
        self._next_cache: tuple[tuple[int, int] | None, int | None] = (None, None)
        self._ahead = Ahead()
        """The header's next event, kept up step by step (`true_next` incrementally)."""
        self._control_stale = True
        """The control tab's list is not up to date (it is listed when shown)."""
        self.history = CommandHistory.from_log(None if self.store else session.log_path)
        """What was done so far, to play ahead for the header's next event."""
        self._ended_shown = False
        self._clock_on = False
        self.log_failure: str | None = None
        self.seat_host: SeatHost | None = None
        """Takes what the seats submit, once one has (see `_take_seats`)."""

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
                        # facilitator-only guidance first: visible without scrolling at 80x24
                        yield Static(id="inject-facilitator", classes="facilitator")
                        yield Markdown(id="inject-text", parser_factory=safe_markdown_parser,
                                       open_links=False)
                with TabPane(t("ex.tab.decisions"), id="tab-decisions"):
                    yield OptionList(id="open-decisions")
                    yield Static(id="taken-decisions")
                with TabPane(t("ex.tab.control"), id="tab-control"):
                    yield OptionList(id="control-list")
                    yield Static(id="signal-list")
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
        yield Footer(compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width >= 140, "wide")

    def on_mount(self) -> None:
        self.set_class(self.size.width >= 140, "wide")
        self.feed = [e for e in self.ex.events if in_feed(e)]
        self.seen_dilemmas = sum(isinstance(e, DilemmaSurfaced) for e in self.ex.events)
        self.query_one("#dilemma-banner", Static).display = False
        self.query_one("#inject-facilitator", Static).display = False
        self.refresh_view([])
        self.query_one("#feed", OptionList).focus()
        if self.session.settings.clock_factor > 0 and not self.ex.finished:
            self._start_clock()  # with a factor, the clock runs from the start
        for key in self.drafts.keys():
            self.notify(self.t("draft.restored", what=self._draft_label(key)), markup=False)
        if self.session.writer is not None:
            self.set_interval(0.5, self.take_seats)

    def _drafts_beside(self) -> Path | None:
        """Drafts live beside the log; for a store, in the logs folder by exercise id."""
        if self.store is None:
            log: Path | None = self.session.log_path
            return log
        from tabletop.tui.library import log_dir

        return log_dir() / f"{getattr(self.store, 'exercise', 'store')}.jsonl"

    def where_logged(self) -> str:
        """The log's path, or the store and exercise (for the status line)."""
        if self.store is not None:
            return self.store.label
        log = self.session.log_path
        return display_path(log) if log is not None else ""

    def _draft_label(self, key: str) -> str:
        kind, _, ident = key.partition(":")
        label: str = self.names.decision(ident) if kind == "decision" else self.t("form.note")
        return label

    def _start_clock(self) -> None:
        if self.timer is None:
            self.timer = self.set_interval(1.0, self.clock_tick, pause=True)
        self._clock_on = True
        self.timer.resume()
        self._journal_clock(self.session.settings.clock_factor)

    def on_screen_suspend(self) -> None:
        """A dialog opened: the running clock pauses (and the log says so)."""
        if self._clock_on:
            self._journal_clock(0.0)
        self._header(self.ex.snapshot())

    def on_screen_resume(self) -> None:
        if self._clock_on:
            self._journal_clock(self.session.settings.clock_factor)
        self._header(self.ex.snapshot())

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    # -- rendering -----------------------------------------------------------------------
    def refresh_view(self, events: list[Event]) -> None:
        snap = self.ex.snapshot()
        self._header(snap)
        new_feed = [e for e in events if in_feed(e)]
        feed = self.query_one("#feed", OptionList)
        in_step = feed.option_count == len(self.feed)
        self.feed += new_feed
        if in_step and new_feed:  # the list shows the feed so far: add what is new
            feed.add_options([self._feed_option(e) for e in new_feed])
        elif not in_step:
            feed.clear_options()
            feed.add_options([self._feed_option(e) for e in self.feed])
        if new_feed or not in_step:
            if self.feed:
                feed.highlighted = len(self.feed) - 1
        self._decisions(snap)
        self.query_one("#state-panel", StatePanel).show(snap)
        self._dilemmas(snap, events)
        self._questions(snap)
        self._control()
        where = self.where_logged()
        status = self.t("ex.log", path=where) if where else self.t("ex.no_log")
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
            " · ", lit(n.phase(snap.phase), "bold")]
        nxt = None if snap.finished else self._true_next()
        if nxt is not None:
            clock += [" · ", lit(t("ex.next", time=story_time(nxt)), "dim")]
        elif not snap.finished:
            clock += [" · ", lit(t("ex.nothing_next"), "dim")]
        factor = self.session.settings.clock_factor
        if self.clock_paused:
            clock += [" · ", lit(t("ex.paused"), "bold yellow")]
        elif self.timer is not None and self._clock_on:
            clock += [" · ", lit(t("ex.running_at", n=f"{factor:g}"), "bold green")]
        elif self.timer is not None and not snap.finished:
            clock += [" · ", lit(t("ex.stopped"), "bold")]
        waiting = len(self.pending_seats())
        if waiting:  # right after the phase: at 80 columns it stays in view
            clock[5:5] = [" · ", lit(t("ex.seats_waiting", n=waiting), "bold yellow")]
        self.query_one("#ex-clock", Static).update(join(*clock))
        state: list[Content | str] = []
        for var, spec in s.state.items():
            if spec.key:
                value = snap.state[var]
                shown = n.value(value, spec.unit)
                state += [lit(f"{spec.label}: ", "dim"), lit(shown, "bold"), "  ·  "]
        self.query_one("#ex-state", Static).update(join(*state[:-1]) if state else "")

    def _true_next(self) -> int | None:
        """The next minute at which something shows (cached until the exercise moves)."""
        key = (len(self.ex.events), self.ex.now)
        if self._next_cache[0] != key:
            self._next_cache = (key, self._ahead.next(self.ex, self.history))
        return self._next_cache[1]

    def _feed_option(self, e: Event) -> Option:
        n = self.names
        if isinstance(e, InjectDelivered):
            inj = self.session.loaded.scenario.inject(e.inject)
            icon = CHANNEL_ICON.get(inj.channel.value, "•") if inj else "•"
            sender = (n.role(inj.from_, True) if inj.from_ in self.session.loaded.roles
                      else n.fill(inj.from_)) if inj else ""
            return Option(join(lit(story_time(e.t), "dim"), f" {icon} ", lit(sender, "bold"),
                               ": ", lit(n.inject(e.inject))))
        if isinstance(e, EffectApplied):
            return Option(join(lit(story_time(e.t), "dim"), " ⚙ ",
                               lit(self.t("ex.rule", rule=e.source.removeprefix("rule:")),
                                   "bold"), ": ", lit(self._changes(e))))
        assert isinstance(e, AdHocInject)
        return Option(join(lit(story_time(e.t), "dim"), " ✎ ", lit(e.sender, "bold"), ": ",
                           lit(e.title)))

    def _changes(self, e: EffectApplied) -> str:
        n = self.names
        return ", ".join(f"{n.variable(var)} {n.value(old)} → {n.value(new)}"
                         for var, (old, new) in e.changes.items())

    def _show_inject(self, e: Event) -> None:
        t, n = self.t, self.names
        meta = self.query_one("#inject-meta", Static)
        text = self.query_one("#inject-text", Markdown)
        facilitator = self.query_one("#inject-facilitator", Static)
        if isinstance(e, AdHocInject):
            meta.update(join(lit(e.title, "bold"), "\n", lit(f"{e.sender} · {story_time(e.t)}",
                                                            "dim")))
            text.update(e.text)
            facilitator.display = False
            return
        if isinstance(e, EffectApplied):
            meta.update(join(lit(t("ex.rule", rule=e.source.removeprefix("rule:")), "bold"),
                             "\n", lit(story_time(e.t), "dim")))
            text.update("")
            facilitator.update(lit(self._changes(e)))
            facilitator.display = True
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
        facilitator.display = len(parts) > 1

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
            self.signals += new
            self._banner()
            banner = self.query_one("#dilemma-banner", Static)
            banner.add_class("lit")
            self.set_timer(8, lambda: banner.remove_class("lit"))

    def _banner(self) -> None:
        """The oldest signal not yet acknowledged, and how many wait behind it."""
        t, n = self.t, self.names
        banner = self.query_one("#dilemma-banner", Static)
        if not self.signals:
            banner.display = False
            return
        first = self.signals[0]
        parts: list[Content | str] = [
            lit(f"⚠ {story_time(first.t)} [{t('kind.' + first.kind)}] ", "bold"),
            lit(dilemma_summary(first, n))]
        more = len(self.signals) - 1
        parts.append(lit("  " + (t("ex.signals_more", n=more) if more else t("ex.signal_ack")),
                         "italic"))
        banner.update(join(*parts))
        banner.display = True

    def action_acknowledge(self) -> None:
        if self.signals:
            self.signals.pop(0)
        self._banner()
        self._control()

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-control" and self._control_stale:
            self._control()

    def _control(self) -> None:
        """The control tab: what is still to come (timed, then waiting, then manual).

        Listed while the tab is shown, else when it is next shown (the list names every
        inject still to come: rebuilt on every step, it was a large scenario's slowest
        part of the screen's update)."""
        self._signals()
        if self.query_one("#tabs", TabbedContent).active != "tab-control":
            self._control_stale = True
            return
        self._control_stale = False
        t, n = self.t, self.names
        listing = self.query_one("#control-list", OptionList)
        items = upcoming(self.ex)
        wanted: list[Option] = self.pending_options()
        manual_head = False
        for u in items:
            if u.manual and not manual_head:
                manual_head = True
                wanted.append(Option(lit(t("ctl.manual"), "bold"), disabled=True))
            when = story_time(u.t) if u.t is not None else "—"
            if u.kind == "inject":
                name = n.inject(u.ident)
            elif u.kind in ("decision", "deadline"):
                name = n.decision(u.ident)
            else:
                name = t("ctl.end")
            trigger = t("ctl.trigger." + u.trigger.split(" ")[0], rest=u.trigger.partition(" ")[2])
            details = [trigger] if u.trigger not in (u.kind, "at", "manual") else []
            if u.guard:
                details.append(t("ctl.guard", expr=u.guard))
            if u.kind == "deadline":
                view = self.ex.open_decision(u.ident)
                owner = n.role(view.owner, True) if view is not None else ""
                details.append(owner + (f" ({t('ex.simulated')})" if u.simulated else ""))
            parts: list[Content | str] = [
                lit(f"{when:>9} ", "bold" if u.kind == "deadline" else ""),
                lit(t("ctl.kind." + u.kind), "bold red" if u.kind == "deadline" else "bold")]
            if details:
                parts += ["  ", lit(" · ".join(details), "dim")]
            parts += ["\n          ", lit(name)]
            wanted.append(Option(join(*parts), id=f"{u.kind}:{u.ident}"))
        if not items:
            wanted.append(Option(lit(t("ctl.nothing"), "dim"), disabled=True))
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(wanted)
        if highlighted is not None and highlighted < listing.option_count:
            listing.highlighted = highlighted

    def _signals(self) -> None:
        """The tab's label (with the seats' waiting decisions), the seat mode, the signals."""
        t, n = self.t, self.names
        waiting = len(self.pending_seats())
        label = t("ex.tab.control") + (f" ({waiting}!)" if waiting else "")
        self.query_one("#tabs", TabbedContent).get_tab("tab-control").label = lit(label)
        rows: list[Content | str] = [self.seat_mode_line(), "\n",
                                     lit(t("ctl.signals", n=len(self.signals)), "bold"), "\n"]
        for e in self.signals:
            rows += [lit(story_time(e.t), "dim"), " ", lit(f"[{t('kind.' + e.kind)}] ", "bold"),
                     lit(dilemma_summary(e, n)), "\n"]
        self.query_one("#signal-list", Static).update(join(*rows))

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

    @on(OptionList.OptionSelected, "#control-list")
    def _control_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, ident = (event.option.id or "").partition(":")
        if kind in ("decision", "deadline") and self.ex.is_open(ident):
            self._open_decision_card(ident)
        elif kind == "inject":
            self.inject_menu(ident)
        elif kind == "pending":
            self.pending_menu(ident)

    def control_highlighted(self) -> tuple[str, str] | None:
        """The (kind, id) highlighted in the control tab while it is shown."""
        if self.query_one("#tabs", TabbedContent).active != "tab-control":
            return None
        listing = self.query_one("#control-list", OptionList)
        if listing.highlighted is None:
            return None
        kind, _, ident = (listing.get_option_at_index(listing.highlighted).id or "").partition(":")
        return (kind, ident) if kind else None

    @on(OptionList.OptionSelected, "#questions")
    def _question_selected(self, event: OptionList.OptionSelected) -> None:
        self._note_dialog(event.option.id)

    # -- doing things -------------------------------------------------------------------
    def perform(self, command: Command) -> list[Event]:
        """One command: applied, logged, then shown. A refusal is shown, never raised (in
        the user's language, saying what the situation is; a draft stays where it is).

        Once the log cannot be written, the exercise stops taking actions: what the engine
        did would no longer be on disk, and `tabletop resume` continues from the log.
        """
        if self.log_failure is not None:
            self.notify(self.log_failure, severity="error", markup=False)
            return []
        try:
            events: list[Event] = self.apply_command(command)
        except ExerciseError as exc:
            self._failed = True
            self.notify(refusal(self.ex, self.names, self.t, command, exc), severity="error",
                        markup=False, timeout=12)
            return []
        except JournalError:
            return []
        if self._quiet:
            self._unshown += events
        else:
            self.refresh_view(events)
        return events

    def write_held(self) -> None:
        """Write the clock's held-back steps now (`LiveSession.write_held`)."""
        try:
            self.session.write_held()
        except JournalError as exc:
            self.log_failed(exc)

    def apply_command(self, command: Command) -> list[Event]:
        """The one path to `LiveSession.apply` (the facilitator's actions and what the
        seats submit): applied, logged, kept in the history; not shown. ExerciseError when
        the engine refuses; a JournalError stops the exercise (`log_failed`) and is raised.
        """
        at = self.ex.now
        try:
            events: list[Event] = self.session.apply(command)
        except JournalError as exc:
            self.log_failed(exc)
            raise
        self.history.record(at, command)
        return events

    def log_failed(self, exc: JournalError) -> None:
        """The log cannot be written: stop taking actions, and say why."""
        if self.log_failure is not None:
            return
        self.log_failure = exc.render(self.t.lang)
        self._stop_clock()
        self.app.push_screen(MessageScreen(self.t("ex.log_failed"), self.log_failure))

    def perform_quietly(self, command: Command) -> list[Event]:
        """`perform`, shown later by `show_pending` (the clock's silent steps)."""
        self._quiet = True
        try:
            return self.perform(command)
        finally:
            self._quiet = False

    def show_pending(self) -> None:
        """Show what quiet steps of the clock played (one refresh for all of them)."""
        events, self._unshown = self._unshown, []
        self.refresh_view(events)

    def _stop_clock(self) -> None:
        if self.timer is not None:
            self.timer.pause()
        self._clock_on = False
        self._journal_clock(0.0)

    def _journal_clock(self, factor: float) -> None:
        """Log the clock's speed when it changes (0: stopped or paused), so that the
        participant view keeps time with this console."""
        if self.log_failure is None and not self.ex.finished and \
                self.ex.clock_factor != factor:
            self.perform(SetClock(factor=factor))

    def action_next(self) -> None:
        if not self.ex.finished:
            self.guarded_step()

    def action_run(self) -> None:
        """Run or pause the compressed clock (in step mode: first ask at which speed)."""
        if self.ex.finished:
            return
        if self._clock_on:
            self._stop_clock()
            self.refresh_view([])
            return
        if self.session.settings.clock_factor > 0:
            self._start_clock()
            self.refresh_view([])
            return
        items = [(str(f), lit(self.t("setup.clock.fast", n=f))) for f in CLOCK_FACTORS]

        def chosen(key: object) -> None:
            if isinstance(key, str) and key.isdigit():
                self.session.settings.clock_factor = float(key)
                self._start_clock()
            self.refresh_view([])

        self.app.push_screen(PickScreen(self.t("key.run"), items), chosen)

    def action_leave(self) -> None:
        """Back to the home screen; mid-exercise only after asking (the log is kept)."""
        def go() -> None:
            self._stop_clock()
            self.session.close()
            routes(self.app).open_home()

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
        path = self.where_logged()

        def done(result: object) -> None:
            if result is True:
                then()

        self.app.push_screen(ConfirmScreen(self.t("ex.quit_title"),
                                           self.t("ex.quit_body", path=path), yes), done)



def resume_screen(app: App[Any], path: Path | JournalStore) -> Screen[Any]:
    """An exercise screen that continues a log (a file, or an exercise in a store), or a
    message saying why it cannot."""
    from tabletop.journal.resume import prepare_resume, resume
    from tabletop.journal.storeio import materialised, open_resumed_in
    from tabletop.tui.screens.forms import MessageScreen

    t: Translator = getattr(app, "t", Translator())
    try:
        if isinstance(path, Path):
            resumed = resume(path)
        else:  # re-simulated from a copy; the resumption is appended to the store itself
            with materialised(path) as copy:
                resumed = prepare_resume(copy)
            open_resumed_in(resumed, path)
    except (JournalError, TabletopUserError, OSError) as exc:
        return MessageScreen(t("key.resume"), error_text(exc, t.lang))
    settings = SessionSettings.from_header(resumed.journal.header, t.lang)
    for line in resumed.journal.lines:  # the seat mode as last set during the exercise
        if line.type == "seat_mode":
            settings.seat_decisions = str(line.payload.get("mode") or settings.seat_decisions)
    from tabletop.model.translation import translated

    try:
        shown = translated(resumed.loaded, t.lang)  # texts only: the engine keeps its own
    except TabletopUserError:
        shown = resumed.loaded
    session = LiveSession(shown, resumed.exercise, resumed.writer, settings)
    screen = ExerciseScreen(session)
    for message in resumed.messages:
        app.notify(message.render(t.lang), severity="warning", markup=False)
    return screen
