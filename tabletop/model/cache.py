"""A cache of validated scenarios on disk, keyed by the file's content, roles and program.

Why: the home screen lists the bundled scenarios at every start, and `tabletop report`
loads the scenario of every log; parsing the YAML and checking every reference again costs
far more than reading a scenario back that was validated before. An entry is only a faster
way to the same result: it is used when the scenario file's bytes, the roles folder's
digest, the program (version and model source) and the attachments it names are exactly
as they were, else the file is validated as usual and the entry rewritten.

Entries are JSON (never pickle: the folder is data on disk), written owner-only, and only
read from a folder and files that belong to the user and nobody else can write. Each entry
names the sha256 of its scenario JSON; the JSON is used only when the hash matches and
pydantic validates it as a scenario. A corrupt, foreign or stale entry is ignored.

The folder: `$TABLETOP_CACHE_DIR`, else `$XDG_CACHE_HOME/tabletop`, else
`~/.cache/tabletop`. This module imports no pydantic until a scenario is read back:
`headings()` gives the home screen its titles first.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tabletop import __version__
from tabletop.errors import Msg, Problem, display_path
from tabletop.model.paths import roles_digest, roles_for, sha256

if TYPE_CHECKING:
    from tabletop.model.loading import LoadedScenario, RoleLibrary

CACHE_ENV = "TABLETOP_CACHE_DIR"
ENTRY_FORMAT = 2
_MODEL_DIR = Path(__file__).resolve().parent
_fingerprint: str | None = None


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tabletop"


def program_fingerprint() -> str:
    """The version and the model code (file names, sizes, times): another program's
    validation is not this one's, also between two checkouts of one version."""
    global _fingerprint
    if _fingerprint is None:
        hasher = sha256(f"{__version__}\0{ENTRY_FORMAT}\0".encode())
        for path in sorted(_MODEL_DIR.glob("*.py")):
            info = path.stat()
            hasher.update(f"{path.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        _fingerprint = hasher.hexdigest()
    return _fingerprint


def entry_key(data: bytes, digest: str) -> str:
    """The entry's name: the scenario bytes, the roles digest and the program."""
    return sha256(b"tabletop-scenario\0" + program_fingerprint().encode() + b"\0"
                          + digest.encode() + b"\0" + sha256(data).digest()).hexdigest()


# -- reading and writing, safely -------------------------------------------------------------
def _owned_privately(info: os.stat_result) -> bool:
    """Ours, and nobody else may write it."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _trusted_folder(folder: Path) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _owned_privately(info)


def _read(path: Path) -> bytes | None:
    """A regular file of ours (not a link) that only we can write, else nothing."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _owned_privately(info):
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)


def _write(path: Path, data: bytes) -> None:
    """Owner-only, all at once (a reader sees the old file or the new one, never half)."""
    folder = path.parent
    try:
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.mkdir(exist_ok=True, mode=0o700)
        if not _trusted_folder(folder):
            return
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a cache that cannot be written is no cache, not an error


def _entry_folder() -> Path | None:
    folder = cache_dir() / "scenarios"
    return folder if _trusted_folder(folder) else None


def _read_meta(key: str) -> dict[str, Any] | None:
    folder = _entry_folder()
    raw = _read(folder / f"{key}.json") if folder else None
    if raw is None:
        return None
    try:
        meta = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(meta, dict) or meta.get("format") != ENTRY_FORMAT or \
            meta.get("key") != key:
        return None
    return meta


# -- the home screen: titles without pydantic ---------------------------------------------
@dataclass(frozen=True)
class Heading:
    """What the home screen lists of a scenario validated before."""

    path: Path
    id: str
    title: str
    summary: str


def headings(paths: list[Path]) -> list[Heading | None]:
    """Per file, its id and title from the cache when it validated before as it is now."""
    digests: dict[Path, str] = {}
    out: list[Heading | None] = []
    for path in paths:
        folder = roles_for(path)
        if folder not in digests:
            digests[folder] = roles_digest(folder)
        try:
            data = path.read_bytes()
        except OSError:
            out.append(None)
            continue
        meta = _read_meta(entry_key(data, digests[folder]))
        head = meta.get("heading") if meta else None
        if isinstance(head, dict) and all(isinstance(head.get(k), str)
                                          for k in ("id", "title", "summary")):
            out.append(Heading(path, head["id"], head["title"], head["summary"]))
        else:
            out.append(None)
    return out


# -- scenarios --------------------------------------------------------------------------------
def load_cached(path: Path, roles: RoleLibrary | None = None) -> LoadedScenario:
    """`load_scenario`, answered from the cache when it can be; raises ScenarioProblems."""
    from tabletop.errors import ScenarioProblems
    from tabletop.model.loading import (
        load_roles,
        load_scenario,
        read_bytes,
        remember_scenario,
        remembered_scenario,
    )

    shown = display_path(path)
    data, problems = read_bytes(path, shown)
    if data is None:
        raise ScenarioProblems(problems)
    roles = roles or load_roles(roles_for(path))
    if not roles.digest or any(p.is_error for p in roles.problems):
        return load_scenario(path, roles)
    known = remembered_scenario(path, data, roles, shown)
    if known is not None:
        return known
    key = entry_key(data, roles.digest)
    loaded = _read_entry(key, path, data, roles, shown)
    if loaded is not None:
        remember_scenario(loaded, data, roles, shown)
        return loaded
    loaded = load_scenario(path, roles)
    _write_entry(key, loaded, data, roles.digest)
    return loaded


def _read_entry(key: str, path: Path, data: bytes, roles: RoleLibrary,
                shown: str) -> LoadedScenario | None:
    from pydantic import ValidationError

    from tabletop.model.loading import assemble, collector_paused, referenced_files
    from tabletop.model.scenario import Scenario

    meta = _read_meta(key)
    folder = _entry_folder()
    if meta is None or folder is None:
        return None
    if meta.get("sha256") != sha256(data).hexdigest() or meta.get("roles") != \
            roles.digest or not isinstance(meta.get("warnings"), list):
        return None
    body = _read(folder / f"{key}.scenario.json")
    if body is None or sha256(body).hexdigest() != meta.get("scenario_sha256"):
        return None
    try:
        with collector_paused():
            scenario = Scenario.model_validate_json(body)
        warnings = [Problem(shown, int(w["line"]), int(w["col"]), Msg.from_json(w["message"]),
                            "warning") for w in meta["warnings"]]
    except (ValidationError, ValueError, TypeError, KeyError):
        return None
    if list(referenced_files(scenario, path.resolve().parent)) != meta.get("files"):
        return None
    return assemble(scenario, path, data, roles, warnings)


def _write_entry(key: str, loaded: LoadedScenario, data: bytes, digest: str) -> None:
    from tabletop.model.loading import referenced_files

    if not all(isinstance(w.msg, Msg) for w in loaded.warnings):
        return  # a warning that is not a catalogue message cannot be kept in any language
    folder = cache_dir() / "scenarios"
    body = loaded.scenario.model_dump_json(by_alias=True).encode()
    s = loaded.scenario
    meta = {
        "format": ENTRY_FORMAT,
        "key": key,
        "sha256": sha256(data).hexdigest(),
        "roles": digest,
        "scenario_sha256": sha256(body).hexdigest(),
        "heading": {"id": s.id, "title": s.title, "summary": s.summary},
        "warnings": [{"line": w.line, "col": w.col, "message": w.msg.to_json()}  # type: ignore[union-attr]
                     for w in loaded.warnings],
        "files": list(referenced_files(s, loaded.path.resolve().parent)),
    }
    _write(folder / f"{key}.scenario.json", body)
    _write(folder / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode())

