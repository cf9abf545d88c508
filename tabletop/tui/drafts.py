"""Drafts of what the facilitator is typing, kept beside the log so nothing typed is lost.

A draft is written (owner-only, atomically) on every change to a decision card or note, and
removed once the command it drafts is logged. After a crash, `tabletop resume LOG` finds the
drafts next to the log and the card or note opens with them again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

Draft = dict[str, Any]


def drafts_path(log: Path) -> Path:
    """`oefening.jsonl` -> `oefening.drafts.json`, in the same folder."""
    return log.with_name(f"{log.stem}.drafts.json")


class DraftStore:
    """Drafts by key (`decision:ID`, `note`); without a log they live in memory only."""

    def __init__(self, log: Path | None) -> None:
        self.path = drafts_path(log) if log is not None else None
        self._drafts: dict[str, Draft] = {}
        if self.path is not None and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if isinstance(data, dict):
                self._drafts = {k: v for k, v in data.items()
                                if isinstance(k, str) and isinstance(v, dict)}

    def get(self, key: str) -> Draft:
        return dict(self._drafts.get(key, {}))

    def keys(self) -> list[str]:
        return list(self._drafts)

    def put(self, key: str, draft: Draft) -> None:
        if not any(v not in (None, "", False, {}, []) for v in draft.values()):
            self.drop(key)
            return
        if self._drafts.get(key) == draft:
            return
        self._drafts[key] = dict(draft)
        self._write()

    def drop(self, key: str) -> None:
        if self._drafts.pop(key, None) is not None:
            self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        if not self._drafts:
            self.path.unlink(missing_ok=True)
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, json.dumps(self._drafts, ensure_ascii=False, indent=1).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)
