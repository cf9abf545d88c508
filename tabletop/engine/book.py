"""The decision book: decisions opening, their deadlines, simulated players, and taking
them (consent, joint positions, framings, the power invoked, capacity claimed, dilemmas).

Dilemma detection is `engine/dilemmas.py`: pure functions of explicit arguments; the book
gathers those arguments and surfaces what they find in the ledger.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from tabletop.engine import dilemmas
from tabletop.engine.common import FACILITATOR, ExerciseError
from tabletop.engine.effects import Effects
from tabletop.engine.ledger import Ledger
from tabletop.engine.plan import Facts, Plan, facts_of, plan_of
from tabletop.engine.schedule import Schedule
from tabletop.engine.world import World
from tabletop.model.events import (
    CapacityChanged,
    DeadlineExtended,
    DecisionBlocked,
    DecisionLapsed,
    DecisionOpened,
    DecisionTaken,
)
from tabletop.model.gezag import Gezag, Question
from tabletop.model.role import invoked_power
from tabletop.model.scenario import Decision, Option, Scenario


@dataclass
class OpenDecision:
    spec: Decision
    owner: str | None
    opened_t: int
    deadline_t: int | None
    simulated: bool
    facts: Facts = field(repr=False, compare=False)
    """What the engine reads of its spec (the plan's)."""
    overlap_at_open: bool = False
    """An overlap dilemma surfaced when it opened (not surfaced again when it is taken)."""


class DecisionBook:
    """The decisions of one exercise: open, taken, or closed without a choice."""

    def __init__(self, ledger: Ledger, schedule: Schedule, effects: Effects, world: World,
                 scenario: Scenario, participants: frozenset[str],
                 plan: Plan | None = None) -> None:
        self.ledger = ledger
        self.schedule = schedule
        self.effects = effects
        self.world = world
        self.scenario = scenario
        self.participants = participants
        self._open: dict[str, OpenDecision] = {}
        self._opened: set[str] = set()
        self._taken: set[str] = set()
        self._plan = plan or plan_of(scenario)
        self._readers = (self._bases_reader(False), self._bases_reader(True))
        """The roles' bases as a decision reads them: not concerning the crisis, concerning
        it (`bases_for`)."""

    # -- reading ----------------------------------------------------------------------
    def record(self, decision_id: str) -> OpenDecision | None:
        """The open decision (None: not open)."""
        return self._open.get(decision_id)

    def open_records(self) -> Iterator[OpenDecision]:
        """The open decisions, in the order they opened."""
        return iter(self._open.values())

    def was_opened(self, decision_id: str) -> bool:
        """Its trigger came (it opened, or its `if:` kept it closed)."""
        return decision_id in self._opened

    def was_taken(self, decision_id: str) -> bool:
        return decision_id in self._taken

    def _bases_reader(self, crisis: bool) -> dilemmas.Bases:
        world = self.world

        def bases(roles: Sequence[str], domain: str | None) -> tuple[dict[str, Any], ...]:
            return world.bases(roles, domain, domain, crisis)

        return bases

    def gezag(self, spec: Decision, framing: str | None = None,
              facts: Facts | None = None) -> Gezag:
        """Who holds the decision's domain (or `framing`) in its areas now."""
        facts = facts or facts_of(self._plan, spec)
        domain = framing or spec.domain or ""
        question = facts.questions.get(domain)
        if question is None:
            question = Question.of(domain, facts.areas, self.world.places, domain, facts.crisis)
        return self.world.ask(question)

    def bases_for(self, spec: Decision) -> dilemmas.Bases:
        """(roles, domain) -> their legal bases for the domain now, as this decision reads
        them (its crisis)."""
        return self._readers[facts_of(self._plan, spec).crisis]

    # -- opening and closing ----------------------------------------------------------
    def open(self, dec: Decision) -> None:
        """Its trigger came: it opens (unless its `if:` does not hold)."""
        if dec.id in self._opened:
            return
        ledger = self.ledger
        if dec.if_ is not None and not dec.if_.holds(self.world):
            self._opened.add(dec.id)
            return
        decision_id = dec.id
        self._opened.add(decision_id)
        now = ledger.now
        facts = facts_of(self._plan, dec)
        ask = self.world.ask
        if len(facts.questions) == 1:  # one framing (the most): no doel dilemma
            framings = None
            gezag = ask(facts.question)
        else:
            framings = {d: ask(q) for d, q in facts.questions.items()}
            gezag = framings[facts.framings[0]]
        holders = gezag.ids
        owner = facts.first_owner or (holders[0] if holders else None)
        simulated = owner is not None and owner not in self.participants
        deadline = dec.deadline
        deadline_t = None if deadline is None else now + deadline
        record = OpenDecision(dec, owner, now, deadline_t, simulated, facts)
        self._open[decision_id] = record
        ledger.emit(DecisionOpened(now, decision_id, owner, deadline_t, facts.consult_ids,
                                   holders, simulated, facts.consent_roles))
        bases = self._readers[facts.crisis]
        if framings is not None:
            ledger.surface(dilemmas.doel(now, dec, framings, bases))
        found = dilemmas.overlap(
            now, dec, gezag, dilemmas.involved(owner, facts.owners, facts.asked), bases,
            "opened") if len(gezag.holders) > 1 else None
        if found is not None:
            record.overlap_at_open = True
            ledger.surface(found)
        mine = facts.claims
        if mine:
            free = dict(self.world.free)
            others = [(o.spec, o.owner, theirs) for oid, o in self._open.items()
                      if oid != dec.id and (theirs := o.facts.claims)]
            for event in dilemmas.claimed_twice(now, dec, owner, mine, others, free, bases):
                ledger.surface(event)
        if deadline is not None:
            self.schedule.later(deadline, partial(self._deadline, decision_id))
        if simulated and dec.options and (deadline is None or dec.auto_delay < deadline):
            self.schedule.later(dec.auto_delay, partial(self._auto, decision_id))

    def _deadline(self, decision_id: str) -> None:
        record = self._open.get(decision_id)
        ledger = self.ledger
        if record is None or record.deadline_t is None or ledger.now < record.deadline_t:
            return  # taken already, or the deadline was extended (its own timer follows)
        spec = record.spec
        facts = record.facts
        option = facts.default
        if option is not None:
            self.take(record, option, by=None, default=True)
            return
        # When nobody decides, nothing is decided: no effects, no capacity, a termijn dilemma.
        del self._open[spec.id]
        self.world.lapsed.add(spec.id)
        ledger.emit(DecisionLapsed(ledger.now, spec.id, record.owner, record.deadline_t))
        ledger.surface(dilemmas.termijn(ledger.now, spec, facts.termijn_roles(record.owner),
                                        record.deadline_t, None, self._readers[facts.crisis]))
        self.schedule.happened(spec.id)
        self.schedule.changed()

    def extend(self, record: OpenDecision, minutes: int, by: str) -> None:
        """Move an open decision's deadline `minutes` later (the old timer then does nothing)."""
        assert record.deadline_t is not None
        ledger = self.ledger
        record.deadline_t += minutes
        self.schedule.later(record.deadline_t - ledger.now,
                            lambda: self._deadline(record.spec.id))
        ledger.emit(DeadlineExtended(ledger.now, record.spec.id, record.deadline_t, by))

    def _auto(self, decision_id: str) -> None:
        record = self._open.get(decision_id)
        if record is None:
            return
        spec = record.spec
        choice = spec.auto or spec.default_option or spec.options[0].id
        # The engine plays the roles nobody plays: they agree, and formal voices are heard.
        consent = {c.role: True for c in spec.consents_for(choice)
                   if c.role not in self.participants}
        positions = {o: choice for o in spec.owners} if spec.joint else {}
        advice = {v.role: choice for v in spec.formal_voices if v.role not in self.participants}
        self.take(record, spec.option(choice), by=record.owner, simulated=True,
                  consent=consent, positions=positions, advice=advice)

    # -- taking -----------------------------------------------------------------------
    def _framing(self, spec: Decision, framing: str | None, by: str | None,
                 facts: Facts) -> str:
        """The framing given, else the first candidate the decider may decide under."""
        framings = facts.framings
        if framing is not None:
            if framing not in framings:
                raise ExerciseError("engine.gz.no_framing", decision=spec.id, framing=framing,
                                    framings=", ".join(framings))
            return framing
        if by is None or len(framings) == 1:  # nobody decides (a default), or no choice
            return framings[0]
        for candidate in framings:
            if self.gezag(spec, candidate, facts).may_decide(by)[0]:
                return candidate
        return framings[0]

    @staticmethod
    def _check_answers(spec: Decision, option: Option | None,
                       consent: dict[str, bool], positions: dict[str, str]) -> None:
        for role in consent:
            if role not in {c.role for c in spec.consent}:
                raise ExerciseError("engine.gz.no_consent_asked", decision=spec.id, role=role)
        for role, value in positions.items():
            if role not in spec.owners:
                raise ExerciseError("engine.gz.not_owner", role=role, decision=spec.id,
                                    owners=", ".join(spec.owners) or "—")
            if spec.option(value) is None:
                raise ExerciseError("engine.gz.no_position", value=value, role=role,
                                    decision=spec.id)
        agreed = set(positions.values())
        if option is not None and len(agreed) == 1 and option.id not in agreed:
            raise ExerciseError("engine.gz.owners_agree", decision=spec.id,
                                agreed=agreed.pop(), option=option.id)

    def take(self, record: OpenDecision, option: Option | None, *, by: str | None,
             advice: dict[str, str] | None = None, rationale: str = "", forum: str = "",
             answer: str = "", action_owner: str | None = None, default: bool = False,
             simulated: bool = False, framing: str | None = None,
             consent: dict[str, bool] | None = None,
             positions: dict[str, str] | None = None) -> None:
        """Take an open decision (ExerciseError before anything changed: it cannot be)."""
        ledger, world = self.ledger, self.world
        spec = record.spec
        facts = record.facts
        advice = dict(advice) if advice else {}
        consent = dict(consent) if consent else {}
        positions = dict(positions) if positions else {}
        if consent or positions:  # (without either there is nothing to check)
            self._check_answers(spec, option, consent, positions)
        chosen = facts.framings[0] if framing is None and (
            by is None or len(facts.framings) == 1) else self._framing(spec, framing, by, facts)
        bases = self._readers[facts.crisis]
        now = ledger.now
        if option is not None and not default:
            refused = [c.role for c in spec.consents_for(option.id)
                       if consent.get(c.role) is False]
            split = dilemmas.verdeeld(now, spec, positions, chosen, bases)
            blocked = "instemming" if refused else (
                "verdeeld" if split is not None and by != FACILITATOR else None)
            if blocked is not None:
                # Not taken: recorded, the dilemma surfaces, the decision stays open.
                ledger.emit(DecisionBlocked(
                    now, spec.id, option.id, by, blocked,
                    chosen if spec.domains else None, consent, positions, advice, rationale,
                    forum or spec.forum))
                if refused:
                    ledger.surface(dilemmas.instemming(now, spec, option, consent, by, bases))
                ledger.surface(split)
                self.schedule.changed()
                return
        else:
            split = None
        del self._open[spec.id]
        self._taken.add(spec.id)
        # Nobody decides a default: it is taken in no one's name, and no gezag dilemma of
        # the decider's (bevoegdheid, overlap) follows, so the holders are not needed.
        gezag = self.gezag(spec, chosen, facts) if by is not None else None
        on_behalf_of = gezag.may_decide(by)[1] if gezag is not None else None
        basis, unverified, basis_of = (None, False, None) if option is None or (
            option.power is None) else self._invoked_basis(option, by, record.owner)
        beeld = {"state": dict(world.state), "capacity": dict(world.free)}
        world.decisions[spec.id] = option.id if option else ("answered" if answer else "")
        ledger.emit(DecisionTaken(
            now, spec.id, option.id if option else None, by, advice,
            rationale, forum or spec.forum, default, simulated, answer, basis, unverified,
            action_owner, beeld, basis_of, chosen if spec.domains else None, consent,
            positions, on_behalf_of))
        if default:
            ledger.surface(dilemmas.termijn(now, spec, facts.termijn_roles(
                record.owner), record.deadline_t, option.id if option else None, bases))
        else:
            if gezag is None:  # (a decision taken by nobody is a default: see above)
                gezag = self.gezag(spec, chosen, facts)
            ledger.surface(dilemmas.bevoegdheid(now, spec, gezag, by, world.roles, bases))
            if not record.overlap_at_open:
                ledger.surface(dilemmas.overlap(
                    now, spec, gezag,
                    dilemmas.involved(record.owner, facts.owners, facts.asked, by, advice, consent,
                                      positions),
                    bases, "taken"))
            if option is not None:
                ledger.surface(dilemmas.advies(now, spec, option, by, advice, bases, chosen))
                ledger.surface(dilemmas.instemming(now, spec, option, consent, by, bases))
            ledger.surface(split)
            deciders = [by] if by in world.roles else spec.owners or (
                [record.owner] if record.owner else [])
            rests = [i for iid in spec.rests_on
                     if (i := self.scenario.inject(iid)) is not None
                     and iid in world.delivered_ids]
            ledger.surface(dilemmas.informatie(
                now, spec, rests, [r for r in deciders if r], list(consent),
                [v.role for v in spec.formal_voices if v.role in advice], chosen, bases))
        if option is not None:
            source = f"{spec.id}/{option.id}"
            if option.uses:  # (no resources used: nothing to claim)
                self._claim(option, source, by)
            if option.effects:
                self.effects.apply(option.effects, source)
            else:  # (what applying no effects does)
                self.schedule.changed()
        self.schedule.happened(spec.id)
        self.schedule.changed()

    def _invoked_basis(self, option: Option | None, by: str | None,
                       owner: str | None) -> tuple[str | None, bool, str | None]:
        """The power the option names: the decider's, else the owner's (and whose it is)."""
        if option is None or option.power is None:
            return None, False, None
        found = invoked_power(self.world.roles, option.power, (by, owner))
        if found is None:
            return None, False, None
        rid, power = found
        return f"{power.label}: {power.basis}", power.unverified, rid

    # -- capacity ---------------------------------------------------------------------
    def _claim(self, option: Option, source: str, by: str | None = None) -> None:
        ledger, world = self.ledger, self.world
        decision_id = source.split("/")[0]
        spec = self.scenario.decision(decision_id)
        for rid, amount in option.uses.items():
            container = world.containers[rid]
            free = int(container.level)
            take = min(amount, free)
            if take > 0:
                container.take(take)
            ledger.emit(CapacityChanged(ledger.now, rid, -take, int(container.level), source,
                                        amount))
            if take < amount:
                holders = self.gezag(spec).ids if spec else []
                roles = list(dict.fromkeys(
                    r for r in [by if by in world.roles else None, *holders] if r))
                ledger.surface(dilemmas.shortage(
                    ledger.now, spec, decision_id, rid, amount, free, source.split("/")[-1],
                    roles, self.bases_for(spec) if spec else
                    (lambda roles, domain: world.bases(roles, domain))))
            if take > 0 and option.for_ is not None:
                self.schedule.later(option.for_, partial(self._return, rid, take, source))

    def _return(self, rid: str, amount: int, source: str) -> None:
        container = self.world.containers[rid]
        container.give(amount)
        self.ledger.emit(CapacityChanged(self.ledger.now, rid, amount, int(container.level),
                                         source))
        self.schedule.changed()
