"""Engine overhead: events per second of the engine playing the example scenario under the
random policy, against bare simpy processing the same number of timeouts.

The baseline mirrors how the engine uses simpy: per run a fresh Environment, one timeout
per event of that run at the event's story minute, each with a callback; then `run()`.
Target (issue 3): the engine within 3x of bare simpy.
"""

from __future__ import annotations

import time

import simpy
from common import ROOT, report

from tabletop.engine.exercise import Exercise
from tabletop.engine.policies import autoplay
from tabletop.model.loading import LoadedScenario, load_roles, load_scenario


def example() -> LoadedScenario:
    path = ROOT / "scenarios" / "voorbeeld.yaml"
    if not path.is_file():  # before the example existed: the journal tests' exercise
        path = ROOT / "tests" / "data" / "journal" / "oefening.yaml"
    return load_scenario(path, load_roles(ROOT / "roles"))


def play(loaded: LoadedScenario, seconds: float) -> tuple[int, int, float, list[list[int]]]:
    """Autoplay runs for about `seconds`: runs, events, elapsed, each run's event times."""
    runs = events = 0
    times: list[list[int]] = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        ex = Exercise(loaded, seed=runs)
        autoplay(ex, "random", runs)
        events += len(ex.events)
        times.append([e.t for e in ex.events])
        runs += 1
    return runs, events, time.perf_counter() - start, times


def bare_simpy(times: list[list[int]]) -> float:
    def noop(_event: simpy.Event) -> None:
        pass

    start = time.perf_counter()
    for run_times in times:
        env = simpy.Environment()
        for t in run_times:
            env.timeout(t).callbacks.append(noop)
        env.run()
    return time.perf_counter() - start


def run() -> None:
    loaded = example()
    play(loaded, 0.3)  # warm up
    runs, events, elapsed, times = play(loaded, 3.0)
    baseline = min(bare_simpy(times) for _ in range(3))
    ours = events / elapsed
    bare = events / baseline
    report(f"engine ({loaded.scenario.id}, random)", f"{ours:,.0f} events/s ({runs / elapsed:,.0f}"
           " runs/s)", bare / ours, f"slower than bare simpy {bare:,.0f} timeouts/s",
           "<= 3x")
