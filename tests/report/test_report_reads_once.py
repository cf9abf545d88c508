"""A report reads each log once: verified and kept in one pass (issue 14, "read each log
once"), with the same journal a plain read gives, and a refused log still refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportkit import LOGS, SCENARIO

from tabletop.journal import reader
from tabletop.journal.reader import read_journal
from tabletop.journal.verify import verify, verify_and_read
from tabletop.report.api import ReportError, load_logs

NAMES = sorted(p.stem for p in LOGS.glob("*.jsonl"))


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths the journal reader opens, in order."""
    seen: list[Path] = []
    real = reader._open

    def counting(path: Path):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(path)

    monkeypatch.setattr(reader, "_open", counting)
    return seen


def test_a_checked_report_opens_each_log_once(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [LOGS / f"{name}.jsonl" for name in NAMES[:3]]
    opened = _opened(monkeypatch)
    exercises = load_logs(paths, SCENARIO)
    assert opened == paths
    assert [x.journal.path for x in exercises] == paths


@pytest.mark.parametrize("name", NAMES[:3])
def test_the_kept_journal_is_what_a_plain_read_gives(name: str) -> None:
    path = LOGS / f"{name}.jsonl"
    verdict, kept = verify_and_read(path, SCENARIO)
    plain = read_journal(path)
    assert verdict.ok, verdict.message
    assert verdict.message == verify(path, SCENARIO).message
    assert kept.header == plain.header and kept.header_raw == plain.header_raw
    assert [ln.raw for ln in kept.lines] == [ln.raw for ln in plain.lines]
    assert [ln.raw for ln in kept.checkpoints] == [ln.raw for ln in plain.checkpoints]
    assert (kept.last_hash, kept.next_seq, kept.line_count, kept.size, kept.finished) == (
        plain.last_hash, plain.next_seq, plain.line_count, plain.size, plain.finished)


def test_a_changed_log_is_still_refused(tmp_path: Path) -> None:
    source = LOGS / f"{NAMES[0]}.jsonl"
    changed = tmp_path / source.name
    shutil.copy(source, changed)
    lines = changed.read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].replace(b'"t":', b'"t": ', 1)  # the same line, another hash
    changed.write_bytes(b"".join(lines))
    with pytest.raises(ReportError, match="regel 5: hashketen verbroken"):
        load_logs([changed], SCENARIO)
