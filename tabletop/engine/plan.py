"""What every exercise of one scenario starts from, worked out once per scenario.

An exercise arms the same triggers, watches the same `when` conditions and starts from the
same state in every run of a scenario; a batch run plays a scenario thousands of times and
the console replays it at every resume. `plan_of(scenario)` gives that start, kept per
scenario object (a loaded scenario is frozen, never changed in place). No run changes a
plan: the exercise copies what it changes (the watch list, the state).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tabletop.engine.clock import Key, reads_of
from tabletop.model.expressions import reads_builtin
from tabletop.model.scenario import Decision, Scenario


def clamp(scenario: Scenario, var: str, value: Any) -> Any:
    """A value of a state variable within its bounds (and its kind: bool or number)."""
    spec = scenario.state[var]
    if spec.is_bool:
        return bool(value)
    if spec.min is not None:
        value = max(spec.min, value)
    if spec.max is not None:
        value = min(spec.max, value)
    return int(value) if float(value).is_integer() else round(float(value), 6)


Arming = tuple[str, Any, int, str, Any]
"""("later", minute, 0, kind, spec) or ("follow", event id, delay, kind, spec): one trigger,
in the order the exercise arms them (that order is the order of equal-time events)."""


@dataclass(frozen=True)
class Opening:
    """What a decision's opening reads of its spec, worked out once (the spec's properties
    build a new list at every call)."""

    framings: tuple[str, ...]
    first_owner: str | None
    consult_ids: tuple[str, ...]
    consent_roles: tuple[str, ...]
    """The roles whose consent it asks, each once, in order."""

    @classmethod
    def of(cls, dec: Decision) -> Opening:
        return cls(tuple(dec.framings), dec.first_owner, tuple(dec.consult_ids),
                   tuple(dict.fromkeys(c.role for c in dec.consent)))


@dataclass(frozen=True)
class Plan:
    arming: tuple[Arming, ...]
    """The injects' and decisions' own triggers, in scenario order."""
    watchers: tuple[tuple[str, Any], ...]
    """("inject" | "decision" | "outcome", spec) for every `when:` trigger, in order."""
    clocked: frozenset[int]
    """The watchers whose `when` reads the clock `t`."""
    readers: dict[Key, tuple[int, ...]]
    """Per key an event can touch, the watchers whose `when` reads it."""
    initial: dict[str, Any]
    """The state at minute 0 (clamped)."""
    claims: dict[str, dict[str, int]]
    """Per decision, the largest amount of each resource one of its options uses."""
    openings: dict[str, tuple[Decision, Opening]]
    """Per decision id, the spec and what its opening reads of it (see `opening_of`)."""


def _build(s: Scenario) -> Plan:
    arming: list[Arming] = []
    watchers: list[tuple[str, Any]] = []
    for inj in s.injects:
        if inj.at is not None:
            arming.append(("later", inj.at, 0, "inject", inj))
        elif inj.after is not None:
            arming.append(("follow", inj.after.event, inj.after.delay, "inject", inj))
        elif inj.when is not None:
            watchers.append(("inject", inj))
    for dec in s.decisions:
        if dec.at is not None:
            arming.append(("later", dec.at, 0, "decision", dec))
        elif dec.on is not None:
            arming.append(("follow", dec.on, 0, "decision", dec))
        elif dec.after is not None:
            arming.append(("follow", dec.after.event, dec.after.delay, "decision", dec))
        elif dec.when is not None:
            watchers.append(("decision", dec))
    for out in s.outcomes:
        if out.when is not None and not out.final:
            watchers.append(("outcome", out))
    readers: dict[Key, list[int]] = {}
    for index, (_, item) in enumerate(watchers):
        for key in reads_of(item.when):
            readers.setdefault(key, []).append(index)
    return Plan(
        arming=tuple(arming), watchers=tuple(watchers),
        clocked=frozenset(i for i, (_, item) in enumerate(watchers)
                          if reads_builtin(item.when, "t")),
        readers={key: tuple(found) for key, found in readers.items()},
        initial={var: clamp(s, var, spec.initial) for var, spec in s.state.items()},
        claims={dec.id: largest_claims(dec) for dec in s.decisions},
        openings={dec.id: (dec, Opening.of(dec)) for dec in s.decisions})


def opening_of(plan: Plan, dec: Decision) -> Opening:
    """What `dec`'s opening reads of it: kept in the plan, made anew for a spec the plan
    does not hold under that id."""
    kept = plan.openings.get(dec.id)
    return kept[1] if kept is not None and kept[0] is dec else Opening.of(dec)


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
