"""Helpers of the benchmarks: timing, subprocess runs, and the figures' one-line report."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Seconds of the fastest of `repeat` calls (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process(args: Sequence[str], cwd: Path | None = None) -> Callable[[], None]:
    """A whole process, run to its end; fails loudly if it fails."""
    def run() -> None:
        proc = subprocess.run(list(args), cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return run


def report(name: str, figure: str, ratio: float, baseline: str, target: str = "") -> None:
    """One result: the figure, its ratio against the baseline measured in the same run."""
    verdict = ""
    if target:
        verdict = f"  [target {target}]"
    print(f"{name:<28} {figure:<34} {ratio:6.2f}x {baseline}{verdict}", flush=True)


def measured_run(args: Sequence[str], env: dict[str, str] | None = None,
                 cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of a whole process run to its end.

    Why CPU time too: on a machine shared with other work, wall time measures the queue
    for the cores as much as the program; the CPU time a process used does not."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(args), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime
