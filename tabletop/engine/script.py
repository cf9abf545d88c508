"""Play a scripted-decisions file against an exercise (headless `run`, `resume`)."""

from __future__ import annotations

from collections.abc import Callable

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.errors import ScenarioProblems
from tabletop.model.base import format_duration
from tabletop.model.events import Event
from tabletop.model.scripted import (
    AdHocEntry,
    DecisionEntry,
    EndEntry,
    FlagEntry,
    MetEntry,
    NoteEntry,
    ObservationEntry,
    ReleaseEntry,
    ScriptEntry,
    SkipEntry,
)

Sink = Callable[[list[Event]], None]


def _advance_until(ex: Exercise, ready: Callable[[], bool], sink: Sink) -> None:
    while not ready() and not ex.finished:
        events = ex.step()
        sink(events)
        if not events and ex.peek() is None:
            break


def apply_entry(ex: Exercise, item: ScriptEntry, sink: Sink) -> None:
    """Advance to the entry's moment and carry it out; a failure is a located problem."""
    e = item.entry
    try:
        if e.at is not None:
            if e.at < ex.now:
                raise ExerciseError(f"at {format_duration(e.at)} lies before the story's "
                                    f"current time {format_duration(ex.now)} (keep entries in "
                                    "time order)")
            sink(ex.run_until(e.at))
        elif isinstance(e, DecisionEntry):
            _advance_until(ex, lambda: ex.is_open(e.decision) or
                           e.decision in ex.world.decisions, sink)
        elif isinstance(e, MetEntry):
            _advance_until(ex, lambda: ex.world.delivered(e.met), sink)
        if ex.finished:
            raise ExerciseError(f"the story ended at {format_duration(ex.now)} before this entry")
        sink(_carry_out(ex, e))
    except ExerciseError as exc:
        raise ScenarioProblems([item.problem(str(exc))]) from None


def _carry_out(ex: Exercise, e: object) -> list[Event]:
    if isinstance(e, DecisionEntry):
        if not ex.is_open(e.decision) and e.decision in ex.world.decisions:
            taken = next(ev for ev in reversed(ex.events)
                         if getattr(ev, "decision", None) == e.decision and ev.type == "decision")
            how = "its default at the deadline" if getattr(taken, "default", False) else \
                "the engine"
            raise ExerciseError(f"decision '{e.decision}' was already taken by {how} at "
                                f"{format_duration(taken.t)}")
        return ex.decide(e.decision, e.option, by=e.by, advice=e.advice,
                         rationale=e.rationale, forum=e.forum, answer=e.answer,
                         action_owner=e.action_owner, framing=e.framing,
                         consent=e.consent, positions=e.positions)
    if isinstance(e, NoteEntry):
        return ex.note(e.note, e.by, e.lovp, e.question, e.owner)
    if isinstance(e, ReleaseEntry):
        return ex.release(e.release, e.by)
    if isinstance(e, MetEntry):
        return ex.mark_met(e.met, e.by)
    if isinstance(e, SkipEntry):
        return ex.skip(e.skip)
    if isinstance(e, ObservationEntry):
        return ex.observe(e.observation, e.by, e.inject, e.rating)
    if isinstance(e, AdHocEntry):
        return ex.adhoc(e.adhoc, e.text, e.by, tuple(e.to))
    if isinstance(e, FlagEntry):
        if ex.scenario.dilemma(e.flag) is not None:
            return ex.flag_dilemma(e.flag)
        return ex.flag_dilemma(None, e.flag, tuple(e.roles))
    if isinstance(e, EndEntry):
        return ex.end(e.by)
    raise ExerciseError(f"cannot play {type(e).__name__}")  # pragma: no cover


def play_script(ex: Exercise, entries: list[ScriptEntry], sink: Sink) -> None:
    """Every entry in order, then the rest of the story with nobody deciding."""
    for item in entries:
        apply_entry(ex, item, sink)
    sink(ex.run(limit=ex.horizon))
