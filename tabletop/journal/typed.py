"""Logs are input too: the type of every field of a read-back header and line.

A log may come from anywhere (a USB stick, a mail, an editor): before any command uses it,
`check_header` and `check_line` make sure each field has the type the program wrote, so
a damaged or hostile log is a located refusal (`LOG: line N: field 'x': ...`) rather than
a traceback somewhere further on.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from tabletop.errors import Msg
from tabletop.journal.format import COMMAND_TYPE, JOURNAL_ONLY_TYPES
from tabletop.model.events import EVENT_TYPES, WRITABLE
from tabletop.model.locate import pydantic_message

MAX_T = 10**7
"""The latest story minute a log may name (about 19 years; scenarios are bounded far below)."""
MAX_DEPTH = 32
"""The deepest nesting of JSON values in one line (the program writes at most 4)."""

_INT64 = 2**63


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")


class ScenarioRef(_Strict):
    id: str
    path: str = ""
    hash: str = ""


class SignerField(_Strict):
    algorithm: Literal["ed25519"]
    key: str = Field(max_length=100)
    fingerprint: str = Field(max_length=100)


class JournalHeader(_Strict):
    """The first line of a journal (fields a newer program adds are kept, untyped)."""

    type: Literal["header"]
    format: int
    seq: int = 0
    scenario: ScenarioRef
    seed: int = Field(ge=-_INT64, lt=_INT64)
    participants: dict[str, str]
    title: str = ""
    region: str = ""
    facilitator: str = ""
    parameters: dict[str, str] = Field(default_factory=dict)
    lang: Literal["nl", "en"] = "nl"
    program: str = ""
    created: str = ""
    forked_from: dict[str, Any] | None = None
    signer: SignerField | None = None
    seat_decisions: Literal["apply", "confirm"] = "apply"


class _LineBase(_Strict):
    seq: int
    t: int = Field(ge=0, le=MAX_T)
    type: str
    prev: str
    wall: str = ""


class _Checkpoint(_Strict):
    key: str = Field(max_length=100)
    sig: str = Field(max_length=200)


class _Resumed(_Strict):
    program: str | None = None


class _SeatMode(_Strict):
    mode: Literal["apply", "confirm"]


class _Forced(_Strict):
    hash: str | None = None
    previous: str | None = None


_HEADER = TypeAdapter(JournalHeader)
_BASE = TypeAdapter(_LineBase)
_EVENTS: dict[str, TypeAdapter[Any]] = {name: TypeAdapter(WRITABLE[cls]) for name, cls in
                                         EVENT_TYPES.items()}
"""Per kind of event, its fields' validator (over the event class's writable twin, which
pydantic can make without arguments; the result is not kept, only its refusals)."""
_JOURNAL_ONLY: dict[str, TypeAdapter[Any]] = {
    "checkpoint": TypeAdapter(_Checkpoint), "resumed": TypeAdapter(_Resumed),
    "force_scenario": TypeAdapter(_Forced), "seat_mode": TypeAdapter(_SeatMode)}

_SURROGATE_HINT = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
"""A surrogate escaped (`\\ud800`) or raw (`json.loads` decodes bytes with surrogatepass)."""


Check = Callable[[Any], bool]


def _value_check(tp: Any) -> Check | None:
    """A plain check that a JSON value is of type `tp` in the common, unambiguous way (an
    int for an int, a list of strings for a tuple of strings); it only says yes where
    pydantic's check says yes, so a value it refuses goes to pydantic, which decides and
    names the problem. None: a type it has no check for."""
    if tp is Any:
        return lambda v: True
    if tp is int:
        return lambda v: type(v) is int and -_SAFE_INT <= v <= _SAFE_INT
    if tp is bool:
        return lambda v: type(v) is bool
    if tp is str:
        return lambda v: type(v) is str
    if tp is float:
        return lambda v: (type(v) is float and math.isfinite(v)) or (
            type(v) is int and -_SAFE_INT <= v <= _SAFE_INT)
    origin, args = get_origin(tp), get_args(tp)
    if origin in (UnionType, Union) and len(args) == 2 and type(None) in args:
        inner = _value_check(next(a for a in args if a is not type(None)))
        return None if inner is None else (lambda v: v is None or inner(v))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis or origin is list:
        item = _value_check(args[0]) if args else None
        return None if item is None else (lambda v: type(v) is list and all(map(item, v)))
    if origin is dict and len(args) == 2 and args[0] is str:
        value = _value_check(args[1])
        return None if value is None else (
            lambda v: type(v) is dict and all(map(value, v.values())))
    return None


def _event_check(cls: type) -> Check | None:
    """A plain check of an event line's fields (see `_value_check`); None when one of its
    fields has a type without one."""
    hints = get_type_hints(cls)
    required: list[tuple[str, Check]] = []
    optional: list[tuple[str, Check]] = []
    for f in dataclasses.fields(cls):
        if f.name == "t":
            continue  # a base field, checked before
        check = _value_check(hints[f.name])
        if check is None:
            return None
        has_default = (f.default is not dataclasses.MISSING
                       or f.default_factory is not dataclasses.MISSING)
        (optional if has_default else required).append((f.name, check))

    def holds(obj: dict[str, Any]) -> bool:
        for name, check in required:
            if name not in obj or not check(obj[name]):
                return False
        for name, check in optional:
            if name in obj and not check(obj[name]):
                return False
        return True
    return holds


def _checkpoint_holds(obj: dict[str, Any]) -> bool:
    key, sig = obj.get("key"), obj.get("sig")
    return type(key) is str and len(key) <= 100 and type(sig) is str and len(sig) <= 200


_SAFE_INT = 2**53
_HOLDS: dict[str, Check] = {
    name: check for name, cls in EVENT_TYPES.items() if (check := _event_check(cls))}
_HOLDS["checkpoint"] = _checkpoint_holds
"""Per line type, the plain check of its fields (the lines a log has most of)."""


class FieldProblem(ValueError):
    """A field of a line that has the wrong type; the message (`msg`) names the field."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.key)
        self.msg = msg

    def __str__(self) -> str:
        return self.msg.render()


def _first_error(exc: ValidationError, prefix: tuple[str, ...] = ()) -> Msg:
    """pydantic's first error as a message in the user's language (from its type and
    context, never pydantic's English)."""
    error = exc.errors(include_url=False)[0]
    loc = ".".join(str(part) for part in (*prefix, *error["loc"]))
    if error["type"] == "missing":
        return Msg("jr.lacks", key=loc)
    said = pydantic_message(error)
    return Msg("jr.field", field=loc, problem=said) if loc else said


def check_structure(obj: Any, raw: bytes) -> None:
    """Refuse nesting beyond MAX_DEPTH and strings that are not text (lone surrogates)."""
    openers = raw.count(b"{") + raw.count(b"[")
    if openers <= MAX_DEPTH and ((b"\\u" not in raw and b"\xed" not in raw)
                                 or not _SURROGATE_HINT.search(raw)):
        return  # the common case, without walking the value
    stack: list[tuple[Any, int, str]] = [(obj, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            raise FieldProblem(Msg("jr.field", field=where,
                                   problem=Msg("jr.nested", limit=MAX_DEPTH)))
        if isinstance(value, dict):
            for k, v in value.items():
                if not _is_text(k):
                    raise FieldProblem(Msg("jr.field", field=where,
                                           problem=Msg("jr.key_not_text")))
                stack.append((v, depth + 1, f"{where}.{k}" if where else k))
        elif isinstance(value, list):
            stack.extend((v, depth + 1, f"{where}[{i}]") for i, v in enumerate(value))
        elif isinstance(value, str) and not _is_text(value):
            raise FieldProblem(Msg("jr.field", field=where, problem=Msg("jr.not_text")))


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_command(data: Any) -> Any:
    global _command_from_dict
    if _command_from_dict is None:
        from tabletop.model.commands import command_from_dict

        _command_from_dict = command_from_dict
    try:
        return _command_from_dict(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = ".".join(str(part) for part in ("command", *error["loc"]))
        raise FieldProblem(Msg("jr.field", field=loc, problem=pydantic_message(error))) from None


_command_from_dict: Callable[[Any], Any] | None = None


def check_header(obj: dict[str, Any], raw: bytes) -> None:
    check_structure(obj, raw)
    try:
        _HEADER.validate_json(raw)
    except ValidationError as exc:
        raise FieldProblem(_first_error(exc)) from None


def check_line(obj: dict[str, Any], raw: bytes) -> Any:
    """Every field of an event or journal line has its type; unknown line types refused.
    Returns the typed command of a command line (None for other lines)."""
    if raw.count(b"{") + raw.count(b"[") > MAX_DEPTH or b"\\u" in raw or b"\xed" in raw:
        check_structure(obj, raw)  # (what cannot be deep nor hold a surrogate is not walked)
    t = obj.get("t")
    if not (type(obj.get("seq")) is int and type(t) is int and 0 <= t <= MAX_T
            and type(obj.get("type")) is str and type(obj.get("prev")) is str
            and type(obj.get("wall", "")) is str):  # `_LineBase`, the common case
        try:
            _BASE.validate_json(raw)
        except ValidationError as exc:
            raise FieldProblem(_first_error(exc)) from None
    kind = obj["type"]
    if kind == COMMAND_TYPE:
        return _check_command(obj.get("command"))
    holds = _HOLDS.get(kind)
    if holds is not None and holds(obj):
        return None
    adapter = _EVENTS.get(kind) or _JOURNAL_ONLY.get(kind)
    if adapter is None:
        if kind in JOURNAL_ONLY_TYPES:
            return  # a journal-only line whose fields this module does not type (yet)
        raise FieldProblem(Msg("jr.field", field="type",
                               problem=Msg("jr.unknown_type", type=repr(str(kind)[:40]))))
    try:
        adapter.validate_json(raw)
    except ValidationError as exc:
        raise FieldProblem(_first_error(exc)) from None
    return None
