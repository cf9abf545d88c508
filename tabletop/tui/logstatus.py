"""What the home screen says about a log: running, interrupted, ended, a fork of which log.

Read from the log's header and its last lines only (a log can be long); nothing is verified
here (that is `tabletop verify`).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RUNNING_SECONDS = 15 * 60
"""A log without an end, written to this recently, is taken to be still running."""

TAIL_BYTES = 64 * 1024


@dataclass(frozen=True)
class LogStatus:
    status: str
    """`running`, `interrupted` or `ended`."""
    participants: tuple[str, ...]
    """Role ids seated at the table."""
    forked_from: str | None
    """The file name of the log this one was forked from."""
    forked_t: int | None = None


def _last_lines(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - TAIL_BYTES))
        data = handle.read()
    out = []
    for raw in data.split(b"\n")[1 if size > TAIL_BYTES else 0:]:
        try:
            obj = json.loads(raw)
        except ValueError:
            continue
        if isinstance(obj, dict):
            out.append(obj)
    return out


def log_status(path: Path, header: dict[str, Any], now: float | None = None) -> LogStatus:
    participants = tuple(header.get("participants") or {})
    fork = header.get("forked_from")
    forked_from = Path(str(fork.get("log", ""))).name if isinstance(fork, dict) else None
    forked_t = fork.get("t") if isinstance(fork, dict) else None
    try:
        lines = _last_lines(path)
        mtime = path.stat().st_mtime
    except OSError:
        return LogStatus("interrupted", participants, forked_from, forked_t)
    if any(line.get("type") == "end" for line in lines):
        status = "ended"
    elif (now if now is not None else time.time()) - mtime < RUNNING_SECONDS:
        status = "running"
    else:
        status = "interrupted"
    return LogStatus(status, participants, forked_from,
                     forked_t if isinstance(forked_t, int) else None)


def read_status(path: Path, now: float | None = None) -> LogStatus | None:
    """The status of the log at `path` (None when its header cannot be read)."""
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict):
        return None
    return log_status(path, header, now)
