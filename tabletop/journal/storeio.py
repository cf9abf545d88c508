"""Between stores: a journal writer on any store, export to and import from JSON Lines.

`tabletop export` writes a store's exercise as the very bytes a file journal holds, so the
exported log verifies, reports and resumes like any other; `tabletop import` puts a log
(checked: header, hash chain) into a store unchanged.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tabletop.engine.exercise import Exercise
from tabletop.errors import Msg
from tabletop.journal.format import JournalError, dumps, line_hash
from tabletop.journal.reader import Journal, read_journal
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.signing import Signer
from tabletop.journal.store import JournalStore
from tabletop.journal.writer import Clock, JournalWriter, _signer, local_now, new_header
from tabletop.model.loading import LoadedScenario


class StoreWriter(JournalWriter):
    """`JournalWriter` whose batches go to a store (one transaction each on PostgreSQL),
    signed with a checkpoint line per batch like the file's. One writer: the store refuses
    a batch that does not follow its last line."""

    def __init__(self, store: JournalStore, next_seq: int, prev: str,
                 clock: Clock = local_now, signer: Signer | None | bool = True) -> None:
        super().__init__(Path(store.label), -1, next_seq, prev, clock, _signer(signer))
        self.store = store

    @classmethod
    def create_in(cls, store: JournalStore, header: dict[str, Any],
                  clock: Clock = local_now, signer: Signer | None | bool = True,
                  ) -> StoreWriter:
        writer = cls(store, 1, "", clock, signer)
        if writer.signer is not None and "signer" not in header:
            header = {**header, "signer": writer.signer.header_field()}
        writer._write([dumps({"seq": 0, **header})], 1, 0,
                      clock().isoformat(timespec="seconds"))
        return writer

    def _write(self, lines: list[bytes], next_seq: int, t: int, wall: str) -> None:
        if self.signer is not None:
            lines = [*lines, self.signer.checkpoint(next_seq, t, wall, line_hash(lines[-1]))]
            next_seq += 1
        self.store.append(lines)
        self.prev = line_hash(lines[-1])
        self.next_seq = next_seq

    def close(self) -> None:
        """The store stays open: its owner closes it."""


def start_in_store(loaded: LoadedScenario, settings: SessionSettings, store: JournalStore,
                   clock: Clock = local_now) -> LiveSession:
    """`LiveSession.start` with the journal in a store."""
    participants = {r: settings.participants[r] for r in loaded.roles
                    if r in settings.participants}
    exercise = Exercise(loaded, seed=settings.seed, participants=set(participants))
    header = new_header(loaded, seed=settings.seed, participants=participants,
                        title=settings.title, region=settings.region,
                        facilitator=settings.facilitator, parameters=settings.parameters,
                        lang=settings.lang, clock=clock,
                        seat_decisions=settings.seat_decisions)
    writer = StoreWriter.create_in(store, header, clock)
    return LiveSession(loaded, exercise, writer, settings)


def export_bytes(store: JournalStore) -> bytes:
    lines = store.read(-1)
    if not lines:
        raise JournalError("jr.store.no_exercise", where=store.label)
    return b"".join(raw + b"\n" for _, raw in lines)


def export_log(store: JournalStore, path: Path) -> int:
    """Write the exercise as a JSONL log (owner-only, never over an existing file)."""
    data = export_bytes(store)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise JournalError("jr.export_exists", path=str(path)) from None
    except OSError as exc:
        raise JournalError("jr.cannot_create", path=str(path),
                           reason=str(exc.strerror)) from None
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return data.count(b"\n")


def import_log(path: Path, store: JournalStore) -> int:
    """Put a JSONL log into a store, unchanged; refuses a damaged or torn one."""
    journal = read_journal(path)
    if journal.torn is not None:
        raise JournalError("jr.at_line", path=str(path), line=journal.torn_line,
                           problem=Msg("jr.import_torn"))
    raw = path.read_bytes().split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    store.append(raw)
    return len(raw)


@contextmanager
def materialised(store: JournalStore) -> Iterator[Path]:
    """The exercise as a temporary JSONL file (for verify, log, report), removed after."""
    with tempfile.TemporaryDirectory(prefix="tabletop-") as folder:
        name = getattr(store, "exercise", "log")
        path = Path(folder) / f"{name}.jsonl"
        export_log(store, path)
        yield path


def read_store(store: JournalStore) -> Journal:
    with materialised(store) as path:
        return read_journal(path)


def open_resumed_in(resumed: Any, store: JournalStore, clock: Clock = local_now) -> StoreWriter:
    """`Resumed.open` for an exercise in a store: the same records, appended to the store."""
    journal = resumed.journal
    writer = StoreWriter(store, journal.next_seq, journal.last_hash, clock)
    resumed.open(clock, writer)
    return writer
