"""Autoplay: policies that play every role (and, for `random`, the facilitator) in batch runs."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.model.commands import Command, Decide, MarkMet, Release, RunUntil
from tabletop.model.events import DecisionOpened, Event, InjectDelivered

POLICIES = ("random", "default", "first")

Send = Callable[[Command], list[Event]]


def stream(seed: int | str, name: str) -> random.Random:
    """A named random stream: stable across processes and Python versions."""
    return random.Random(f"{seed}:{name}")


@lru_cache(maxsize=8192)
def _run_until(t: int) -> RunUntil:
    """The policy's clock command. Why cached: commands are immutable, batch runs of one
    scenario advance to the same minutes again and again, and making a validated command
    per step would cost a batch run a quarter of its time."""
    return RunUntil(until=t, origin="policy")


class Autoplayer:
    """Plays an exercise to its end under a policy, deterministically for a seed."""

    def __init__(self, ex: Exercise, policy: str, seed: int | str,
                 send: Send | None = None) -> None:
        if policy not in POLICIES:
            raise ValueError(f"unknown policy {policy!r}")
        self.ex = ex
        self.send: Send = send or ex.apply
        """Applies the policy's commands (journalled, when the caller journals)."""
        self.policy = policy
        self.rng = stream(seed, f"policy:{policy}")
        self._plan: list[tuple[int, int, Command]] = []
        self._order = 0
        self.horizon = ex.horizon

    def _at(self, t: int, command: Command) -> None:
        heapq.heappush(self._plan, (t, self._order, command))
        self._order += 1

    def _react(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, DecisionOpened) and not event.simulated:
                self._plan_decision(event)
            elif (isinstance(event, InjectDelivered) and self.policy == "random"):
                self._plan_expectation(event.inject)

    def _plan_decision(self, opened: DecisionOpened) -> None:
        ex, rng = self.ex, self.rng
        spec = ex.scenario.decision(opened.decision)
        assert spec is not None
        by = opened.owner or (spec.consult[0] if spec.consult else "facilitator")
        if self.policy != "random":
            if not spec.options:
                return
            choice = spec.default if (self.policy == "default" and spec.default) else \
                spec.options[0].id
            self._at(ex.now, Decide(decision=spec.id, option=choice, by=by, origin="policy"))
            return
        if opened.deadline_t is not None and rng.random() < 0.2:
            return  # nobody decides: the deadline applies the default
        latest = (opened.deadline_t - 1) if opened.deadline_t is not None else ex.now + 180
        when = rng.randint(ex.now, max(ex.now, latest))
        if not spec.options:
            if rng.random() < 0.6:
                self._at(when, Decide(decision=spec.id, by=by, answer="Besproken.",
                                      origin="policy"))
            return
        option_ids = [o.id for o in spec.options]
        choice = rng.choice(option_ids)
        advice = {role: rng.choice(option_ids) for role in spec.consult}
        if rng.random() < 0.15:  # sometimes another role than the owner takes it
            by = rng.choice(sorted(ex.world.roles))
        self._at(when, Decide(decision=spec.id, option=choice, by=by, advice=advice,
                              origin="policy"))

    def _plan_expectation(self, inject_id: str) -> None:
        inj = self.ex.scenario.inject(inject_id)
        if inj is None or inj.expect is None or self.rng.random() < 0.4:
            return
        window = inj.expect.within or inj.expect.every or 120
        when = self.ex.now + self.rng.randint(0, max(window - 1, 0))
        self._at(when, MarkMet(inject=inject_id, origin="policy"))

    def _plan_facilitator(self) -> None:
        for inj in self.ex.scenario.injects:
            if inj.manual and self.rng.random() < 0.5:
                when = self.rng.randint(0, max(self.horizon - 1, 0))
                self._at(when, Release(inject=inj.id, origin="policy"))

    def play(self) -> list[Event]:
        ex = self.ex
        if self.policy == "random":
            self._plan_facilitator()
        while not ex.finished:
            next_engine = ex.peek()
            if self._plan and (next_engine is None or self._plan[0][0] <= next_engine):
                when, _, command = heapq.heappop(self._plan)
                if when > self.horizon:
                    break
                self._react(self.send(_run_until(max(when, ex.now))))
                if ex.finished:
                    break
                try:
                    self._react(self.send(command))
                except ExerciseError:
                    pass  # the moment passed: decided by default, inject already out, ...
                continue
            if next_engine is None or next_engine > self.horizon:
                break
            # exactly one moment: plans stay on time
            self._react(self.send(_run_until(next_engine)))
        return ex.events


def autoplay(ex: Exercise, policy: str, seed: int | str) -> list[Event]:
    return Autoplayer(ex, policy, seed).play()


def run_summary(ex: Exercise) -> dict[str, Any]:
    """What one run contributes to a batch summary."""
    from tabletop.model.events import DecisionTaken, DilemmaSurfaced

    delivered = {e.inject for e in ex.events if isinstance(e, InjectDelivered)}
    chosen = {(e.decision, e.option) for e in ex.events
              if isinstance(e, DecisionTaken) and e.option}
    authored = {e.dilemma for e in ex.events
                if isinstance(e, DilemmaSurfaced) and e.kind == "authored"}
    kinds = {e.kind for e in ex.events if isinstance(e, DilemmaSurfaced)}
    return {"outcome": ex.outcome if ex.finished else None, "state": dict(ex.world.state),
            "delivered": delivered, "chosen": chosen, "authored": authored, "kinds": kinds,
            "events": len(ex.events)}
