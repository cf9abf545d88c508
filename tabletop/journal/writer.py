"""Append-only journal writing: owner-only file, one fsync'd write per batch of events."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from tabletop import __version__
from tabletop.journal.format import (
    FORMAT_VERSION,
    MAX_LINE_BYTES,
    JournalError,
    command_line,
    dumps,
    event_line,
    line_hash,
)
from tabletop.journal.signing import Signer, host_name, installation_signer
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
               clock: Clock = local_now, seat_decisions: str = "apply") -> dict[str, Any]:
    """The first line of a journal (`seat_decisions: confirm` only when a seat's own
    decisions wait for the facilitator's confirmation; later changes are `seat_mode`
    lines)."""
    header = {
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
    if seat_decisions != "apply":
        header["seat_decisions"] = seat_decisions
    return header


class JournalWriter:
    """Appends lines to a journal; never rewrites what is there.

    One writer per log: the writer holds an exclusive lock on the log (`flock`, released by
    the system when the process ends, so a crash leaves no lock behind) for as long as it is
    open, and names itself in a `LOG.lock` file beside it. Every batch written ends with a
    signed checkpoint line (see `signing`), in the same write and fsync.
    """

    def __init__(self, path: Path, fd: int, next_seq: int, prev: str, clock: Clock,
                 signer: Signer | None = None) -> None:
        self.path = path
        self._fd = fd
        self.next_seq = next_seq
        self.prev = prev
        self.clock = clock
        self.signer = signer
        self._locked = False
        self._failed = ""

    @classmethod
    def create(cls, path: Path, header: dict[str, Any], clock: Clock = local_now,
               signer: Signer | None | bool = True) -> JournalWriter:
        """Create a new journal (refusing to overwrite one) and write its header.

        Args:
            signer: the key that signs the log; True (the default): this installation's;
                None: an unsigned log (only for tests of older logs).
        """
        key = _signer(signer)
        if key is not None and "signer" not in header:
            header = {**header, "signer": key.header_field()}
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
                         | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            raise JournalError("jr.exists", path=str(path)) from None
        except OSError as exc:
            raise JournalError("jr.cannot_create", path=str(path),
                               reason=str(exc.strerror)) from None
        writer = cls(path, fd, 1, "", clock, key)
        try:
            writer._lock()
            writer._write([dumps({"seq": 0, **header})], 1, 0,
                          clock().isoformat(timespec="seconds"))
        except JournalError as exc:
            # Nothing usable was written: leave no dead-end (empty) log behind.
            writer.close()
            with contextlib.suppress(OSError):
                path.unlink()
            if isinstance(exc, _WriteFailed):
                raise JournalError("jr.first_write_failed", path=str(path),
                                   reason=exc.reason) from None
            raise
        return writer

    @classmethod
    def append_to(cls, path: Path, next_seq: int, prev: str,
                  clock: Clock = local_now, signer: Signer | None | bool = True,
                  ) -> JournalWriter:
        """Open an existing journal to go on appending after its last line.

        Refused (JournalError) when another session writes to it, or when it no longer ends
        with the line whose hash is `prev` (someone appended since the caller read it).
        """
        key = _signer(signer)
        try:
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CLOEXEC)
        except OSError as exc:
            raise JournalError("jr.cannot_append", path=str(path),
                               reason=str(exc.strerror)) from None
        writer = cls(path, fd, next_seq, prev, clock, key)
        try:
            writer._lock()
            last = _last_line(fd)
            if last is None or line_hash(last) != prev:
                raise JournalError("jr.changed_since_read", path=str(path))
            if b'"type":"checkpoint"' in last and not _signature_holds(last):
                raise JournalError("jr.last_signature_bad", path=str(path))
        except BaseException:
            writer.close()
            raise
        return writer

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _lock(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                raise JournalError("jr.cannot_lock", path=str(self.path),
                                   reason=str(exc.strerror)) from None
            raise JournalError("jr.in_use", path=str(self.path),
                               holder=lock_holder(self.path)) from None
        self._locked = True
        # The lock is ours: a LOG.lock left by a crashed session (its process gone, which
        # released its lock) is simply replaced.
        info = dumps({"pid": os.getpid(), "host": host_name(),
                      "since": self.clock().isoformat(timespec="seconds"),
                      "program": f"tabletop {__version__}"})
        tmp = self.lock_path.with_name(f".{self.lock_path.name}.{os.getpid()}")
        try:
            with open(tmp, "wb", opener=_owner_only) as handle:
                handle.write(info + b"\n")
            os.replace(tmp, self.lock_path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()  # the lock itself holds; only the holder's name is missing

    def _write(self, lines: list[bytes], next_seq: int, t: int, wall: str) -> None:
        """Write one batch of lines (numbered up to `next_seq` - 1) and, when signing, a
        checkpoint over them: one write, one fsync. Sets `next_seq` and `prev`.

        On failure nothing of the batch stays in the file (it is cut back), so the log ends
        on a whole line, and the writer closes: `tabletop resume` continues the log.
        """
        if self._failed:  # after a failed write the log is released: never write again
            raise _WriteFailed(self.path, self._failed)
        prev = line_hash(lines[-1])
        if self.signer is not None:
            lines = [*lines, self.signer.checkpoint(next_seq, t, wall, prev)]
            next_seq += 1
            prev = line_hash(lines[-1])
        data = b"".join(line + b"\n" for line in lines)
        size = -1
        try:
            size = os.fstat(self._fd).st_size
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            os.fsync(self._fd)
        except OSError as exc:
            if size >= 0:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, size)
            reason = "the disk is full" if exc.errno == errno.ENOSPC else str(exc.strerror)
            # The session cannot go on writing; release the log (and its lock) so that
            # `tabletop resume` can continue it, also from this same process.
            self.close()
            self._failed = reason
            raise _WriteFailed(self.path, reason) from None
        self.prev = prev
        self.next_seq = next_seq

    def append_commands(self, batches: Iterable[tuple[int, Command, list[Event]]]) -> None:
        """Write each command (applied at story minute `t`) followed by the events it
        caused: one write, one fsync for all of them."""
        lines = []
        prev = self.prev
        wall = self.clock().isoformat(timespec="milliseconds")
        seq = self.next_seq
        last_t = 0
        for t, command, events in batches:
            line = dumps(command_line(command_to_dict(command), seq, t, wall, prev))
            lines.append(line)
            prev = line_hash(line)
            seq += 1
            last_t = max(last_t, t)
            for event in events:
                line = dumps(event_line(event, seq, wall, prev))
                lines.append(line)
                prev = line_hash(line)
                seq += 1
                last_t = max(last_t, event.t)
        if lines:
            self._write(lines, seq, last_t, wall)

    def append_events(self, events: Iterable[Event]) -> None:
        """Write and fsync a batch of events (one write, one fsync)."""
        lines = []
        prev = self.prev
        wall = self.clock().isoformat(timespec="seconds")
        seq = self.next_seq
        t = 0
        for event in events:
            line = dumps(event_line(event, seq, wall, prev))
            lines.append(line)
            prev = line_hash(line)
            seq += 1
            t = event.t
        if lines:
            self._write(lines, seq, t, wall)

    def append_record(self, record_type: str, t: int, **fields: Any) -> None:
        """A journal-only line (resumed, force_scenario), chained like any other."""
        wall = self.clock().isoformat(timespec="seconds")
        line = dumps({"seq": self.next_seq, "t": t, "wall": wall, "type": record_type,
                      "prev": self.prev, **fields})
        self._write([line], self.next_seq + 1, t, wall)

    def close(self) -> None:
        if self._fd >= 0:
            if self._locked:
                with contextlib.suppress(OSError):
                    self.lock_path.unlink()
                self._locked = False
            os.close(self._fd)  # releases the lock
            self._fd = -1

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _WriteFailed(JournalError):
    def __init__(self, path: Path, reason: str) -> None:
        self.reason = reason
        super().__init__("jr.write_failed", path=str(path), reason=reason)


def _owner_only(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_CLOEXEC, 0o600)


def _signer(signer: Signer | None | bool) -> Signer | None:
    if signer is True:
        return installation_signer()
    if signer is False or signer is None:
        return None
    return signer


def _signature_holds(raw: bytes) -> bool:
    from tabletop.journal.signing import check_checkpoint, unb64

    try:
        key = unb64(json.loads(raw).get("key"))
    except (ValueError, RecursionError, AttributeError):
        return False
    return key is not None and check_checkpoint(raw, key)


def lock_holder(path: Path) -> str:
    """Who holds a log's lock, from its LOG.lock file (as far as it says)."""
    from tabletop.model.text import clean_text

    try:
        with open(path.with_name(path.name + ".lock"), "rb") as handle:
            info = json.loads(handle.read(4096))
    except (OSError, ValueError, RecursionError):
        return "another program"
    if not isinstance(info, dict):
        return "another program"
    pid, host, since = (clean_text(str(info.get(k, "?")))[:80] for k in ("pid", "host", "since"))
    return f"process {pid} on {host} (since {since})"


def _last_line(fd: int) -> bytes | None:
    """The file's last whole line (without its newline), or None when it ends mid-line."""
    end = os.lseek(fd, 0, os.SEEK_END)
    if end == 0 or os.pread(fd, 1, end - 1) != b"\n":
        return None
    pos, tail = end - 1, b""
    while pos > 0 and b"\n" not in tail:
        if len(tail) > MAX_LINE_BYTES:
            return None
        start = max(0, pos - (1 << 16))
        tail = os.pread(fd, pos - start, start) + tail
        pos = start
    return tail.rsplit(b"\n", 1)[-1]
