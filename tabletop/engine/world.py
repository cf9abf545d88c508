"""The world an expression sees: state, capacity, what was delivered, decided and met."""

from __future__ import annotations

from typing import Any

import simpy

from tabletop.model.expressions import resource_name
from tabletop.model.loading import LoadedScenario
from tabletop.model.role import Role


class World:
    """Mutable exercise state; also the evaluation context of expressions."""

    def __init__(self, env: simpy.Environment, loaded: LoadedScenario,
                 participants: frozenset[str]) -> None:
        scenario = loaded.scenario
        self.env = env
        self.scenario = scenario
        self.roles: dict[str, Role] = loaded.roles
        self.participants = participants
        self.state: dict[str, Any] = {}
        for var, spec in scenario.state.items():
            self.state[var] = self.clamp(var, spec.initial)
        self.containers = {
            rid: simpy.Container(env, capacity=max(r.capacity, 1), init=r.capacity)
            for rid, r in scenario.resources.items()
        }
        self._level_names = {rid: resource_name(rid) for rid in scenario.resources}
        self.phase: str | None = scenario.phases[0].id if scenario.phases else None
        self.delivered_ids: set[str] = set()
        self.met_ids: set[str] = set()
        self.decisions: dict[str, str] = {}
        """Decision id -> chosen option id (or "answered" for open decisions)."""

    # -- the expression context ------------------------------------------------------
    @property
    def t(self) -> float:
        return self.env.now

    @property
    def levels(self) -> dict[str, int]:
        return {self._level_names[rid]: int(c.level) for rid, c in self.containers.items()}

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
        spec = self.scenario.state[var]
        if spec.is_bool:
            return bool(value)
        if spec.min is not None:
            value = max(spec.min, value)
        if spec.max is not None:
            value = min(spec.max, value)
        return int(value) if float(value).is_integer() else round(float(value), 6)

    # -- gezag ------------------------------------------------------------------------
    def holders(self, domain: str) -> list[str]:
        """Scenario roles that hold gezag over `domain` now (in the scenario's role order)."""
        out = []
        for rid, role in self.roles.items():
            for entry in role.authority:
                if entry.domain == domain and (entry.when is None or entry.when.holds(self)):
                    out.append(rid)
                    break
        return out

    def authority_bases(self, role_id: str, domain: str) -> list[dict[str, Any]]:
        role = self.roles.get(role_id)
        if role is None:
            return []
        return [{"role": role_id, "basis": e.basis, "unverified": e.unverified,
                 "active": e.when is None or e.when.holds(self),
                 "when": str(e.when) if e.when is not None else None}
                for e in role.authority if e.domain == domain]

    def gezag(self) -> dict[str, list[str]]:
        """Every domain any role of the scenario holds, with its holders now."""
        domains = sorted({e.domain for r in self.roles.values() for e in r.authority})
        return {d: self.holders(d) for d in domains}
