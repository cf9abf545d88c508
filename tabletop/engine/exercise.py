"""The Exercise facade: one simpy Environment per exercise; every call returns its events."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

import simpy

from tabletop.engine import dilemmas
from tabletop.engine.actions import AFTER_END, FACILITATOR, Actions
from tabletop.engine.actions import ExerciseError as ExerciseError  # re-exported
from tabletop.engine.clock import ANYTHING, first_minute, reads_of, touched_by
from tabletop.engine.snapshot import ExerciseSnapshot, OpenDecisionView
from tabletop.engine.world import World
from tabletop.model.commands import Command, RunUntil
from tabletop.model.events import (
    CapacityChanged,
    DecisionBlocked,
    DecisionLapsed,
    DecisionOpened,
    DecisionTaken,
    DilemmaSurfaced,
    EffectApplied,
    Event,
    ExerciseEnded,
    ExpectationChanged,
    InjectDelivered,
    InjectSkipped,
    PhaseChanged,
)
from tabletop.model.expressions import reads_builtin
from tabletop.model.gezag import Gezag
from tabletop.model.gezag import bases as gezag_bases
from tabletop.model.loading import LoadedScenario
from tabletop.model.role import invoked_power
from tabletop.model.scenario import (
    AddEffect,
    Decision,
    Effect,
    EndEffect,
    Inject,
    Option,
    PhaseEffect,
    ScheduleEffect,
    SetEffect,
    SurfaceEffect,
)

_SILENT_STEPS = 100_000


class _AtMinute:
    """The world as an expression sees it at another story minute."""

    def __init__(self, world: World, minute: int) -> None:
        self._world = world
        self.t = minute

    def __getattr__(self, name: str) -> Any:
        return getattr(self._world, name)


@dataclass
class OpenDecision:
    spec: Decision
    owner: str | None
    opened_t: int
    deadline_t: int | None
    simulated: bool
    overlap_at_open: bool = False
    """An overlap dilemma surfaced when it opened (not surfaced again when it is taken)."""


class Exercise:
    """A running exercise. Deterministic for a scenario, seed, participants and commands.

    `apply(command)` is the only way to change it; everything else reads.

    Args:
        loaded: the scenario with its roles.
        seed: seeds the named random streams of policies (the format itself draws none).
        participants: roles played at the table; the engine plays the others. None: all.
    """

    def __init__(self, loaded: LoadedScenario, seed: int = 0,
                 participants: frozenset[str] | set[str] | None = None) -> None:
        self.loaded = loaded
        self.scenario = loaded.scenario
        self.seed = seed
        roles = set(loaded.roles)
        self.participants = frozenset(roles if participants is None else set(participants))
        self.env = simpy.Environment()
        self.world = World(self.env, loaded, self.participants)
        self.events: list[Event] = []
        self.finished = False
        self.outcome: str | None = None
        self.history: dict[str, list[tuple[int, Any]]] = {
            k: [(0, v)] for k, v in self.world.state.items()}
        self._open: dict[str, OpenDecision] = {}
        self._opened: set[str] = set()
        self._taken: set[str] = set()
        self._done_injects: set[str] = set()
        self._followers: dict[str, list[Callable[[], None]]] = {}
        self._surfaced_authored: set[str] = set()
        self._flagged: set[tuple[str, str]] = set()
        self._met_counts: dict[str, int] = {}
        self._started = False
        self._checking = False
        self._dirty = False
        self._clock_cache: tuple[Any, int | None] = (None, None)
        self._checked: tuple[int, float | None] | None = None
        """(events, minute) at the last full check of the watchers."""
        self.clock_factor = 0.0
        """Story minutes per real second of the console's clock (0: stepped or paused)."""
        self.actions = Actions(self)
        self._arm_triggers()

    # -- the one door -----------------------------------------------------------------
    def apply(self, command: Command) -> list[Event]:
        """Carry out one command and return the events it caused (ExerciseError: it cannot
        be carried out now, and nothing changed)."""
        kind = command.kind
        if kind == "step":
            return self._step()
        if isinstance(command, RunUntil):
            return self._run_until(command.until)
        if self.finished and kind not in AFTER_END:
            raise ExerciseError("engine.ended")
        if not self._started:
            self._advance_to(self.env.now)
        start = len(self.events)
        self.actions.handle(command)
        if not self.finished:
            self._advance_to(self.env.now)
        return self.events[start:]

    # -- wiring ---------------------------------------------------------------------
    def _later(self, delay: float, fn: Callable[[], None]) -> None:
        event = self.env.timeout(delay)
        event.callbacks.append(lambda _e: None if self.finished else fn())

    def _follow(self, event_id: str, delay: int, fn: Callable[[], None]) -> None:
        self._followers.setdefault(event_id, []).append(lambda: self._later(delay, fn))

    def _arm_triggers(self) -> None:
        # what waits on a `when`: ("inject" | "decision" | "outcome", the spec)
        watchers: list[tuple[str, Any]] = []
        s = self.scenario
        for inj in s.injects:
            fire = partial(self._trigger_inject, inj)
            if inj.at is not None:
                self._later(inj.at, fire)
            elif inj.after is not None:
                self._follow(inj.after.event, inj.after.delay, fire)
            elif inj.when is not None:
                watchers.append(("inject", inj))
        for dec in s.decisions:
            open_it = partial(self._open_decision, dec)
            if dec.at is not None:
                self._later(dec.at, open_it)
            elif dec.on is not None:
                self._follow(dec.on, 0, open_it)
            elif dec.after is not None:
                self._follow(dec.after.event, dec.after.delay, open_it)
            elif dec.when is not None:
                watchers.append(("decision", dec))
        for index, rule in enumerate(s.rules):
            self._arm_rule(rule.id or f"regel-{index + 1}", rule)
        for out in s.outcomes:
            if out.when is not None and not out.final:
                watchers.append(("outcome", out))
        self._watch_list: list[tuple[str, Any] | None] = list(watchers)
        """The watchers in scenario order; None where one has fired."""
        self._clocked = {i for i, (_, item) in enumerate(watchers)
                         if reads_builtin(item.when, "t")}
        """Watchers whose `when` reads the clock: they can come due between events."""
        self._readers: dict[tuple[str, ...], list[int]] = {}
        """Per key an event can touch, the watchers whose `when` reads it."""
        for index, (_, item) in enumerate(watchers):
            for key in reads_of(item.when):
                self._readers.setdefault(key, []).append(index)
        self._stale: list[int] = list(range(len(watchers)))
        """A heap of the watchers to evaluate in this pass (each may have changed)."""
        self._stale_set = set(self._stale)
        self._stale_next: set[int] = set()
        """Watchers touched during a pass at or before its position: the next pass's."""
        self._position = -1
        """The watcher the current pass is at (-1: no pass)."""
        self._stale_at: float = -1.0
        """The minute at which the clocked watchers were last evaluated."""
        if s.end is not None:
            self._later(s.end, self._reach_end)

    def _arm_rule(self, name: str, rule: Any) -> None:
        def tick() -> None:
            if rule.if_ is None or rule.if_.holds(self.world):
                self._apply_effects(rule.effects, f"rule:{name}")
            self._later(rule.every, tick)

        self._later(rule.every, tick)

    # -- emitting -------------------------------------------------------------------
    @property
    def now(self) -> int:
        return int(self.env.now)

    def _emit(self, event: Event) -> None:
        self.events.append(event)
        for key in touched_by(event):
            if key == ANYTHING:
                self._mark_stale(range(len(self._watch_list)))
            elif key in self._readers:
                self._mark_stale(self._readers[key])

    def _mark_stale(self, indices: Iterable[int]) -> None:
        """These watchers may hold now: evaluate them later in this pass, else in the next.
        Why the split: a pass evaluates the watchers in scenario order, as it always did,
        so that what fires first does not depend on which watchers were skipped."""
        for index in indices:
            if index in self._stale_set or self._watch_list[index] is None:
                continue
            if index <= self._position:
                self._stale_next.add(index)
            else:
                self._stale_set.add(index)
                heapq.heappush(self._stale, index)

    def _changed(self) -> None:
        """Fire `when` triggers and outcomes that now hold, until nothing more changes."""
        if self._checking:
            self._dirty = True
            return
        # Why: every change an expression can see (state, capacity, deliveries, decisions,
        # expectations, phase) is emitted as an event, so with no new event (and, for
        # watchers that read `t`, no new minute) every `when` is as false as last time.
        marker = (len(self.events), self.env.now if self._clocked else None)
        if marker == self._checked:
            return
        self._checking = True
        try:
            self._dirty = True
            while self._dirty and not self.finished:
                self._dirty = False
                if self._clocked and self._stale_at != self.env.now:
                    self._stale_at = self.env.now
                    self._mark_stale(self._clocked)
                while self._stale and not self.finished:
                    index = heapq.heappop(self._stale)
                    self._stale_set.discard(index)
                    self._position = index
                    watcher = self._watch_list[index]
                    if watcher is None:
                        continue
                    kind, item = watcher
                    if item.when.holds(self.world):
                        self._watch_list[index] = None
                        if kind == "inject":
                            self._trigger_inject(item)
                        elif kind == "decision":
                            self._open_decision(item)
                        else:
                            self._finish(item.id)
                self._position = -1
                if self._stale_next:
                    self._dirty = True
                    later, self._stale_next = self._stale_next, set()
                    self._mark_stale(later)
        finally:
            self._checking = False
        self._checked = (len(self.events), self.env.now if self._clocked else None)

    def _happened(self, event_id: str) -> None:
        for fn in self._followers.pop(event_id, []):
            fn()

    # -- the clock ------------------------------------------------------------------
    def _clock_moment(self, until: float) -> int | None:
        """The first whole minute in (now, until] at which a pending `when` that reads `t`
        holds. Why: such a trigger must fire at that minute however the clock is driven
        (step by step, or run to a time), or a replay would not match the exercise."""
        if not self._clocked or self.finished:
            return None
        key = (len(self.events), self.env.now, until)
        if self._clock_cache[0] == key:  # asked again before anything changed
            return self._clock_cache[1]
        pending = [entry[1].when for i in sorted(self._clocked)
                   if (entry := self._watch_list[i]) is not None]
        last = self.horizon if math.isinf(until) else int(until)
        found = first_minute(pending, lambda minute: _AtMinute(self.world, minute),
                             self.world, int(self.env.now) + 1, last) if pending else None
        self._clock_cache = (key, found)
        return found

    def _next_time(self, limit: float) -> float:
        """When something next happens: a scheduled event, or a clocked `when` before it."""
        nxt = self.env.peek()
        if not self._clocked:
            return nxt
        moment = self._clock_moment(min(nxt, limit))
        return nxt if moment is None or moment >= nxt else moment

    def _advance_to(self, t: float) -> None:
        if not self._started:
            self._started = True
            self._changed()
        env = self.env
        while not self.finished:
            nxt = self._next_time(t) if self._clocked else env.peek()
            if nxt > t:
                break
            if self._clocked and nxt < env.peek():  # a clocked `when` comes due between events
                env.run(until=nxt)
                self._changed()
                continue
            before = env.now
            env.step()
            if env.now != before:
                self._changed()
        if not self.finished and env.now < t and not math.isinf(t):
            env.run(until=t)
            self._changed()
        elif not self.finished:
            self._changed()

    def peek(self) -> int | None:
        """Story minute of the next scheduled engine event (None: nothing scheduled)."""
        if self.finished:
            return None
        nxt = self._next_time(math.inf)
        return None if math.isinf(nxt) else int(nxt)

    def _step(self) -> list[Event]:
        """Advance to the next moment at which something happens, and play all of it."""
        start = len(self.events)
        if not self._started:
            self._advance_to(self.env.now)
        silent = 0
        while not self.finished and len(self.events) == start and silent < _SILENT_STEPS:
            nxt = self._next_time(math.inf)
            if math.isinf(nxt):
                break
            self._advance_to(nxt)
            silent += 1
        return self.events[start:]

    def _run_until(self, t: int) -> list[Event]:
        """Play everything up to and including story minute `t`; the clock then reads `t`."""
        start = len(self.events)
        if t < self.env.now:
            raise ExerciseError("engine.cannot_go_back", minute=self.now, target=t)
        self._advance_to(t)
        return self.events[start:]

    @property
    def horizon(self) -> int:
        """The story's end, or (without one) a day after the last timed trigger."""
        if self.scenario.end is not None:
            return self.scenario.end
        times = [i.at for i in self.scenario.injects if i.at is not None]
        times += [d.at for d in self.scenario.decisions if d.at is not None]
        return max(times, default=0) + 1440

    # -- injects --------------------------------------------------------------------
    def _trigger_inject(self, inj: Inject, by: str | None = None) -> None:
        if inj.id in self._done_injects:
            return
        if inj.if_ is not None and not inj.if_.holds(self.world):
            self._done_injects.add(inj.id)
            self._emit(InjectSkipped(self.now, inj.id, "guard"))
            return
        self._deliver(inj, by=by)

    def _deliver(self, inj: Inject, released: bool = False, by: str | None = None) -> None:
        self._done_injects.add(inj.id)
        if inj.phase and inj.phase != self.world.phase:
            self._set_phase(inj.phase)
        self.world.delivered_ids.add(inj.id)
        self._emit(InjectDelivered(self.now, inj.id, self.world.phase, released, by))
        if inj.effects:
            self._apply_effects(inj.effects, f"inject:{inj.id}")
        if inj.expect is not None:
            self._arm_expectation(inj)
        self._happened(inj.id)
        self._changed()

    def _set_phase(self, phase: str) -> None:
        self.world.phase = phase
        self._emit(PhaseChanged(self.now, phase))

    def _arm_expectation(self, inj: Inject) -> None:
        expect = inj.expect
        assert expect is not None
        self._met_counts[inj.id] = 0
        if expect.within is not None:
            def due() -> None:
                if inj.id not in self.world.met_ids:
                    self._emit(ExpectationChanged(self.now, inj.id, "missed"))
                    target = self.scenario.inject(expect.else_) if expect.else_ else None
                    if target is not None and target.id not in self._done_injects:
                        self._deliver(target, by=f"contingency:{inj.id}")
            self._later(expect.within, due)
        if expect.every is not None:
            period = expect.every

            def recurring(seen: int = 0) -> None:
                count = self._met_counts.get(inj.id, 0)
                if count == seen:
                    self._emit(ExpectationChanged(self.now, inj.id, "missed"))
                self._later(period, lambda: recurring(count))

            self._later(period, recurring)

    # -- decisions ------------------------------------------------------------------
    def bases(self, roles: list[str], domain: str | None, purpose: str | None = None,
              crisis: bool | None = None) -> tuple[dict[str, Any], ...]:
        """Each role's legal bases for a domain now (what a dilemma names)."""
        return tuple(gezag_bases(self.world.roles, roles, domain, self.world,
                                 purpose=purpose, crisis=self.scenario.crisis
                                 if crisis is None else crisis))

    def _crisis(self, spec: Decision) -> bool:
        return self.scenario.crisis if spec.crisis is None else spec.crisis

    def _gezag(self, spec: Decision, framing: str | None = None) -> Gezag:
        domain = framing or spec.domain or ""
        return self.world.gezag_of(domain, spec.areas, domain, self._crisis(spec))

    def _open_decision(self, dec: Decision) -> None:
        if dec.id in self._opened:
            return
        if dec.if_ is not None and not dec.if_.holds(self.world):
            self._opened.add(dec.id)
            return
        self._opened.add(dec.id)
        framings = {d: self._gezag(dec, d) for d in dec.framings}
        gezag = framings[dec.framings[0]]
        holders = gezag.ids
        owner = dec.first_owner or (holders[0] if holders else None)
        simulated = owner is not None and owner not in self.participants
        deadline_t = self.now + dec.deadline if dec.deadline is not None else None
        record = OpenDecision(dec, owner, self.now, deadline_t, simulated)
        self._open[dec.id] = record
        self._emit(DecisionOpened(self.now, dec.id, owner, deadline_t, tuple(dec.consult_ids),
                                  tuple(holders), simulated,
                                  tuple(dict.fromkeys(c.role for c in dec.consent))))
        bases = self._bases_for(dec)
        self._surface(dilemmas.doel(self.now, dec, framings, bases))
        found = dilemmas.overlap(self.now, dec, gezag, dilemmas.involved(dec, owner), bases,
                                 "opened")
        if found is not None:
            record.overlap_at_open = True
            self._surface(found)
        free = {rid: int(c.level) for rid, c in self.world.containers.items()}
        others = [(o.spec, o.owner) for oid, o in self._open.items() if oid != dec.id]
        for event in dilemmas.claimed_twice(self.now, dec, owner, others, free, bases):
            self._surface(event)
        if dec.deadline is not None:
            self._later(dec.deadline, lambda: self._deadline(dec.id))
        if simulated and dec.options and (dec.deadline is None or dec.auto_delay < dec.deadline):
            self._later(dec.auto_delay, lambda: self._auto(dec.id))

    def _bases_for(self, spec: Decision) -> dilemmas.Bases:
        crisis = self._crisis(spec)
        return lambda roles, domain: self.bases(roles, domain, domain, crisis)

    def _deadline(self, decision_id: str) -> None:
        record = self._open.get(decision_id)
        if record is None or record.deadline_t is None or self.now < record.deadline_t:
            return  # taken already, or the deadline was extended (its own timer follows)
        spec = record.spec
        option = spec.option(spec.default_option) if spec.default_option else None
        if option is not None:
            self._take(record, option, by=None, default=True)
            return
        # When nobody decides, nothing is decided: no effects, no capacity, a termijn dilemma.
        del self._open[spec.id]
        self.world.lapsed.add(spec.id)
        self._emit(DecisionLapsed(self.now, spec.id, record.owner, record.deadline_t))
        self._surface(dilemmas.termijn(self.now, spec, record.owner, record.deadline_t, None,
                                       self._bases_for(spec)))
        self._happened(spec.id)
        self._changed()

    def _extend(self, record: OpenDecision, minutes: int) -> None:
        """Move an open decision's deadline `minutes` later (the old timer then does nothing)."""
        assert record.deadline_t is not None
        record.deadline_t += minutes
        self._later(record.deadline_t - self.now, lambda: self._deadline(record.spec.id))

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
        self._take(record, spec.option(choice), by=record.owner, simulated=True,
                   consent=consent, positions=positions, advice=advice)

    def _framing(self, spec: Decision, framing: str | None, by: str | None) -> str:
        """The framing given, else the first candidate the decider may decide under."""
        if framing is not None:
            if framing not in spec.framings:
                raise ExerciseError("engine.gz.no_framing", decision=spec.id, framing=framing,
                                    framings=", ".join(spec.framings))
            return framing
        for candidate in spec.framings:
            if self._gezag(spec, candidate).may_decide(by)[0]:
                return candidate
        return spec.framings[0]

    def _check_answers(self, spec: Decision, option: Option | None,
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

    def _take(self, record: OpenDecision, option: Option | None, *, by: str | None,
              advice: dict[str, str] | None = None, rationale: str = "", forum: str = "",
              answer: str = "", action_owner: str | None = None, default: bool = False,
              simulated: bool = False, framing: str | None = None,
              consent: dict[str, bool] | None = None,
              positions: dict[str, str] | None = None) -> None:
        spec = record.spec
        advice = dict(advice or {})
        consent = dict(consent or {})
        positions = dict(positions or {})
        self._check_answers(spec, option, consent, positions)
        chosen = self._framing(spec, framing, by)
        bases = self._bases_for(spec)
        if option is not None and not default:
            refused = [c.role for c in spec.consents_for(option.id)
                       if consent.get(c.role) is False]
            split = dilemmas.verdeeld(self.now, spec, positions, chosen, bases)
            blocked = "instemming" if refused else (
                "verdeeld" if split is not None and by != FACILITATOR else None)
            if blocked is not None:
                # Not taken: recorded, the dilemma surfaces, the decision stays open.
                self._emit(DecisionBlocked(
                    self.now, spec.id, option.id, by, blocked,
                    chosen if spec.domains else None, consent, positions, advice, rationale,
                    forum or spec.forum))
                if refused:
                    self._surface(dilemmas.instemming(self.now, spec, option, consent, by,
                                                      bases))
                self._surface(split)
                self._changed()
                return
        else:
            split = None
        del self._open[spec.id]
        self._taken.add(spec.id)
        gezag = self._gezag(spec, chosen)
        _, on_behalf_of = gezag.may_decide(by)
        basis, unverified, basis_of = self._invoked_basis(option, by, record.owner)
        beeld = {"state": dict(self.world.state),
                 "capacity": {rid: int(c.level) for rid, c in self.world.containers.items()}}
        self.world.decisions[spec.id] = option.id if option else ("answered" if answer else "")
        self._emit(DecisionTaken(
            self.now, spec.id, option.id if option else None, by, advice,
            rationale, forum or spec.forum, default, simulated, answer, basis, unverified,
            action_owner, beeld, basis_of, chosen if spec.domains else None, consent,
            positions, on_behalf_of))
        if default:
            self._surface(dilemmas.termijn(self.now, spec, record.owner, record.deadline_t,
                                           option.id if option else None, bases))
        else:
            self._surface(dilemmas.bevoegdheid(self.now, spec, gezag, by, self.world.roles,
                                               bases))
            if not record.overlap_at_open:
                self._surface(dilemmas.overlap(
                    self.now, spec, gezag,
                    dilemmas.involved(spec, record.owner, by, advice, consent, positions),
                    bases, "taken"))
            if option is not None:
                self._surface(dilemmas.advies(self.now, spec, option, by, advice, bases,
                                              chosen))
                self._surface(dilemmas.instemming(self.now, spec, option, consent, by, bases))
            self._surface(split)
            deciders = [by] if by in self.world.roles else spec.owners or (
                [record.owner] if record.owner else [])
            rests = [i for iid in spec.rests_on
                     if (i := self.scenario.inject(iid)) is not None
                     and iid in self.world.delivered_ids]
            self._surface(dilemmas.informatie(
                self.now, spec, rests, [r for r in deciders if r], list(consent),
                [v.role for v in spec.formal_voices if v.role in advice], chosen, bases))
        if option is not None:
            self._claim(option, f"{spec.id}/{option.id}", by)
            self._apply_effects(option.effects, f"{spec.id}/{option.id}")
        self._happened(spec.id)
        self._changed()

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

    def _claim(self, option: Option, source: str, by: str | None = None) -> None:
        decision_id = source.split("/")[0]
        spec = self.scenario.decision(decision_id)
        for rid, amount in option.uses.items():
            container = self.world.containers[rid]
            free = int(container.level)
            take = min(amount, free)
            if take > 0:
                container.get(take)
            self._emit(CapacityChanged(self.now, rid, -take, int(container.level), source,
                                       amount))
            if take < amount:
                holders = self._gezag(spec).ids if spec else []
                roles = list(dict.fromkeys(
                    r for r in [by if by in self.world.roles else None, *holders] if r))
                self._surface(dilemmas.shortage(
                    self.now, spec, decision_id, rid, amount, free, source.split("/")[-1],
                    roles, self._bases_for(spec) if spec else
                    (lambda roles, domain: self.bases(roles, domain))))
            if take > 0 and option.for_ is not None:
                self._later(option.for_, partial(self._return, rid, take, source))

    def _return(self, rid: str, amount: int, source: str) -> None:
        container = self.world.containers[rid]
        container.put(amount)
        self._emit(CapacityChanged(self.now, rid, amount, int(container.level), source))
        self._changed()

    # -- effects --------------------------------------------------------------------
    def _apply_effects(self, effects: list[Effect], source: str) -> None:
        for effect in effects:
            if self.finished:
                return
            if isinstance(effect, (SetEffect, AddEffect)):
                changes: dict[str, list[Any]] = {}
                items = effect.set.items() if isinstance(effect, SetEffect) else effect.add.items()
                for var, value in items:
                    old = self.world.state[var]
                    new = self.world.clamp(var, value if isinstance(effect, SetEffect)
                                           else old + value)
                    if new != old:
                        self.world.state[var] = new
                        changes[var] = [old, new]
                        self.history[var].append((self.now, new))
                if changes:
                    self._emit(EffectApplied(self.now, source, changes))
            elif isinstance(effect, ScheduleEffect):
                target = self.scenario.inject(effect.schedule.inject)
                if target is not None:
                    self._later(effect.schedule.delay, partial(self._scheduled, target, source))
            elif isinstance(effect, SurfaceEffect):
                self._surface(dilemmas.authored(self, effect.surface, source))
            elif isinstance(effect, PhaseEffect):
                if effect.phase != self.world.phase:
                    self._set_phase(effect.phase)
            elif isinstance(effect, EndEffect):
                self._finish(effect.end)
        self._changed()

    def _scheduled(self, inj: Inject, source: str) -> None:
        """A `schedule:` effect's inject arrives (unless it already came or was skipped)."""
        if inj.id not in self._done_injects:
            self._deliver(inj, by=source)

    def _surface(self, event: DilemmaSurfaced | None) -> None:
        if event is None:
            return
        if event.kind == "authored":
            if event.dilemma in self._surfaced_authored:
                return
            self._surfaced_authored.add(event.dilemma or "")
        self._emit(event)

    # -- the end --------------------------------------------------------------------
    def _reach_end(self) -> None:
        if self.env.peek() <= self.env.now:
            # Why: the story ends after everything else due at its last minute (a deadline
            # or a rule tick at `end` still applies), whatever order it was scheduled in.
            self._later(0, self._reach_end)
            return
        for out in self.scenario.outcomes:
            if out.final and (out.when is None or out.when.holds(self.world)):
                self._finish(out.id)
                return
        self._finish(None)

    def _finish(self, outcome: str | None, by: str | None = None) -> None:
        if self.finished:
            return
        self.finished = True
        self.outcome = outcome
        self._emit(ExerciseEnded(self.now, outcome, dict(self.world.state), by))

    # -- views ----------------------------------------------------------------------
    def is_open(self, decision_id: str) -> bool:
        return decision_id in self._open

    def open_decision(self, decision_id: str) -> OpenDecision | None:
        return self._open.get(decision_id)

    def snapshot(self) -> ExerciseSnapshot:
        """A frozen view of the exercise now."""
        world = self.world
        open_views = tuple(
            OpenDecisionView(r.spec.id, r.owner, r.opened_t, r.deadline_t,
                             tuple((g := self._gezag(r.spec)).ids), r.simulated,
                             tuple(m.role for m in g.mandataries))
            for r in self._open.values())
        return ExerciseSnapshot(
            t=self.now,
            clock=self.scenario.start + timedelta(minutes=self.now),
            phase=world.phase,
            state=dict(world.state),
            capacity={rid: (int(c.level), self.scenario.resources[rid].capacity)
                      for rid, c in world.containers.items()},
            open_decisions=open_views,
            gezag={d: tuple(h) for d, h in world.gezag().items()},
            dilemmas=tuple(e for e in self.events if isinstance(e, DilemmaSurfaced)),
            delivered=tuple(e.inject for e in self.events if isinstance(e, InjectDelivered)),
            finished=self.finished,
            outcome=self.outcome,
            history={k: tuple(v) for k, v in self.history.items()},
            next_t=self.peek(),
        )
