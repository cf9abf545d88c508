"""Where a journal lives: a JSON Lines file beside the exercise (the default) or PostgreSQL.

A store holds the journal's lines as bytes (each with its `seq` and `prev`: the hash chain
stays what `journal/format.py` makes), lets a reader take the lines from a sequence number
and follow new ones, and keeps the *inbox* of submissions from seats: append (idempotent by
the submission's id), take in order, record what became of each. One writer: the engine
(the facilitator's process) appends lines and takes submissions; seats only submit.

`FileStore` is the embedded default: the log file is written by `JournalWriter` as before,
the inbox is the sibling file `LOG.inbox` (append-only, locked with `fcntl`), and followers
poll the file. `tabletop.journal.pgstore.PgStore` keeps the same in PostgreSQL.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabletop.journal.format import JournalError, dumps

Line = tuple[int, bytes]
"""A journal line: its sequence number (0 is the header) and its bytes without newline."""

TAKEN_STATES = ("applied", "refused", "rejected", "pending")
"""What became of a submission: applied, refused by the engine or the seat rules, rejected
by the facilitator, or waiting for the facilitator's confirmation."""
FINAL_STATES = ("applied", "refused", "rejected")


@dataclass(frozen=True)
class Stored:
    """A submission as the inbox holds it: its id, the seat's role and the raw data."""

    id: str
    role: str
    data: dict[str, Any]
    """The whole submission as sent (parsed and checked by `journal.seats`)."""


@dataclass(frozen=True)
class Outcome:
    """What became of a submission (for the seat that sent it)."""

    id: str
    state: str
    message: str = ""


class JournalStore(ABC):
    """One exercise's journal and inbox."""

    label: str
    """How messages name the store: the log's path, or `postgresql:…#exercise`."""

    # -- the journal --------------------------------------------------------------------
    @abstractmethod
    def append(self, lines: list[bytes]) -> None:
        """Append a batch of lines (the first one's seq follows the last stored) in one
        durable step; raise JournalError when that is not possible."""

    @abstractmethod
    def read(self, after: int = -1) -> list[Line]:
        """The complete lines with seq > `after`, in order."""

    def follow(self, after: int = -1, stop: threading.Event | None = None,
               poll: float = 0.1) -> Iterator[Line]:
        """Yield every line with seq > `after` as it arrives, until `stop` is set.

        Nothing is lost or repeated: the follower remembers the last seq it gave and, after
        any interruption, catches up from there.
        """
        last = after
        while stop is None or not stop.is_set():
            try:
                batch = self.read(last)
            except JournalError:
                batch = []
            for seq, raw in batch:
                if seq == last + 1:
                    last = seq
                    yield seq, raw
            if not batch:
                (stop.wait(poll) if stop is not None else time.sleep(poll))

    # -- the inbox ----------------------------------------------------------------------
    @abstractmethod
    def submit(self, sid: str, role: str, data: dict[str, Any]) -> bool:
        """Put a submission in the inbox; False (and nothing changes) when its id is
        already there."""

    @abstractmethod
    def waiting(self) -> list[Stored]:
        """The submissions without a final outcome, in the order they arrived."""

    @abstractmethod
    def settle(self, sid: str, state: str, message: str = "") -> None:
        """Record what became of a submission (one of TAKEN_STATES)."""

    @abstractmethod
    def outcomes(self, role: str) -> dict[str, Outcome]:
        """The latest outcome of each submission of this seat."""

    def close(self) -> None:  # noqa: B027 - most stores hold nothing open
        """Release connections."""


class FileStore(JournalStore):
    """The JSON Lines log and its sibling inbox file `LOG.inbox`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.inbox = path.with_name(path.name + ".inbox")
        self.label = str(path)
        self._offset = 0
        self._seen = -1

    def append(self, lines: list[bytes]) -> None:
        if not lines:
            return
        first = json.loads(lines[0]).get("seq")
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT | os.O_EXCL if first == 0 else 0)
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileExistsError:
            raise JournalError("jr.exists_plain", path=str(self.path)) from None
        except OSError as exc:
            raise JournalError("jr.cannot_write", path=str(self.path),
                               reason=str(exc.strerror)) from None
        try:
            os.write(fd, b"".join(line + b"\n" for line in lines))
            os.fsync(fd)
        except OSError as exc:
            raise JournalError("jr.could_not_write", path=str(self.path),
                               reason=str(exc.strerror)) from None
        finally:
            os.close(fd)

    def read(self, after: int = -1) -> list[Line]:
        """Complete lines only: a line still being written waits for the next read.

        The file's offset of the last line read is kept, so that a follower reads only what
        is new; a file that got shorter (resume moved a torn tail aside) is read again."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            raise JournalError("jr.no_file", path=str(self.path)) from None
        if after < self._seen or size < self._offset:
            self._offset, self._seen = 0, -1
        out: list[Line] = []
        with open(self.path, "rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        end = data.rfind(b"\n")
        if end < 0:
            return out
        for raw in data[:end].split(b"\n"):
            self._offset += len(raw) + 1
            self._seen += 1
            if self._seen > after:
                out.append((self._seen, raw))
        return out

    # -- inbox: JSON lines of {"submit": …} and {"settle": …}, under an exclusive lock --
    def _records(self) -> list[dict[str, Any]]:
        try:
            data = self.inbox.read_bytes()
        except FileNotFoundError:
            return []
        out = []
        for raw in data.split(b"\n"):
            try:
                obj = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue  # a torn or damaged record is never taken
            if isinstance(obj, dict):
                out.append(obj)
        return out

    def _append_locked(self, record: dict[str, Any], unless_id: str | None = None) -> bool:
        try:
            fd = os.open(self.inbox, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise JournalError("jr.inbox_open", path=str(self.inbox),
                               reason=str(exc.strerror)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if unless_id is not None and any(
                    r.get("submit", {}).get("id") == unless_id for r in self._records()):
                return False
            os.write(fd, dumps(record) + b"\n")
            os.fsync(fd)
            return True
        except OSError as exc:
            raise JournalError("jr.inbox_write", path=str(self.inbox),
                               reason=str(exc.strerror)) from None
        finally:
            os.close(fd)

    def submit(self, sid: str, role: str, data: dict[str, Any]) -> bool:
        return self._append_locked({"submit": {"id": sid, "role": role, "data": data}},
                                   unless_id=sid)

    def waiting(self) -> list[Stored]:
        records = self._records()
        final = {r["settle"]["id"] for r in records
                 if isinstance(r.get("settle"), dict) and r["settle"].get("state") in FINAL_STATES}
        out, seen = [], set()
        for r in records:
            sub = r.get("submit")
            if not isinstance(sub, dict) or not isinstance(sub.get("id"), str):
                continue
            if sub["id"] in final or sub["id"] in seen:
                continue
            seen.add(sub["id"])
            data = sub.get("data")
            out.append(Stored(sub["id"], str(sub.get("role", "")),
                              data if isinstance(data, dict) else {}))
        return out

    def settle(self, sid: str, state: str, message: str = "") -> None:
        self._append_locked({"settle": {"id": sid, "state": state, "message": message}})

    def outcomes(self, role: str) -> dict[str, Outcome]:
        records = self._records()
        mine = {r["submit"]["id"] for r in records if isinstance(r.get("submit"), dict)
                and r["submit"].get("role") == role}
        out: dict[str, Outcome] = {}
        for r in records:
            s = r.get("settle")
            if isinstance(s, dict) and s.get("id") in mine:
                out[s["id"]] = Outcome(s["id"], str(s.get("state")), str(s.get("message", "")))
        return out


def open_store(target: str, exercise: str | None = None) -> JournalStore:
    """A store from `--store` (a `postgresql://` URL) or a log's path."""
    if target.startswith(("postgresql://", "postgres://")):
        from tabletop.journal.pgstore import PgStore

        if not exercise:
            raise JournalError("jr.store.name_exercise", where=redact(target))
        return PgStore(target, exercise)
    return FileStore(Path(target))


def redact(url: str) -> str:
    """A database URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        cred, host = rest.rsplit("@", 1)
        user = cred.split(":", 1)[0]
        return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"
    return url
