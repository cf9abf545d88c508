"""The story clock on the exercise screen: a step (space) or the compressed clock (r).

A deadline never passes unseen: before the clock would pass the deadline of an open
decision of a role seated at the table, it stops the minute before and asks (decide now,
extend, let it lapse). While any dialog is open the compressed clock is paused.

A mixin of `ExerciseScreen`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tabletop.engine.snapshot import ExerciseSnapshot, OpenDecisionView
from tabletop.model.commands import ExtendDeadline, RunUntil
from tabletop.tui.screens.deadline import EXTEND_CHOICES, DeadlinePrompt
from tabletop.tui.screens.forms import PickScreen
from tabletop.tui.text import lit

SILENT_LIMIT = 10_000
"""Engine moments without events a single step may pass (rule ticks that change nothing)."""


def due_deadlines(snap: ExerciseSnapshot, upto: int) -> list[OpenDecisionView]:
    """Open decisions of seated roles whose deadline falls at or before `upto` (earliest
    minute only: those are the ones the clock would pass next)."""
    due = [v for v in snap.open_decisions
           if not v.simulated and v.deadline_t is not None and v.deadline_t <= upto]
    if not due:
        return []
    first = min(v.deadline_t for v in due if v.deadline_t is not None)
    return [v for v in due if v.deadline_t == first]


class ClockControl:
    """Step, run and the deadline stop; `perform` logs every engine call."""

    session: Any
    ex: Any
    names: Any
    t: Any
    app: Any
    timer: Any
    _clock_on: bool
    log_failure: str | None

    if TYPE_CHECKING:
        def perform(self, command: Any) -> list[Any]: ...
        def perform_quietly(self, command: Any) -> list[Any]: ...
        def show_pending(self) -> None: ...
        def refresh_view(self, events: list[Any]) -> None: ...
        def notify(self, *args: Any, **kwargs: Any) -> None: ...
        def _open_decision_card(self, decision_id: str) -> None: ...
        def _stop_clock(self) -> None: ...
        def write_held(self) -> None: ...

    _prompting: bool = False
    _failed: bool = False

    @property
    def clock_paused(self) -> bool:
        """The compressed clock is on but waits: a dialog or card is open."""
        return bool(self._clock_on and self.app.screen is not self)

    def _advance(self, minute: int) -> bool:
        """Play up to `minute`; False when the engine or the log refused."""
        self._failed = False
        before = (self.ex.now, len(self.ex.events))
        self.perform_quietly(RunUntil(until=minute))
        return not self._failed and self.log_failure is None and (
            (self.ex.now, len(self.ex.events)) != before or minute <= before[0])

    def guarded_step(self) -> None:
        """Space: play the next moment at which something happens, unless a deadline of a
        seated role comes first; then stop before it and ask."""
        try:
            self._guarded_step()
        finally:
            self.show_pending()

    def _guarded_step(self) -> None:
        ex = self.ex
        for _ in range(SILENT_LIMIT):
            if ex.finished:
                return
            nxt = ex.peek()
            if nxt is None:
                return
            due = due_deadlines(ex.snapshot(), nxt)
            if due:
                self.stop_before_deadline(due)
                return
            start = len(ex.events)
            if not self._advance(nxt):
                return
            if len(ex.events) > start:
                return

    def clock_tick(self) -> None:
        """One real second of the compressed clock (nothing while a dialog is open)."""
        try:
            self._clock_tick()
        finally:
            self.show_pending()

    def _clock_tick(self) -> None:
        ex = self.ex
        if ex.finished:
            self._stop_clock()
            return
        if self.app.screen is not self or self._prompting:
            return
        factor = self.session.settings.clock_factor
        target = ex.now + max(1, int(factor))
        for _ in range(SILENT_LIMIT):
            if ex.finished:
                return
            nxt = ex.peek()
            upto = target if nxt is None else min(nxt, target)
            due = due_deadlines(ex.snapshot(), upto)
            if due:
                self.stop_before_deadline(due)
                return
            if not self._advance(upto) or upto >= target:
                return

    def stop_before_deadline(self, due: list[OpenDecisionView]) -> None:
        """Stop the clock the minute before the deadline and ask what to do."""
        deadline = due[0].deadline_t
        assert deadline is not None
        if self.ex.now < deadline - 1:
            self._advance(deadline - 1)
        self.show_pending()
        self._stop_clock()  # after the advance: the log's clock line then says where it stands
        self.write_held()  # (the clock was stopped already: no clock line, the step follows)
        self.refresh_view([])
        if self._prompting:
            return
        self._prompting = True
        views = [v for v in self.ex.snapshot().open_decisions
                 if v.decision in {d.decision for d in due}]
        if not views:  # taken meanwhile
            self._prompting = False
            return

        def answered(choice: object) -> None:
            self._prompting = False
            if choice == "decide":
                self._open_decision_card(views[0].decision)
            elif choice == "extend":
                self.ask_extension(views)
            elif choice == "lapse":
                self._advance(deadline)
            self.show_pending()

        self.app.push_screen(DeadlinePrompt(self.session.loaded, views, self.ex.now,
                                            self.names), answered)

    def ask_extension(self, views: list[OpenDecisionView],
                      then: Callable[[], None] | None = None) -> None:
        items = [(str(m), lit(self.t("dl.extend_by", min=m))) for m in EXTEND_CHOICES]

        def picked(key: object) -> None:
            if isinstance(key, str) and key.isdigit():
                for view in views:
                    self.perform(ExtendDeadline(decision=view.decision, minutes=int(key)))
            if then is not None:
                then()

        self.app.push_screen(PickScreen(self.t("dl.extend_title"), items), picked)
