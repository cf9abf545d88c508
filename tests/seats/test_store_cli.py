"""The command line with `--store`: run, verify, log, export, import, the aggregated report."""

from __future__ import annotations

from pathlib import Path

import pytest
from seatpaths import COURSE, SCENARIO

from tabletop.cli import main

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def test_report_over_three_exercises_in_one_database_equals_the_multi_log_report(
        pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for ident, seed in (("noord", "1"), ("midden", "2"), ("zuid", "3")):
        code, out, err = cli(capsys, "run", str(SCENARIO), "--decisions", str(COURSE),
                             "--seed", seed, "--store", pg_url, "--exercise", ident)
        assert code == 0, err
        assert f"exercise: {ident}" in err
    for ident in ("noord", "midden", "zuid"):
        code, _, err = cli(capsys, "export", "--store", pg_url, "--exercise", ident,
                           "-o", str(tmp_path / f"{ident}.jsonl"))
        assert code == 0, err
        code, out, _ = cli(capsys, "verify", str(tmp_path / f"{ident}.jsonl"))
        assert code == 0 and "re-simulation matches" in out
    code, from_store, err = cli(capsys, "report", "--store", pg_url, "--exercise", "noord",
                                "--exercise", "midden", "--exercise", "zuid")
    assert code == 0, err
    code, from_files, _ = cli(capsys, "report", "noord.jsonl", "midden.jsonl", "zuid.jsonl")
    assert code == 0
    assert from_store == from_files
    assert "3 oefeningen" in from_store
    code, by_scenario, _ = cli(capsys, "report", "--store", pg_url, "--scenario", "oefening")
    assert code == 0 and "3 oefeningen" in by_scenario


def test_store_commands_without_tracebacks(pg_url: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "run", str(SCENARIO), "--decisions", str(COURSE),
                       "--store", pg_url)
    assert code == 0
    ident = err.split("exercise: ", 1)[1].split()[0]
    assert ident.startswith("oefening-")
    code, out, _ = cli(capsys, "verify", "--store", pg_url, "--exercise", ident)
    assert code == 0 and "hash chain intact" in out and "#" + ident in out
    code, out, _ = cli(capsys, "log", "--store", pg_url, "--exercise", ident)
    assert code == 0 and "Melding" in out
    code, _, err = cli(capsys, "run", str(SCENARIO), "--store", pg_url, "--exercise", ident)
    assert code == 2 and "already in the store" in err
    code, _, err = cli(capsys, "verify", "--store", pg_url, "--exercise", "nope")
    assert code == 1 and "no such exercise" in err
    code, _, err = cli(capsys, "export", "--store", pg_url, "--exercise", ident,
                       "-o", str(tmp_path / "x.jsonl"))
    assert code == 0
    code, _, err = cli(capsys, "import", str(tmp_path / "x.jsonl"), "--store", pg_url)
    assert code == 0 and "exercise: oefening-" in err
    code, _, err = cli(capsys, "import", str(tmp_path / "x.jsonl"), "--store", pg_url,
                       "--exercise", ident)
    assert code == 1 and "exercise already exists" in err
    code, _, err = cli(capsys, "verify", "--store", "postgresql://postgres@127.0.0.1:1/x",
                       "--exercise", ident)
    assert code == 1 and "cannot be reached" in err
    code, _, err = cli(capsys, "verify", "--store", pg_url)
    assert code == 2 and "--exercise" in err
    code, _, err = cli(capsys, "report")
    assert code == 2


def test_resume_an_exercise_in_the_store(pg_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from tabletop.journal.pgstore import PgStore
    from tabletop.journal.session import SessionSettings
    from tabletop.journal.storeio import start_in_store
    from tabletop.model.commands import RunUntil
    from tabletop.model.loading import load_scenario

    loaded = load_scenario(SCENARIO)
    store = PgStore(pg_url, "gestopt")
    session = start_in_store(loaded, SessionSettings(
        participants={r: "" for r in loaded.roles}), store)
    session.apply(RunUntil(until=20))
    session.writer = None  # the facilitator's machine stops here
    code, out, err = cli(capsys, "resume", "--store", pg_url, "--exercise", "gestopt",
                         "--decisions", str(COURSE))
    assert code == 0, out + err
    code, out, err = cli(capsys, "verify", "--store", pg_url, "--exercise", "gestopt")
    assert code == 0, err
    kinds = [b'"type":"resumed"' in raw for _, raw in store.read()]
    assert sum(kinds) == 1
    assert b'"type":"end"' in store.read()[-2][1]
