"""Map pydantic error locations back to YAML lines, in authoring language."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from tabletop.errors import Problem
from tabletop.model.yamlsafe import LocDict, LocList


def position(data: Any, path: tuple[Any, ...], *, at_key: bool = False) -> tuple[int, int]:
    """The (line, col) of the value at `path`, or of its key with `at_key`.

    Path elements that the data does not have (pydantic's union tags, say) are skipped;
    the deepest position found is returned (never an invented one).
    """
    node = data
    best = getattr(data, "pos", (0, 0))
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, LocDict) and step in node:
            best = node.key_pos[step] if (last and at_key) else node.value_pos[step]
            node = node[step]
        elif isinstance(node, LocList) and isinstance(step, int) and 0 <= step < len(node):
            best = node.item_pos[step]
            node = node[step]
    return best


def dotted(path: tuple[Any, ...], data: Any = None) -> str:
    """`injects[3].at`, or `injects[briefing].at` when the item has an id."""
    parts: list[str] = []
    node = data
    for step in path:
        if isinstance(step, int):
            ident = node[step].get("id") if (
                isinstance(node, list) and 0 <= step < len(node) and isinstance(node[step], dict)
            ) else None
            parts.append(f"[{ident}]" if isinstance(ident, str) else f"[{step}]")
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
        else:
            parts.append(("." if parts else "") + str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may stand for (Annotated, Optional, unions)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _field(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def model_at(root: type[BaseModel], path: tuple[Any, ...], data: Any) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` (for "did you mean")."""
    candidates: list[Any] = [root]
    node = data
    for step in path:
        following: list[Any] = []
        for cand in candidates:
            for typ in _unwrap(cand):
                origin = typing.get_origin(typ)
                if isinstance(typ, type) and issubclass(typ, BaseModel) and isinstance(step, str):
                    ann = _field(typ, step)
                    if ann is not None:
                        following.append(ann)
                elif origin is list and isinstance(step, int):
                    following.append(typing.get_args(typ)[0])
                elif origin is dict and isinstance(step, str):
                    following.append(typing.get_args(typ)[1])
        if following:
            candidates = following
            node = node.get(step) if isinstance(node, dict) else (
                node[step] if isinstance(node, list) and isinstance(step, int)
                and 0 <= step < len(node) else None)
    models = [t for c in candidates for t in _unwrap(c)
              if isinstance(t, type) and issubclass(t, BaseModel)]
    if len(models) > 1 and isinstance(node, dict):  # pick the union member the keys fit
        models.sort(key=lambda m: -len(set(node) & {
            f.alias or n for n, f in m.model_fields.items()}))
    return models[0] if models else None


def suggest(word: str, choices: typing.Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the nearest choice, or nothing."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return f"'{value}'"


def validation_problems(
    exc: ValidationError, data: Any, root: type[BaseModel], filename: str
) -> list[Problem]:
    """Turn every pydantic error into a located problem in authoring language."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        where = dotted(loc, data)
        value = err.get("input")
        if kind == "extra_forbidden":
            key = loc[-1]
            model = model_at(root, loc[:-1], data)
            keys = [f.alias or n for n, f in model.model_fields.items()] if model else []
            model_label = _model_name(model) if model else ""
            hint = suggest(str(key), keys)
            msg = f"unknown key '{key}'{hint}"
            line, col = position(data, loc, at_key=True)
            if keys and not hint:
                msg += f"; {model_label} takes: {', '.join(keys)}"
        elif kind == "missing":
            line, col = position(data, loc[:-1])
            msg = f"{dotted(loc[:-1], data) or 'the file'}: missing key '{loc[-1]}'"
        else:
            line, col = position(data, loc)
            msg = f"{where}: {_message(err, value)}" if where else _message(err, value)
        problems.append(Problem(filename, line, col, msg))
    return problems


def _model_name(model: type[BaseModel]) -> str:
    return {"Scenario": "a scenario", "Inject": "an inject", "Decision": "a decision",
            "Option": "an option", "Role": "a role", "StateVar": "a state variable",
            }.get(model.__name__, model.__name__.lower())


def _message(err: Any, value: Any) -> str:
    kind = err["type"]
    if kind in ("value_error", "assertion_error"):
        return str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value), found {_kind(value)}"
    if kind == "list_type":
        return f"expected a list, found {_kind(value)}"
    if kind in ("string_type",):
        return f"expected text, found {_kind(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, found {_kind(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, found {_kind(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, found {_kind(value)}"
    if kind == "string_pattern_mismatch":
        return (f"{_kind(value)} is not a valid id: use lower-case letters, digits and "
                "hyphens (state variables: underscores)")
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{_kind(value)} is not one of {expected}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{_kind(value)} is not allowed here (expected {expected})"
    if kind.startswith("datetime"):
        return (f"{_kind(value)} is not a date and time; write e.g. "
                "2027-03-14T06:00:00+01:00")
    if kind == "effect_kind":
        return f"{_kind(value) if not isinstance(value, dict) else 'this'} is not an effect: " \
               "use one of set, add, schedule, surface, phase, end (one per list item)"
    return str(err["msg"])
