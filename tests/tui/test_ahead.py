"""The header's next event kept up step by step (`Ahead`) says what `true_next`, which
replays the whole exercise each time, says: through steps, the running clock's small
moves, decisions and notes."""

from __future__ import annotations

import random

import pytest

from tabletop.engine.exercise import Exercise
from tabletop.model.commands import Decide, Note, RunUntil, Step
from tabletop.tui.ahead import Ahead
from tabletop.tui.control import CommandHistory, true_next
from apps import ROOT, load_example


@pytest.mark.parametrize("name", ["voorbeeld.yaml", "konvooi.yaml", "depot.yaml"])
def test_ahead_says_what_true_next_says(name: str) -> None:
    loaded = load_example(ROOT / "scenarios" / name)
    ex = Exercise(loaded, participants=set(list(loaded.roles)[:2]))
    history = CommandHistory()
    ahead = Ahead()
    rng = random.Random(name)
    kinds = set()
    for _ in range(80):
        if ex.finished:
            break
        expected = true_next(ex, history)
        assert ahead.next(ex, history) == expected
        roll = rng.random()
        open_now = [v for v in ex.snapshot().open_decisions if not v.simulated]
        if roll < 0.2 and open_now:
            spec = loaded.scenario.decision(open_now[0].decision)
            if spec is not None and spec.options:
                command = Decide(decision=spec.id, option=spec.options[-1].id)
                at = ex.now
                ex.apply(command)
                history.record(at, command)
                kinds.add("decide")
                continue
        if roll < 0.3:
            at = ex.now
            ex.apply(Note(text="een notitie"))
            history.record(at, Note(text="een notitie"))
            kinds.add("note")
        elif roll < 0.6 and expected is not None and expected > ex.now + 1:
            ex.apply(RunUntil(until=ex.now + 1))  # the running clock, short of the next
            kinds.add("clock")
        else:
            played = ex.apply(Step())
            assert not played or played[0].t == expected
            kinds.add("step")
    assert {"step", "note"} <= kinds


def test_a_new_history_starts_a_new_shadow() -> None:
    loaded = load_example(ROOT / "scenarios" / "voorbeeld.yaml")
    ex = Exercise(loaded)
    ahead = Ahead()
    history = CommandHistory()
    first = ahead.next(ex, history)
    ex.apply(Note(text="x"))
    fresh = CommandHistory([(0, Note(text="x"))])
    assert ahead.next(ex, fresh) == true_next(ex, fresh)
    assert first == true_next(Exercise(loaded), CommandHistory())
