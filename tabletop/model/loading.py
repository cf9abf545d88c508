"""Load roles and scenarios from YAML: validate, check references, collect every problem."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tabletop.errors import Problem, ScenarioProblems, display_path
from tabletop.model.locate import validation_problems
from tabletop.model.role import Domain, DomainRegistry, Role
from tabletop.model.scenario import Scenario
from tabletop.model.yamlsafe import LocDict, load_yaml

M = TypeVar("M", bound=BaseModel)

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def bundled_dir(name: str) -> Path:
    """`scenarios` or `roles` beside the package (a checkout), or inside it (a wheel)."""
    for candidate in (PACKAGE_ROOT.parent / name, PACKAGE_ROOT / "_bundled" / name):
        if candidate.is_dir():
            return candidate
    return PACKAGE_ROOT.parent / name


def read_bytes(path: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, or a problem saying why it cannot be read."""
    try:
        return path.read_bytes(), []
    except FileNotFoundError:
        return None, [Problem(shown, 0, 0, "no such file")]
    except IsADirectoryError:
        return None, [Problem(shown, 0, 0, "is a folder, not a YAML file")]
    except PermissionError:
        return None, [Problem(shown, 0, 0, "cannot be read: permission denied")]
    except OSError as exc:
        return None, [Problem(shown, 0, 0, f"cannot be read: {exc.strerror}")]


def parse_model(data: bytes, model: type[M], shown: str) -> tuple[M | None, Any, list[Problem]]:
    """YAML bytes to a validated model; the raw data (with positions) for later checks."""
    raw, problems = load_yaml(data, shown)
    if raw is None or problems:
        return None, raw, problems
    if not isinstance(raw, LocDict):
        line, col = getattr(raw, "pos", (1, 1))
        kind = "a list" if isinstance(raw, list) else "a single value"
        return None, raw, [Problem(shown, line, col,
                                   f"expected a mapping (key: value) at the top, found {kind}")]
    try:
        return model.model_validate(raw), raw, []
    except ValidationError as exc:
        return None, raw, validation_problems(exc, raw, model, shown)


@dataclass
class RoleLibrary:
    """The roles and domains of a `roles/` folder."""

    folder: Path
    domains: dict[str, Domain] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    """Raw YAML per role id (positions for checks)."""
    files: dict[str, Path] = field(default_factory=dict)
    """File per role id, and `domains.yaml` under the key ''."""
    digest: str = ""
    """sha256 over every file of the folder, for the journal's scenario hash."""


def load_roles(folder: Path | None = None) -> RoleLibrary:
    """Load `domains.yaml` and every role file of a folder; problems are collected."""
    folder = folder or bundled_dir("roles")
    lib = RoleLibrary(folder=folder)
    hasher = hashlib.sha256()
    if not folder.is_dir():
        lib.problems.append(Problem(display_path(folder), 0, 0, "roles folder not found"))
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
            lib.problems.append(Problem(shown, line, col,
                                        f"role id '{role.id}' is also used by "
                                        f"{display_path(lib.files[role.id])}"))
            continue
        if role.id != path.stem:
            line, col = raw.value_pos["id"]
            lib.problems.append(Problem(shown, line, col,
                                        f"role id '{role.id}' differs from the file name "
                                        f"'{path.stem}'", "warning"))
        lib.roles[role.id] = role
        lib.raw[role.id] = raw
        lib.files[role.id] = path
    for rid, role in lib.roles.items():
        if role.acts_for is not None and role.acts_for not in lib.roles:
            from tabletop.model.locate import suggest

            line, col = lib.raw[rid].value_pos.get("acts_for", (0, 0))
            lib.problems.append(Problem(display_path(lib.files[rid]), line, col,
                                        f"unknown role '{role.acts_for}' in acts_for"
                                        f"{suggest(role.acts_for, lib.roles)}"))
    if "" not in lib.files:
        lib.problems.append(Problem(display_path(folder / "domains.yaml"), 0, 0,
                                    "the domain registry domains.yaml is missing"))
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


def roles_for(path: Path) -> Path:
    """The roles folder for a scenario: `../roles` beside its folder, else the bundled one."""
    sibling = path.resolve().parent.parent / "roles"
    return sibling if (sibling / "domains.yaml").is_file() else bundled_dir("roles")


def load_scenario(path: Path, roles: RoleLibrary | None = None) -> LoadedScenario:
    """Load and check a scenario; raise ScenarioProblems when it has errors."""
    from tabletop.model.checks import check_scenario  # checks import this module's types

    shown = display_path(path)
    data, problems = read_bytes(path, shown)
    if data is None:
        raise ScenarioProblems(problems)
    roles = roles or load_roles(roles_for(path))
    scenario, raw, problems = parse_model(data, Scenario, shown)
    role_errors = [p for p in roles.problems if p.is_error]
    if scenario is None:
        raise ScenarioProblems(problems + role_errors)
    problems = check_scenario(scenario, raw, roles, path, shown)
    if role_errors or any(p.is_error for p in problems):
        raise ScenarioProblems(problems + role_errors)
    playing, role_files = placed_roles(scenario, roles.roles)
    domains = dict(roles.domains)
    domains.update(scenario.local_domains)
    digest = hashlib.sha256(data + b"\0" + roles.digest.encode()).hexdigest()
    return LoadedScenario(scenario, path, playing, domains, digest, problems, role_files)


def placed_roles(scenario: Scenario, library: dict[str, Role]
                 ) -> tuple[dict[str, Role], dict[str, str]]:
    """The roles that take part, by the id they are named by, each with its place; and the
    roles/ file of each placed id. A mandataris whose mandator is placed under another id
    acts for that placement (when there is exactly one)."""
    playing: dict[str, Role] = {}
    role_files: dict[str, str] = {}
    for placement in scenario.placements:
        base = library.get(placement.role)
        if base is None:
            continue
        update: dict[str, Any] = {"id": placement.id}
        for key in ("area", "region", "name", "short"):
            if getattr(placement, key) is not None:
                update[key] = getattr(placement, key)
        playing[placement.id] = base.model_copy(update=update)
        role_files[placement.id] = placement.role
    for local in scenario.local_roles:
        playing[local.id] = local
        role_files[local.id] = local.id
    for rid, role in list(playing.items()):
        target = role.acts_for
        if target is None or target in playing:
            continue
        placed = [pid for pid, file in role_files.items() if file == target]
        if len(placed) == 1:
            playing[rid] = role.model_copy(update={"acts_for": placed[0]})
    return playing, role_files
