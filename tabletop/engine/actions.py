"""What people do in an exercise: decide, release, skip, write, mark, observe, flag, end.

A mixin of `Exercise`: each action checks that it can be carried out now (else
ExerciseError, whose message says why) and returns the events it caused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from tabletop.engine import dilemmas
from tabletop.errors import TabletopUserError
from tabletop.model.events import (
    AdHocInject,
    Event,
    ExpectationChanged,
    InjectSkipped,
    NoteAdded,
    ObservationAdded,
)
from tabletop.model.scenario import Inject, Option

if TYPE_CHECKING:
    from tabletop.engine.exercise import Exercise, OpenDecision

FACILITATOR = "facilitator"
RATINGS = ("P", "S", "M", "U")


class ExerciseError(TabletopUserError):
    """A facilitator action that cannot be carried out now (the message says why)."""


class FacilitatorActions:
    """The public actions of `Exercise` (which provides the state they work on)."""

    if TYPE_CHECKING:
        from tabletop.engine.world import World
        from tabletop.model.scenario import Scenario

        scenario: Scenario
        world: World
        events: list[Event]
        finished: bool
        _open: dict[str, OpenDecision]
        _opened: set[str]
        _taken: set[str]
        _done_injects: set[str]
        _surfaced_authored: set[str]
        _met_counts: dict[str, int]

        @property
        def now(self) -> int: ...
        def _act(self, fn: Callable[[], None]) -> list[Event]: ...
        def _take(self, record: OpenDecision, option: Option | None, *, by: str | None,
                  advice: dict[str, str] | None = None, rationale: str = "", forum: str = "",
                  answer: str = "", action_owner: str | None = None, default: bool = False,
                  simulated: bool = False, framing: str | None = None,
                  consent: dict[str, bool] | None = None,
                  positions: dict[str, str] | None = None) -> None: ...
        def _deliver(self, inj: Inject, released: bool = False, by: str | None = None) -> None: ...
        def _emit(self, event: Event) -> None: ...
        def _changed(self) -> None: ...
        def _surface(self, event: Any) -> None: ...
        def _finish(self, outcome: str | None, by: str | None = None) -> None: ...

    def decide(self, decision_id: str, option: str | None = None, *, by: str,
               advice: dict[str, str] | None = None, rationale: str = "", forum: str = "",
               answer: str = "", action_owner: str | None = None,
               framing: str | None = None, consent: dict[str, bool] | None = None,
               positions: dict[str, str] | None = None) -> list[Event]:
        """Take an open decision: an option (or, for an open question, an answer in text)."""
        def act() -> None:
            record = self._require_open(decision_id)
            spec = record.spec
            chosen = None
            if spec.options:
                if option is None:
                    ids = ", ".join(o.id for o in spec.options)
                    raise ExerciseError(f"decision '{decision_id}' needs an option ({ids})")
                chosen = spec.option(option)
                if chosen is None:
                    ids = ", ".join(o.id for o in spec.options)
                    raise ExerciseError(f"decision '{decision_id}' has no option '{option}' "
                                        f"(options: {ids})")
            elif option is not None:
                raise ExerciseError(f"decision '{decision_id}' is an open question: give an "
                                    "answer in text, not an option")
            elif not answer.strip():
                raise ExerciseError(f"decision '{decision_id}' is an open question: the "
                                    "answer is empty")
            self._require_role(by)
            for role in advice or {}:
                self._require_role(role)
            self._take(record, chosen, by=by, advice=advice, rationale=rationale, forum=forum,
                       answer=answer, action_owner=action_owner, framing=framing,
                       consent=consent, positions=positions)
        return self._act(act)

    def release(self, inject_id: str, by: str = FACILITATOR) -> list[Event]:
        """Deliver an inject now: a manual one, or one ahead of its trigger."""
        def act() -> None:
            inj = self._require_inject(inject_id)
            if inj.id in self.world.delivered_ids:
                raise ExerciseError(f"inject '{inject_id}' was already delivered")
            self._deliver(inj, released=True, by=by)
        return self._act(act)

    def skip(self, inject_id: str) -> list[Event]:
        """Keep an inject from the players: its trigger will do nothing."""
        def act() -> None:
            inj = self._require_inject(inject_id)
            if inj.id in self._done_injects:
                raise ExerciseError(f"inject '{inject_id}' was already delivered or skipped")
            self._done_injects.add(inj.id)
            self._emit(InjectSkipped(self.now, inj.id, "facilitator"))
        return self._act(act)

    def adhoc(self, title: str, text: str, sender: str = FACILITATOR,
              to: tuple[str, ...] = (), channel: str = "melding") -> list[Event]:
        """Deliver a message the facilitator writes now."""
        def act() -> None:
            if not title.strip():
                raise ExerciseError("an ad-hoc inject needs a title")
            self._emit(AdHocInject(self.now, title, text, sender, tuple(to), channel))
        return self._act(act)

    def mark_met(self, inject_id: str, by: str = FACILITATOR) -> list[Event]:
        """Mark an inject's expectation met (its contingency will not follow)."""
        def act() -> None:
            inj = self._require_inject(inject_id)
            if inj.expect is None:
                raise ExerciseError(f"inject '{inject_id}' expects nothing")
            if inj.id not in self.world.delivered_ids:
                raise ExerciseError(f"inject '{inject_id}' has not been delivered yet")
            if inj.id in self.world.met_ids and inj.expect.every is None:
                raise ExerciseError(f"the expectation of '{inject_id}' was already met")
            self.world.met_ids.add(inj.id)
            self._met_counts[inj.id] = self._met_counts.get(inj.id, 0) + 1
            self._emit(ExpectationChanged(self.now, inj.id, "met", by))
            self._changed()
        return self._act(act)

    def note(self, text: str, by: str = FACILITATOR, lovp: bool = False,
             question: str | None = None, owner: str | None = None) -> list[Event]:
        """Add a note: for the LOVP agenda (with the role to take it up), or answering a
        discussion question."""
        def act() -> None:
            if not text.strip():
                raise ExerciseError("the note is empty")
            if question is not None:
                self._require_question(question)
            if owner is not None:
                self._require_role(owner)
            self._emit(NoteAdded(self.now, by, text, lovp, question, owner))
        return self._act(act)

    def observe(self, text: str, by: str = "observator", inject: str | None = None,
                rating: str | None = None) -> list[Event]:
        """Add an evaluator's observation with an optional HSEEP rating."""
        def act() -> None:
            if not text.strip():
                raise ExerciseError("the observation is empty")
            if inject is not None:
                self._require_inject(inject)
            if rating is not None and rating not in RATINGS:
                raise ExerciseError(f"rating '{rating}' is not one of P, S, M, U")
            self._emit(ObservationAdded(self.now, by, text, inject, rating))
        return self._act(act)

    def flag_dilemma(self, dilemma_id: str | None = None, text: str = "",
                     roles: tuple[str, ...] = ()) -> list[Event]:
        """Mark a dilemma by hand: an authored one, or one described in text."""
        def act() -> None:
            if dilemma_id is not None:
                if self.scenario.dilemma(dilemma_id) is None:
                    raise ExerciseError(f"no dilemma '{dilemma_id}' in this scenario")
                event = dilemmas.authored(cast("Exercise", self), dilemma_id, FACILITATOR)
                if dilemma_id in self._surfaced_authored:
                    raise ExerciseError(f"dilemma '{dilemma_id}' has already surfaced")
                self._surface(event)
            else:
                if not text.strip():
                    raise ExerciseError("describe the dilemma")
                for role in roles:
                    self._require_role(role)
                self._emit(dilemmas.flagged(cast("Exercise", self), text, roles))
        return self._act(act)

    def end(self, by: str = FACILITATOR) -> list[Event]:
        """End the exercise now, without an outcome."""
        return self._act(lambda: self._finish(None, by))

    # -- checks ---------------------------------------------------------------------
    def _require_open(self, decision_id: str) -> OpenDecision:
        if self.scenario.decision(decision_id) is None:
            raise ExerciseError(f"no decision '{decision_id}' in this scenario")
        record = self._open.get(decision_id)
        if record is None:
            state = "was already taken" if decision_id in self._taken else "is not open"
            if decision_id not in self._opened:
                state = "has not opened yet"
            raise ExerciseError(f"decision '{decision_id}' {state} (minute {self.now})")
        return record

    def _require_inject(self, inject_id: str) -> Inject:
        inj = self.scenario.inject(inject_id)
        if inj is None:
            raise ExerciseError(f"no inject '{inject_id}' in this scenario")
        return inj

    def _require_role(self, role_id: str) -> None:
        if role_id != FACILITATOR and role_id not in self.world.roles:
            raise ExerciseError(f"no role '{role_id}' in this scenario")

    def _require_question(self, question: str) -> None:
        phase_id, _, number = question.partition("/")
        phase = next((p for p in self.scenario.phases if p.id == phase_id), None)
        if phase is None or not number.isdigit() or not 1 <= int(number) <= len(phase.questions):
            raise ExerciseError(f"no discussion question '{question}' (write phase/N)")

