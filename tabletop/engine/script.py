"""Play a scripted-decisions file against an exercise (headless `run`, `resume`).

Every step is a command through `Exercise.apply`, handed to `send`, which applies it (and,
in a live session, journals it): the story's advance to an entry's moment is itself a
command (`RunUntil`, or `Step` until a decision opens).
"""

from __future__ import annotations

from collections.abc import Callable

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.errors import ScenarioProblems
from tabletop.model.base import format_duration
from tabletop.model.commands import Command, Decide, MarkMet, RunUntil, Step
from tabletop.model.events import DecisionTaken, Event
from tabletop.model.scripted import ScriptEntry

Send = Callable[[Command], list[Event]]
"""Apply one command (journalled, in a live session) and return its events."""


def direct(ex: Exercise) -> Send:
    """Apply commands to the exercise itself, with no journal."""
    return ex.apply


def _advance_until(ex: Exercise, ready: Callable[[], bool], send: Send) -> None:
    while not ready() and not ex.finished:
        events = send(Step(origin="script"))
        if not events and ex.peek() is None:
            break


def apply_entry(ex: Exercise, item: ScriptEntry, send: Send) -> None:
    """Advance to the entry's moment and carry it out; a failure is a located problem."""
    c = item.command
    try:
        if item.at is not None:
            if item.at < ex.now:
                raise ExerciseError("script.before_now", at=format_duration(item.at),
                                    now=format_duration(ex.now))
            send(RunUntil(until=item.at, origin="script"))
        elif isinstance(c, Decide):
            _advance_until(ex, lambda: ex.is_open(c.decision) or
                           c.decision in ex.world.decisions, send)
        elif isinstance(c, MarkMet):
            _advance_until(ex, lambda: ex.world.delivered(c.inject), send)
        if ex.finished and c.kind not in ("note", "observe"):
            raise ExerciseError("script.story_ended", now=format_duration(ex.now))
        if isinstance(c, Decide) and not ex.is_open(c.decision) and \
                c.decision in ex.world.decisions:
            taken = next(ev for ev in reversed(ex.events)
                         if isinstance(ev, DecisionTaken) and ev.decision == c.decision)
            key = "script.taken_by_default" if taken.default else "script.taken_by_engine"
            raise ExerciseError(key, decision=c.decision, at=format_duration(taken.t))
        send(c)
    except ExerciseError as exc:
        raise ScenarioProblems([item.problem(exc.msg)]) from None


def play_script(ex: Exercise, entries: list[ScriptEntry], send: Send) -> None:
    """Every entry in order, then the rest of the story with nobody deciding."""
    for item in entries:
        apply_entry(ex, item, send)
    finish(ex, send)


def finish(ex: Exercise, send: Send) -> None:
    """Play the rest of the story with nobody deciding (to its end, or its horizon)."""
    if not ex.finished and ex.now < ex.horizon:
        send(RunUntil(until=ex.horizon, origin="script"))
