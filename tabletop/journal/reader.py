"""Read a journal back: header, hash chain, a torn last line reported (never dropped).

Every field is typed before it is used (see `typed`); the size is checked before reading.
Checkpoint lines (signatures, see `signing`) are kept apart in `Journal.checkpoints`, so
what reads `lines` sees the exercise's events and the journal's own records only.
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

    @property
    def finished(self) -> bool:
        """Whether the exercise's end is in the log."""
        return any(ln.type == "end" for ln in self.lines)


def read_journal(path: Path, *, check_chain: bool = True) -> Journal:
    """Parse a journal; raise JournalError naming the first line that is wrong."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise JournalError("jr.not_regular", path=str(path))
        if info.st_size > MAX_LOG_BYTES:
            raise JournalError("jr.too_big", path=str(path), size=Number(info.st_size),
                               limit=MAX_LOG_BYTES // 2**20)
        data = path.read_bytes()
    except FileNotFoundError:
        raise JournalError("jr.no_file", path=str(path)) from None
    except IsADirectoryError:
        raise JournalError("jr.is_folder", path=str(path)) from None
    except PermissionError:
        raise JournalError("jr.no_permission", path=str(path)) from None
    except OSError as exc:
        raise JournalError("jr.unreadable", path=str(path),
                           reason=str(exc.strerror or exc)) from None
    if len(data) > MAX_LOG_BYTES:  # it grew while being read
        raise JournalError("jr.grew", path=str(path), limit=MAX_LOG_BYTES // 2**20)
    if not data:
        raise JournalError("jr.empty", path=str(path))
    raw_lines = data.split(b"\n")
    torn: bytes | None = None
    if raw_lines[-1] == b"":
        raw_lines.pop()
    else:
        torn = raw_lines.pop()
    if not raw_lines:
        raise JournalError("jr.at_line", path=str(path), line=1,
                           problem=Msg("jr.torn_header"))
    header = _parse(raw_lines[0], 1, path)
    if header.get("type") != "header":
        raise JournalError("jr.at_line", path=str(path), line=1, problem=Msg("jr.no_header"))
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
        check_header(header, raw_lines[0])
    except FieldProblem as exc:
        raise JournalError("jr.at_line", path=str(path), line=1, problem=exc.msg) from None
    journal = Journal(path, header, [], size=len(data), header_raw=raw_lines[0])
    journal._header_hash = line_hash(raw_lines[0])
    prev = journal._header_hash
    for index, raw in enumerate(raw_lines[1:], start=2):
        obj = _parse(raw, index, path)
        for key in ("seq", "t", "type", "prev"):
            if key not in obj:
                raise JournalError("jr.at_line", path=str(path), line=index,
                                   problem=Msg("jr.lacks", key=key))
        try:
            command = check_line(obj, raw)
        except FieldProblem as exc:
            raise JournalError("jr.at_line", path=str(path), line=index,
                               problem=exc.msg) from None
        if check_chain:
            if obj["prev"] != prev:
                raise JournalError("jr.at_line", path=str(path), line=index,
                                   problem=Msg("jr.chain_broken"))
            if obj["seq"] != index - 1:
                raise JournalError("jr.at_line", path=str(path), line=index, problem=Msg(
                    "jr.bad_seq", seq=str(obj["seq"]), expected=index - 1))
        payload = {k: v for k, v in obj.items() if k not in ("seq", "wall", "prev")}
        line = LogLine(index, obj["seq"], obj["t"], obj.get("wall", ""), obj["type"],
                       obj["prev"], payload, raw, command)
        (journal.checkpoints if line.type == CHECKPOINT else journal.lines).append(line)
        prev = line_hash(raw)
        journal._last_seq = obj["seq"]
    journal._last_hash = prev
    if torn is not None:
        journal.torn = torn
        journal.torn_line = len(raw_lines) + 1
    return journal


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
