"""The participant view: follows a running exercise's log, read-only, for a second screen.

Shows only what participants may see: the exercise's title, the story's day and time, the
latest delivered message (never the facilitator's part, never what is still to come), the
open questions with their remaining time, the dilemmas that surfaced (newest first) and,
at the end, the outcome.

Between events the clock runs with the facilitator's: the factor (story minutes per real
second) is read from the log's header (`clock_factor`, or `clock: {factor}`) and from
`clock` lines (`factor`, 0 when paused) once those are journaled; without either, the clock
moves only when an event is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Digits, Footer, Label, Markdown, Static

from tabletop.errors import TabletopUserError, error_text
from tabletop.i18n.names import Names, story_time
from tabletop.journal.format import JournalError
from tabletop.journal.reader import Journal, read_journal
from tabletop.journal.replay import load_for
from tabletop.journal.seatview import quiet_minute
from tabletop.model.events import (
    AdHocInject,
    DeadlineExtended,
    DecisionLapsed,
    DecisionOpened,
    DecisionTaken,
    DilemmaSurfaced,
    Event,
    ExerciseEnded,
    InjectDelivered,
)
from tabletop.model.loading import LoadedScenario
from tabletop.report.timeline import dilemma_summary
from tabletop.tui.format import countdown
from tabletop.tui.screens import TabletopScreen
from tabletop.tui.text import join, lit, safe_markdown_parser

POLL_SECONDS = 0.5
MAX_RUN_AHEAD = 24 * 60
"""At most this many story minutes are estimated past the last logged line."""


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class ClockBase:
    """Where the facilitator's clock stood at a logged moment, and how fast it ran."""

    t: int
    wall: datetime | None
    factor: float

    def at(self, now: datetime, stop: int | None = None) -> int:
        """The story minute now: the logged one plus what the running clock added since,
        never past `stop` (where the facilitator's clock stops to ask about a deadline)."""
        if self.factor <= 0 or self.wall is None:
            return self.t
        seconds = max(0.0, (now - self.wall).total_seconds())
        minute = self.t + min(MAX_RUN_AHEAD, int(seconds * self.factor))
        return max(self.t, min(minute, stop)) if stop is not None else minute


def _wall(text: str) -> datetime | None:
    try:
        wall = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return wall if wall.tzinfo is not None else wall.astimezone()


def clock_base(journal: Journal) -> ClockBase:
    """The facilitator's clock as the log tells it (see the module's docstring)."""
    header = journal.header
    clock = header.get("clock")
    factor = float(header.get("clock_factor") or (
        clock.get("factor", 0) if isinstance(clock, dict) else 0) or 0)
    t, wall = 0, _wall(str(header.get("created", "")))
    for line in journal.lines:
        if line.type == "clock":
            factor = float(line.payload.get("factor") or 0)
        if line.type in ("clock", "resumed") or line.is_engine_event:
            t, wall = line.t, _wall(line.wall)
        elif line.is_command and factor == 0:  # a step of the stopped clock that caused nothing
            t = max(t, quiet_minute(line.payload.get("command")))
        if line.type == "resumed":
            factor = 0.0  # a resumed exercise starts stepping until a clock line says more
    return ClockBase(t, wall, factor)


def story_day(start: datetime, minute: int) -> tuple[int, str]:
    """(day number from 1, 'HH:MM') of the story at `minute`."""
    moment = start + timedelta(minutes=minute)
    return (moment.date() - start.date()).days + 1, moment.strftime("%H:%M")


class ParticipantScreen(TabletopScreen):
    def __init__(self, path: Path, now: Callable[[], datetime] = local_now,
                 store: Any = None) -> None:
        super().__init__()
        self.path = path
        self.now = now
        self.store = store
        """A `JournalStore` to follow instead of the file (`screen --store`)."""
        self._seq = -1
        self.loaded: LoadedScenario | None = None
        self.names: Names | None = None
        self._log_bytes = -1
        self.base = ClockBase(0, None, 0.0)
        self.ended = False
        self._deadlines: dict[str, tuple[int | None, bool]] = {}
        """Open decisions: (deadline, played by the simulator)."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="pv-top"):
            with Vertical(id="pv-heading"):
                yield Static(id="pv-title")
                yield Static(id="pv-when")
                yield Static(id="pv-phase")
            yield Digits("00:00", id="pv-clock")
        with Horizontal(id="pv-body"):
            with VerticalScroll(id="pv-latest"):
                yield Label(lit(self.t("screen.latest"), "bold"), classes="section-title")
                yield Static(lit(self.t("screen.waiting")), id="pv-inject-head")
                yield Markdown(id="pv-inject-text", parser_factory=safe_markdown_parser,
                               open_links=False)
            with Vertical(id="pv-side"):
                yield Label(lit(self.t("screen.open_questions"), "bold"), classes="section-title")
                yield Static(id="pv-questions")
                yield Label(lit(self.t("screen.dilemmas_newest"), "bold"),
                            classes="section-title")
                with VerticalScroll(id="pv-dilemma-scroll"):
                    yield Static(id="pv-dilemmas")
        with Vertical(id="pv-end"):
            yield Static(id="pv-end-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pv-end").display = False
        self.poll()
        self.set_interval(POLL_SECONDS, self.poll)

    def _changed(self) -> bool:
        """Whether the log grew since the last look (for a store: new lines)."""
        if self.store is not None:
            lines = self.store.read(self._seq)
            if not lines:
                return False
            self._seq = lines[-1][0]
            return True
        size = self.path.stat().st_size
        if size == self._log_bytes:
            return False
        self._log_bytes = size
        return True

    def _journal(self) -> Journal:
        if self.store is not None:
            from tabletop.journal.storeio import read_store

            return read_store(self.store)
        return read_journal(self.path)

    def poll(self) -> None:
        try:
            changed = self._changed()
        except (OSError, JournalError) as exc:
            if self.store is not None:  # the database is away: say so, read it all again
                self._seq = -1
                self.query_one("#pv-inject-head", Static).update(
                    lit(error_text(exc, self.t.lang), "red"))
            return
        if not changed:
            self.show_clock()
            return
        try:
            journal = self._journal()
            if self.loaded is None:
                self.loaded = load_for(journal)
                h = journal.header
                self.names = Names(self.loaded, self.t.lang, h.get("participants"),
                                   anonymise=True, parameters=h.get("parameters"))
        except (JournalError, TabletopUserError, OSError) as exc:
            self.query_one("#pv-inject-head", Static).update(lit(error_text(exc, self.t.lang),
                                                                 "red"))
            return
        self.show(journal)

    # -- the clock ---------------------------------------------------------------------
    def story_minute(self) -> int:
        if self.ended:
            return self.base.t
        # the facilitator's clock stops the minute before a seated role's deadline
        seated = [d - 1 for d, simulated in self._deadlines.values()
                  if d is not None and not simulated]
        return self.base.at(self.now(), min(seated) if seated else None)

    def show_clock(self) -> None:
        if self.loaded is None:
            return
        minute = self.story_minute()
        day, hhmm = story_day(self.loaded.scenario.start, minute)
        self.query_one("#pv-clock", Digits).update(hhmm)
        when: list[Content | str] = [lit(self.t("screen.day", day=day, time=hhmm), "bold"),
                                     "  ", lit(story_time(minute), "dim")]
        if self.base.factor > 0 and not self.ended:
            when += ["  ", lit("▶", "green")]
        self.query_one("#pv-when", Static).update(join(*when))
        self._show_questions(minute)

    def _show_questions(self, minute: int) -> None:
        assert self.names is not None
        n = self.names
        questions: list[Content | str] = []
        for decision, (deadline, _) in self._deadlines.items():
            questions += ["• ", lit(n.decision(decision))]
            if deadline is not None:
                questions += ["  ", lit(countdown(self.t, max(0, deadline - minute)), "bold")]
            questions.append("\n")
        self.query_one("#pv-questions", Static).update(join(*questions) if questions else "—")

    # -- what the log says ---------------------------------------------------------------
    def show(self, journal: Journal) -> None:
        assert self.loaded is not None and self.names is not None
        t, n = self.t, self.names
        events: list[Event] = [ln.event() for ln in journal.lines if ln.is_engine_event]
        self.base = clock_base(journal)
        title = str(journal.header.get("title") or self.loaded.scenario.title)
        self.query_one("#pv-title", Static).update(lit(title, "bold"))
        phase = next((e.phase for e in reversed(events) if isinstance(e, InjectDelivered)), None)
        self.query_one("#pv-phase", Static).update(lit(n.phase(phase), "italic"))
        self._latest(events)
        self._deadlines = {}
        for e in events:
            if isinstance(e, DecisionOpened):
                self._deadlines[e.decision] = (e.deadline_t, e.simulated)
            elif isinstance(e, DeadlineExtended) and e.decision in self._deadlines:
                self._deadlines[e.decision] = (e.deadline_t, self._deadlines[e.decision][1])
            elif isinstance(e, (DecisionTaken, DecisionLapsed)):
                self._deadlines.pop(e.decision, None)
        dilemmas: list[Content | str] = []
        for e in reversed(events):
            if isinstance(e, DilemmaSurfaced):
                dilemmas += [lit(story_time(e.t), "dim"), " ",
                             lit(f"[{t('kind.' + e.kind)}] ", "bold"),
                             lit(dilemma_summary(e, n)), "\n"]
        self.query_one("#pv-dilemmas", Static).update(join(*dilemmas) if dilemmas else "—")
        self.query_one("#pv-dilemma-scroll", VerticalScroll).scroll_home(animate=False)
        end = next((e for e in events if isinstance(e, ExerciseEnded)), None)
        self.ended = end is not None
        if end is not None:
            self._end(end, events)
        self.show_clock()

    def _latest(self, events: list[Event]) -> None:
        assert self.loaded is not None and self.names is not None
        t, n = self.t, self.names
        latest = next((e for e in reversed(events)
                       if isinstance(e, (InjectDelivered, AdHocInject))), None)
        head = self.query_one("#pv-inject-head", Static)
        text = self.query_one("#pv-inject-text", Markdown)
        parts: list[Content | str]
        if isinstance(latest, InjectDelivered):
            inj = self.loaded.scenario.inject(latest.inject)
            if inj is not None and inj.restricted:
                # need to know: the shared screen shows that a classified message went out,
                # never its title or text
                to = ", ".join(n.role(r, True) for r in inj.to)
                parts = [lit(t("tl.classified", to=to), "bold")]
                if inj.classification:
                    parts += ["\n", lit(inj.classification, "dim")]
                head.update(join(*parts))
                text.update("")
            elif inj is not None:
                sender = n.role(inj.from_) if inj.from_ in self.loaded.roles else n.fill(
                    inj.from_)
                parts = [lit(n.fill(inj.title), "bold"), "\n",
                         lit(f"{sender} · {inj.channel.value} · "
                             f"{story_time(latest.t)}", "dim")]
                if inj.reliability and inj.reliability.value != "onjuist":
                    parts += ["  ", lit(inj.reliability.value, "italic")]
                head.update(join(*parts))
                text.update(n.fill(inj.text))
        elif isinstance(latest, AdHocInject):
            head.update(join(lit(latest.title, "bold"), "\n",
                             lit(f"{latest.sender} · {story_time(latest.t)}", "dim")))
            text.update(latest.text)

    def _end(self, end: ExerciseEnded, events: list[Event]) -> None:
        """The end screen: the outcome, what was decided, how many dilemmas."""
        assert self.names is not None
        t, n = self.t, self.names
        decided = sum(isinstance(e, DecisionTaken) for e in events)
        dilemmas = sum(isinstance(e, DilemmaSurfaced) for e in events)
        lines: list[Content | str] = [
            lit(t("screen.ended"), "bold"), "\n\n",
            lit(t("screen.outcome", outcome=n.outcome(end.outcome)), "bold"), "\n\n",
            lit(t("screen.end_counts", time=story_time(end.t), decisions=decided,
                  dilemmas=dilemmas)), "\n\n",
            lit(t("screen.thanks"), "italic")]
        self.query_one("#pv-end-text", Static).update(join(*lines))
        self.query_one("#pv-body").display = False
        self.query_one("#pv-end").display = True

    def participant_text(self) -> str:
        """Everything the screen shows in words (for tests: no facilitator-only text)."""
        parts = [str(w.render()) for w in self.query(Static)]
        parts.append(self.query_one("#pv-inject-text", Markdown).source)
        return "\n".join(parts)

