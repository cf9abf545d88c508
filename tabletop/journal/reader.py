"""Read a journal back: header, hash chain, a torn last line reported (never dropped)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabletop.journal.format import FORMAT_VERSION, JournalError, LogLine, line_hash


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

    @property
    def last_hash(self) -> str:
        return line_hash(self.lines[-1].raw) if self.lines else self._header_hash

    _header_hash: str = ""

    @property
    def next_seq(self) -> int:
        return self.lines[-1].seq + 1 if self.lines else 1

    @property
    def participants(self) -> dict[str, str]:
        return dict(self.header.get("participants") or {})


def read_journal(path: Path, *, check_chain: bool = True) -> Journal:
    """Parse a journal; raise JournalError naming the first line that is wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise JournalError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise JournalError(f"{path}: is a folder, not a log") from None
    except PermissionError:
        raise JournalError(f"{path}: cannot be read: permission denied") from None
    if not data:
        raise JournalError(f"{path}: the file is empty; not a tabletop log")
    raw_lines = data.split(b"\n")
    torn: bytes | None = None
    if raw_lines[-1] == b"":
        raw_lines.pop()
    else:
        torn = raw_lines.pop()
    if not raw_lines:
        raise JournalError(f"{path}: line 1: incomplete header; not a tabletop log")
    header = _parse(raw_lines[0], 1, path)
    if header.get("type") != "header":
        raise JournalError(f"{path}: line 1: no header; not a tabletop log")
    version = header.get("format")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise JournalError(f"{path}: written in journal format {version!r} by a newer "
                           f"tabletop; this one reads format {FORMAT_VERSION}")
    for key in ("scenario", "seed", "participants"):
        if key not in header:
            raise JournalError(f"{path}: line 1: the header lacks '{key}'")
    journal = Journal(path, header, [], size=len(data))
    journal._header_hash = line_hash(raw_lines[0])
    prev = journal._header_hash
    for index, raw in enumerate(raw_lines[1:], start=2):
        obj = _parse(raw, index, path)
        for key in ("seq", "t", "type", "prev"):
            if key not in obj:
                raise JournalError(f"{path}: line {index}: lacks '{key}'")
        if check_chain:
            if obj["prev"] != prev:
                raise JournalError(f"{path}: line {index}: hash chain broken")
            if obj["seq"] != index - 1:
                raise JournalError(f"{path}: line {index}: sequence number {obj['seq']} where "
                                   f"{index - 1} belongs")
        payload = {k: v for k, v in obj.items() if k not in ("seq", "wall", "prev")}
        journal.lines.append(LogLine(index, obj["seq"], obj["t"], obj.get("wall", ""),
                                     obj["type"], obj["prev"], payload, raw))
        prev = line_hash(raw)
    if torn is not None:
        journal.torn = torn
        journal.torn_line = len(raw_lines) + 1
    return journal


def _parse(raw: bytes, number: int, path: Path) -> dict[str, Any]:
    try:
        obj = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise JournalError(f"{path}: line {number}: not valid JSON (the log was damaged)") from None
    if not isinstance(obj, dict):
        raise JournalError(f"{path}: line {number}: not a JSON object")
    return obj
