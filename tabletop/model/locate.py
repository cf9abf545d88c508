"""Map pydantic error locations back to YAML lines, in authoring language."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from tabletop.errors import KeyedValueError, Msg, Problem
from tabletop.model.commands import YAML_KEYS
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


def suggest(word: str, choices: typing.Iterable[str]) -> Msg | str:
    """ " (did you mean 'x'?)" for the nearest choice (a message), or nothing."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return Msg("load.hint", word=close[0]) if close else ""


def _kind(value: Any) -> Msg | str:
    if isinstance(value, dict):
        return Msg("load.kind.mapping")
    if isinstance(value, list):
        return Msg("load.kind.list")
    if value is None:
        return Msg("load.kind.nothing")
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return f"'{value}'"


def validation_problems(
    exc: ValidationError, data: Any, root: type[BaseModel], filename: str
) -> list[Problem]:
    """Turn every pydantic error into a located problem in the user's language: the
    message comes from the error's `type` and `ctx`, never from pydantic's English."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        where = dotted(loc, data)
        value = err.get("input")
        msg: Msg
        if kind == "extra_forbidden":
            key = loc[-1]
            model = model_at(root, loc[:-1], data)
            keys = [f.alias or n for n, f in model.model_fields.items()] if model else []
            hint = suggest(str(key), keys)
            line, col = position(data, loc, at_key=True)
            if keys and not hint:
                msg = Msg("load.unknown_key_takes", key=str(key), model=_model_name(model),
                          keys=", ".join(keys))
            else:
                msg = Msg("load.unknown_key", key=str(key), hint=hint)
        elif kind == "missing":
            line, col = position(data, loc[:-1])
            msg = Msg("load.missing", where=dotted(loc[:-1], data) or Msg("load.the_file"),
                      key=str(loc[-1]))
        else:
            line, col = position(data, loc)
            said = _message(err, value)
            msg = Msg("load.at", where=where, message=said) if where else said
        problems.append(Problem(filename, line, col, msg))
    return problems


def _model_name(model: type[BaseModel] | None) -> Msg:
    name = model.__name__ if model else ""
    known = {"Scenario", "Inject", "Decision", "Option", "Role", "StateVar"}
    return Msg(f"load.model.{name}") if name in known else Msg("load.model.other",
                                                                name=name.lower())


def _expected(ctx: dict[str, Any]) -> Msg | str:
    """pydantic's `'a', 'b' or 'c'` as a list in the user's language."""
    said = str(ctx.get("expected", ""))
    parts = [p for chunk in said.split(", ") for p in chunk.split(" or ")]
    if len(parts) < 2:
        return said
    return Msg("load.choices", items=", ".join(parts[:-1]), last=parts[-1])


_BOUNDS = {"greater_than_equal": "ge", "greater_than": "gt", "less_than_equal": "le",
           "less_than": "lt", "multiple_of": "multiple_of"}
_LENGTHS = {"string_too_short": ("text_min", "min_length"),
            "string_too_long": ("text_max", "max_length"),
            "too_short": ("list_min", "min_length"), "too_long": ("list_max", "max_length")}


def _message(err: Any, value: Any) -> Msg:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        if isinstance(error, KeyedValueError):
            return error.msg
        return Msg("load.invalid", value=_kind(value))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Msg("load.expected_mapping", found=_kind(value))
    if kind in ("list_type", "tuple_type", "set_type"):
        return Msg("load.expected_list", found=_kind(value))
    if kind in ("string_type", "string_unicode"):
        return Msg("load.expected_text", found=_kind(value))
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return Msg("load.expected_whole", found=_kind(value))
    if kind in ("float_type", "float_parsing", "finite_number"):
        return Msg("load.expected_number", found=_kind(value))
    if kind in ("bool_type", "bool_parsing"):
        return Msg("load.expected_bool", found=_kind(value))
    if kind == "string_pattern_mismatch":
        return Msg("load.bad_id", found=_kind(value))
    if kind == "enum":
        return Msg("load.not_one_of", found=_kind(value), expected=_expected(ctx))
    if kind == "literal_error":
        return Msg("load.not_allowed", found=_kind(value), expected=_expected(ctx))
    if kind.startswith("datetime") or kind.startswith("date_") or kind == "timezone_aware":
        return Msg("load.not_datetime", found=_kind(value))
    if kind == "effect_kind":
        return Msg("load.not_effect", found=_kind(value) if not isinstance(value, dict)
                   else Msg("load.kind.this"))
    if kind in ("entry_kind", "command_kind"):
        return Msg("load.entry_kind", keys=", ".join(YAML_KEYS))
    if kind in _BOUNDS:
        return Msg(f"load.bound.{_BOUNDS[kind]}", found=_kind(value),
                   limit=str(ctx.get(_BOUNDS[kind], "")))
    if kind in _LENGTHS:
        name, bound = _LENGTHS[kind]
        return Msg(f"load.length.{name}", found=_kind(value), limit=str(ctx.get(bound, "")))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return Msg("load.union_tag", tag=str(ctx.get("discriminator", "")),
                   expected=str(ctx.get("expected_tags", "")))
    if kind == "none_required":
        return Msg("load.none_required", found=_kind(value))
    return Msg("load.invalid", value=_kind(value))


def pydantic_message(err: Any) -> Msg:
    """One pydantic error (a dict of `errors()`) as a message in the user's language."""
    if err.get("type") == "missing":
        return Msg("load.missing_here")
    if err.get("type") == "extra_forbidden":
        return Msg("load.extra_here")
    return _message(err, err.get("input"))
