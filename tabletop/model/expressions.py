"""The expression language of `if`, `when` and outcomes: parsed and name-checked at load.

Why: Python's own parser (`ast.parse`) reads the text, but only a small whitelist of node
types is accepted, and the tree is compiled into closures over an evaluation context.
Nothing is ever passed to `eval`, and no attribute or call outside the whitelist exists.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from tabletop.errors import Msg, Number

FUNCTIONS = {
    "decided": "decision",
    "delivered": "inject",
    "met": "inject",
    "present": "role",
}
"""Functions an expression may call, and the kind of id their one argument names."""

CONSTANTS = {"true": True, "false": False, "none": None, "True": True, "False": False,
             "None": None}
BUILTIN_NAMES = {"t", "phase", "purpose", "crisis"}
"""`purpose` (the domain a decision is framed under) and `crisis` (it concerns the crisis)
are what authority `when:` reads of the decision at hand (gezag model version 2)."""

_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
MAX_SOURCE = 1000
"""Longest expression, in characters (a long condition is a few hundred)."""
MAX_NODES = 200
"""Most parts (names, numbers, operators) of one expression."""
MAX_DEPTH = 30
"""Deepest nesting of one expression."""
MAX_TEXT = 1000
"""Longest text or tuple an expression may build (`"ab" * 3` is fine; `"a" * 10**9` not)."""
MAX_INT = 10**15
"""Largest number an expression may name or compute."""


class ExpressionLimit(TypeError):
    """An evaluation that would build too much; like a type mismatch, it makes a condition
    false at run time (the check at load names it, when its operands are constants)."""

    def __init__(self, key: str, /, **values: object) -> None:
        self.msg = Msg(key, **values)
        super().__init__(key)

    def __str__(self) -> str:
        return self.msg.render()


def _bounded(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        raise ExpressionLimit("load.expr.big_number", limit=f"{MAX_INT:.0e}")
    if isinstance(value, float) and value == value and abs(value) > MAX_INT:
        raise ExpressionLimit("load.expr.big_number", limit=f"{MAX_INT:.0e}")
    return value


def _add(a: Any, b: Any) -> Any:
    if isinstance(a, (str, tuple)) and isinstance(b, (str, tuple)) and \
            len(a) + len(b) > MAX_TEXT:
        raise ExpressionLimit("load.expr.long_text", limit=MAX_TEXT)
    return _bounded(a + b)


def _mul(a: Any, b: Any) -> Any:
    for seq, count in ((a, b), (b, a)):
        if isinstance(seq, (str, tuple, list)):
            if not isinstance(count, int) or isinstance(count, bool):
                raise ExpressionLimit("load.expr.repeat_whole")
            if len(seq) * max(count, 0) > MAX_TEXT:
                raise ExpressionLimit("load.expr.long_text", limit=MAX_TEXT)
            return seq * count
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            abs(a) > 1 and abs(b) > 1 and abs(a) > MAX_INT / abs(b):
        raise ExpressionLimit("load.expr.big_number", limit=f"{MAX_INT:.0e}")
    return _bounded(a * b)


def _mod(a: Any, b: Any) -> Any:
    if isinstance(a, (str, bytes)):
        raise ExpressionLimit("load.expr.percent")
    return _bounded(a % b)


def _sub(a: Any, b: Any) -> Any:
    return _bounded(a - b)


def _div(a: Any, b: Any) -> Any:
    return _bounded(a / b)


def _floordiv(a: Any, b: Any) -> Any:
    return _bounded(a // b)


_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: _add, ast.Sub: _sub, ast.Mult: _mul,
    ast.Div: _div, ast.Mod: _mod, ast.FloorDiv: _floordiv,
}


class Context(Protocol):
    """What an expression can see while it is evaluated."""

    @property
    def state(self) -> Mapping[str, Any]: ...
    @property
    def levels(self) -> Mapping[str, Any]: ...
    @property
    def t(self) -> float: ...
    @property
    def phase(self) -> str | None: ...

    def decided(self, decision_id: str) -> str | None: ...
    def delivered(self, inject_id: str) -> bool: ...
    def met(self, inject_id: str) -> bool: ...
    def present(self, role_id: str) -> bool: ...


class ExpressionError(ValueError):
    """An expression that cannot be parsed; `column` is 1-based within the expression."""

    def __init__(self, message: Msg, column: int = 0) -> None:
        super().__init__(message.key)
        self.msg = message
        self.column = column

    def __str__(self) -> str:
        return self.msg.render()


@dataclass(frozen=True)
class Reference:
    """A name an expression uses: a state variable, resource, or a function's id argument."""

    kind: str
    """"state", "resource", "decision", "inject", "role", or "option" (`decision/option`)."""
    name: str


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed expression: its source, what it refers to, and its compiled form."""

    source: str
    references: tuple[Reference, ...]
    _fn: Callable[[Context], Any] = field(repr=False)

    def evaluate(self, context: Context) -> Any:
        return self._fn(context)

    def holds(self, context: Context) -> bool:
        """Truth of the expression; a type mismatch (comparing none with a number) is false."""
        try:
            return bool(self._fn(context))
        except (TypeError, ZeroDivisionError):
            return False

    def __str__(self) -> str:
        return self.source

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Validated as an instance (the model's `Expr` parses text into one). Why: else
        pydantic inspects this dataclass's source for every model using it (slow imports)."""
        from pydantic_core import core_schema

        return core_schema.is_instance_schema(cls)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)


def resource_name(resource_id: str) -> str:
    """How a resource id is spelt in expressions: `me-pelotons` is `res.me_pelotons`."""
    return resource_id.replace("-", "_")


class _Compiler:
    def __init__(self) -> None:
        self.references: list[Reference] = []

    def fail(self, node: ast.AST, message: Msg) -> ExpressionError:
        return ExpressionError(message, getattr(node, "col_offset", -1) + 1)

    def compile(self, node: ast.AST) -> Callable[[Context], Any]:
        method = getattr(self, "c_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, Msg("load.expr.not_allowed", part=ast.unparse(node)))
        return method(node)  # type: ignore[no-any-return]

    def c_Constant(self, node: ast.Constant) -> Callable[[Context], Any]:
        value = node.value
        if value is not None and not isinstance(value, (int, float, str)):
            raise self.fail(node, Msg("load.expr.not_allowed", part=ast.unparse(node)))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and \
                abs(value) > MAX_INT:
            raise self.fail(node, Msg("load.expr.number_too_large", limit=f"{MAX_INT:.0e}"))
        return lambda c: value

    def c_Name(self, node: ast.Name) -> Callable[[Context], Any]:
        name = node.id
        if name in CONSTANTS:
            value = CONSTANTS[name]
            return lambda c: value
        if name == "t":
            return lambda c: c.t
        if name == "phase":
            return lambda c: c.phase
        if name == "purpose":
            return lambda c: getattr(c, "purpose", None)
        if name == "crisis":
            return lambda c: getattr(c, "crisis", True)
        if name == "res":
            raise self.fail(node, Msg("load.expr.res"))
        if name in FUNCTIONS:
            raise self.fail(node, Msg("load.expr.is_function", name=name))
        self.references.append(Reference("state", name))
        return lambda c: c.state.get(name, False)

    def c_Attribute(self, node: ast.Attribute) -> Callable[[Context], Any]:
        if not (isinstance(node.value, ast.Name) and node.value.id == "res"):
            raise self.fail(node, Msg("load.expr.dot", part=ast.unparse(node)))
        name = node.attr
        self.references.append(Reference("resource", name))
        return lambda c: c.levels[name]

    def c_Call(self, node: ast.Call) -> Callable[[Context], Any]:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            known = ", ".join(f"{f}()" for f in FUNCTIONS)
            raise self.fail(node, Msg("load.expr.not_function", part=ast.unparse(node.func),
                                      known=known))
        fname = node.func.id
        if node.keywords or len(node.args) != 1 or not (
            isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        ):
            raise self.fail(node, Msg("load.expr.one_id", name=fname))
        arg: str = node.args[0].value
        self.references.append(Reference(FUNCTIONS[fname], arg))
        if fname == "decided":
            return lambda c: c.decided(arg)
        if fname == "delivered":
            return lambda c: c.delivered(arg)
        if fname == "met":
            return lambda c: c.met(arg)
        return lambda c: c.present(arg)

    def c_BoolOp(self, node: ast.BoolOp) -> Callable[[Context], Any]:
        parts = [self.compile(v) for v in node.values]
        # Why spelt out for two parts (the common case): all()/any() over a generator cost
        # more than the comparison they join; the result is the same bool either way.
        if isinstance(node.op, ast.And):
            if len(parts) == 2:
                first, second = parts
                return lambda c: bool(first(c)) and bool(second(c))
            return lambda c: all(p(c) for p in parts)
        if len(parts) == 2:
            first, second = parts
            return lambda c: bool(first(c)) or bool(second(c))
        return lambda c: any(p(c) for p in parts)

    def c_UnaryOp(self, node: ast.UnaryOp) -> Callable[[Context], Any]:
        inner = self.compile(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda c: not inner(c)
        if isinstance(node.op, ast.USub):
            return lambda c: -inner(c)
        if isinstance(node.op, ast.UAdd):
            return inner
        raise self.fail(node, Msg("load.expr.not_allowed", part=ast.unparse(node)))

    def c_BinOp(self, node: ast.BinOp) -> Callable[[Context], Any]:
        op = _BINARY.get(type(node.op))
        if op is None:
            raise self.fail(node, Msg("load.expr.operator", part=ast.unparse(node)))
        left, right = self.compile(node.left), self.compile(node.right)
        if isinstance(node.left, ast.Constant) and isinstance(node.right, ast.Constant):
            # Folded once at load, through the same bounded operators: a constant that would
            # build too much is named here rather than found at run time.
            try:
                op(node.left.value, node.right.value)
            except ExpressionLimit as exc:
                raise self.fail(node, Msg("load.expr.folded", part=ast.unparse(node),
                                          problem=exc.msg)) from None
            except (TypeError, ZeroDivisionError, ValueError, OverflowError):
                pass  # a mismatch is false at run time, as before
        return lambda c: op(left(c), right(c))

    def _note_options(self, node: ast.Compare) -> None:
        """`decided("d") == "x"` (or `in ("x", "y")`) names options of d: check them too."""
        operands = [node.left, *node.comparators]
        names = [o.args[0].value for o in operands
                 if isinstance(o, ast.Call) and isinstance(o.func, ast.Name)
                 and o.func.id == "decided" and o.args and isinstance(o.args[0], ast.Constant)]
        if not names:
            return
        decision = str(names[0])
        for operand in operands:
            values = operand.elts if isinstance(operand, (ast.Tuple, ast.List)) else [operand]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and \
                        value.value != "answered":
                    self.references.append(Reference("option", f"{decision}/{value.value}"))

    def c_Compare(self, node: ast.Compare) -> Callable[[Context], Any]:
        self._note_options(node)
        before = len(self.references)
        first = self.compile(node.left)
        state = (node.left.id if isinstance(node.left, ast.Name) and
                 self.references[before:] == [Reference("state", node.left.id)] else None)
        pairs = []
        for op_node, comparator in zip(node.ops, node.comparators, strict=True):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.fail(node, Msg("load.expr.compare"))
            pairs.append((op, self.compile(comparator)))
        if len(pairs) == 1:
            (op, second), = pairs
            if isinstance(node.comparators[0], ast.Constant):
                # Why spelt out: `spanning >= 3` is most of what conditions and guards say,
                # and they are read at every tick; a call per operand is most of the cost.
                value = node.comparators[0].value
                if state is not None:
                    name = state
                    return lambda c: op(c.state.get(name, False), value)
                return lambda c: op(first(c), value)
            return lambda c: op(first(c), second(c))

        def chained(c: Context) -> bool:
            left = first(c)
            for op, right_fn in pairs:
                right = right_fn(c)
                if not op(left, right):
                    return False
                left = right
            return True

        return chained

    def c_Tuple(self, node: ast.Tuple) -> Callable[[Context], Any]:
        items = [self.compile(e) for e in node.elts]
        return lambda c: tuple(i(c) for i in items)

    c_List = c_Tuple


def reads_builtin(expr: Expression, *names: str) -> bool:
    """Whether an expression reads any of these builtin names (`t`, `phase`)."""
    return not _names_read(expr.source).isdisjoint(names)


@functools.lru_cache(maxsize=4096)
def _names_read(source: str) -> frozenset[str]:
    tree = ast.parse(source, mode="eval")
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))


def _check_size(tree: ast.AST) -> None:
    """At most MAX_NODES parts and MAX_DEPTH levels, counted without recursion."""
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(Msg("load.expr.too_many_parts", limit=MAX_NODES), 1)
        if depth > MAX_DEPTH:
            raise ExpressionError(Msg("load.expr.too_deep", limit=MAX_DEPTH),
                                  getattr(node, "col_offset", 0) + 1)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _syntax(said: str) -> Msg:
    """Python's syntax error in the user's language (its words quoted when not known)."""
    import re

    if said.startswith("invalid syntax"):
        return Msg("load.expr.p.invalid")
    found = re.match(r"'(.)' was never closed", said)
    if found:
        return Msg("load.expr.p.unclosed", bracket=found.group(1))
    found = re.match(r"unmatched '(.)'", said)
    if found:
        return Msg("load.expr.p.unmatched", bracket=found.group(1))
    if said.startswith("unterminated string literal"):
        return Msg("load.expr.p.unterminated")
    return Msg("load.expr.syntax", said=said)


def parse_expression(source: str) -> Expression:
    """Parse and compile an expression, or raise ExpressionError with a column."""
    text = source.strip()
    if not text:
        raise ExpressionError(Msg("load.expr.empty"), 1)
    if len(text) > MAX_SOURCE:
        raise ExpressionError(Msg("load.expr.too_long", length=Number(len(text)),
                                  limit=MAX_SOURCE), 1)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        msg = (exc.msg or "invalid syntax").replace("invalid syntax. ", "")
        raise ExpressionError(_syntax(msg), exc.offset or 0) from None
    except (MemoryError, RecursionError):
        raise ExpressionError(Msg("load.expr.nested"), 1) from None
    _check_size(tree)
    compiler = _Compiler()
    fn = compiler.compile(tree.body)
    refs = tuple(dict.fromkeys(compiler.references))
    return Expression(source=text, references=refs, _fn=fn)
