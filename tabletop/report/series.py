"""Each state variable, and the free capacity of each resource, as steps over story time."""

from __future__ import annotations

from collections.abc import Sequence

from tabletop.i18n.names import Names
from tabletop.model.events import CapacityChanged, EffectApplied, Event, StateAdjusted
from tabletop.model.loading import LoadedScenario
from tabletop.report.document import clean
from tabletop.report.model import StateSeries


def _number(value: object) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


def _step(points: list[tuple[int, float]], t: int, value: float) -> None:
    """Append a step; a second change in the same minute replaces the first."""
    if points and points[-1][0] == t:
        points[-1] = (t, value)
    else:
        points.append((t, value))


def state_series(events: Sequence[Event], loaded: LoadedScenario,
                 names: Names) -> list[StateSeries]:
    """Variables in the scenario's order, then resources; values as the log records them."""
    s = loaded.scenario
    values: dict[str, list[tuple[int, float]]] = {}
    for var, spec in s.state.items():
        start = _number(spec.initial)
        if not spec.is_bool:
            if spec.min is not None:
                start = max(start, spec.min)
            if spec.max is not None:
                start = min(start, spec.max)
        values[var] = [(0, start)]
    free: dict[str, list[tuple[int, float]]] = {
        rid: [(0, float(r.capacity))] for rid, r in s.resources.items()}
    for e in events:
        if isinstance(e, (EffectApplied, StateAdjusted)):
            for var, change in e.changes.items():
                if var in values and isinstance(change, list) and len(change) == 2:
                    _step(values[var], e.t, _number(change[1]))
        elif isinstance(e, CapacityChanged) and e.resource in free:
            _step(free[e.resource], e.t, float(e.level))
    out = [StateSeries(var, clean(names.variable(var)), clean(spec.unit), tuple(values[var]),
                       None if spec.is_bool else spec.min,
                       None if spec.is_bool else spec.max, spec.is_bool)
           for var, spec in s.state.items()]
    out += [StateSeries(rid, clean(names.resource(rid)), "", tuple(free[rid]), 0.0,
                        float(r.capacity), False, capacity=True)
            for rid, r in s.resources.items()]
    return out
