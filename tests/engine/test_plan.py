"""The plan an exercise starts from is worked out once per scenario and shared by its runs:
no run may change what the next one starts from."""

from __future__ import annotations

from pathlib import Path

from tabletop.engine.exercise import Exercise
from tabletop.engine.plan import plan_of
from tabletop.engine.policies import autoplay
from tabletop.model.commands import RunUntil
from tabletop.model.loading import RoleLibrary, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_runs_of_one_scenario_share_a_plan_and_start_alike(roles: RoleLibrary) -> None:
    loaded = load_scenario(SCENARIOS / "voorbeeld.yaml", roles)
    plan = plan_of(loaded.scenario)
    assert plan_of(loaded.scenario) is plan
    watchers, initial = list(plan.watchers), dict(plan.initial)
    first = Exercise(loaded, seed=1)
    autoplay(first, "random", 1)
    assert first.finished and first.world.state != initial, "the run changed its own state"
    assert list(plan.watchers) == watchers and plan.initial == initial
    again = Exercise(loaded, seed=1)
    assert again.world.state == initial
    autoplay(again, "random", 1)
    assert again.events == first.events


def test_a_changed_scenario_gets_its_own_plan(roles: RoleLibrary) -> None:
    loaded = load_scenario(SCENARIOS / "voorbeeld.yaml", roles)
    var = next(iter(loaded.scenario.state))
    spec = loaded.scenario.state[var]
    changed = loaded.scenario.model_copy(update={"state": {
        **loaded.scenario.state, var: spec.model_copy(update={"initial": spec.max or 1})}})
    assert plan_of(changed) is not plan_of(loaded.scenario)
    assert plan_of(changed).initial[var] != plan_of(loaded.scenario).initial[var]


def test_held_back_runs_are_identical_run_after_run(roles: RoleLibrary) -> None:
    """Nobody plays (the players hold back): every run gives the same events."""
    loaded = load_scenario(SCENARIOS / "voorbeeld.yaml", roles)
    runs = []
    for seed in range(3):
        ex = Exercise(loaded, seed=seed)
        ex.apply(RunUntil(until=10**6))
        runs.append(ex.events)
    assert runs[0] == runs[1] == runs[2]
    assert any(type(e).__name__ == "DecisionOpened" for e in runs[0])
