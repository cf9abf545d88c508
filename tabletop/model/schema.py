"""JSON Schema of the format, generated from the models (the single source of truth)."""

from __future__ import annotations

import json
from typing import Any

from tabletop.model.base import StrictModel
from tabletop.model.role import DomainRegistry, Role
from tabletop.model.scenario import Scenario

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_described = False


def _describe_fields() -> None:
    """Give every format model's fields the docstring under them as their description.

    What pydantic's `use_attribute_docstrings` does at class creation, done once, when a
    schema is asked for (it reads and parses the models' source). The models are rebuilt in
    the order they were defined (`__subclasses__` keeps it), which puts each model after the
    models its fields use, so that each rebuild sees its parts already described.
    """
    global _described
    if _described:
        return
    from pydantic._internal._fields import _update_fields_from_docstrings

    for cls in StrictModel.__subclasses__():
        if cls.__module__.startswith("tabletop.model."):
            _update_fields_from_docstrings(cls, cls.__pydantic_fields__, use_inspect=True)
            cls.model_rebuild(force=True)
    _described = True


def scenario_schema() -> dict[str, Any]:
    _describe_fields()
    schema = Scenario.model_json_schema(by_alias=True)
    return {"$schema": SCHEMA_DIALECT, **schema, "title": "tabletop scenario"}


def roles_schema() -> dict[str, Any]:
    """One schema for `roles/*.yaml`: a role file, or the domain registry `domains.yaml`."""
    _describe_fields()
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
