"""Where the app finds scenarios and keeps logs; quick listings for the home screen."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tabletop.errors import Msg, Problem

if TYPE_CHECKING:  # the models load in a worker, after the first frame
    from tabletop.model.cache import Heading
    from tabletop.model.loading import LoadedScenario

INTRO_ID = "introductie"


def log_dir() -> Path:
    """`$TABLETOP_LOG_DIR`, else the XDG data folder (`~/.local/share/tabletop/logs`)."""
    configured = os.environ.get("TABLETOP_LOG_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tabletop" / "logs"


def new_log_path(scenario_id: str, now: datetime | None = None) -> Path:
    """A new log's path in the log folder (made when missing); JournalError, with the
    reason, when the folder is a file or cannot be made."""
    from tabletop.journal.format import JournalError

    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except FileExistsError:
        raise JournalError("jr.log_dir_file", path=str(folder)) from None
    except OSError as exc:
        raise JournalError("jr.log_dir_make", path=str(folder),
                           reason=str(exc.strerror)) from None
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"{scenario_id}-{stamp}.jsonl"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{scenario_id}-{stamp}-{n}.jsonl"
    return path


@dataclass
class ScenarioEntry:
    path: Path
    loaded: LoadedScenario | None
    problems: list[Problem]

    @property
    def title(self) -> str:
        return self.loaded.scenario.title if self.loaded else self.path.name

    @property
    def sort_key(self) -> tuple[int, str]:
        sid = self.loaded.scenario.id if self.loaded else self.path.stem
        return (0 if sid == INTRO_ID else 1 if self.loaded else 2, self.title.lower())


def scenario_files(extra: list[Path] | None = None,
                   folders: list[Path] | None = None) -> list[Path]:
    """Scenario files of the given folders (default: the bundled ones and ./scenarios)."""
    from tabletop.model.paths import bundled_dir

    if folders is None:
        folders = [bundled_dir("scenarios")]
        local = Path.cwd() / "scenarios"
        if local.is_dir() and local.resolve() != folders[0].resolve():
            folders.append(local)
    files = [p for folder in folders for p in sorted(folder.glob("*.yaml"))]
    return files + [p for p in (extra or []) if p not in files]


def quick_headings(paths: list[Path]) -> list[Heading]:
    """The titles of the scenarios that validated before as they are now, from the cache of
    validated scenarios, in the list's order; no pydantic is imported for them."""
    from tabletop.model.cache import headings

    found = [h for h in headings(paths) if h is not None]
    return sorted(found, key=lambda h: (0 if h.id == INTRO_ID else 1, h.title.lower()))


def load_entries(paths: list[Path], lang: str = "nl") -> list[ScenarioEntry]:
    """Every scenario validated (from the cache of validated scenarios where it can be), with
    its texts in `lang` where a translation file beside it provides them."""
    from tabletop.errors import ScenarioProblems
    from tabletop.model.cache import load_cached
    from tabletop.model.loading import RoleLibrary, load_roles, roles_for
    from tabletop.model.translation import translated

    cache: dict[Path, RoleLibrary] = {}
    entries = []
    for path in paths:
        folder = roles_for(path)
        lib = cache.get(folder) or load_roles(folder)
        cache[folder] = lib
        try:
            loaded = translated(load_cached(path, lib), lang)
            entries.append(ScenarioEntry(path, loaded, loaded.warnings))
        except ScenarioProblems as exc:
            entries.append(ScenarioEntry(path, None, exc.problems))
    return sorted(entries, key=lambda e: e.sort_key)


@dataclass
class LogEntry:
    path: Path
    title: str
    scenario_id: str
    created: str
    lines: int
    problem: Msg | str = ""
    """Why the log cannot be used (a damaged or hostile file); empty when its header reads."""


def _log_entry(path: Path) -> LogEntry:
    """The home screen's line for one log: its header typed, its events counted; a bad log
    is marked (never raised), so that one such file cannot stop the home screen."""
    from tabletop.journal.format import MAX_LINE_BYTES, MAX_LOG_BYTES
    from tabletop.journal.typed import FieldProblem, check_header

    def bad(problem: Msg) -> LogEntry:
        return LogEntry(path, path.name, "", "", 0, problem)

    try:
        if path.stat().st_size > MAX_LOG_BYTES:
            return bad(Msg("jr.home.too_large"))
        with path.open("rb") as handle:
            first = handle.readline(MAX_LINE_BYTES + 1).rstrip(b"\n")
            rest = sum(1 for line in handle if b'"type":"checkpoint"' not in line)
        header = json.loads(first)
        if not isinstance(header, dict) or header.get("type") != "header":
            return bad(Msg("jr.line", line=1, message=Msg("jr.no_header")))
        check_header(header, first)
    except FieldProblem as exc:
        return bad(Msg("jr.line", line=1, message=exc.msg))
    except (OSError, ValueError, RecursionError):
        return bad(Msg("jr.home.unreadable"))
    return LogEntry(path, str(header.get("title", "")),
                    str((header.get("scenario") or {}).get("id", "")),
                    str(header.get("created", ""))[:16].replace("T", " "), rest + 1)


def recent_logs(limit: int = 30) -> list[LogEntry]:
    folder = log_dir()
    try:
        if not folder.is_dir():
            return []
        paths = []
        for path in folder.glob("*.jsonl"):
            try:
                paths.append((path.stat().st_mtime, path))
            except OSError:
                continue
    except OSError:
        return []
    paths.sort(key=lambda item: item[0], reverse=True)
    return [_log_entry(path) for _, path in paths[:limit]]
