"""JSON Schema of the format, generated from the models (the single source of truth)."""

from __future__ import annotations

import json
from typing import Any

from tabletop.model.role import DomainRegistry, Role
from tabletop.model.scenario import Scenario

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, **schema, "title": "tabletop scenario"}


def roles_schema() -> dict[str, Any]:
    """One schema for `roles/*.yaml`: a role file, or the domain registry `domains.yaml`."""
    role = Role.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    registry = DomainRegistry.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    defs = {**role.pop("$defs", {}), **registry.pop("$defs", {})}
    defs["Role"] = role
    defs["DomainRegistry"] = registry
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "tabletop role or domain registry",
        "anyOf": [{"$ref": "#/$defs/Role"}, {"$ref": "#/$defs/DomainRegistry"}],
        "$defs": defs,
    }


def schema_text(kind: str) -> str:
    """The schema as committed: sorted keys, two-space indent, trailing newline."""
    schema = scenario_schema() if kind == "scenario" else roles_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
