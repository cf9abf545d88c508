"""What people do in an exercise: one handler per kind of command.

`Actions` is one of the exercise's parts (composition, not a mixin): `Exercise.apply` hands
it every command that is not a clock command. Each handler checks that the command can be
carried out now (else ExerciseError, whose message key says why, in any language) and has
the part that owns what changes carry it out: the deliveries, the decision book, the
effects, the schedule or the ledger. It reads no part's privates and imports no exercise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from tabletop.engine import dilemmas
from tabletop.engine.book import DecisionBook, OpenDecision
from tabletop.engine.common import AFTER_END as AFTER_END  # re-exported
from tabletop.engine.common import FACILITATOR as FACILITATOR  # re-exported
from tabletop.engine.common import ExerciseError as ExerciseError  # re-exported
from tabletop.engine.deliveries import Deliveries
from tabletop.engine.effects import Effects
from tabletop.engine.ledger import Ledger
from tabletop.engine.schedule import Schedule
from tabletop.engine.world import World
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
from tabletop.model.events import AdHocInject, ClockSet, NoteAdded, ObservationAdded
from tabletop.model.scenario import Inject, Scenario


class Actions:
    """The handlers of the people's commands, working on the exercise's parts."""

    def __init__(self, ledger: Ledger, schedule: Schedule, world: World, scenario: Scenario,
                 deliveries: Deliveries, book: DecisionBook, effects: Effects) -> None:
        self.ledger = ledger
        self.schedule = schedule
        self.world = world
        self.scenario = scenario
        self.deliveries = deliveries
        self.book = book
        self.effects = effects

    _HANDLERS: ClassVar[dict[str, str]] = {
        "release": "release", "skip": "skip", "adhoc": "adhoc", "met": "mark_met",
        "decide": "decide", "extend": "extend", "note": "note", "observe": "observe",
        "flag": "flag", "adjust": "adjust", "end": "end", "clock": "clock",
    }
    """Per kind of command, the name of its handler (names, not bound methods: those would
    make every exercise a cycle)."""

    def handle(self, command: Any) -> None:
        self.require_actor(command.by)
        handler: Callable[[Any], None] = getattr(self, self._HANDLERS[command.kind])
        handler(command)

    # -- the handlers -----------------------------------------------------------------
    def decide(self, c: Decide) -> None:
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
        self.book.take(record, chosen, by=c.by, advice=dict(c.advice), rationale=c.rationale,
                       forum=c.forum, answer=c.answer, action_owner=c.action_owner,
                       framing=c.framing, consent=dict(c.consent), positions=dict(c.positions))

    def extend(self, c: ExtendDeadline) -> None:
        record = self.require_open(c.decision)
        if record.deadline_t is None:
            raise ExerciseError("engine.no_deadline", decision=c.decision)
        self.book.extend(record, c.minutes, c.by)

    def release(self, c: Release) -> None:
        inj = self.require_inject(c.inject)
        if inj.id in self.world.delivered_ids:
            raise ExerciseError("engine.already_delivered", inject=c.inject)
        self.deliveries.deliver(inj, released=True, by=c.by)

    def skip(self, c: Skip) -> None:
        inj = self.require_inject(c.inject)
        if self.deliveries.is_done(inj.id):
            raise ExerciseError("engine.already_done", inject=c.inject)
        self.deliveries.skip(inj, c.reason, c.by)

    def adhoc(self, c: AdHoc) -> None:
        if not c.title.strip():
            raise ExerciseError("engine.adhoc_title")
        for role in c.to:
            self.require_role(role)
        self.ledger.emit(AdHocInject(self.ledger.now, c.title, c.text, c.sender, tuple(c.to),
                                     c.channel))

    def mark_met(self, c: MarkMet) -> None:
        world = self.world
        inj = self.require_inject(c.inject)
        if inj.expect is None:
            raise ExerciseError("engine.expects_nothing", inject=c.inject)
        if inj.id not in world.delivered_ids:
            raise ExerciseError("engine.not_delivered", inject=c.inject)
        if inj.id in world.met_ids and inj.expect.every is None:
            raise ExerciseError("engine.already_met", inject=c.inject)
        self.deliveries.mark_met(inj, c.by)

    def note(self, c: Note) -> None:
        if not c.text.strip():
            raise ExerciseError("engine.note_empty")
        if c.question is not None:
            self.require_question(c.question)
        if c.owner is not None:
            self.require_role(c.owner)
        self.ledger.emit(NoteAdded(self.ledger.now, c.by, c.text, c.lovp, c.question, c.owner))

    def observe(self, c: Observe) -> None:
        if not c.text.strip():
            raise ExerciseError("engine.observation_empty")
        if c.inject is not None:
            self.require_inject(c.inject)
        self.ledger.emit(ObservationAdded(self.ledger.now, c.by, c.text, c.inject, c.rating))

    def flag(self, c: Flag) -> None:
        ledger = self.ledger
        if c.dilemma is not None:
            if self.scenario.dilemma(c.dilemma) is None:
                raise ExerciseError("engine.no_dilemma", dilemma=c.dilemma)
            if ledger.surfaced(c.dilemma):
                raise ExerciseError("engine.dilemma_surfaced", dilemma=c.dilemma)
            ledger.surface(dilemmas.authored(ledger.now, self.scenario, c.dilemma,
                                             FACILITATOR))
            return
        if not c.text.strip():
            raise ExerciseError("engine.describe_dilemma")
        for role in c.roles:
            self.require_role(role)
        ledger.emit(dilemmas.flagged(ledger.now, c.text, tuple(c.roles),
                                     self.world.bases(list(c.roles), None)))

    def adjust(self, c: Adjust) -> None:
        world = self.world
        changes: dict[str, list[Any]] = {}
        for var, value in c.changes.items():
            spec = self.scenario.state.get(var)
            if spec is None:
                raise ExerciseError("engine.no_variable", variable=var)
            if spec.is_bool != isinstance(value, bool):
                raise ExerciseError("engine.variable_type", variable=var)
            old = world.state[var]
            new = world.clamp(var, value)
            if new != old:
                changes[var] = [old, new]
        if not changes:
            raise ExerciseError("engine.adjust_nothing")
        self.effects.adjust(changes, c.reason, c.by)

    def clock(self, c: SetClock) -> None:
        self.schedule.factor = c.factor
        self.ledger.emit(ClockSet(self.ledger.now, c.factor, c.by))

    def end(self, c: End) -> None:
        self.ledger.finish(None, c.by)

    # -- checks -----------------------------------------------------------------------
    def require_open(self, decision_id: str) -> OpenDecision:
        book, now = self.book, self.ledger.now
        if self.scenario.decision(decision_id) is None:
            raise ExerciseError("engine.no_decision", decision=decision_id)
        record = book.record(decision_id)
        if record is None:
            if book.was_taken(decision_id):
                raise ExerciseError("engine.decision_taken", decision=decision_id, minute=now)
            if not book.was_opened(decision_id):
                raise ExerciseError("engine.decision_not_yet", decision=decision_id,
                                    minute=now)
            raise ExerciseError("engine.decision_closed", decision=decision_id, minute=now)
        return record

    def require_inject(self, inject_id: str) -> Inject:
        inj = self.scenario.inject(inject_id)
        if inj is None:
            raise ExerciseError("engine.no_inject", inject=inject_id)
        return inj

    def require_role(self, role_id: str) -> None:
        if role_id not in self.world.roles:
            raise ExerciseError("engine.no_role", role=role_id)

    def require_actor(self, who: str) -> None:
        """`by`: a role of the scenario, or staff."""
        if who not in STAFF and who not in self.world.roles:
            raise ExerciseError("engine.no_actor", who=who)

    def require_question(self, question: str) -> None:
        phase_id, _, number = question.partition("/")
        phase = next((p for p in self.scenario.phases if p.id == phase_id), None)
        if phase is None or not number.isdigit() or not 1 <= int(number) <= len(phase.questions):
            raise ExerciseError("engine.no_question", question=question)
