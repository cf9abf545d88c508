"""A finished exercise lets go of its clock: it is freed the moment its last reference goes,
without the cycle collector (what a batch of thousands of runs does with each), and what it
shows stays readable; notes and observations still apply after the end."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tabletop.engine.exercise import Exercise
from tabletop.engine.policies import autoplay
from tabletop.model.commands import Decide, Note, RunUntil, Step
from tabletop.model.events import ExerciseEnded, NoteAdded
from tabletop.model.loading import load_roles, load_scenario

ROOT = Path(__file__).resolve().parents[2]

Make = Callable[..., Exercise]

# Everything that waits on the clock at the end: a rule ticking, an hourly expectation, a
# capacity claim to return, a scheduled inject, a follower that never comes, a `when` on t.
BUSY = """
    end: 3h
    state:
      spanning: {label: S, initial: 1, min: 0, max: 9}
    resources:
      me: {label: ME, capacity: 3}
    injects:
      - {id: melding, at: 10m, from: X, to: [burgemeester], channel: melding, title: M,
         expect: {what: Sitrap, every: 1h}}
      - {id: nooit, after: {event: nergens, delay: 5m}, from: X, to: [burgemeester],
         channel: melding, title: N}
      - {id: klok, when: t >= 500, from: X, to: [burgemeester], channel: melding, title: K}
      - {id: later, manual: true, from: X, to: [burgemeester], channel: melding, title: L}
    decisions:
      - id: inzet
        at: 20m
        question: Q
        domain: openbare-orde
        owner: burgemeester
        options:
          - {id: ja, label: J, uses: {me: 2}, for: 5h,
             effects: [{schedule: {inject: later, delay: 4h}}]}
      - id: nergens
        at: 9h
        question: Q
        domain: openbare-orde
        owner: burgemeester
        options: [{id: a, label: A}]
    rules:
      - {id: regel, every: 30m, effects: [{add: {spanning: 1}}]}
"""


@pytest.fixture
def no_collector() -> Iterator[None]:
    """The cycle collector off: what is freed is freed by its references alone."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_a_finished_exercise_is_freed_without_the_collector(make: Make,
                                                             no_collector: None) -> None:
    ex = make(BUSY)
    ex.apply(RunUntil(until=20))
    ex.apply(Decide(decision="inzet", option="ja", by="burgemeester"))
    ex.apply(RunUntil(until=10**6))
    assert ex.finished and isinstance(ex.events[-1], ExerciseEnded)
    gone = [weakref.ref(part) for part in (ex, ex.env, ex.schedule, ex.ledger, ex.book,
                                           ex.world)]
    del ex
    assert [ref() for ref in gone] == [None] * len(gone)


@pytest.mark.parametrize("path", [ROOT / "scenarios" / "voorbeeld.yaml",
                                  ROOT.parent / "shared" / "cases" / "rempar25" /
                                  "scenario.yaml"], ids=["voorbeeld", "rempar25"])
def test_played_runs_are_freed_without_the_collector(path: Path, no_collector: None) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    loaded = load_scenario(path, load_roles(ROOT / "roles"))
    for policy in ("first", "random"):
        ex = Exercise(loaded, seed=3)
        autoplay(ex, policy, 3)
        assert ex.finished
        gone = weakref.ref(ex.env)
        del ex
        assert gone() is None, policy


def test_after_the_end_it_reads_as_before_and_takes_notes(make: Make) -> None:
    ex = make(BUSY)
    ex.apply(RunUntil(until=20))
    ex.apply(Decide(decision="inzet", option="ja", by="burgemeester"))
    ended = ex.apply(RunUntil(until=10**6))
    assert isinstance(ended[-1], ExerciseEnded) and ended[-1].t == 180
    events = list(ex.events)
    snap = ex.snapshot()
    assert snap.finished and snap.next_t is None and snap.t == 180
    assert snap.capacity["me"] == (1, 3)  # the claim was not returned: the story ended first
    assert [d.decision for d in snap.open_decisions] == []
    assert ex.peek() is None
    assert ex.apply(Step()) == [] and ex.apply(RunUntil(until=10**7)) == []
    noted = ex.apply(Note(text="Hot wash: wie besloot over de ME?"))
    assert [type(e) for e in noted] == [NoteAdded]
    assert ex.events == [*events, *noted]
    assert ex.history["spanning"][-1] == (180, 7)
