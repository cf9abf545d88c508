"""`tabletop run` plays the real REMPAR25 exercise (`../shared/cases/rempar25/`) to its end
with its scripted course. The case is read where it lies and never copied in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tabletop.cli import main
from tabletop.journal.reader import read_journal

CASE = Path(__file__).resolve().parents[2] / ".." / "shared" / "cases" / "rempar25"


@pytest.fixture
def case() -> Path:
    if not (CASE / "scenario.yaml").is_file() or not (CASE / "course.yaml").is_file():
        pytest.skip(f"the REMPAR25 case is not here ({CASE.resolve()}); it lives outside the "
                    "project and is never copied in")
    return CASE


def test_rempar25_plays_to_its_end(case: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "rempar25.jsonl"
    code = main(["run", str(case / "scenario.yaml"), "--decisions", str(case / "course.yaml"),
                 "--log", str(log)])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert "Traceback" not in out.out + out.err
    events = [line.payload for line in read_journal(log).lines]
    assert events[-1]["type"] == "end" and events[-1]["t"] == 7 * 60
    contingencies = [(e["inject"], e["by"]) for e in events
                     if e["type"] == "inject" and (e["by"] or "").startswith("contingency:")]
    assert contingencies == [("dg-remontee-14h", "contingency:s43")]
    # the case's consultees are informal: their dissent is recorded beside the decision and
    # counted in the report, not surfaced as an advies dilemma (gezag model version 2)
    assert not [e for e in events if e["type"] == "dilemma" and e["kind"] == "advies"]
    from tabletop.engine.dilemmas import informal_dissent
    from tabletop.model.loading import load_scenario

    spec = load_scenario(case / "scenario.yaml").scenario
    decisions = {d.id: d for d in spec.decisions}
    dissent = [e["decision"] for e in events if e["type"] == "decision" and informal_dissent(
        decisions[e["decision"]], decisions[e["decision"]].option(e["option"] or ""),
        e.get("advice") or {})]
    assert sorted(dissent) == ["interview-fabienne", "rancon"]
    delivered = {e["inject"] for e in events if e["type"] == "inject"}
    assert {f"s{n:02d}" for n in range(1, 81)} <= delivered
    assert {"reponse-expert-si", "reponse-assureur"} <= delivered
    assert "reponse-securite-physique" not in delivered
    decided = [e for e in events if e["type"] == "decision"]
    assert len(decided) == 9 and not any(e["default"] for e in decided)
    assert main(["verify", str(log)]) == 0
