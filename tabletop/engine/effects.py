"""Effects and the state's history: what an inject, an option or a rule changes.

`Effects.apply` carries out a list of effects (set, add, schedule, surface, phase, end) and
records every change of a variable in `history`; `adjust` is the facilitator's correction
of the state. A `schedule:` effect hands its inject to `scheduled`, which the exercise
connects to the deliveries (they in turn apply effects: the one cycle between parts is a
callback, not an import).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from tabletop.engine import dilemmas
from tabletop.engine.ledger import Ledger
from tabletop.engine.schedule import Schedule
from tabletop.engine.world import World
from tabletop.model.events import EffectApplied, PhaseChanged, StateAdjusted
from tabletop.model.scenario import (
    AddEffect,
    Effect,
    EndEffect,
    Inject,
    PhaseEffect,
    Scenario,
    ScheduleEffect,
    SetEffect,
    SurfaceEffect,
)


class Effects:
    """Changes to the state, the phase and the story, with the state's history."""

    def __init__(self, ledger: Ledger, schedule: Schedule, world: World,
                 scenario: Scenario) -> None:
        self.ledger = ledger
        self.schedule = schedule
        self.world = world
        self.scenario = scenario
        self.history: dict[str, list[tuple[int, Any]]] = {
            k: [(0, v)] for k, v in world.state.items()}
        """Variable -> (minute, value) at every change, from minute 0."""
        self.scheduled: Callable[[Inject, str], None] = lambda _inj, _source: None
        """Delivers a `schedule:` effect's inject when it is due (set by the exercise)."""

    def apply(self, effects: list[Effect], source: str) -> None:
        ledger, world = self.ledger, self.world
        for effect in effects:
            if ledger.finished:
                return
            if isinstance(effect, (SetEffect, AddEffect)):
                adding = isinstance(effect, AddEffect)
                values = effect.add if isinstance(effect, AddEffect) else effect.set
                changes: dict[str, list[Any]] = {}
                state, clamp = world.state, world.clamp
                for var, value in values.items():
                    old = state[var]
                    new = clamp(var, old + value if adding else value)
                    if new != old:
                        state[var] = new
                        changes[var] = [old, new]
                        self.history[var].append((ledger.now, new))
                if changes:
                    ledger.emit(EffectApplied(ledger.now, source, changes))
            elif isinstance(effect, ScheduleEffect):
                target = self.scenario.inject(effect.schedule.inject)
                if target is not None:
                    self.schedule.later(effect.schedule.delay,
                                        partial(self.scheduled, target, source))
            elif isinstance(effect, SurfaceEffect):
                ledger.surface(dilemmas.authored(ledger.now, self.scenario, effect.surface,
                                                 source))
            elif isinstance(effect, PhaseEffect):
                if effect.phase != world.phase:
                    self.set_phase(effect.phase)
            elif isinstance(effect, EndEffect):
                ledger.finish(effect.end)
        self.schedule.changed()

    def set_phase(self, phase: str) -> None:
        self.world.phase = phase
        self.ledger.emit(PhaseChanged(self.ledger.now, phase))

    def adjust(self, changes: dict[str, list[Any]], reason: str, by: str) -> None:
        """The facilitator sets variables (`changes`: var -> [old, new], already checked)."""
        ledger = self.ledger
        for var, (_, new) in changes.items():
            self.world.state[var] = new
            self.history[var].append((ledger.now, new))
        ledger.emit(StateAdjusted(ledger.now, changes, reason, by))
        self.schedule.changed()
