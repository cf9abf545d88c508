"""The world an expression sees: state, capacity, what was delivered, decided and met."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import simpy

from tabletop.engine.plan import Plan, clamp_to, plan_of
from tabletop.model.expressions import resource_name
from tabletop.model.gezag import AuthorityIndex, Gezag, Question, ask, bases, domains_held
from tabletop.model.loading import LoadedScenario
from tabletop.model.role import Role


class Stock:
    """One resource's capacity in an exercise: how much of it is free now (`level`). Not a
    simpy Container: nothing here waits for capacity (a claim takes what is free and a
    shortage surfaces as a dilemma), so a container's events would only be extra steps."""

    __slots__ = ("capacity", "_free", "_rid", "_levels", "_name")

    def __init__(self, capacity: int, rid: str, free: dict[str, int], levels: dict[str, int],
                 name: str) -> None:
        self.capacity = capacity
        self._free, self._rid = free, rid
        self._levels, self._name = levels, name
        """The world's `free` (by resource id) and `levels` (by name in expressions): the
        level is kept there, under both names, and nowhere else."""
        free[rid] = levels[name] = capacity

    @property
    def level(self) -> int:
        return self._free[self._rid]

    def take(self, amount: int) -> None:
        assert 0 <= amount <= self.level
        self._set(self.level - amount)

    def give(self, amount: int) -> None:
        assert 0 <= amount and self.level + amount <= self.capacity
        self._set(self.level + amount)

    def _set(self, level: int) -> None:
        self._free[self._rid] = self._levels[self._name] = level


class World:
    """Mutable exercise state; also the evaluation context of expressions."""

    def __init__(self, env: simpy.Environment, loaded: LoadedScenario,
                 participants: frozenset[str], plan: Plan | None = None) -> None:
        scenario = loaded.scenario
        self.env = env
        self.scenario = scenario
        self.roles: dict[str, Role] = loaded.roles
        self._authority = AuthorityIndex.of(self.roles)
        self.participants = participants
        plan = plan or plan_of(scenario)
        self.state: dict[str, Any] = dict(plan.initial)
        self._bounds = plan.bounds
        self.free: dict[str, int] = {}
        """What is free of each resource now, by its id (read it, do not change it)."""
        self.levels: dict[str, int] = {}
        """What is free of each resource, by its name in expressions (`res.me_pelotons`);
        kept current as capacity is claimed and returned (read it, do not change it)."""
        self.containers = {rid: Stock(r.capacity, rid, self.free, self.levels,
                                      resource_name(rid))
                           for rid, r in scenario.resources.items()}
        self.phase: str | None = scenario.phases[0].id if scenario.phases else None
        self.delivered_ids: set[str] = set()
        self.met_ids: set[str] = set()
        self.decisions: dict[str, str] = {}
        """Decision id -> chosen option id (or "answered" for open decisions)."""
        self.lapsed: set[str] = set()
        """Decisions whose deadline passed with nobody deciding (`decided()` reads none)."""
        self.places: dict[str, str | None] = plan.places
        """Area id -> its region id (the plan's: read, never changed)."""

    # -- the expression context ------------------------------------------------------
    @property
    def t(self) -> float:
        return self.env.now

    def decided(self, decision_id: str) -> str | None:
        return self.decisions.get(decision_id)

    def delivered(self, inject_id: str) -> bool:
        return inject_id in self.delivered_ids

    def met(self, inject_id: str) -> bool:
        return inject_id in self.met_ids

    def present(self, role_id: str) -> bool:
        return role_id in self.participants

    # -- state changes ----------------------------------------------------------------
    def clamp(self, var: str, value: Any) -> Any:
        return clamp_to(self._bounds[var], value)

    # -- gezag ------------------------------------------------------------------------
    def gezag_of(self, domain: str, areas: list[str] | tuple[str, ...] = (),
                 purpose: str | None = None, crisis: bool | None = None) -> Gezag:
        """Who holds `domain` in `areas` now (see `tabletop.model.gezag.holders`)."""
        return self.ask(Question.of(domain, areas, self.places, purpose,
                                    self.scenario.crisis if crisis is None else crisis))

    def ask(self, question: Question) -> Gezag:
        """The answer to a gezag question now (one worked out once: `plan.Facts`)."""
        return ask(self._authority, question, self)

    def holders(self, domain: str, areas: list[str] | tuple[str, ...] = (),
                purpose: str | None = None, crisis: bool | None = None) -> list[str]:
        """Roles that hold gezag over `domain` now (in the scenario's role order)."""
        return list(self.gezag_of(domain, areas, purpose, crisis).ids)

    def authority_bases(self, role_id: str, domain: str, purpose: str | None = None,
                        crisis: bool | None = None) -> list[dict[str, Any]]:
        found = bases(self.roles, [role_id], domain, self, purpose=purpose,
                      crisis=self.scenario.crisis if crisis is None else crisis)
        return [] if found and found[0]["basis"] is None else found

    def bases(self, roles: Sequence[str], domain: str | None, purpose: str | None = None,
              crisis: bool | None = None) -> tuple[dict[str, Any], ...]:
        """Each role's legal bases for a domain now (what a dilemma names). Kept, like the
        holders, by what the domain's conditions read; each caller gets its own dicts."""
        crisis = self.scenario.crisis if crisis is None else crisis
        if not domain:
            return _bases(self.roles, roles, domain, self, purpose, crisis)
        kept = self._authority.answer(domain, ("bases", tuple(roles), purpose, crisis), self,
                                      _bases, self.roles, roles, domain, self, purpose, crisis)
        return tuple(map(dict, kept))

    def gezag(self) -> dict[str, list[str]]:
        """Every domain any role of the scenario holds, with its holders now."""
        return {d: self.holders(d) for d in domains_held(self.roles)}


def _bases(roles: dict[str, Role], role_ids: Sequence[str], domain: str | None, context: Any,
           purpose: str | None, crisis: bool) -> tuple[dict[str, Any], ...]:
    return tuple(bases(roles, role_ids, domain, context, purpose=purpose, crisis=crisis))
