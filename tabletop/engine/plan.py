"""What every exercise of one scenario starts from, worked out once per scenario.

An exercise arms the same triggers, watches the same `when` conditions and starts from the
same state in every run of a scenario; a batch run plays a scenario thousands of times and
the console replays it at every resume. `plan_of(scenario)` gives that start, kept per
scenario object (a loaded scenario is frozen, never changed in place). No run changes a
plan: the exercise copies what it changes (the watch list, the state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tabletop.engine.clock import Key, reads_of, unheard
from tabletop.model.expressions import reads_builtin
from tabletop.model.gezag import Question
from tabletop.model.scenario import Decision, Option, Scenario


def horizon_of(scenario: Scenario) -> int:
    """The story's end, or (without one) a day after the last timed trigger."""
    if scenario.end is not None:
        return scenario.end
    times = [i.at for i in scenario.injects if i.at is not None]
    times += [d.at for d in scenario.decisions if d.at is not None]
    return max(times, default=0) + 1440


Bounds = tuple[bool, Any, Any]
"""A state variable's kind and bounds: (a bool, its min, its max)."""


def clamp(scenario: Scenario, var: str, value: Any) -> Any:
    """A value of a state variable within its bounds (and its kind: bool or number)."""
    spec = scenario.state[var]
    return clamp_to((spec.is_bool, spec.min, spec.max), value)


def clamp_to(bounds: Bounds, value: Any) -> Any:
    """A value within `bounds` (and of its kind: bool or number)."""
    is_bool, low, high = bounds
    if is_bool:
        return bool(value)
    if low is not None:
        value = max(low, value)
    if high is not None:
        value = min(high, value)
    return int(value) if float(value).is_integer() else round(float(value), 6)


Trigger = tuple[str, Any]
"""("inject" | "decision" | "outcome", its spec): what comes when a trigger does."""


@dataclass(frozen=True)
class Facts:
    """What the engine reads of a decision's spec when it opens and when it is taken,
    worked out once per scenario (the spec's properties build a new list at every call)."""

    framings: tuple[str, ...]
    owners: tuple[str, ...]
    first_owner: str | None
    areas: tuple[str, ...]
    crisis: bool
    """Whether it concerns the crisis (its own `crisis:`, else the scenario's)."""
    consult_ids: tuple[str, ...]
    consent_roles: tuple[str, ...]
    """The roles whose consent it asks, each once, in order."""
    default: Option | None
    """The option applied at the deadline (None: it lapses)."""
    around: tuple[str, ...]
    """Its owners and consulted roles, each once, in order (a termijn dilemma names them
    after the owner)."""
    questions: dict[str, Question]
    """Per framing, who holds it in the decision's areas: the question (`World.ask`)."""
    claims: dict[str, int]
    """The largest amount of each resource one of its options uses (`largest_claims`)."""
    asked: tuple[str, ...]
    """The roles it consults, then those whose consent it asks (`dilemmas.involved`)."""
    question: Question
    """Who holds its first framing (its domain) in its areas: the question."""
    _after: dict[str | None, tuple[str, ...]] = field(default_factory=dict, compare=False,
                                                      repr=False)
    """`termijn_roles` per owner, as asked."""


    @classmethod
    def of(cls, dec: Decision, scenario_crisis: bool,
           places: Mapping[str, str | None]) -> Facts:
        chosen = dec.default_option
        crisis = scenario_crisis if dec.crisis is None else dec.crisis
        areas = tuple(dec.areas)
        consult = tuple(dec.consult_ids)
        consent = tuple(dict.fromkeys(c.role for c in dec.consent))
        questions = {d: Question.of(d, areas, places, d, crisis) for d in dec.framings}
        return cls(tuple(dec.framings), tuple(dec.owners), dec.first_owner, areas, crisis,
                   consult, consent,
                   dec.option(chosen) if chosen else None,
                   tuple(dict.fromkeys(r for r in (*dec.owners, *dec.consult_ids) if r)),
                   questions, largest_claims(dec), consult + consent,
                   questions[dec.framings[0]])

    def termijn_roles(self, owner: str | None) -> tuple[str, ...]:
        """The owner, then its owners and consulted roles, each once."""
        found = self._after.get(owner)
        if found is None:
            found = self._after[owner] = (owner, *(r for r in self.around if r != owner)) \
                if owner else self.around
        return found


@dataclass(frozen=True)
class Plan:
    timed: tuple[tuple[int, Trigger], ...]
    """The injects' and decisions' `at:` triggers with their minute, in scenario order (the
    order they are armed in is the order of equal-time events)."""
    followers: dict[str, tuple[tuple[int, Trigger], ...]]
    """Per event id, the `after:`/`on:` triggers waiting for it, with their delay, in
    scenario order."""
    watchers: tuple[Trigger, ...]
    """("inject" | "decision" | "outcome", spec) for every `when:` trigger, in order."""
    clocked: frozenset[int]
    """The watchers whose `when` reads the clock `t`."""
    readers: dict[Key, tuple[int, ...]]
    """Per key an event can touch, the watchers whose `when` reads it."""
    unheard: frozenset[type]
    """The kinds of event that touch nothing a watcher reads (`clock.unheard`)."""
    initial: dict[str, Any]
    """The state at minute 0 (clamped)."""
    bounds: dict[str, Bounds]
    """Per state variable, its kind and bounds (`clamp_to`)."""
    facts: dict[str, tuple[Decision, Facts]]
    """Per decision id, the spec and what the engine reads of it (see `facts_of`)."""
    crisis: bool
    """The scenario's `crisis:` (what a decision without its own concerns)."""
    places: dict[str, str | None]
    """Area id -> its region id (the scenario's `areas:`; read, never changed)."""
    horizon: int
    """The story's end, or (without one) a day after the last timed trigger."""


def _build(s: Scenario) -> Plan:
    timed: list[tuple[int, Trigger]] = []
    followers: dict[str, list[tuple[int, Trigger]]] = {}
    watchers: list[Trigger] = []
    for inj in s.injects:
        if inj.at is not None:
            timed.append((inj.at, ("inject", inj)))
        elif inj.after is not None:
            followers.setdefault(inj.after.event, []).append((inj.after.delay, ("inject", inj)))
        elif inj.when is not None:
            watchers.append(("inject", inj))
    for dec in s.decisions:
        if dec.at is not None:
            timed.append((dec.at, ("decision", dec)))
        elif dec.on is not None:
            followers.setdefault(dec.on, []).append((0, ("decision", dec)))
        elif dec.after is not None:
            followers.setdefault(dec.after.event, []).append(
                (dec.after.delay, ("decision", dec)))
        elif dec.when is not None:
            watchers.append(("decision", dec))
    for out in s.outcomes:
        if out.when is not None and not out.final:
            watchers.append(("outcome", out))
    places = {a: spec.region for a, spec in s.areas.items()}
    readers: dict[Key, list[int]] = {}
    for index, (_, item) in enumerate(watchers):
        for key in reads_of(item.when):
            readers.setdefault(key, []).append(index)
    return Plan(
        timed=tuple(timed), followers={k: tuple(v) for k, v in followers.items()},
        watchers=tuple(watchers),
        clocked=frozenset(i for i, (_, item) in enumerate(watchers)
                          if reads_builtin(item.when, "t")),
        readers={key: tuple(found) for key, found in readers.items()},
        unheard=unheard(readers),
        initial={var: clamp(s, var, spec.initial) for var, spec in s.state.items()},
        bounds={var: (spec.is_bool, spec.min, spec.max) for var, spec in s.state.items()},
        facts={dec.id: (dec, Facts.of(dec, s.crisis, places)) for dec in s.decisions},
        crisis=s.crisis, places=places, horizon=horizon_of(s))


def facts_of(plan: Plan, dec: Decision) -> Facts:
    """What the engine reads of `dec`: kept in the plan, made anew for a spec the plan does
    not hold under that id."""
    kept = plan.facts.get(dec.id)
    return kept[1] if kept is not None and kept[0] is dec else Facts.of(dec, plan.crisis,
                                                                         plan.places)


def largest_claims(dec: Decision) -> dict[str, int]:
    """The most of each resource any one option of the decision uses."""
    out: dict[str, int] = {}
    for option in dec.options:
        for rid, amount in option.uses.items():
            out[rid] = max(out.get(rid, 0), amount)
    return out


_kept: dict[int, tuple[Scenario, Plan]] = {}


def plan_of(scenario: Scenario) -> Plan:
    """The scenario's plan, kept for the last few scenario objects (held, so their ids stay
    theirs)."""
    kept = _kept.get(id(scenario))
    if kept is not None and kept[0] is scenario:
        return kept[1]
    plan = _build(scenario)
    if len(_kept) >= 32:
        _kept.pop(next(iter(_kept)))
    _kept[id(scenario)] = (scenario, plan)
    return plan
