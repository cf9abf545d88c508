"""Read a journal back: header, hash chain, a torn last line reported (never dropped).

Every field is typed before it is used (see `typed`); the size is checked before reading.
Checkpoint lines (signatures, see `signing`) are kept apart in `Journal.checkpoints`, so
what reads `lines` sees the exercise's events and the journal's own records only.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import Any, BinaryIO

from tabletop.errors import Msg, Number
from tabletop.journal.format import (
    FORMAT_VERSION,
    MAX_LINE_BYTES,
    MAX_LOG_BYTES,
    JournalError,
    LogLine,
    line_hash,
)
from tabletop.journal.typed import FieldProblem, check_header, check_line

CHECKPOINT = "checkpoint"


def played_by(header: dict[str, Any], roles: Iterable[str]) -> set[str]:
    """The roles a log's exercise had at the table: its header's `participants` (none: the
    engine played every role), or every role when the header names none at all (a log
    written before participants were recorded)."""
    named = header.get("participants")
    return set(roles) if named is None else set(named)


@dataclass
class Journal:
    path: Path
    header: dict[str, Any]
    lines: list[LogLine]
    torn: bytes | None = None
    """An incomplete last line (the program stopped while writing it)."""
    torn_line: int = 0
    size: int = 0
    problems: list[str] = field(default_factory=list)
    checkpoints: list[LogLine] = field(default_factory=list)
    """The signed checkpoint lines, in order (not in `lines`)."""
    header_raw: bytes = b""

    @property
    def last_hash(self) -> str:
        """The hash of the file's last whole line (what the next line's `prev` must be)."""
        return self._last_hash or self._header_hash

    _header_hash: str = ""
    _last_hash: str = ""
    _last_seq: int = 0

    @property
    def next_seq(self) -> int:
        return self._last_seq + 1

    @property
    def line_count(self) -> int:
        """Whole lines in the file, the header included."""
        return len(self.lines) + len(self.checkpoints) + 1

    @property
    def participants(self) -> dict[str, str]:
        return dict(self.header.get("participants") or {})

    def played(self, roles: Iterable[str]) -> set[str]:
        """The roles played at the table (the others the engine played): see `played_by`."""
        return played_by(self.header, roles)

    @property
    def finished(self) -> bool:
        """Whether the exercise's end is in the log."""
        return any(ln.type == "end" for ln in self.lines)

    def close_from(self, stream: JournalStream) -> None:
        """Take what `stream` knows once its lines are read (the header, the size, the
        chain's hashes, a torn last line), for a journal whose lines were kept from it."""
        self.header, self.header_raw = stream.header, stream.header_raw
        self.size, self.torn, self.torn_line = stream.size, stream.torn, stream.torn_line
        self._header_hash = stream.header_hash
        self._last_hash, self._last_seq = stream.last_hash, stream.last_seq


def read_journal(path: Path, *, check_chain: bool = True) -> Journal:
    """Parse a journal; raise JournalError naming the first line that is wrong."""
    with JournalStream(path, check_chain=check_chain) as stream:
        journal = Journal(path, stream.header, [], header_raw=stream.header_raw)
        lines, checkpoints = journal.lines, journal.checkpoints
        for line in stream:
            (checkpoints if line.type == CHECKPOINT else lines).append(line)
    journal.close_from(stream)
    return journal


class JournalStream:
    """A journal read line by line, each line checked as `read_journal` checks it, so that
    what reads a whole log (`verify`) holds one line at a time, not the log.

    Opening it reads and checks the header (`header`); iterating yields every whole line
    after it, checkpoints included, in order, and raises JournalError at the first line that
    is wrong. After the last line: `torn` (an incomplete last line), `last_hash`, `last_seq`.
    """

    def __init__(self, path: Path, *, check_chain: bool = True) -> None:
        self.path = path
        self.check_chain = check_chain
        self.torn: bytes | None = None
        self.torn_line = 0
        self.size = 0
        self.last_seq = 0
        self.count = 1
        """Whole lines read so far, the header included."""
        self._handle = _open(path)
        try:
            self._start()
        except BaseException:
            self._handle.close()
            raise

    def __enter__(self) -> JournalStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def _start(self) -> None:
        path = self.path
        first = self._readline()
        if not first:
            raise JournalError("jr.empty", path=str(path))
        if not first.endswith(b"\n"):
            raise JournalError("jr.at_line", path=str(path), line=1,
                               problem=Msg("jr.torn_header"))
        raw = first[:-1]
        header = _parse(raw, 1, path)
        if header.get("type") != "header":
            raise JournalError("jr.at_line", path=str(path), line=1,
                               problem=Msg("jr.no_header"))
        version = header.get("format")
        if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
            shown = repr(version)[:40]
            raise JournalError("jr.newer_format", path=str(path), format=shown,
                               reads=FORMAT_VERSION)
        for key in ("scenario", "seed", "participants"):
            if key not in header:
                raise JournalError("jr.at_line", path=str(path), line=1,
                                   problem=Msg("jr.header_lacks", key=key))
        try:
            check_header(header, raw)
        except FieldProblem as exc:
            raise JournalError("jr.at_line", path=str(path), line=1,
                               problem=exc.msg) from None
        self.header: dict[str, Any] = header
        self.header_raw = raw
        self.header_hash = self.last_hash = line_hash(raw)

    def _readline(self) -> bytes:
        """The next line with its newline (without: the file's incomplete last line)."""
        try:
            raw = self._handle.readline(MAX_LINE_BYTES + 2)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                parts, total = [raw], len(raw)  # longer than a line may be: read to its end
                while total + self.size <= MAX_LOG_BYTES:
                    more = self._handle.readline(2**20)
                    parts.append(more)
                    total += len(more)
                    if not more or more.endswith(b"\n"):
                        break
                raw = b"".join(parts)
        except OSError as exc:
            raise JournalError("jr.unreadable", path=str(self.path),
                               reason=str(exc.strerror or exc)) from None
        self.size += len(raw)
        if self.size > MAX_LOG_BYTES:  # it grew while being read
            raise JournalError("jr.grew", path=str(self.path),
                               limit=MAX_LOG_BYTES // 2**20)
        return raw

    def __iter__(self) -> Iterator[LogLine]:
        path, check_chain = self.path, self.check_chain
        prev = self.last_hash
        index = self.count
        seq = self.last_seq
        loads = _fast_loads
        size = self.size
        new_line = LogLine._make
        try:
            for raw in self._lines():
                size += len(raw)
                if size > MAX_LOG_BYTES:  # it grew while being read
                    raise JournalError("jr.grew", path=str(path),
                                       limit=MAX_LOG_BYTES // 2**20)
                if raw[-1] != 10:  # no b"\n": the program stopped while writing it
                    self.torn = raw
                    self.torn_line = index + 1
                    break
                raw = raw[:-1]
                obj = loads(raw)
                if obj is None:
                    obj = _parse(raw, index + 1, path)
                if "seq" not in obj or "t" not in obj or "type" not in obj or "prev" not in obj:
                    for key in ("seq", "t", "type", "prev"):
                        if key not in obj:
                            raise JournalError("jr.at_line", path=str(path), line=index + 1,
                                               problem=Msg("jr.lacks", key=key))
                try:
                    command = check_line(obj, raw)
                except FieldProblem as exc:
                    raise JournalError("jr.at_line", path=str(path), line=index + 1,
                                       problem=exc.msg) from None
                line_seq = obj.pop("seq")
                line_prev = obj.pop("prev")
                if check_chain:
                    if line_prev != prev:
                        raise JournalError("jr.at_line", path=str(path), line=index + 1,
                                           problem=Msg("jr.chain_broken"))
                    if line_seq != index:
                        raise JournalError("jr.at_line", path=str(path), line=index + 1,
                                           problem=Msg("jr.bad_seq", seq=str(line_seq),
                                                       expected=index))
                index += 1
                seq = line_seq
                prev = sha256(raw).hexdigest()
                # what is left is the payload: the event's fields, without seq, wall, prev
                yield new_line((index, seq, obj["t"], obj.pop("wall", ""), obj["type"],
                                line_prev, obj, raw, command))
        finally:  # (also when the reader stops early: what it has read so far)
            self.size, self.count, self.last_seq, self.last_hash = size, index, seq, prev

    def _lines(self) -> Iterator[bytes]:
        """The file's lines after the header, each with its newline (the last one may lack
        it). Why not `readline(limit)`: iterating the file is the fast way; a line longer
        than a line may be is still read whole, but the file was no larger than a log may
        be, and `_parse` refuses the line."""
        try:
            yield from self._handle
        except OSError as exc:
            raise JournalError("jr.unreadable", path=str(self.path),
                               reason=str(exc.strerror or exc)) from None


def _open(path: Path) -> BinaryIO:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise JournalError("jr.not_regular", path=str(path))
        if info.st_size > MAX_LOG_BYTES:
            raise JournalError("jr.too_big", path=str(path), size=Number(info.st_size),
                               limit=MAX_LOG_BYTES // 2**20)
        return path.open("rb")
    except FileNotFoundError:
        raise JournalError("jr.no_file", path=str(path)) from None
    except IsADirectoryError:
        raise JournalError("jr.is_folder", path=str(path)) from None
    except PermissionError:
        raise JournalError("jr.no_permission", path=str(path)) from None
    except OSError as exc:
        raise JournalError("jr.unreadable", path=str(path),
                           reason=str(exc.strerror or exc)) from None


_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
"""The C scanner `json.loads` runs (a default decoder's, as json.loads uses)."""


def _fast_loads(raw: bytes) -> dict[str, Any] | None:
    """`json.loads` of a line as the writer writes it (UTF-8, an object, no surrounding
    space), parsed without its generic steps; None for anything else, which `_parse` then
    reads exactly as `json.loads` does (and names what is wrong)."""
    if raw[:2] != b'{"' or len(raw) > MAX_LINE_BYTES:
        return None
    try:
        text = raw.decode("utf-8")
        obj, end = _SCAN(text, 0)
    except (ValueError, StopIteration, RecursionError):
        return None  # (UnicodeDecodeError is a ValueError)
    if end != len(text) and text[end:].strip(" \t\r\n"):
        return None
    return obj  # type: ignore[no-any-return]


def _parse(raw: bytes, number: int, path: Path) -> dict[str, Any]:
    if len(raw) > MAX_LINE_BYTES:
        raise JournalError("jr.at_line", path=str(path), line=number, problem=Msg(
            "jr.line_too_long", size=Number(len(raw)), limit=MAX_LINE_BYTES // 2**20))
    try:
        obj = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise JournalError("jr.at_line", path=str(path), line=number,
                           problem=Msg("jr.not_json")) from None
    except RecursionError:
        raise JournalError("jr.at_line", path=str(path), line=number,
                           problem=Msg("jr.too_deep")) from None
    if not isinstance(obj, dict):
        raise JournalError("jr.at_line", path=str(path), line=number,
                           problem=Msg("jr.not_object"))
    return obj
