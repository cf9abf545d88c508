"""Batch runs: outcomes, end-state statistics, dilemma frequency and coverage."""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabletop.engine.dilemmas import AUTOMATIC
from tabletop.engine.exercise import Exercise
from tabletop.engine.policies import autoplay, run_summary
from tabletop.model.loading import LoadedScenario, load_roles, load_scenario


@dataclass
class SimulationSummary:
    """The author's view of many runs."""

    scenario: str
    runs: int
    policy: str
    seed: int
    outcomes: dict[str, int]
    state: dict[str, dict[str, float]]
    """Variable -> {mean, min, max} at the end of the runs."""
    dilemmas: dict[str, dict[str, int]]
    """{"authored": {id: runs}, "kinds": {kind: runs}}: in how many runs each surfaced."""
    never_fired: list[str]
    never_chosen: list[str]
    """`decision/option` pairs no run chose."""
    never_surfaced: list[str]
    seconds: float = 0.0
    events: int = 0
    jobs: int = 1
    runs_per_second: float = field(default=0.0)
    kind_shares: dict[str, float] = field(default_factory=dict)
    """Automatic kind -> share of runs (0..1) in which it surfaced at least once."""
    per_decision: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    """Decision -> its outcome (option, `(vervallen)`, `(open)`) -> kind -> runs: which
    automatic kinds a decision surfaced under which choices."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "runs": self.runs, "policy": self.policy,
            "seed": self.seed, "jobs": self.jobs, "outcomes": self.outcomes,
            "state": self.state, "dilemmas": self.dilemmas, "never_fired": self.never_fired,
            "never_chosen": self.never_chosen, "never_surfaced": self.never_surfaced,
            "kind_shares": self.kind_shares, "per_decision": self.per_decision,
            "events": self.events, "seconds": round(self.seconds, 3),
            "runs_per_second": round(self.runs_per_second, 1),
        }


def play_one(loaded: LoadedScenario, policy: str, seed: int, index: int) -> dict[str, Any]:
    ex = Exercise(loaded, seed=seed)
    autoplay(ex, policy, f"{seed}:{index}")
    return run_summary(ex)


_WORKER: dict[str, Any] = {}


def _init_worker(path: str, roles_dir: str) -> None:
    _WORKER["loaded"] = load_scenario(Path(path), load_roles(Path(roles_dir)))


def _play_chunk(args: tuple[str, int, list[int]]) -> list[dict[str, Any]]:
    policy, seed, indices = args
    return [play_one(_WORKER["loaded"], policy, seed, i) for i in indices]


def simulate(loaded: LoadedScenario, runs: int, policy: str = "random", seed: int = 0,
             jobs: int = 1, roles_dir: Path | None = None,
             progress: Callable[[int], None] | None = None) -> SimulationSummary:
    """Play `runs` autoplays; the result is the same for any `jobs` given the same seed."""
    started = time.perf_counter()
    results: Iterable[dict[str, Any]]
    if jobs <= 1:
        def serial() -> Iterable[dict[str, Any]]:
            for i in range(runs):
                yield play_one(loaded, policy, seed, i)
                if progress:
                    progress(1)
        results = serial()
    else:
        size = max(1, min(200, runs // (jobs * 4) or 1))
        chunks = [list(range(i, min(i + size, runs))) for i in range(0, runs, size)]
        roles_folder = str(roles_dir) if roles_dir else str(_roles_folder(loaded))
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                   initargs=(str(loaded.path), roles_folder))

        def parallel() -> Iterable[dict[str, Any]]:
            with pool:
                for chunk_result in pool.map(_play_chunk,
                                             [(policy, seed, c) for c in chunks]):
                    yield from chunk_result
                    if progress:
                        progress(len(chunk_result))
        results = parallel()
    summary = summarise(loaded, list(results), policy, seed)
    summary.seconds = time.perf_counter() - started
    summary.jobs = jobs
    summary.runs_per_second = runs / summary.seconds if summary.seconds else 0.0
    return summary


def _roles_folder(loaded: LoadedScenario) -> Path:
    from tabletop.model.loading import roles_for

    return roles_for(loaded.path)


def summarise(loaded: LoadedScenario, results: list[dict[str, Any]], policy: str,
              seed: int) -> SimulationSummary:
    s = loaded.scenario
    outcomes: Counter[str] = Counter()
    authored: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    delivered: Counter[str] = Counter()
    chosen: Counter[tuple[str, str]] = Counter()
    finals: dict[str, list[float]] = {k: [] for k, v in s.state.items()}
    per_decision: dict[str, dict[str, Counter[str]]] = {}
    events = 0
    for r in results:
        for decision, (choice, found) in r.get("per_decision", {}).items():
            per_decision.setdefault(decision, {}).setdefault(choice, Counter()).update(found)
        outcomes[r["outcome"] or "(geen)"] += 1
        authored.update(r["authored"])
        kinds.update(r["kinds"])
        delivered.update(r["delivered"])
        chosen.update(r["chosen"])
        events += r["events"]
        for k, v in r["state"].items():
            finals[k].append(float(v))
    state = {k: {"mean": round(statistics.fmean(v), 3), "min": min(v), "max": max(v)}
             for k, v in finals.items() if v}
    runs = len(results) or 1
    order = {d.id: i for i, d in enumerate(s.decisions)}
    return SimulationSummary(
        scenario=s.id, runs=len(results), policy=policy, seed=seed,
        outcomes=dict(sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0]))),
        state=state,
        dilemmas={"authored": {d.id: authored.get(d.id, 0) for d in s.dilemmas},
                  "kinds": {k: kinds.get(k, 0) for k in AUTOMATIC}},
        kind_shares={k: round(kinds.get(k, 0) / runs, 4) for k in AUTOMATIC},
        per_decision={d: {choice: dict(sorted(c.items())) for choice, c in sorted(by.items())}
                      for d, by in sorted(per_decision.items(),
                                          key=lambda kv: order.get(kv[0], 0))},
        never_fired=[i.id for i in s.injects if not delivered.get(i.id)],
        never_chosen=[f"{d.id}/{o.id}" for d in s.decisions for o in d.options
                      if not chosen.get((d.id, o.id))],
        never_surfaced=[d.id for d in s.dilemmas if not authored.get(d.id)],
        events=events,
    )


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
