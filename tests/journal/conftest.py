"""Journal test fixtures: a scenario and course copied into the test's folder, a written log."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tabletop.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "journal"


@dataclass
class Course:
    """A scenario and a decisions file in the test's folder, and where its log goes."""

    scenario: Path
    decisions: Path
    log: Path

    def run(self, *extra: str) -> int:
        return main(["run", str(self.scenario), "--decisions", str(self.decisions),
                     "--log", str(self.log), *extra])


@pytest.fixture
def course(tmp_path: Path) -> Course:
    scenario = tmp_path / "oefening.yaml"
    decisions = tmp_path / "oefening.decisions.yaml"
    shutil.copy(DATA / "oefening.yaml", scenario)
    shutil.copy(DATA / "oefening.decisions.yaml", decisions)
    return Course(scenario, decisions, tmp_path / "oefening.jsonl")


@pytest.fixture
def logged(course: Course, capsys: pytest.CaptureFixture[str]) -> Course:
    """The course played once, with its log written."""
    assert course.run() == 0
    capsys.readouterr()
    return course


def engine_events(path: Path) -> list[dict[str, Any]]:
    """The engine's events in a log, without the journal's own fields and lines."""
    out = []
    for raw in path.read_bytes().splitlines()[1:]:
        obj = json.loads(raw)
        if obj["type"] in ("resumed", "force_scenario", "checkpoint"):
            continue
        out.append({k: v for k, v in obj.items() if k not in ("seq", "wall", "prev")})
    return out


@pytest.fixture
def events_of() -> Callable[[Path], list[dict[str, Any]]]:
    return engine_events
