"""Who plays: the role library of a `roles/` folder, and the roles a scenario places.

Below both the loader and the load-time checks (each uses these; neither imports the other
for them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabletop.errors import Problem
from tabletop.model.role import Domain, Role
from tabletop.model.scenario import Scenario


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
