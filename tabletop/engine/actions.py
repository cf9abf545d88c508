"""What people do in an exercise: one handler per kind of command.

`Actions` is a part of `Exercise` (composition, not a mixin): `Exercise.apply` hands it
every command that is not a clock command. Each handler checks that the command can be
carried out now (else ExerciseError, whose message key says why, in any language) and
emits the events it causes through the exercise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tabletop.engine import dilemmas
from tabletop.errors import LocalizedError
from tabletop.model.commands import (
    STAFF,
    AdHoc,
    Adjust,
    Decide,
    End,
    ExtendDeadline,
    Flag,
    MarkMet,
    Note,
    Observe,
    Release,
    SetClock,
    Skip,
)
from tabletop.model.events import (
    AdHocInject,
    ClockSet,
    DeadlineExtended,
    ExpectationChanged,
    InjectSkipped,
    NoteAdded,
    ObservationAdded,
    StateAdjusted,
)
from tabletop.model.scenario import Inject

if TYPE_CHECKING:
    from tabletop.engine.exercise import Exercise, OpenDecision

FACILITATOR = "facilitator"

AFTER_END = frozenset({"note", "observe"})
"""Commands that still apply after the end: the hot wash is captured as notes."""


class ExerciseError(LocalizedError):
    """A command that cannot be carried out now (the message says why)."""


class Actions:
    """The handlers of the people's commands, working on one exercise."""

    def __init__(self, ex: Exercise) -> None:
        self.ex = ex
        self._handlers: dict[str, Callable[[Any], None]] = {
            "release": self.release, "skip": self.skip, "adhoc": self.adhoc,
            "met": self.mark_met, "decide": self.decide, "extend": self.extend,
            "note": self.note, "observe": self.observe, "flag": self.flag,
            "adjust": self.adjust, "end": self.end, "clock": self.clock,
        }

    def handle(self, command: Any) -> None:
        self.require_actor(command.by)
        self._handlers[command.kind](command)

    # -- the handlers -----------------------------------------------------------------
    def decide(self, c: Decide) -> None:
        ex = self.ex
        record = self.require_open(c.decision)
        spec = record.spec
        chosen = None
        ids = ", ".join(o.id for o in spec.options)
        if spec.options:
            if c.option is None:
                raise ExerciseError("engine.needs_option", decision=c.decision, options=ids)
            chosen = spec.option(c.option)
            if chosen is None:
                raise ExerciseError("engine.no_option", decision=c.decision, option=c.option,
                                    options=ids)
        elif c.option is not None:
            raise ExerciseError("engine.open_question_option", decision=c.decision)
        elif not c.answer.strip():
            raise ExerciseError("engine.open_question_empty", decision=c.decision)
        for role in (*c.advice, *c.consent, *c.positions):
            self.require_role(role)
        if c.action_owner is not None:
            self.require_actor(c.action_owner)
        ex._take(record, chosen, by=c.by, advice=dict(c.advice), rationale=c.rationale,
                 forum=c.forum, answer=c.answer, action_owner=c.action_owner)

    def extend(self, c: ExtendDeadline) -> None:
        record = self.require_open(c.decision)
        if record.deadline_t is None:
            raise ExerciseError("engine.no_deadline", decision=c.decision)
        self.ex._extend(record, c.minutes)
        self.ex._emit(DeadlineExtended(self.ex.now, c.decision, record.deadline_t or 0, c.by))

    def release(self, c: Release) -> None:
        inj = self.require_inject(c.inject)
        if inj.id in self.ex.world.delivered_ids:
            raise ExerciseError("engine.already_delivered", inject=c.inject)
        self.ex._deliver(inj, released=True, by=c.by)

    def skip(self, c: Skip) -> None:
        inj = self.require_inject(c.inject)
        if inj.id in self.ex._done_injects:
            raise ExerciseError("engine.already_done", inject=c.inject)
        self.ex._done_injects.add(inj.id)
        self.ex._emit(InjectSkipped(self.ex.now, inj.id, "facilitator", c.reason, c.by))

    def adhoc(self, c: AdHoc) -> None:
        if not c.title.strip():
            raise ExerciseError("engine.adhoc_title")
        for role in c.to:
            self.require_role(role)
        self.ex._emit(AdHocInject(self.ex.now, c.title, c.text, c.sender, tuple(c.to),
                                  c.channel))

    def mark_met(self, c: MarkMet) -> None:
        ex = self.ex
        inj = self.require_inject(c.inject)
        if inj.expect is None:
            raise ExerciseError("engine.expects_nothing", inject=c.inject)
        if inj.id not in ex.world.delivered_ids:
            raise ExerciseError("engine.not_delivered", inject=c.inject)
        if inj.id in ex.world.met_ids and inj.expect.every is None:
            raise ExerciseError("engine.already_met", inject=c.inject)
        ex.world.met_ids.add(inj.id)
        ex._met_counts[inj.id] = ex._met_counts.get(inj.id, 0) + 1
        ex._emit(ExpectationChanged(ex.now, inj.id, "met", c.by))
        ex._changed()

    def note(self, c: Note) -> None:
        if not c.text.strip():
            raise ExerciseError("engine.note_empty")
        if c.question is not None:
            self.require_question(c.question)
        if c.owner is not None:
            self.require_role(c.owner)
        self.ex._emit(NoteAdded(self.ex.now, c.by, c.text, c.lovp, c.question, c.owner))

    def observe(self, c: Observe) -> None:
        if not c.text.strip():
            raise ExerciseError("engine.observation_empty")
        if c.inject is not None:
            self.require_inject(c.inject)
        self.ex._emit(ObservationAdded(self.ex.now, c.by, c.text, c.inject, c.rating))

    def flag(self, c: Flag) -> None:
        ex = self.ex
        if c.dilemma is not None:
            if ex.scenario.dilemma(c.dilemma) is None:
                raise ExerciseError("engine.no_dilemma", dilemma=c.dilemma)
            if c.dilemma in ex._surfaced_authored:
                raise ExerciseError("engine.dilemma_surfaced", dilemma=c.dilemma)
            ex._surface(dilemmas.authored(ex, c.dilemma, FACILITATOR))
            return
        if not c.text.strip():
            raise ExerciseError("engine.describe_dilemma")
        for role in c.roles:
            self.require_role(role)
        ex._emit(dilemmas.flagged(ex, c.text, tuple(c.roles)))

    def adjust(self, c: Adjust) -> None:
        ex = self.ex
        changes: dict[str, list[Any]] = {}
        for var, value in c.changes.items():
            spec = ex.scenario.state.get(var)
            if spec is None:
                raise ExerciseError("engine.no_variable", variable=var)
            if spec.is_bool != isinstance(value, bool):
                raise ExerciseError("engine.variable_type", variable=var)
            old = ex.world.state[var]
            new = ex.world.clamp(var, value)
            if new != old:
                changes[var] = [old, new]
        if not changes:
            raise ExerciseError("engine.adjust_nothing")
        for var, (_, new) in changes.items():
            ex.world.state[var] = new
            ex.history[var].append((ex.now, new))
        ex._emit(StateAdjusted(ex.now, changes, c.reason, c.by))
        ex._changed()

    def clock(self, c: SetClock) -> None:
        self.ex.clock_factor = c.factor
        self.ex._emit(ClockSet(self.ex.now, c.factor, c.by))

    def end(self, c: End) -> None:
        self.ex._finish(None, c.by)

    # -- checks -----------------------------------------------------------------------
    def require_open(self, decision_id: str) -> OpenDecision:
        ex = self.ex
        if ex.scenario.decision(decision_id) is None:
            raise ExerciseError("engine.no_decision", decision=decision_id)
        record = ex._open.get(decision_id)
        if record is None:
            if decision_id in ex._taken:
                raise ExerciseError("engine.decision_taken", decision=decision_id,
                                    minute=ex.now)
            if decision_id not in ex._opened:
                raise ExerciseError("engine.decision_not_yet", decision=decision_id,
                                    minute=ex.now)
            raise ExerciseError("engine.decision_closed", decision=decision_id, minute=ex.now)
        return record

    def require_inject(self, inject_id: str) -> Inject:
        inj = self.ex.scenario.inject(inject_id)
        if inj is None:
            raise ExerciseError("engine.no_inject", inject=inject_id)
        return inj

    def require_role(self, role_id: str) -> None:
        if role_id not in self.ex.world.roles:
            raise ExerciseError("engine.no_role", role=role_id)

    def require_actor(self, who: str) -> None:
        """`by`: a role of the scenario, or staff."""
        if who not in STAFF and who not in self.ex.world.roles:
            raise ExerciseError("engine.no_actor", who=who)

    def require_question(self, question: str) -> None:
        phase_id, _, number = question.partition("/")
        phase = next((p for p in self.ex.scenario.phases if p.id == phase_id), None)
        if phase is None or not number.isdigit() or not 1 <= int(number) <= len(phase.questions):
            raise ExerciseError("engine.no_question", question=question)
