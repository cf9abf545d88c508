"""What is still to come in an exercise (the MSEL view): injects, decisions, deadlines, the end.

Read from the scenario and the exercise's state; nothing here changes the exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabletop.model.events import DecisionTaken, InjectDelivered


@dataclass(frozen=True)
class Upcoming:
    t: int | None
    """Story minute it is due, when known (None: it waits for a condition or an event)."""
    kind: str
    """`inject`, `decision`, `deadline` or `end`."""
    ident: str
    trigger: str
    """How it comes due: `at`, `after X + d`, `when EXPR`, `manual`."""
    guard: str = ""
    manual: bool = False
    simulated: bool = False


def _happened_at(ex: Any, event_id: str) -> int | None:
    for e in ex.events:
        if (isinstance(e, InjectDelivered) and e.inject == event_id) or (
                isinstance(e, DecisionTaken) and e.decision == event_id):
            return int(e.t)
    return None


def _timing(ex: Any, item: Any) -> tuple[int | None, str]:
    at = getattr(item, "at", None)
    if at is not None:
        return int(at), "at"
    after = getattr(item, "after", None)
    if after is not None:
        when = _happened_at(ex, after.event)
        return (when + after.delay if when is not None else None,
                f"after {after.event} + {after.delay}")
    on = getattr(item, "on", None)
    if on is not None:
        return _happened_at(ex, on), f"on {on}"
    cond = getattr(item, "when", None)
    if cond is not None:
        return None, f"when {cond}"
    return None, "manual" if getattr(item, "manual", False) else ""


def upcoming(ex: Any) -> list[Upcoming]:
    """Everything still to come, timed items first by story minute, then untimed ones."""
    if ex.finished:
        return []
    s = ex.scenario
    now = int(ex.now)
    out: list[Upcoming] = []
    for inj in s.injects:
        if ex.is_done(inj.id):
            continue
        t, trigger = (None, "manual") if inj.manual else _timing(ex, inj)
        out.append(Upcoming(t if t is None else max(t, now), "inject", inj.id, trigger,
                            str(inj.if_) if inj.if_ is not None else "", inj.manual))
    for dec in s.decisions:
        if ex.was_opened(dec.id):
            continue
        t, trigger = _timing(ex, dec)
        out.append(Upcoming(t if t is None else max(t, now), "decision", dec.id, trigger,
                            str(dec.if_) if dec.if_ is not None else ""))
    for view in ex.snapshot().open_decisions:
        if view.deadline_t is not None:
            out.append(Upcoming(view.deadline_t, "deadline", view.decision, "deadline",
                                simulated=view.simulated))
    if s.end is not None:
        out.append(Upcoming(int(s.end), "end", "", "end"))
    return sorted(out, key=lambda u: (u.t is None, u.t or 0, u.manual))


class CommandHistory:
    """The commands applied to an exercise so far, with the story minute of each (the
    clock-only ones left out: the engine is deterministic in time)."""

    def __init__(self, commands: list[tuple[int, Any]] | None = None, known: bool = True,
                 ) -> None:
        self.commands: list[tuple[int, Any]] = list(commands or [])
        self.known = known
        """False when the commands could not be read back (then nothing is played ahead)."""

    @classmethod
    def from_log(cls, path: Path | None) -> CommandHistory:
        """The commands in a log (a fresh, resumed or forked exercise's own log)."""
        if path is None or not path.is_file():
            return cls()
        from pydantic import ValidationError

        from tabletop.journal.format import JournalError
        from tabletop.journal.legacy import inferred_commands
        from tabletop.journal.reader import read_journal
        from tabletop.model.commands import TIME_KINDS, command_from_dict

        try:
            journal = read_journal(path)
            lines = journal.lines
            if any(line.is_command for line in lines):
                commands = [(line.t, command_from_dict(line.payload.get("command")))
                            for line in lines if line.is_command]
            else:  # journal format 1: the commands inferred from the events
                commands = [(line.t, command) for line, command, _ in inferred_commands(lines)]
        except (JournalError, ValidationError, OSError, KeyError):
            return cls(known=False)
        return cls([(t, c) for t, c in commands if c.kind not in TIME_KINDS])

    def record(self, t: int, command: Any) -> None:
        from tabletop.model.commands import TIME_KINDS

        if command.kind not in TIME_KINDS:
            self.commands.append((t, command))


def true_next(ex: Any, history: CommandHistory) -> int | None:
    """The story minute at which the next step will show something: found by playing the
    exercise's commands so far into a fresh engine (it is deterministic) and stepping it.

    Why: `Exercise.peek()` names the engine's next moment, which may be a rule's tick or an
    expectation's check that shows nothing (the header said T+01:00 and space then went to
    T+24:00); the scheduled items alone (`next_event`) miss what rules and the simulator do.
    Falls back to `next_event` when the commands cannot be played again.
    """
    from tabletop.engine.exercise import ExerciseError
    from tabletop.model.commands import Step

    if ex.finished:
        return None
    if not history.known:
        return next_event(ex)
    shadow = shadow_at_now(ex, history)
    if shadow is None:
        return next_event(ex)
    try:
        ahead = shadow.apply(Step())
    except ExerciseError:
        return next_event(ex)
    return int(ahead[0].t) if ahead else None


def shadow_at_now(ex: Any, history: CommandHistory) -> Any | None:
    """A fresh exercise with the history's commands played into it up to where `ex` is now
    (None: a command was refused, or the shadow went another way: do not guess)."""
    from tabletop.engine.exercise import Exercise, ExerciseError
    from tabletop.model.commands import RunUntil

    shadow = Exercise(ex.loaded, seed=ex.seed, participants=ex.participants)
    try:
        for t, command in history.commands:
            if t > shadow.now:
                shadow.apply(RunUntil(until=t))
            shadow.apply(command)
        if ex.now > shadow.now:
            shadow.apply(RunUntil(until=ex.now))
    except ExerciseError:
        return None
    return shadow if len(shadow.events) == len(ex.events) else None


def next_event(ex: Any) -> int | None:
    """The story minute of the next thing that happens for the players: the earliest timed
    inject, decision, deadline or end still to come.

    Why not `Exercise.peek()` alone: it also counts engine moments at which nothing may
    happen (a rule's tick, an expectation's check), so a header showing it said T+01:00
    while the next step went to T+24:00. Falls back to `peek()` when nothing timed is left.
    """
    times = [u.t for u in upcoming(ex) if u.t is not None and not u.manual]
    if times:
        return min(times)
    peek = ex.peek()
    return int(peek) if peek is not None else None
