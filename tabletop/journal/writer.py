"""Append-only journal writing: owner-only file, one fsync'd write per batch of events."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from tabletop import __version__
from tabletop.journal.format import (
    FORMAT_VERSION,
    JournalError,
    command_line,
    dumps,
    event_line,
    line_hash,
)
from tabletop.model.commands import Command, command_to_dict
from tabletop.model.events import Event
from tabletop.model.loading import LoadedScenario

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()


def new_header(loaded: LoadedScenario, *, seed: int, participants: dict[str, str],
               title: str = "", region: str = "", facilitator: str = "",
               parameters: dict[str, str] | None = None, lang: str = "nl",
               forked_from: dict[str, Any] | None = None,
               clock: Clock = local_now) -> dict[str, Any]:
    """The first line of a journal."""
    return {
        "type": "header",
        "format": FORMAT_VERSION,
        "scenario": {"id": loaded.scenario.id, "path": str(loaded.path.resolve()),
                     "hash": loaded.content_hash},
        "seed": seed,
        "title": title or loaded.scenario.title,
        "region": region,
        "facilitator": facilitator,
        "participants": dict(participants),
        "parameters": dict(parameters or {}),
        "lang": lang,
        "program": f"tabletop {__version__}",
        "created": clock().isoformat(timespec="seconds"),
        "forked_from": forked_from,
    }


class JournalWriter:
    """Appends lines to a journal; never rewrites what is there."""

    def __init__(self, path: Path, fd: int, next_seq: int, prev: str, clock: Clock) -> None:
        self.path = path
        self._fd = fd
        self.next_seq = next_seq
        self.prev = prev
        self.clock = clock

    @classmethod
    def create(cls, path: Path, header: dict[str, Any], clock: Clock = local_now) -> JournalWriter:
        """Create a new journal (refusing to overwrite one) and write its header."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        except FileExistsError:
            raise JournalError(f"{path}: already exists; a log is never overwritten "
                               "(use `tabletop resume` to continue it)") from None
        except OSError as exc:
            raise JournalError(f"{path}: cannot create the log: {exc.strerror}") from None
        writer = cls(path, fd, 1, "", clock)
        writer._write([dumps({"seq": 0, **header})])
        return writer

    @classmethod
    def append_to(cls, path: Path, next_seq: int, prev: str,
                  clock: Clock = local_now) -> JournalWriter:
        """Open an existing journal to go on appending after its last line."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            raise JournalError(f"{path}: cannot open the log for appending: "
                               f"{exc.strerror}") from None
        return cls(path, fd, next_seq, prev, clock)

    def _write(self, lines: list[bytes]) -> None:
        data = b"".join(line + b"\n" for line in lines)
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)
        except OSError as exc:
            reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror
            raise JournalError(f"{self.path}: could not write the log ({reason}); what was "
                               "already written is kept, and `tabletop resume` continues "
                               "it") from None
        self.prev = line_hash(lines[-1])

    def append_commands(self, batches: Iterable[tuple[int, Command, list[Event]]]) -> None:
        """Write each command (applied at story minute `t`) followed by the events it
        caused: one write, one fsync for all of them."""
        lines = []
        prev = self.prev
        wall = self.clock().isoformat(timespec="milliseconds")
        seq = self.next_seq
        for t, command, events in batches:
            line = dumps(command_line(command_to_dict(command), seq, t, wall, prev))
            lines.append(line)
            prev = line_hash(line)
            seq += 1
            for event in events:
                line = dumps(event_line(event, seq, wall, prev))
                lines.append(line)
                prev = line_hash(line)
                seq += 1
        if lines:
            self._write(lines)
            self.next_seq = seq

    def append_events(self, events: Iterable[Event]) -> None:
        """Write and fsync a batch of events (one write, one fsync)."""
        lines = []
        prev = self.prev
        wall = self.clock().isoformat(timespec="seconds")
        seq = self.next_seq
        for event in events:
            line = dumps(event_line(event, seq, wall, prev))
            lines.append(line)
            prev = line_hash(line)
            seq += 1
        if lines:
            self._write(lines)
            self.next_seq = seq

    def append_record(self, record_type: str, t: int, **fields: Any) -> None:
        """A journal-only line (resumed, force_scenario), chained like any other."""
        wall = self.clock().isoformat(timespec="seconds")
        line = dumps({"seq": self.next_seq, "t": t, "wall": wall, "type": record_type,
                      "prev": self.prev, **fields})
        self._write([line])
        self.next_seq += 1

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
