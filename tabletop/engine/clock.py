"""What a condition reads, and when a condition on the story clock next holds
(`when: t >= 240 + vertraging * 60`), found without trying every minute.

Between two scheduled events nothing but `t` changes, so a condition that reads `t` only in
comparisons with values that do not themselves read `t` (`t >= X`, `X < t`, `t == X`, ...)
is constant between the minutes at which one of those comparisons can flip: it suffices to
try the first minute and each such breakpoint. Any other use of `t` (`t % 5 == 2`, `t * 2`)
falls back to trying every minute, which is exact and bounded by the caller's window.
"""

from __future__ import annotations

import ast
import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tabletop.model.events import (
    AdHocInject,
    CapacityChanged,
    ClockSet,
    DeadlineExtended,
    DecisionOpened,
    DecisionTaken,
    DilemmaSurfaced,
    EffectApplied,
    Event,
    ExerciseEnded,
    ExpectationChanged,
    InjectDelivered,
    InjectSkipped,
    NoteAdded,
    ObservationAdded,
    PhaseChanged,
    StateAdjusted,
)
from tabletop.model.expressions import (
    Context,
    Expression,
    ExpressionError,
    parse_expression,
    reads_builtin,
    resource_name,
)

_FLIPS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)

Breakpoints = Callable[[Context], list[float]]


def _is_t(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "t"


def _reads_t(node: ast.AST) -> bool:
    return any(_is_t(n) for n in ast.walk(node))


@functools.lru_cache(maxsize=4096)
def breakpoints(source: str) -> Breakpoints | None:
    """A function giving the values `t` is compared with (None: `t` is used otherwise)."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return None
    sides: list[Expression] = []
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            continue
        left, right = node.left, node.comparators[0]
        if not isinstance(node.ops[0], _FLIPS):
            continue
        for here, other in ((left, right), (right, left)):
            if _is_t(here) and not _reads_t(other):
                try:
                    sides.append(parse_expression(ast.unparse(other)))
                except ExpressionError:
                    return None
                allowed.add(id(here))
    if any(_is_t(n) and id(n) not in allowed for n in ast.walk(tree)):
        return None

    def values(context: Context) -> list[float]:
        out: list[float] = []
        for side in sides:
            try:
                value = side.evaluate(context)
            except (TypeError, ZeroDivisionError, KeyError):
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and math.isfinite(value):
                out.append(float(value))
        return out

    return values


def candidate_minutes(expr: Expression, context: Context, start: int,
                      last: int) -> Iterator[int] | None:
    """The minutes in [start, last] at which `expr` may first hold, in order (None: try
    every minute)."""
    find = breakpoints(expr.source)
    if find is None:
        return None
    points = {start}
    for value in find(context):
        for minute in (math.ceil(value), math.floor(value) + 1):
            if start < minute <= last:
                points.add(minute)
    return iter(sorted(points))


def first_minute(exprs: list[Expression], view_at: Callable[[int], Any], context: Context,
                 start: int, last: int) -> int | None:
    """The first minute in [start, last] at which any of `exprs` holds, or None."""
    found: int | None = None
    for expr in exprs:
        bound = last if found is None else found - 1
        if bound < start:
            break
        minutes = candidate_minutes(expr, context, start, bound)
        scan = minutes if minutes is not None else iter(range(start, bound + 1))
        for minute in scan:
            if expr.holds(view_at(minute)):
                found = minute
                break
    return found


# -- what a condition reads, and what an event touches -------------------------------------
Key = tuple[str, ...]
ANYTHING: Key = ("*",)
"""Touched by an event whose effect on the world this module does not know."""

_READ_KEYS = {"state": "s", "resource": "r", "decision": "d", "inject": "i"}


def reads_of(expr: Expression) -> frozenset[Key]:
    """The keys an expression reads: state variables, resources, decisions, injects, phase.
    (`present()` reads who sits at the table, which never changes during an exercise; `t` is
    the clock, watched apart.)"""
    keys: set[Key] = set()
    for ref in expr.references:
        if ref.kind in _READ_KEYS:
            keys.add((_READ_KEYS[ref.kind], ref.name))
        elif ref.kind == "option":
            keys.add(("d", ref.name.partition("/")[0]))
    if reads_builtin(expr, "phase"):
        keys.add(("phase",))
    return frozenset(keys)


_TOUCHES_NOTHING = (DecisionOpened, DilemmaSurfaced, NoteAdded, ObservationAdded, AdHocInject,
                    InjectSkipped, ClockSet, DeadlineExtended, ExerciseEnded)


_NO_KEYS: tuple[Key, ...] = ()
_ALL_KEYS: tuple[Key, ...] = (ANYTHING,)


def _nothing(_event: Any) -> tuple[Key, ...]:
    return _NO_KEYS


def _anything(_event: Any) -> tuple[Key, ...]:
    return _ALL_KEYS


_STATE = itertools.repeat("s")
"""The kind of key of a state variable, for each one an event changes (`("s", name)`)."""

_KEYED: dict[type, tuple[str, Callable[[Any], tuple[Key, ...]]]] = {
    EffectApplied: ("s", lambda e: tuple(zip(_STATE, e.changes, strict=False))),
    StateAdjusted: ("s", lambda e: tuple(zip(_STATE, e.changes, strict=False))),
    InjectDelivered: ("i", lambda e: (("i", e.inject),)),
    ExpectationChanged: ("i", lambda e: (("i", e.inject),)),
    DecisionTaken: ("d", lambda e: (("d", e.decision),)),
    CapacityChanged: ("r", lambda e: (("r", resource_name(e.resource)),)),
    PhaseChanged: ("phase", lambda e: (("phase",),)),
}
"""Per kind of event that changes something a condition reads: the kind of key, and the keys
of one event."""

_TOUCHES: dict[type, Callable[[Any], tuple[Key, ...]]] = {
    **{kind: _nothing for kind in _TOUCHES_NOTHING},
    **{kind: keys for kind, (_, keys) in _KEYED.items()},
}
"""Per kind of event, the keys it changes. A subclass touches what its nearest listed base
does; a kind not listed at all touches everything."""


def unheard(reads: Iterable[Key]) -> frozenset[type]:
    """The kinds of event that touch nothing of these keys (those read by the watchers):
    the schedule need not hear of them. A kind not listed here (a new one, a subclass) is
    heard: it may touch anything."""
    read = {key[0] for key in reads}
    return frozenset([*_TOUCHES_NOTHING,
                      *(kind for kind, (prefix, _) in _KEYED.items() if prefix not in read)])


def touched_by(event: Event) -> tuple[Key, ...]:
    """The keys an event changes (ANYTHING for a kind of event not known here, so that a
    new kind of event can never leave a condition unchecked)."""
    kind = type(event)
    rule = _TOUCHES.get(kind)
    if rule is None:
        rule = next((_TOUCHES[base] for base in kind.__mro__ if base in _TOUCHES), _anything)
        _TOUCHES[kind] = rule
    return rule(event)
