"""A condition on the story clock is found at its minute without trying every minute."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tabletop.engine.clock import breakpoints
from tabletop.engine.exercise import Exercise
from tabletop.model.commands import Step
from tabletop.model.expressions import Expression, parse_expression
from tabletop.model.loading import LoadedScenario


def test_comparisons_with_t_give_their_breakpoints() -> None:
    class At:
        state = {"vertraging": 2}
        levels: dict[str, int] = {}
        t = 0
        phase = None

    find = breakpoints("t >= 240 + vertraging * 60 and not (t > 900)")
    assert find is not None and sorted(find(At())) == [360.0, 900.0]  # type: ignore[arg-type]
    assert breakpoints("t % 5 == 2") is None  # any other use of t: minute by minute
    assert breakpoints(str(parse_expression("vertraging > 1"))) is not None


def test_a_late_clock_condition_fires_at_its_minute_without_trying_each_minute(
        scenario: Callable[[str], LoadedScenario], monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = scenario("""\
        end: 129000m
        state:
          vertraging: {label: V, initial: 3}
        injects:
          - {id: laat, when: t >= 120000 + vertraging, from: X, channel: melding, title: L}
          - {id: ritme, when: t >= 100 and t % 7 == 3, from: X, channel: melding, title: R}
        """)
    ex = Exercise(loaded)
    tried = 0
    holds = Expression.holds

    def counted(self: Expression, context: Any) -> bool:
        nonlocal tried
        tried += 1
        return holds(self, context)

    monkeypatch.setattr(Expression, "holds", counted)
    first = ex.apply(Step())
    second = ex.apply(Step())
    assert [(e.t, e.type) for e in first] == [(101, "inject")]  # 101 % 7 == 3
    assert [(e.t, e.type) for e in second] == [(120003, "inject")]
    assert tried < 1000, f"{tried} evaluations: the clock should jump, not count minutes"
