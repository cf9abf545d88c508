"""The reader's plain field checks (the fast path of `typed.check_line`) are exactly as strict
as pydantic's: a line they accept pydantic accepts too, and whatever they do not accept is
decided by pydantic, with its message."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabletop.journal.typed import _EVENTS, _HOLDS, _JOURNAL_ONLY, FieldProblem, check_line
from tabletop.model.events import EVENT_TYPES, NoteAdded

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8)
PLAIN = st.sampled_from(["x", "", 1, 0, -3, 2**60, True, False, None, 1.5, [], {}, ["a"],
                         [1], {"a": "b"}, {"a": True}, {"a": [1, 2]}, [{"a": 1}]])
"""Values of each JSON type that the fields of events have, so that near-misses are common."""


def _fields(kind: str) -> list[str]:
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        return ["key", "sig", "other"]
    return [f.name for f in dataclasses.fields(cls) if f.name != "t"]


def _line(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {"seq": 3, "t": 5, "wall": "", "type": kind, "prev": "0" * 64, **fields}


@st.composite
def lines(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(_HOLDS)))
    names = _fields(kind)
    fields = {}
    for name in names:
        choice = draw(st.integers(0, 5))
        if choice == 0:
            continue  # the field left out
        fields[name] = draw(JSON if choice == 1 else PLAIN)
    return _line(kind, fields)


def _pydantic_says(obj: dict[str, Any], raw: bytes) -> str | None:
    adapter = _EVENTS.get(obj["type"]) or _JOURNAL_ONLY[obj["type"]]
    try:
        adapter.validate_json(raw)
    except Exception as exc:  # noqa: BLE001 - any refusal counts
        return type(exc).__name__
    return None


@settings(max_examples=300, deadline=None, database=None)
@given(lines())
def test_the_plain_checks_accept_nothing_pydantic_refuses(obj: dict[str, Any]) -> None:
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass")
    loaded = json.loads(raw)
    if _HOLDS[obj["type"]](loaded):
        assert _pydantic_says(loaded, raw) is None, raw


@settings(max_examples=200, deadline=None, database=None)
@given(lines())
def test_check_line_refuses_what_pydantic_refuses(obj: dict[str, Any]) -> None:
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass")
    loaded = json.loads(raw)
    refused = _pydantic_says(loaded, raw)
    try:
        check_line(loaded, raw)
    except FieldProblem:
        assert refused is not None, raw
    else:
        assert refused is None, raw


@pytest.mark.parametrize(("fields", "problem"), [
    ({"by": "x", "text": 5}, "field 'text'"),
    ({"by": "x"}, "lacks 'text'"),
    ({"by": "x", "text": "a", "lovp": "ja"}, "field 'lovp'"),
    ({"by": "x", "text": "a", "owner": ["a"]}, "field 'owner'"),
])
def test_a_wrongly_typed_note_is_named(fields: dict[str, Any], problem: str) -> None:
    obj = _line(NoteAdded.type, fields)
    raw = json.dumps(obj).encode()
    with pytest.raises(FieldProblem, match=problem):
        check_line(obj, raw)


def test_the_common_lines_have_a_plain_check() -> None:
    assert {"note", "effect", "inject", "checkpoint", "decision", "capacity"} <= set(_HOLDS)
    assert _HOLDS["checkpoint"]({"key": "k" * 100, "sig": "s"})
    assert not _HOLDS["checkpoint"]({"key": "k" * 101, "sig": "s"})
