"""The header's next event, kept up step by step instead of replayed from the start.

`control.true_next` finds the minute at which the next step shows something by playing
the exercise's commands so far into a fresh engine and stepping it: its cost grows with the
exercise (at 4,000 feed items a third of a second per step). `Ahead` keeps that shadow
engine between steps: when the exercise only moved its clock since (a step, the running
clock), the shadow, already a step ahead, is where the exercise is now or behind it, so it
catches up and steps again. Anything else (a command that is not a clock command, a
shadow that went another way) makes a fresh shadow, as `true_next` does.
"""

from __future__ import annotations

from typing import Any

from tabletop.tui.control import CommandHistory, next_event, shadow_at_now


class Ahead:
    """`true_next(ex, history)`, incrementally (same answers; see the module's note)."""

    def __init__(self) -> None:
        self._shadow: Any = None
        self._commands = 0
        """How many of the history's commands the shadow has applied."""
        self._history: CommandHistory | None = None
        self._before: tuple[int, int | None] = (-1, None)
        """The exercise's event count when the shadow last stepped, and the answer then."""

    def next(self, ex: Any, history: CommandHistory) -> int | None:
        from tabletop.engine.exercise import ExerciseError
        from tabletop.model.commands import RunUntil, Step

        if ex.finished:
            return None
        if not history.known:
            return next_event(ex)
        if history is not self._history:
            self._shadow, self._history = None, history
        shadow = self._shadow
        count, answer = self._before
        if (shadow is not None and self._commands == len(history.commands)
                and len(ex.events) == count and (answer is None or ex.now < answer)):
            return answer  # only the clock moved, and not as far as the next event yet
        if (shadow is None or self._commands != len(history.commands)
                or shadow.now > ex.now or len(shadow.events) > len(ex.events)):
            return self._fresh(ex, history)
        try:
            if ex.now > shadow.now:
                shadow.apply(RunUntil(until=ex.now))
            if len(shadow.events) != len(ex.events):
                return self._fresh(ex, history)  # it went another way: start again
            ahead = shadow.apply(Step())
        except ExerciseError:
            return self._fresh(ex, history)
        return self._stepped(ex, ahead)

    def _stepped(self, ex: Any, ahead: list[Any]) -> int | None:
        answer = int(ahead[0].t) if ahead else None
        self._before = (len(ex.events), answer)
        return answer

    def _fresh(self, ex: Any, history: CommandHistory) -> int | None:
        """A new shadow played to now and stepped (what `true_next` does), kept."""
        from tabletop.engine.exercise import ExerciseError
        from tabletop.model.commands import Step

        self._shadow = None
        shadow = shadow_at_now(ex, history)
        if shadow is None:
            return next_event(ex)  # (what true_next answers then)
        try:
            ahead = shadow.apply(Step())
        except ExerciseError:
            return next_event(ex)
        self._shadow = shadow
        self._commands = len(history.commands)
        return self._stepped(ex, ahead)
