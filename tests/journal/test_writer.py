"""The journal writer (owner-only, fsync'd, never overwrites, append-only, hash-chained) and
the reader that gives its lines back."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tabletop.journal.format import FORMAT_VERSION, JournalError
from tabletop.journal.reader import read_journal
from tabletop.journal.writer import JournalWriter, new_header
from tabletop.model.events import InjectDelivered, NoteAdded
from tabletop.model.loading import load_roles, load_scenario

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

if TYPE_CHECKING:
    from conftest import Course


def clock() -> datetime:
    return datetime(2027, 3, 14, 9, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def header(course: Course) -> dict[str, Any]:
    loaded = load_scenario(course.scenario, load_roles(Path(__file__).parents[2] / "roles"))
    return new_header(loaded, seed=3, participants={"burgemeester": "Jan Jansen", "om": ""},
                      title="Oefening Zeestad", region="Zeeland", facilitator="Piet",
                      clock=clock)


def test_a_new_log_is_owner_only_and_starts_with_its_header(
        course: Course, header: dict[str, Any]) -> None:
    with JournalWriter.create(course.log, header, clock):
        pass
    assert stat.S_IMODE(course.log.stat().st_mode) == 0o600
    first = json.loads(course.log.read_bytes().splitlines()[0])
    assert first["seq"] == 0 and first["type"] == "header"
    assert first["format"] == FORMAT_VERSION
    assert first["scenario"]["id"] == "oefening"
    assert first["scenario"]["path"] == str(course.scenario.resolve())
    assert len(first["scenario"]["hash"]) == 64
    assert (first["seed"], first["title"], first["region"], first["facilitator"]) == (
        3, "Oefening Zeestad", "Zeeland", "Piet")
    assert first["participants"] == {"burgemeester": "Jan Jansen", "om": ""}
    assert first["program"].startswith("tabletop ")
    assert first["created"] == "2027-03-14T09:30:00+01:00"
    assert first["forked_from"] is None


def test_events_are_chained_numbered_and_stamped(course: Course,
                                                 header: dict[str, Any]) -> None:
    with JournalWriter.create(course.log, header, clock, signer=None) as writer:
        writer.append_events([InjectDelivered(10, "melding", "aanloop")])
        writer.append_events([NoteAdded(12, "facilitator", "Eén notitie", True),
                              NoteAdded(12, "om", "Twee")])
        writer.append_record("resumed", 12, program="x")
    lines = course.log.read_bytes().splitlines()
    objs = [json.loads(line) for line in lines]
    assert [o["seq"] for o in objs] == [0, 1, 2, 3, 4]
    assert [o["type"] for o in objs] == ["header", "inject", "note", "note", "resumed"]
    for before, line in zip(lines, objs[1:], strict=False):
        assert line["prev"] == hashlib.sha256(before).hexdigest()
    assert objs[1] == {"seq": 1, "t": 10, "wall": "2027-03-14T09:30:00+01:00", "type": "inject",
                       "prev": objs[1]["prev"], "inject": "melding", "phase": "aanloop",
                       "released": False, "by": None}
    assert "Eén notitie".encode() in lines[2]  # UTF-8, not \\u escapes
    assert all(b"\n" not in line for line in lines)


def test_every_batch_is_written_once_and_fsynced(course: Course, header: dict[str, Any],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []
    real_write, real_fsync = os.write, os.fsync

    def write(fd: int, data: Any) -> int:
        calls.append(("write", fd))
        return real_write(fd, data)

    def fsync(fd: int) -> None:
        calls.append(("fsync", fd))
        real_fsync(fd)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    with JournalWriter.create(course.log, header, clock) as writer:
        writer.append_events([NoteAdded(1, "facilitator", "a"), NoteAdded(1, "facilitator", "b")])
        writer.append_events([])
        writer.append_events([NoteAdded(2, "facilitator", "c")])
    kinds = [kind for kind, _ in calls]
    assert kinds == ["write", "fsync", "write", "fsync", "write", "fsync"]
    assert len({fd for _, fd in calls}) == 1


def test_an_existing_log_is_never_overwritten(course: Course, header: dict[str, Any]) -> None:
    course.log.write_bytes(b"precious\n")
    with pytest.raises(JournalError) as info:
        JournalWriter.create(course.log, header, clock)
    assert str(info.value) == (f"{course.log}: already exists; a log is never overwritten "
                               "(use `tabletop resume` to continue it)")
    assert course.log.read_bytes() == b"precious\n"


def test_a_log_is_only_opened_for_appending(course: Course, header: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    flags: list[int] = []
    real_open = os.open

    def spy(path: Any, flag: int, *args: Any) -> int:
        if Path(path) == course.log:
            flags.append(flag)
        return real_open(path, flag, *args)

    monkeypatch.setattr(os, "open", spy)
    with JournalWriter.create(course.log, header, clock) as writer:
        writer.append_events([NoteAdded(1, "facilitator", "a")])
    before = course.log.read_bytes()
    journal = read_journal(course.log)
    with JournalWriter.append_to(course.log, journal.next_seq, journal.last_hash, clock) as w:
        w.append_events([NoteAdded(2, "facilitator", "b")])
    assert all(f & os.O_APPEND and not f & os.O_TRUNC for f in flags)
    assert flags[0] & os.O_EXCL
    after = course.log.read_bytes()
    assert after.startswith(before) and len(after.splitlines()) == 6  # three with checkpoints
    assert read_journal(course.log).lines[-1].seq == 4


def test_appending_to_a_missing_log_is_refused(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match=r"nope\.jsonl: cannot open the log for appending: "
                                           "No such file or directory"):
        JournalWriter.append_to(tmp_path / "nope.jsonl", 1, "", clock)


def test_a_full_disk_keeps_what_was_written(course: Course, header: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with JournalWriter.create(course.log, header, clock) as writer:
        writer.append_events([NoteAdded(1, "facilitator", "a")])
        before = course.log.read_bytes()

        def full(fd: int, data: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", full)
        with pytest.raises(JournalError) as info:
            writer.append_events([NoteAdded(2, "facilitator", "b")])
        monkeypatch.undo()
    assert str(info.value) == (f"{course.log}: could not write the log (the disk is full); "
                               "what was already written is kept, and `tabletop resume` "
                               "continues it")
    assert course.log.read_bytes() == before


# -- reader -------------------------------------------------------------------------------
def test_the_reader_gives_the_lines_back(course: Course, header: dict[str, Any]) -> None:
    with JournalWriter.create(course.log, header, clock, signer=None) as writer:
        writer.append_events([InjectDelivered(10, "melding", "aanloop"),
                              NoteAdded(11, "om", "x", question="aanloop/1")])
    journal = read_journal(course.log)
    assert journal.header["title"] == "Oefening Zeestad"
    assert journal.participants == {"burgemeester": "Jan Jansen", "om": ""}
    assert [(ln.number, ln.seq, ln.t, ln.type) for ln in journal.lines] == [
        (2, 1, 10, "inject"), (3, 2, 11, "note")]
    assert journal.lines[1].event() == NoteAdded(11, "om", "x", question="aanloop/1")
    assert journal.next_seq == 3 and journal.torn is None
    assert journal.last_hash == hashlib.sha256(course.log.read_bytes().splitlines()[-1]).hexdigest()


def test_the_reader_reports_a_torn_last_line_and_keeps_it(course: Course,
                                                         header: dict[str, Any]) -> None:
    with JournalWriter.create(course.log, header, clock, signer=None) as writer:
        writer.append_events([NoteAdded(1, "facilitator", "a")])
    with open(course.log, "ab") as handle:
        handle.write(b'{"seq":2,"t":3,"ty')
    journal = read_journal(course.log)
    assert (journal.torn, journal.torn_line, len(journal.lines)) == (b'{"seq":2,"t":3,"ty', 3, 1)
