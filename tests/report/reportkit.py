"""Helpers for the report tests: the committed logs, their frozen scenario, golden files.

Update the golden files after a deliberate change of the report (look at the diff!):

    TABLETOP_UPDATE_GOLDEN=1 uv run pytest tests/report -q

If the engine changed so that the committed logs no longer replay, rewrite them first:
`uv run python tests/report/make_logs.py --force`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tabletop.report.api import LoggedExercise, build_document, load_logs, render

HERE = Path(__file__).resolve().parent
LOGS = HERE.parent / "data" / "logs"
SCENARIO = LOGS / "scenarios" / "spoorblokkade.yaml"
GOLDEN = HERE / "golden"
UPDATE = os.environ.get("TABLETOP_UPDATE_GOLDEN") == "1"


def logs(*names: str) -> list[LoggedExercise]:
    """The committed logs by name, read with the frozen scenario (hash chain checked)."""
    return load_logs([LOGS / f"{n}.jsonl" for n in names], SCENARIO, check=False)


def report(names: tuple[str, ...], fmt: str, lang: str = "nl", anonymise: bool = False) -> bytes:
    return render(build_document(logs(*names), lang, anonymise), fmt)


def compare_golden(name: str, produced: bytes) -> None:
    """Assert `produced` equals the golden file; with TABLETOP_UPDATE_GOLDEN=1, rewrite it."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(produced)
        if not UPDATE:
            pytest.fail(f"{path} did not exist; written now: look at it and commit it")
        return
    expected = path.read_bytes()
    if produced != expected:
        got = produced.decode("utf-8").splitlines()
        want = expected.decode("utf-8").splitlines()
        first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                     min(len(got), len(want)))
        pytest.fail(f"{name} differs from the golden file at line {first + 1}:\n"
                    f"  golden:   {want[first] if first < len(want) else '<end>'}\n"
                    f"  produced: {got[first] if first < len(got) else '<end>'}\n"
                    "(after a deliberate change: TABLETOP_UPDATE_GOLDEN=1 uv run pytest "
                    "tests/report)")
