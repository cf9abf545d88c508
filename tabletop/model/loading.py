"""Load roles and scenarios from YAML: validate, check references, collect every problem."""

from __future__ import annotations

import gc
import hashlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tabletop.errors import Msg, Problem, ScenarioProblems, display_path
from tabletop.model.cast import RoleLibrary as RoleLibrary  # re-exported
from tabletop.model.cast import placed_roles as placed_roles  # re-exported
from tabletop.model.checks import check_scenario
from tabletop.model.locate import validation_problems
from tabletop.model.paths import PACKAGE_ROOT, bundled_dir, roles_digest, roles_for
from tabletop.model.role import Domain, DomainRegistry, Role
from tabletop.model.scenario import Scenario
from tabletop.model.yamlsafe import LocDict, load_yaml

M = TypeVar("M", bound=BaseModel)

__all__ = ["PACKAGE_ROOT", "LoadedScenario", "RoleLibrary", "bundled_dir", "load_roles",
           "load_scenario", "parse_model", "read_bytes", "roles_for", "roles_digest"]



def read_bytes(path: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, or a problem saying why it cannot be read."""
    try:
        return path.read_bytes(), []
    except FileNotFoundError:
        return None, [Problem(shown, 0, 0, Msg("load.no_file"))]
    except IsADirectoryError:
        return None, [Problem(shown, 0, 0, Msg("load.is_folder"))]
    except PermissionError:
        return None, [Problem(shown, 0, 0, Msg("load.no_permission"))]
    except OSError as exc:
        return None, [Problem(shown, 0, 0, Msg("load.unreadable", reason=str(exc.strerror)))]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a large tree of new objects is built.

    Why: building a scenario allocates hundreds of thousands of dicts, lists and models,
    none of them garbage; each allocation burst triggers collections that scan them all
    again (half the time of a 1,000-inject load). Reference counting still frees what is
    dropped; the collector's previous state is restored afterwards, also on an error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What the load built and kept goes straight to the oldest generation: without
            # this the first collection after it would scan every one of those objects
            # (a tenth of a 10,000-inject load). Nothing stays frozen: garbage among them
            # is still found by the next full collection.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def parse_model(data: bytes, model: type[M], shown: str) -> tuple[M | None, Any, list[Problem]]:
    """YAML bytes to a validated model; the raw data (with positions) for later checks."""
    with collector_paused():
        return _parse_model(data, model, shown)


def _parse_model(data: bytes, model: type[M], shown: str) -> tuple[M | None, Any, list[Problem]]:
    raw, problems = load_yaml(data, shown)
    if raw is None or problems:
        return None, raw, problems
    if not isinstance(raw, LocDict):
        line, col = getattr(raw, "pos", (1, 1))
        kind = Msg("load.kind.list" if isinstance(raw, list) else "load.kind.single")
        return None, raw, [Problem(shown, line, col, Msg("load.top_mapping", found=kind))]
    try:
        return model.model_validate(raw), raw, []
    except ValidationError as exc:
        return None, raw, validation_problems(exc, raw, model, shown)


_MEMO_SIZE = 8
"""Libraries and scenarios kept per process (the last ones loaded)."""
_roles_memo: OrderedDict[tuple[str, ...], RoleLibrary] = OrderedDict()
_scenario_memo: OrderedDict[tuple[str, ...], tuple[LoadedScenario, tuple[bool, ...]]] = \
    OrderedDict()


def _remember(memo: OrderedDict[tuple[str, ...], Any], key: tuple[str, ...], value: Any) -> None:
    memo[key] = value
    memo.move_to_end(key)
    while len(memo) > _MEMO_SIZE:
        memo.popitem(last=False)


def forget_loaded() -> None:
    """Empty the per-process memory of loaded roles and scenarios (for benchmarks)."""
    _roles_memo.clear()
    _scenario_memo.clear()


def load_roles(folder: Path | None = None) -> RoleLibrary:
    """Load `domains.yaml` and every role file of a folder; problems are collected.

    A folder whose files are unchanged since it was last loaded in this process is not
    parsed again (`tabletop report` of many logs asks for the same roles per log).
    """
    folder = folder or bundled_dir("roles")
    key = (str(folder.resolve()), roles_digest(folder), str(Path.cwd()))
    known = _roles_memo.get(key) if key[1] else None
    if known is None:
        known = _load_roles(folder)
        if known.digest == key[1]:
            _remember(_roles_memo, key, known)
    return replace(known, folder=folder, domains=dict(known.domains), roles=dict(known.roles),
                   problems=list(known.problems), raw=dict(known.raw), files=dict(known.files))


def _load_roles(folder: Path) -> RoleLibrary:
    lib = RoleLibrary(folder=folder)
    hasher = hashlib.sha256()
    if not folder.is_dir():
        lib.problems.append(Problem(display_path(folder), 0, 0, Msg("load.no_roles_folder")))
        return lib
    for path in sorted(folder.glob("*.yaml")):
        shown = display_path(path)
        data, problems = read_bytes(path, shown)
        lib.problems += problems
        if data is None:
            continue
        hasher.update(path.name.encode() + b"\0" + data + b"\0")
        if path.name == "domains.yaml":
            registry, _, problems = parse_model(data, DomainRegistry, shown)
            lib.problems += problems
            if registry:
                lib.domains.update(registry.domains)
                lib.files[""] = path
            continue
        role, raw, problems = parse_model(data, Role, shown)
        lib.problems += problems
        if role is None:
            continue
        if role.id in lib.roles:
            line, col = raw.value_pos["id"]
            lib.problems.append(Problem(shown, line, col, Msg(
                "load.role_id_twice", role=role.id, other=display_path(lib.files[role.id]))))
            continue
        if role.id != path.stem:
            line, col = raw.value_pos["id"]
            lib.problems.append(Problem(shown, line, col, Msg(
                "load.role_id_file", role=role.id, file=path.stem), "warning"))
        lib.roles[role.id] = role
        lib.raw[role.id] = raw
        lib.files[role.id] = path
    for rid, role in lib.roles.items():
        if role.acts_for is not None and role.acts_for not in lib.roles:
            from tabletop.model.locate import suggest

            line, col = lib.raw[rid].value_pos.get("acts_for", (0, 0))
            lib.problems.append(Problem(display_path(lib.files[rid]), line, col, Msg(
                "load.acts_for_unknown", role=role.acts_for,
                hint=suggest(role.acts_for, lib.roles))))
    if "" not in lib.files:
        lib.problems.append(Problem(display_path(folder / "domains.yaml"), 0, 0,
                                    Msg("load.no_domains")))
    lib.digest = hasher.hexdigest()
    return lib


@dataclass
class LoadedScenario:
    """A validated scenario with the roles and domains it plays with."""

    scenario: Scenario
    path: Path
    roles: dict[str, Role]
    """Every role that takes part: the scenario's `roles:` and its `local_roles:`."""
    domains: dict[str, Domain]
    content_hash: str
    """sha256 over the scenario file and the roles folder."""
    warnings: list[Problem] = field(default_factory=list)
    role_files: dict[str, str] = field(default_factory=dict)
    """The roles/ file (or local role) of each taking-part id: bm-noorderzijl -> burgemeester."""

    @property
    def base_dir(self) -> Path:
        return self.path.parent


def referenced_files(scenario: Scenario, base: Path) -> tuple[bool, ...]:
    """Whether each attachment and material the scenario names exists (checks report the
    missing ones, so a remembered result holds only while these stay as they were)."""
    names = [rel for inj in scenario.injects for rel in inj.attachments]
    names += [m.path for m in scenario.materials]
    return tuple((base / rel).is_file() for rel in names)


def remember_scenario(loaded: LoadedScenario, data: bytes, roles: RoleLibrary,
                      shown: str) -> None:
    """Keep a loaded scenario for the rest of the process (see `load_scenario`)."""
    key = _scenario_key(loaded.path, data, roles, shown)
    if key is not None:
        files = referenced_files(loaded.scenario, loaded.path.resolve().parent)
        _remember(_scenario_memo, key, (loaded, files))


def _scenario_key(path: Path, data: bytes, roles: RoleLibrary,
                  shown: str) -> tuple[str, ...] | None:
    if not roles.digest:
        return None
    return (str(path.resolve()), hashlib.sha256(data).hexdigest(), roles.digest, shown)


def remembered_scenario(path: Path, data: bytes, roles: RoleLibrary,
                        shown: str) -> LoadedScenario | None:
    """The scenario loaded before in this process from these bytes with these roles."""
    key = _scenario_key(path, data, roles, shown)
    known = _scenario_memo.get(key) if key is not None else None
    if known is None:
        return None
    loaded, files = known
    if referenced_files(loaded.scenario, path.resolve().parent) != files:
        return None
    return replace(loaded, path=path, roles=dict(loaded.roles), domains=dict(loaded.domains),
                   warnings=list(loaded.warnings))


def load_scenario(path: Path, roles: RoleLibrary | None = None) -> LoadedScenario:
    """Load and check a scenario; raise ScenarioProblems when it has errors.

    The same bytes with the same roles are parsed and checked once per process: a report
    of many logs of one scenario (each verified, then read) loads the scenario once.
    """
    shown = display_path(path)
    data, problems = read_bytes(path, shown)
    if data is None:
        raise ScenarioProblems(problems)
    roles = roles or load_roles(roles_for(path))
    known = remembered_scenario(path, data, roles, shown)
    if known is not None:
        return known
    loaded = check_loaded(path, data, roles, shown)
    remember_scenario(loaded, data, roles, shown)
    return loaded


def check_loaded(path: Path, data: bytes, roles: RoleLibrary, shown: str) -> LoadedScenario:
    """Parse, validate and check a scenario's bytes (no memory of earlier loads)."""

    scenario, raw, problems = parse_model(data, Scenario, shown)
    role_errors = [p for p in roles.problems if p.is_error]
    if scenario is None:
        raise ScenarioProblems(problems + role_errors)
    problems = check_scenario(scenario, raw, roles, path, shown)
    if role_errors or any(p.is_error for p in problems):
        raise ScenarioProblems(problems + role_errors)
    return assemble(scenario, path, data, roles, problems)


def assemble(scenario: Scenario, path: Path, data: bytes, roles: RoleLibrary,
             warnings: list[Problem]) -> LoadedScenario:
    """A checked scenario with the roles and domains it plays with."""
    playing, role_files = placed_roles(scenario, roles.roles)
    domains = dict(roles.domains)
    domains.update(scenario.local_domains)
    digest = hashlib.sha256(data + b"\0" + roles.digest.encode()).hexdigest()
    return LoadedScenario(scenario, path, playing, domains, digest, warnings, role_files)
