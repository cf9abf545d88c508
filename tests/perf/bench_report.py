"""`tabletop report` of 50 logs of one scenario against 50 times the report of one log, in
one process (imports done), each from a cold start: no scenario loaded before in the
process and an empty cache of validated scenarios.

Target (issue 14): 50 logs within 1.5x of 50 times one log.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from common import ROOT, report

from tabletop.report.api import build_document, load_logs, render

LOGS = ROOT / "tests" / "data" / "logs"
SCENARIO = LOGS / "scenarios" / "spoorblokkade.yaml"
COUNT = 50


def _cold() -> None:
    """Nothing remembered: the process's loaded scenarios and the cache on disk."""
    from tabletop.model import loading

    forget = getattr(loading, "forget_loaded", None)
    if forget is not None:
        forget()
    os.environ["TABLETOP_CACHE_DIR"] = tempfile.mkdtemp(prefix="tabletop-bench-cache-")


def _report(paths: list[Path]) -> float:
    _cold()
    start = time.perf_counter()
    exercises = load_logs(paths, SCENARIO)
    render(build_document(exercises, "nl"), "md")
    return time.perf_counter() - start


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(COUNT):
            path = Path(folder) / f"oefening-{i}.jsonl"
            shutil.copyfile(LOGS / "noord.jsonl", path)
            paths.append(path)
        _report(paths[:1])  # imports and file caches warm
        one = min(_report(paths[:1]) for _ in range(5))
        many = min(_report(paths) for _ in range(2))
    report(f"report of {COUNT} logs", f"{many:.2f} s ({many / COUNT * 1000:.0f} ms per log)",
           many / (COUNT * one), f"vs {COUNT} x one log ({one * 1000:.0f} ms)", "<= 1.5x")


if __name__ == "__main__":
    run()
