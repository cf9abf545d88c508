"""Triggers and effects, one small scenario each, compared as literal `(t, type, id)` lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tabletop.engine.exercise import Exercise
from tabletop.model.commands import Decide, Release, RunUntil, Step
from tabletop.model.events import (
    EffectApplied,
    ExerciseEnded,
    InjectDelivered,
    InjectSkipped,
)

Make = Callable[..., Exercise]
Trace = Callable[[Any], list[tuple[int, str, Any]]]


def test_at_delivers_at_its_minute_and_end_stops_the_story(make: Make, trace: Trace) -> None:
    ex = make("""
        end: 1h
        injects:
          - {id: b, at: 30m, from: X, to: [burgemeester], channel: melding, title: B}
          - {id: a, at: 10m, from: X, to: [burgemeester], channel: melding, title: A}
          - {id: c, at: 2h, from: X, to: [burgemeester], channel: melding, title: C}
    """)
    assert trace(ex.apply(RunUntil(until=ex.horizon))) == [
        (10, "inject", "a"),
        (30, "inject", "b"),
        (60, "end", None),
    ]
    assert ex.finished and ex.now == 60


def test_after_waits_for_an_inject_or_a_decision_plus_its_delay(make: Make, trace: Trace) -> None:
    ex = make("""
        injects:
          - {id: a, at: 10m, from: X, to: [burgemeester], channel: melding, title: A}
          - {id: b, after: {event: a, delay: 15m}, from: X, to: [burgemeester],
             channel: melding, title: B}
          - {id: c, after: {event: d}, from: X, to: [burgemeester], channel: melding, title: C}
          - {id: e, after: {event: d, delay: 1h}, from: X, to: [burgemeester],
             channel: melding, title: E}
        decisions:
          - id: d
            after: {event: b, delay: 5m}
            question: Q
            domain: openbare-orde
            options: [{id: ja, label: Ja}]
    """)
    assert trace(ex.apply(RunUntil(until=30))) == [
        (10, "inject", "a"),
        (25, "inject", "b"),
        (30, "decision_opened", "d"),
    ]
    assert trace(ex.apply(Decide(decision="d", option="ja", by="burgemeester"))) == [
        (30, "decision", "d:ja"),
        (30, "inject", "c"),
    ]
    assert trace(ex.apply(RunUntil(until=ex.horizon))) == [(90, "inject", "e")]


def test_when_fires_once_the_first_moment_it_holds(make: Make, trace: Trace) -> None:
    ex = make("""
        end: 1h
        state:
          x: {label: X, initial: 0}
        injects:
          - {id: w, when: x >= 2, from: X, to: [burgemeester], channel: melding, title: W}
        rules:
          - {id: groei, every: 10m, effects: [{add: {x: 1}}]}
    """)
    assert trace(ex.apply(RunUntil(until=ex.horizon))) == [
        (10, "effect", "rule:groei"),
        (20, "effect", "rule:groei"),
        (20, "inject", "w"),
        (30, "effect", "rule:groei"),
        (40, "effect", "rule:groei"),
        (50, "effect", "rule:groei"),
        (60, "effect", "rule:groei"),
        (60, "end", None),
    ]


def test_a_when_that_holds_at_the_start_fires_at_minute_0(make: Make, trace: Trace) -> None:
    ex = make("""
        state:
          x: {label: X, initial: 3}
        injects:
          - {id: w, when: x >= 2, from: X, to: [burgemeester], channel: melding, title: W}
          - {id: a, at: 5m, from: X, to: [burgemeester], channel: melding, title: A}
    """)
    assert trace(ex.apply(Step())) == [(0, "inject", "w")]
    assert trace(ex.apply(Step())) == [(5, "inject", "a")]


CLOCKED = """
    injects:
      - {id: a, at: 50m, from: X, to: [burgemeester], channel: melding, title: A}
      - {id: w, when: t >= 100 and t % 2 == 0, from: X, to: [burgemeester],
         channel: melding, title: W}
      - {id: b, at: 200m, from: X, to: [burgemeester], channel: melding, title: B}
    outcomes:
      - {id: te-laat, when: t > 150 and delivered("w"), title: Te laat}
"""


@pytest.mark.parametrize("drive", ["run", "step", "run_until 150", "run_until every 7m"])
def test_a_when_on_the_clock_fires_at_its_minute_however_the_clock_is_driven(
        make: Make, trace: Trace, drive: str) -> None:
    """Replaying a log drives the clock differently from the live session: same events."""
    ex = make(CLOCKED)
    if drive == "run":
        ex.apply(RunUntil(until=300))
    elif drive == "step":
        while ex.apply(Step()):
            pass
    elif drive == "run_until 150":
        ex.apply(RunUntil(until=150))
        ex.apply(RunUntil(until=300))
    else:
        for minute in range(0, 300, 7):
            ex.apply(RunUntil(until=minute))
    assert trace(ex.events) == [(50, "inject", "a"), (100, "inject", "w"),
                                (151, "end", "te-laat")]


def test_peek_and_step_see_a_clocked_when_coming(make: Make, trace: Trace) -> None:
    ex = make(CLOCKED)
    assert trace(ex.apply(Step())) == [(50, "inject", "a")]
    assert ex.peek() == 100
    assert trace(ex.apply(Step())) == [(100, "inject", "w")]
    assert ex.peek() == 151


def test_a_false_if_guard_skips_the_inject_and_what_follows_it(make: Make, trace: Trace) -> None:
    ex = make("""
        state:
          x: {label: X, initial: 0}
        injects:
          - {id: a, at: 10m, if: x > 5, from: X, to: [burgemeester], channel: melding,
             title: A}
          - {id: b, after: {event: a}, from: X, to: [burgemeester], channel: melding, title: B}
          - {id: c, at: 20m, if: x == 0, from: X, to: [burgemeester], channel: melding,
             title: C}
        decisions:
          - {id: d, at: 30m, if: delivered("a"), question: Q, domain: openbare-orde,
             options: [{id: ja, label: Ja}]}
          - {id: e, at: 30m, if: delivered("c"), question: Q, domain: openbare-orde,
             options: [{id: ja, label: Ja}]}
    """)
    assert trace(ex.apply(RunUntil(until=100))) == [
        (10, "inject_skipped", "a"),
        (20, "inject", "c"),
        (30, "decision_opened", "e"),
    ]
    assert [e.reason for e in ex.events if isinstance(e, InjectSkipped)] == ["guard"]


def test_an_inject_with_a_phase_moves_the_story(make: Make, trace: Trace) -> None:
    ex = make("""
        phases:
          - {id: een, title: Een}
          - {id: twee, title: Twee}
        injects:
          - {id: a, at: 10m, phase: een, from: X, to: [burgemeester], channel: melding,
             title: A}
          - {id: b, at: 20m, phase: twee, from: X, to: [burgemeester], channel: melding,
             title: B}
    """)
    assert ex.snapshot().phase == "een"
    assert trace(ex.apply(RunUntil(until=ex.horizon))) == [
        (10, "inject", "a"), (20, "phase", "twee"), (20, "inject", "b")]
    delivered = [e for e in ex.events if isinstance(e, InjectDelivered)]
    assert [e.phase for e in delivered] == ["een", "twee"]


def test_rules_repeat_while_their_guard_holds(make: Make, trace: Trace) -> None:
    ex = make("""
        end: 50m
        state:
          x: {label: X, initial: 0, min: 0, max: 2}
          y: {label: Y, initial: 10}
        rules:
          - {id: op, every: 10m, effects: [{add: {x: 1}}]}
          - {id: af, every: 15m, if: x >= 2, effects: [{add: {y: -1}}]}
    """)
    assert trace(ex.apply(RunUntil(until=ex.horizon))) == [
        (10, "effect", "rule:op"),
        (20, "effect", "rule:op"),
        (30, "effect", "rule:af"),
        (45, "effect", "rule:af"),
        (50, "end", None),
    ]
    assert ex.snapshot().state == {"x": 2, "y": 8}


def test_what_is_due_at_the_end_minute_still_happens_before_the_end(
        make: Make, trace: Trace) -> None:
    """A deadline or a rule tick at exactly `end` applies; then the story ends."""
    ex = make("""
        end: 1h
        state:
          x: {label: X, initial: 0}
        rules:
          - {id: op, every: 30m, effects: [{add: {x: 1}}]}
        decisions:
          - {id: d, at: 30m, question: Q, domain: openbare-orde, deadline: 30m, default: nee,
             options: [{id: ja, label: Ja}, {id: nee, label: Nee}]}
    """)
    assert trace(ex.apply(RunUntil(until=ex.horizon))) == [
        (30, "decision_opened", "d"),
        (30, "effect", "rule:op"),
        (60, "decision", "d:nee"),
        (60, "dilemma", "termijn:d"),
        (60, "effect", "rule:op"),
        (60, "end", None),
    ]
    assert isinstance(end := ex.events[-1], ExerciseEnded) and end.state == {"x": 2}


# -- effects -------------------------------------------------------------------------------
EFFECTS = """
    state:
      spanning: {label: S, initial: 1, min: 0, max: 5}
      vertrouwen: {label: V, initial: 70, min: 0, max: 100}
      bovenlokaal: {label: B, initial: false}
    phases:
      - {id: aanloop, title: A}
      - {id: uitvoering, title: U}
    injects:
      - {id: later, manual: true, from: X, to: [burgemeester], channel: melding, title: L}
    dilemmas:
      - {id: dil, title: Dil, roles: [burgemeester, om]}
    outcomes:
      - {id: klaar, title: Klaar}
    decisions:
      - id: d
        at: 10m
        question: Q
        domain: openbare-orde
        options:
          - id: alles
            label: Alles
            effects:
              - add: {spanning: 10, vertrouwen: -100}
              - set: {bovenlokaal: true}
              - schedule: {inject: later, delay: 30m}
              - surface: dil
              - phase: uitvoering
          - id: stop
            label: Stop
            effects:
              - set: {spanning: 3}
              - end: klaar
              - add: {spanning: 1}
          - id: niets
            label: Niets
            effects:
              - add: {spanning: 0}
              - set: {bovenlokaal: false}
"""


def test_set_and_add_are_clamped_and_every_effect_applies_in_order(
        make: Make, trace: Trace) -> None:
    ex = make(EFFECTS)
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="d", option="alles", by="burgemeester"))) == [
        (10, "decision", "d:alles"),
        (10, "effect", "d/alles"),
        (10, "effect", "d/alles"),
        (10, "dilemma", "authored:dil"),
        (10, "phase", "uitvoering"),
    ]
    changes = [e.changes for e in ex.events if isinstance(e, EffectApplied)]
    assert changes == [{"spanning": [1, 5], "vertrouwen": [70, 0]},
                       {"bovenlokaal": [False, True]}]
    assert trace(ex.apply(RunUntil(until=100))) == [(40, "inject", "later")]
    assert isinstance(last := ex.events[-1], InjectDelivered) and last.by == "d/alles"
    assert ex.snapshot().history["spanning"] == ((0, 1), (10, 5))


def test_an_end_effect_stops_the_remaining_effects(make: Make, trace: Trace) -> None:
    ex = make(EFFECTS)
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="d", option="stop", by="burgemeester"))) == [
        (10, "decision", "d:stop"),
        (10, "effect", "d/stop"),
        (10, "end", "klaar"),
    ]
    assert isinstance(end := ex.events[-1], ExerciseEnded) and end.state["spanning"] == 3
    assert ex.snapshot().outcome == "klaar"


def test_effects_that_change_nothing_emit_nothing(make: Make, trace: Trace) -> None:
    ex = make(EFFECTS)
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="d", option="niets", by="burgemeester"))) == [
        (10, "decision", "d:niets")]


def test_a_scheduled_inject_already_delivered_is_not_sent_twice(make: Make, trace: Trace) -> None:
    ex = make(EFFECTS)
    ex.apply(RunUntil(until=10))
    ex.apply(Decide(decision="d", option="alles", by="burgemeester"))
    assert trace(ex.apply(Release(inject="later"))) == [(10, "inject", "later")]
    assert trace(ex.apply(RunUntil(until=100))) == []


@pytest.mark.parametrize(("initial", "delta", "expected"), [
    (1, 2.5, 3.5), (1, -4, 0), (4, 3, 5), (2, 0.1, 2.1),
])
def test_clamping_and_number_shape(make: Make, initial: float, delta: float,
                                   expected: float) -> None:
    ex = make(f"""
        state:
          s: {{label: S, initial: {initial}, min: 0, max: 5}}
        decisions:
          - {{id: d, at: 0m, question: Q, domain: openbare-orde,
             options: [{{id: a, label: A, effects: [{{add: {{s: {delta}}}}}]}}]}}
    """)
    ex.apply(RunUntil(until=0))
    ex.apply(Decide(decision="d", option="a", by="burgemeester"))
    assert ex.snapshot().state["s"] == expected
