"""The journal's line format: header, canonical JSON lines, the sha256 hash chain."""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

from tabletop.errors import LocalizedError
from tabletop.model.events import EVENT_TYPES, Event, event_from_dict

FORMAT_VERSION = 2
"""The newest journal format this program reads and writes.

1: events only; replay infers the commands from the events people caused.
2: every applied command is a `command` line, written before the events it caused.
"""

COMMAND_TYPE = "command"
JOURNAL_ONLY_TYPES = {"resumed", "force_scenario", "checkpoint", "seat_mode"}
"""Lines the journal writes itself; re-simulation does not expect the engine to make them."""

MAX_LOG_BYTES = 512 * 1024 * 1024
"""The largest log read (checked before reading): far above a day's exercise (~10 MB)."""
MAX_LINE_BYTES = 4 * 1024 * 1024
"""The longest line read back."""


class JournalError(LocalizedError):
    """A log that cannot be used; the message (a catalogue key and its values, rendered in
    the user's language) names the log, the line and the reason."""


JournalRefusal = JournalError
"""The former name of a keyed JournalError (every JournalError is keyed now)."""


def line_hash(line: bytes) -> str:
    """sha256 of a line's bytes without its newline."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def dumps(obj: dict[str, Any]) -> bytes:
    """Canonical JSON for one line: UTF-8, no spaces, no newline inside."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class LogLine(NamedTuple):
    """One event line of a journal as read back (immutable).

    A named tuple, not a frozen dataclass: a log has hundreds of thousands of lines, and
    making one this way (`_make`) costs a sixth of a frozen dataclass's `__init__`.
    """

    number: int
    """1-based line number in the file (the header is line 1)."""
    seq: int
    t: int
    wall: str
    type: str
    prev: str
    payload: dict[str, Any]
    """The event's own fields (what `Event.to_dict` gives), without seq/wall/prev."""
    raw: bytes
    command: Any = None
    """For a command line: the command, typed when the line was read."""

    @property
    def is_engine_event(self) -> bool:
        return self.type in EVENT_TYPES

    @property
    def is_command(self) -> bool:
        """A command line (format 2): what somebody did, before the events it caused."""
        return self.type == COMMAND_TYPE

    def event(self) -> Event:
        return event_from_dict(self.payload)


def event_line(event: Event, seq: int, wall: str, prev: str) -> dict[str, Any]:
    data = event.to_dict()
    return {"seq": seq, "t": data.pop("t"), "wall": wall, "type": data.pop("type"),
            "prev": prev, **data}


def command_line(command: dict[str, Any], seq: int, t: int, wall: str,
                 prev: str) -> dict[str, Any]:
    return {"seq": seq, "t": t, "wall": wall, "type": COMMAND_TYPE, "prev": prev,
            "command": command}


def payload_of(obj: dict[str, Any]) -> dict[str, Any]:
    """The event fields of a journal line (for comparing with `Event.to_dict`)."""
    return {k: v for k, v in obj.items() if k not in ("seq", "wall", "prev")}
