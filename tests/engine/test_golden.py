"""Golden transcript: scripted decisions for the complete example scenario give exactly the
event list checked in beside them.

When the example scenario or the engine changes on purpose, look at the difference, then
regenerate with `TABLETOP_UPDATE_GOLDEN=1 uv run pytest tests/engine/test_golden.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tabletop.engine.exercise import Exercise
from tabletop.engine.script import play_script
from tabletop.model.commands import Command
from tabletop.model.events import Event
from tabletop.model.loading import load_roles, load_scenario
from tabletop.model.scripted import load_script

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"
CASES = [("voorbeeld", ROOT / "scenarios" / "voorbeeld.yaml")]


def transcript(scenario: Path, decisions: Path) -> list[dict[str, Any]]:
    loaded = load_scenario(scenario, load_roles(ROOT / "roles"))
    entries = load_script(decisions, loaded)
    ex = Exercise(loaded, seed=0)
    out: list[dict[str, Any]] = []

    def send(command: Command) -> list[Event]:
        events = ex.apply(command)
        out.extend(e.to_dict() for e in events)
        return events

    play_script(ex, entries, send)
    assert [e.to_dict() for e in ex.events] == out
    return out


@pytest.mark.parametrize(("name", "scenario"), CASES)
def test_the_golden_transcript(name: str, scenario: Path) -> None:
    if not scenario.is_file():
        pytest.skip(f"{scenario.relative_to(ROOT)} does not exist yet")
    expected_file = GOLDEN / f"{name}.events.jsonl"
    events = transcript(scenario, GOLDEN / f"{name}.decisions.yaml")
    text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in events)
    if os.environ.get("TABLETOP_UPDATE_GOLDEN"):
        expected_file.write_text(text, encoding="utf-8")
    expected = [json.loads(line) for line in expected_file.read_text("utf-8").splitlines()]
    for index, (got, want) in enumerate(zip(events, expected, strict=False)):
        assert got == want, f"event {index + 1} differs (see the module docstring to regenerate)"
    assert len(events) == len(expected)


def test_the_golden_transcript_covers_what_it_should() -> None:
    """The checked-in course exercises every dilemma kind and every kind of entry."""
    path = GOLDEN / "voorbeeld.events.jsonl"
    if not path.is_file():
        pytest.skip("no golden transcript yet")
    events = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    kinds = {e["kind"] for e in events if e["type"] == "dilemma"}
    assert kinds == {"authored", "bevoegdheid", "overlap", "advies", "schaarste", "termijn",
                     "handmatig"}
    types = {e["type"] for e in events}
    assert {"inject", "phase", "decision_opened", "decision", "effect", "capacity",
            "expectation", "note", "observation", "adhoc_inject", "end"} <= types
    decisions = [e for e in events if e["type"] == "decision"]
    assert any(e["default"] for e in decisions) and any(e["answer"] for e in decisions)
    assert any(e["action_owner"] for e in decisions) and any(e["basis"] for e in decisions)
