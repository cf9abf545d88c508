"""Regressions of the command language: each was a real exercise that broke on the way
commands were reconstructed from events (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tabletop.cli import main

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def commands_in(log: Path) -> list[dict[str, object]]:
    return [json.loads(raw)["command"] for raw in log.read_text(encoding="utf-8").splitlines()
            if '"type":"command"' in raw]


@pytest.mark.parametrize("by", ["politie", "burgemeester", "observator"])
def test_a_release_and_an_end_by_a_role_give_a_log_that_verifies(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], by: str) -> None:
    """A scripted `release` or `end` with `by:` anyone but the facilitator was rejected by
    verify ("field 'by'"): the replay released in the facilitator's name."""
    course = tmp_path / "course.yaml"
    course.write_text(f"- {{release: media-beelden, by: {by}, at: 30m}}\n- {{end: true, by: {by}, "
                      "at: 1h}\n", encoding="utf-8")
    log = tmp_path / "oefening.jsonl"
    assert run(capsys, "run", str(SCENARIOS / "voorbeeld.yaml"), "--decisions", str(course),
               "--log", str(log))[0] == 0
    logged = [c for c in commands_in(log) if c["kind"] in ("release", "end")]
    assert logged == [{"kind": "release", "by": by, "origin": "script", "inject": "media-beelden"},
                      {"kind": "end", "by": by, "origin": "script"}]
    code, out, _ = run(capsys, "verify", str(log))
    assert code == 0, out
    assert "hash chain intact" in out


def test_a_released_manual_inject_that_changes_the_phase_verifies_reports_and_resumes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Releasing a manual inject that carries `phase:` logged the phase change before the
    inject, so the replay "produced nothing where the log has phase …": such a log could not
    be verified, reported or resumed, and a crash lost the exercise."""
    course = ROOT / "tests" / "data" / "courses" / "het-depot.yaml"
    log = tmp_path / "depot.jsonl"
    assert run(capsys, "run", str(SCENARIOS / "depot.yaml"), "--decisions", str(course),
               "--log", str(log))[0] == 0
    lines = [json.loads(raw) for raw in log.read_text(encoding="utf-8").splitlines()]
    released = {c["inject"] for c in commands_in(log) if c["kind"] == "release"}
    assert {"aivd-ambtsbericht", "drone-aanval"} <= released
    assert any(line["type"] == "phase" for line in lines)
    assert run(capsys, "verify", str(log))[0] == 0
    assert run(capsys, "report", str(log), "-o", str(tmp_path / "r.md"))[0] == 0
    # cut it after the release of the drone attack, as a crash would, and resume it
    cut = next(i for i, line in enumerate(lines)
               if line["type"] == "command" and line["command"].get("inject") == "drone-aanval")
    raw = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(raw[:cut + 2]))
    code, _, err = run(capsys, "resume", str(log), "--decisions", str(course))
    assert code == 0, err
    assert run(capsys, "verify", str(log))[0] == 0
    resumed = [json.loads(r) for r in log.read_text(encoding="utf-8").splitlines()]
    assert [ln["type"] for ln in resumed if ln["type"] not in ("command", "checkpoint") and
            ln["type"] != "resumed"] == [ln["type"] for ln in lines
                                          if ln["type"] not in ("command", "checkpoint")]


def test_hot_wash_notes_after_the_end_are_logged_and_the_log_verifies(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tabletop.journal.session import LiveSession, SessionSettings
    from tabletop.model.commands import End, Note, Observe, Release
    from tabletop.model.loading import load_roles, load_scenario

    loaded = load_scenario(SCENARIOS / "voorbeeld.yaml", load_roles(ROOT / "roles"))
    log = tmp_path / "oefening.jsonl"
    session = LiveSession.start(loaded, SessionSettings(), log)
    session.apply(End())
    hot_wash = session.apply(Note(text="Hot wash: wie vraagt de bijstand aan?", lovp=True))
    assert [e.type for e in hot_wash] == ["note"]
    session.apply(Observe(text="Het RBT kwam laat bijeen", rating="M"))
    from tabletop.engine.exercise import ExerciseError

    with pytest.raises(ExerciseError):
        session.apply(Release(inject="media-beelden"))
    session.close()
    code, out, _ = run(capsys, "verify", str(log))
    assert code == 0, out
    types = [json.loads(raw)["type"] for raw in log.read_text(encoding="utf-8").splitlines()]
    assert types.index("end") < types.index("note") < types.index("observation")


def test_an_exercise_with_nobody_at_the_table_verifies(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tabletop run --auto` with every role: the header records an empty table, and the
    re-simulation took that for "every role at the table" (a log written before the
    participants were recorded), so the engine's simulated players differed and verify
    refused a log it had just written ("field 'simulated'")."""
    from tabletop.journal.reader import read_journal
    from tabletop.model.loading import load_scenario

    roles = list(load_scenario(SCENARIOS / "voorbeeld.yaml").roles)
    log = tmp_path / "oefening.jsonl"
    assert run(capsys, "run", str(SCENARIOS / "voorbeeld.yaml"), "--log", str(log),
               "--auto", *roles)[0] == 0
    journal = read_journal(log)
    assert journal.header["participants"] == {}
    opened = [ln.payload for ln in journal.lines if ln.type == "decision_opened"]
    assert opened and all(o["simulated"] for o in opened if o["owner"])
    code, out, _ = run(capsys, "verify", str(log))
    assert code == 0, out
    assert "re-simulation matches" in out
