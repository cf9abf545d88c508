"""A frozen view of an exercise at one moment, for the UI, reports and tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tabletop.model.events import DilemmaSurfaced


@dataclass(frozen=True)
class OpenDecisionView:
    decision: str
    owner: str | None
    opened_t: int
    deadline_t: int | None
    holders: tuple[str, ...]
    """Who holds gezag over the decision's domain now."""
    simulated: bool
    acting_for: tuple[str, ...] = ()
    """Mandatarissen who may decide in a holder's name (`acts_for`): not a second gezag."""

    @property
    def disputed(self) -> bool:
        """Gezag over the domain is held by more than one role, or not by the owner (a
        mandataris deciding for a holder is not a dispute)."""
        return len(self.holders) > 1 or (self.owner is not None and self.owner not in
                                         self.holders and self.owner not in self.acting_for)


@dataclass(frozen=True)
class ExerciseSnapshot:
    t: int
    clock: datetime
    """The story's date and time."""
    phase: str | None
    state: dict[str, Any]
    capacity: dict[str, tuple[int, int]]
    """Resource id -> (free, capacity)."""
    open_decisions: tuple[OpenDecisionView, ...]
    gezag: dict[str, tuple[str, ...]]
    """Domain -> roles holding gezag over it now."""
    dilemmas: tuple[DilemmaSurfaced, ...]
    delivered: tuple[str, ...]
    finished: bool
    outcome: str | None
    history: dict[str, tuple[tuple[int, Any], ...]] = field(default_factory=dict)
    """Variable -> ((t, value), ...) at every change, starting at minute 0."""
    next_t: int | None = None
    """When the engine next has something to do (None: nothing scheduled)."""
