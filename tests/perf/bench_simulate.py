"""`tabletop simulate --runs 10000` of the example scenario: runs per second with `--jobs 1`
and `--jobs 2` (as the command reports them, and as whole processes)."""

from __future__ import annotations

import json
import subprocess
import time

from bench_engine import example
from common import PYTHON, ROOT, report

from tabletop.engine.simulate import available_cpus

RUNS = 10_000


def simulate(jobs: int) -> tuple[float, float]:
    """(runs/s as the command reports it, runs/s of the whole process)."""
    scenario = example().path
    start = time.perf_counter()
    proc = subprocess.run([PYTHON, "-m", "tabletop", "simulate", str(scenario), "--runs",
                           str(RUNS), "--jobs", str(jobs), "--json"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    return json.loads(proc.stdout)["runs_per_second"], RUNS / wall


def run() -> None:
    one, one_wall = simulate(1)
    report("simulate --runs 10000 -j1", f"{one:,.0f} runs/s ({one_wall:,.0f} whole process)",
           1.0, "(the baseline)")
    if available_cpus() < 2:
        print("simulate --jobs 2: skipped, this machine has 1 CPU")
        return
    two, two_wall = simulate(2)
    report("simulate --runs 10000 -j2", f"{two:,.0f} runs/s ({two_wall:,.0f} whole process)",
           two / one, "speed-up over --jobs 1")
