"""The ledger: what happened in one exercise, in order, and whether it has ended.

Every part of the engine records what it changes here as a typed event (`emit`); the
schedule listens, to know which `when` conditions may have changed. It is the bottom of the
engine's parts: it imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

from tabletop.engine.world import World
from tabletop.model.events import DilemmaSurfaced, Event, ExerciseEnded


class Ledger:
    """The events of one exercise and its end."""

    def __init__(self, env: simpy.Environment, world: World) -> None:
        self.env = env
        self.world = world
        self.events: list[Event] = []
        self.finished = False
        self.outcome: str | None = None
        self._listeners: list[tuple[Callable[[Event], None], frozenset[type]]] = []
        self._quiet: frozenset[type] = frozenset()
        """The kinds of event no listener hears."""
        self._authored: set[str] = set()
        self.now = int(env.now)
        """The story minute, what every event is stamped with: set by the schedule, the
        one part that moves the clock, as it moves it (an attribute, not a property that
        asks the clock: it is read for every event)."""

    def listen(self, listener: Callable[[Event], None],
               unheard: frozenset[type] = frozenset()) -> None:
        """Call `listener` with every event emitted from now on, but those of the kinds
        (exactly those classes) in `unheard`. Listening again replaces what is unheard."""
        if self._listeners:
            self.unlisten(listener)
        self._listeners.append((listener, unheard))
        self._quiet = frozenset.intersection(*(u for _, u in self._listeners)) \
            if len(self._listeners) > 1 else unheard

    def unlisten(self, listener: Callable[[Event], None]) -> None:
        """Stop calling `listener` (equal to the one given to `listen`)."""
        self._listeners = [pair for pair in self._listeners if pair[0] != listener]
        self._quiet = frozenset.intersection(*(u for _, u in self._listeners)) \
            if self._listeners else frozenset()

    def emit(self, event: Event) -> None:
        self.events.append(event)
        if type(event) in self._quiet:  # (no listener hears its kind)
            return
        for listener, unheard in self._listeners:
            if type(event) not in unheard:
                listener(event)

    def surface(self, event: DilemmaSurfaced | None) -> None:
        """A dilemma surfaces; an authored dilemma surfaces once."""
        if event is None:
            return
        if event.kind == "authored":
            if event.dilemma in self._authored:
                return
            self._authored.add(event.dilemma or "")
        self.emit(event)

    def surfaced(self, dilemma_id: str) -> bool:
        """Has this authored dilemma surfaced?"""
        return dilemma_id in self._authored

    def finish(self, outcome: str | None, by: str | None = None) -> None:
        if self.finished:
            return
        self.finished = True
        self.outcome = outcome
        self.emit(ExerciseEnded(self.now, outcome, dict(self.world.state), by))
