"""`tabletop resume LOG --decisions FILE`: re-simulate the log, then go on appending; a torn
last line goes to LOG.partial; the same decisions file is skipped where the log has it and
refused where it differs; a changed scenario is refused unless forced (and that is logged);
a full disk stops the run without losing what was written."""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tabletop.cli import main

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

if TYPE_CHECKING:
    from conftest import Course

Events = Callable[[Path], list[dict[str, Any]]]
REPLAYED = re.compile(r"^the log stopped in the middle of minute (\d+); the (\d+) events? it "
                      r"lacked of that moment (was|were) played again and appended$")


def resume(course: Course, capsys: pytest.CaptureFixture[str], *extra: str,
           decisions: Path | None = None) -> tuple[int, str, str]:
    code = main(["resume", str(course.log), "--decisions", str(decisions or course.decisions),
                 *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err.strip()


def truncate_after(course: Course, keep_lines: int) -> bytes:
    """Cut the log after `keep_lines` lines, as a crash would have; return what is left."""
    lines = course.log.read_bytes().splitlines(keepends=True)
    prefix = b"".join(lines[:keep_lines])
    course.log.write_bytes(prefix)
    return prefix


@pytest.fixture
def full_run(logged: Course, events_of: Events) -> list[dict[str, Any]]:
    """The events of the uninterrupted course."""
    return events_of(logged.log)


@pytest.mark.parametrize("keep", range(1, 41))
def test_resume_finishes_a_run_cut_after_any_line_with_the_same_events(
        logged: Course, full_run: list[dict[str, Any]], events_of: Events, keep: int,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Cut at a batch boundary, or inside one (a short write): the same events either way."""
    prefix = truncate_after(logged, keep)
    last_t = json.loads(prefix.splitlines()[-1]).get("t", 0)
    code, out, err = resume(logged, capsys)
    assert code == 0
    if err:  # cut inside the batch of one moment: the rest of that moment is replayed
        match = REPLAYED.match(err)
        assert match and int(match[1]) >= last_t, err
    after = logged.log.read_bytes()
    assert after.startswith(prefix)
    assert events_of(logged.log) == full_run
    resumed = [json.loads(raw) for raw in after.splitlines()[keep:]]
    assert resumed[0]["type"] == "resumed" and resumed[0]["seq"] == keep
    assert main(["verify", str(logged.log)]) == 0


def test_resuming_a_finished_log_is_refused_and_changes_no_byte(
        logged: Course, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: resume appended a `resumed` line after `end`, so a report written
    earlier no longer matched the log. Said in Dutch, the default."""
    monkeypatch.delenv("TABLETOP_LANG")
    before = logged.log.read_bytes()
    code, _, err = resume(logged, capsys)
    assert code == 1
    assert "afgelopen" in err and "replay" in err
    assert logged.log.read_bytes() == before


def test_a_torn_last_line_is_moved_to_partial(logged: Course, full_run: list[dict[str, Any]],
                                              events_of: Events,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    lines = logged.log.read_bytes().splitlines(keepends=True)
    prefix = b"".join(lines[:15])
    torn = lines[15][:37]
    logged.log.write_bytes(prefix + torn)
    code, _, err = resume(logged, capsys)
    partial = logged.log.with_name(logged.log.name + ".partial")
    assert code == 0
    assert err.splitlines()[0] == (f"line 16 was incomplete (the program stopped while "
                                   f"writing it); it was moved to {partial}")
    assert partial.read_bytes() == torn
    assert os.stat(partial).st_mode & 0o777 == 0o600
    assert logged.log.read_bytes().startswith(prefix)
    assert events_of(logged.log) == full_run


def test_a_second_torn_line_does_not_overwrite_the_first_partial(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    partial = logged.log.with_name(logged.log.name + ".partial")
    partial.write_bytes(b"earlier")
    lines = logged.log.read_bytes().splitlines(keepends=True)
    logged.log.write_bytes(b"".join(lines[:10]) + b'{"seq":10')
    code, _, err = resume(logged, capsys)
    assert code == 0 and err.splitlines()[0].endswith(f"moved to {partial}2")
    assert partial.read_bytes() == b"earlier"
    assert Path(f"{partial}2").read_bytes() == b'{"seq":10'


def test_a_decision_that_differs_from_the_log_is_refused(
        logged: Course, capsys: pytest.CaptureFixture[str]) -> None:
    changed = logged.decisions.read_text(encoding="utf-8").replace(
        "decision: aanpak\n  option: ontruimen", "decision: aanpak\n  option: gedogen")
    other = logged.decisions.with_name("anders.yaml")
    other.write_text(changed, encoding="utf-8")
    before = truncate_after(logged, 20)
    line = next(i + 1 for i, raw in enumerate(before.splitlines())
                if b'"type":"command"' in raw and b'"decision":"aanpak"' in raw)
    entry = changed.splitlines().index("- decision: aanpak") + 1
    code, out, _ = resume(logged, capsys, decisions=other)
    assert code == 1
    assert out.strip().splitlines()[-1] == (
        f"{other}:{entry}:3: decision 'aanpak' is already in the log (line {line}, as "
        "'ontruimen' by burgemeester); this entry differs")
    # a refused resume writes nothing: the log is exactly as it was
    assert logged.log.read_bytes() == before


def test_a_changed_scenario_is_refused_unless_forced(
        logged: Course, full_run: list[dict[str, Any]], events_of: Events,
        capsys: pytest.CaptureFixture[str]) -> None:
    truncate_after(logged, 12)
    text = logged.scenario.read_text(encoding="utf-8")
    logged.scenario.write_text(text.replace("title: Oefening voor de tests",
                                            "title: Oefening, herzien"), encoding="utf-8")
    before = logged.log.read_bytes()
    code, _, err = resume(logged, capsys)
    assert code == 1
    assert err == (f"tabletop: {logged.log}: scenario changed since this log was written; "
                   "--force-scenario continues anyway and records that in the log")
    assert logged.log.read_bytes() == before
    code, _, err = resume(logged, capsys, "--force-scenario")
    assert code == 0
    assert err.splitlines()[0] == ("the scenario changed since the log was written; "
                                   "continuing as asked (recorded in the log)")
    records = [r for r in map(json.loads, logged.log.read_bytes().splitlines()[12:])
               if r["type"] != "checkpoint"][:2]
    assert [r["type"] for r in records] == ["force_scenario", "resumed"]
    assert records[0]["previous"] != records[0]["hash"]
    assert events_of(logged.log) == full_run
    assert main(["verify", str(logged.log)]) == 0


def test_corruption_before_the_end_is_refused(logged: Course,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    lines = logged.log.read_bytes().splitlines(keepends=True)
    del lines[5]
    logged.log.write_bytes(b"".join(lines[:12]))
    before = logged.log.read_bytes()
    code, _, err = resume(logged, capsys)
    assert (code, err) == (1, f"tabletop: {logged.log}: line 6: hash chain broken")
    assert logged.log.read_bytes() == before
    assert not logged.log.with_name(logged.log.name + ".partial").exists()


def test_resume_without_decisions_and_without_a_terminal(logged: Course,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert main(["resume", str(logged.log)]) == 1
    assert capsys.readouterr().err.strip() == ("tabletop: resume without a terminal needs "
                                               "--decisions FILE")


# -- a full disk ---------------------------------------------------------------------------
@pytest.mark.parametrize("partial_write", [False, True])
def test_a_full_disk_stops_the_run_and_resume_continues_it(
        course: Course, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        events_of: Events, partial_write: bool, tmp_path: Path) -> None:
    reference = tmp_path / "reference.jsonl"
    assert main(["run", str(course.scenario), "--decisions", str(course.decisions),
                 "--log", str(reference)]) == 0
    capsys.readouterr()
    real_write = os.write
    writes = {"n": 0}

    def filling(fd: int, data: Any) -> int:
        writes["n"] += 1
        if writes["n"] == 8:
            if partial_write:  # half of the batch reaches the disk, then it is full
                return real_write(fd, bytes(data)[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        if writes["n"] > 8:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    written: list[bytes] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        real_fsync(fd)
        written.append(course.log.read_bytes())

    monkeypatch.setattr(os, "write", filling)
    monkeypatch.setattr(os, "fsync", fsync)
    code = course.run()
    monkeypatch.undo()
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert code == 1
    assert out.err.strip().endswith(f"tabletop: {course.log}: could not write the log (the disk "
                                    "is full); what was already written is kept, and `tabletop "
                                    "resume` continues it")
    kept = course.log.read_bytes()
    # every fsynced batch is intact, byte for byte, and a half-written one was cut back
    assert kept == written[-1] and kept.endswith(b"\n")
    code, _, err = resume(course, capsys)
    assert code == 0
    assert "was incomplete" not in err  # nothing torn was left to move aside
    assert course.log.read_bytes().startswith(written[-1])
    assert events_of(course.log) == events_of(reference)
