"""Run the benchmarks: `uv run python tests/perf/run.py [NAME...]`.

Names: validate, engine, simulate, journal, tui, report, seats (default: all); flags such as
`tui --launch-only` reach the benchmarks in `sys.argv`. Each prints its
figure and its ratio against a baseline measured in the same run. The files here are named
`bench_*.py`, so the default `uv run pytest` never collects them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

BENCHMARKS = ("validate", "engine", "simulate", "journal", "tui", "report", "seats")


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or list(BENCHMARKS)  # flags: sys.argv
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}",
              file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for name in names:
        module = importlib.import_module(f"bench_{name}")
        (getattr(module, "run", None) or module.main)()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
