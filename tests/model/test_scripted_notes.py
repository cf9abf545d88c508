"""Notes in a decisions file may name who takes a point up; an unknown role is located."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.cli import main

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

ROOT = Path(__file__).resolve().parents[2]


def test_an_unknown_owner_of_a_note_is_located(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "course.yaml"
    course.write_text("- note: Wie vraagt de bijstand aan?\n  lovp: true\n  owner: burgemeestr\n")
    code = main(["run", str(ROOT / "scenarios" / "voorbeeld.yaml"), "--decisions", str(course)])
    assert code == 1
    assert capsys.readouterr().out.strip() == (
        f"{course}:3:10: unknown role 'burgemeestr' (did you mean 'burgemeester'?)")


def test_the_owner_reaches_the_log_and_the_lovp_agenda(tmp_path: Path) -> None:
    import json

    course = tmp_path / "course.yaml"
    course.write_text("- note: Wie vraagt de bijstand aan?\n  lovp: true\n  owner: nctv\n"
                      "  at: 20m\n")
    log = tmp_path / "oefening.jsonl"
    assert main(["run", str(ROOT / "scenarios" / "voorbeeld.yaml"), "--decisions",
                 str(course), "--log", str(log)]) == 0
    notes = [json.loads(raw) for raw in log.read_text().splitlines() if '"type":"note"' in raw]
    assert notes[0]["owner"] == "nctv"
    report = tmp_path / "r.md"
    assert main(["report", str(log), "-o", str(report)]) == 0
    row = next(line for line in report.read_text().splitlines()
               if "Wie vraagt de bijstand aan?" in line and line.startswith("|"))
    assert "NCTV" in row and "nog toe te wijzen" not in row
