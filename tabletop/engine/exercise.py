"""The Exercise: one simpy Environment per exercise, composed of parts with one job each.

```text
Exercise.apply(command)            the one door
  ├─ clock commands  → Schedule    (the simpy clock, timed and `when` triggers)
  └─ the others      → Actions     (checks, then the part that owns the change)
                          ├─ Deliveries    injects and their expectations
                          ├─ DecisionBook  decisions, deadlines, simulated players
                          ├─ Effects       state, phase, history
                          └─ Ledger        the events, the end (the bottom part)
```

Each part gets the parts it uses in its constructor and calls their public methods; the
one cycle (effects schedule injects, deliveries apply effects) is a callback the exercise
connects. Dilemma detection (`engine/dilemmas.py`) is pure functions of explicit arguments.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

import simpy

from tabletop.engine.actions import Actions
from tabletop.engine.book import DecisionBook
from tabletop.engine.book import OpenDecision as OpenDecision  # re-exported
from tabletop.engine.common import AFTER_END
from tabletop.engine.common import ExerciseError as ExerciseError  # re-exported
from tabletop.engine.deliveries import Deliveries
from tabletop.engine.effects import Effects
from tabletop.engine.ledger import Ledger
from tabletop.engine.plan import plan_of
from tabletop.engine.schedule import Schedule, StoryClock
from tabletop.engine.snapshot import ExerciseSnapshot, OpenDecisionView
from tabletop.engine.world import World
from tabletop.model.commands import Command, RunUntil
from tabletop.model.events import DilemmaSurfaced, Event, InjectDelivered
from tabletop.model.loading import LoadedScenario
from tabletop.model.scenario import Rule


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
        self.scenario = scenario = loaded.scenario
        self.seed = seed
        self.participants = frozenset(loaded.roles if participants is None else participants)
        self._plan = plan = plan_of(scenario)
        self.env: simpy.Environment = StoryClock()
        self.world = World(self.env, loaded, self.participants, plan)
        self.ledger = Ledger(self.env, self.world)
        self.schedule = Schedule(self.env, self.ledger, self.world, plan.horizon)
        self.effects = Effects(self.ledger, self.schedule, self.world, scenario)
        self.deliveries = Deliveries(self.ledger, self.schedule, self.effects, self.world,
                                     scenario)
        self.effects.scheduled = self.deliveries.scheduled
        self.book = DecisionBook(self.ledger, self.schedule, self.effects, self.world,
                                 scenario, self.participants, plan)
        self.actions = Actions(self.ledger, self.schedule, self.world, scenario,
                               self.deliveries, self.book, self.effects)
        self._wired = True
        """Its parts are connected through the clock (until the end: `_let_go`)."""
        self._arm_triggers()

    # -- the one door -----------------------------------------------------------------
    def apply(self, command: Command) -> list[Event]:
        """Carry out one command and return the events it caused (ExerciseError: it cannot
        be carried out now, and nothing changed)."""
        events = self._apply(command)
        if self._wired and self.ledger.finished:
            self._let_go()
        return events

    def _apply(self, command: Command) -> list[Event]:
        kind = command.kind
        schedule = self.schedule
        if kind == "step":
            return schedule.step()
        if isinstance(command, RunUntil):
            if command.until < self.env.now:
                raise ExerciseError("engine.cannot_go_back", minute=self.now,
                                    target=command.until)
            return schedule.run_until(command.until)
        ledger = self.ledger
        if ledger.finished and kind not in AFTER_END:
            raise ExerciseError("engine.ended")
        schedule.start()
        start = len(ledger.events)
        self.actions.handle(command)
        if not ledger.finished:
            schedule.advance_to(self.env.now)
        return ledger.events[start:]

    # -- wiring -----------------------------------------------------------------------
    def _arm_triggers(self) -> None:
        s, schedule = self.scenario, self.schedule
        schedule.arm(self._plan, self._fire)
        for index, rule in enumerate(s.rules):
            self._arm_rule(rule.id or f"regel-{index + 1}", rule)
        if s.end is not None:
            schedule.later(s.end, self._reach_end)

    def _let_go(self) -> None:
        """The story has ended: what connects the parts through the clock is dropped, so
        that a finished exercise holds no reference cycle and is freed as soon as nothing
        refers to it (see `StoryClock.let_go`). What it shows (events, state, open
        decisions, history) stays; notes and observations still apply."""
        self._wired = False
        self.schedule.let_go()
        self.effects.scheduled = _nowhere

    def _fire(self, kind: str, item: Any) -> None:
        """A trigger came (a watcher's `when` holds, its minute or its event came): its inject
        comes, its decision opens, or the story ends."""
        if kind == "inject":
            self.deliveries.trigger(item)
        elif kind == "decision":
            self.book.open(item)
        else:
            self.ledger.finish(item.id)

    def _arm_rule(self, name: str, rule: Rule) -> None:
        """A rule applies its effects at every period its `if:` holds."""
        self.schedule.every(rule.every, partial(self.effects.apply, rule.effects,
                                                f"rule:{name}"), rule.if_)

    def _reach_end(self) -> None:
        if self.env.peek() <= self.env.now:
            # Why: the story ends after everything else due at its last minute (a deadline
            # or a rule tick at `end` still applies), whatever order it was scheduled in.
            self.schedule.later(0, self._reach_end)
            return
        for out in self.scenario.outcomes:
            if out.final and (out.when is None or out.when.holds(self.world)):
                self.ledger.finish(out.id)
                return
        self.ledger.finish(None)

    # -- reading ----------------------------------------------------------------------
    @property
    def now(self) -> int:
        return int(self.env.now)

    @property
    def events(self) -> list[Event]:
        """Everything that happened, in order (read it; `apply` is how it grows)."""
        return self.ledger.events

    @property
    def finished(self) -> bool:
        return self.ledger.finished

    @property
    def outcome(self) -> str | None:
        return self.ledger.outcome

    @property
    def history(self) -> dict[str, list[tuple[int, Any]]]:
        return self.effects.history

    @property
    def clock_factor(self) -> float:
        """Story minutes per real second of the console's clock (0: stepped or paused)."""
        return self.schedule.factor

    @property
    def horizon(self) -> int:
        """The story's end, or (without one) a day after the last timed trigger."""
        return self.schedule.horizon

    def peek(self) -> int | None:
        """Story minute of the next scheduled engine event (None: nothing scheduled)."""
        return self.schedule.peek()

    def bases(self, roles: list[str], domain: str | None, purpose: str | None = None,
              crisis: bool | None = None) -> tuple[dict[str, Any], ...]:
        """Each role's legal bases for a domain now (what a dilemma names)."""
        return self.world.bases(roles, domain, purpose, crisis)

    def is_open(self, decision_id: str) -> bool:
        return self.book.record(decision_id) is not None

    def open_decision(self, decision_id: str) -> OpenDecision | None:
        return self.book.record(decision_id)

    def was_opened(self, decision_id: str) -> bool:
        """Its trigger came (it opened, or its `if:` kept it closed)."""
        return self.book.was_opened(decision_id)

    def is_done(self, inject_id: str) -> bool:
        """The inject was delivered or skipped: it will not come (again)."""
        return self.deliveries.is_done(inject_id)

    def snapshot(self) -> ExerciseSnapshot:
        """A frozen view of the exercise now."""
        world, book = self.world, self.book
        open_views = tuple(
            OpenDecisionView(r.spec.id, r.owner, r.opened_t, r.deadline_t,
                             tuple((g := book.gezag(r.spec)).ids), r.simulated,
                             tuple(m.role for m in g.mandataries))
            for r in book.open_records())
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


def _nowhere(_inject: Any, _source: str) -> None:
    """Where a `schedule:` effect goes once the story has ended (nowhere: nothing comes)."""
