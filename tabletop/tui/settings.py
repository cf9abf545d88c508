"""What the set-up screen remembers for the next exercise (region, facilitator).

A small JSON file in the user's config folder: `$TABLETOP_CONFIG` (a file path, for tests),
else `$XDG_CONFIG_HOME/tabletop/settings.json`, else `~/.config/tabletop/settings.json`.
A missing or unreadable file is as good as an empty one: remembering is a convenience.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

REMEMBERED = ("region", "facilitator")

CLOCK_FACTORS = (1, 5, 15)
"""The running clock's speeds the set-up and the console offer (story minutes per second)."""


def settings_path() -> Path:
    configured = os.environ.get("TABLETOP_CONFIG")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tabletop" / "settings.json"


def load_remembered() -> dict[str, str]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in REMEMBERED and isinstance(v, str)}


def remember(values: dict[str, str]) -> None:
    """Keep these values for the next set-up (silently skipped when it cannot be written)."""
    path = settings_path()
    data = load_remembered() | {k: v for k, v in values.items() if k in REMEMBERED}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return
