"""Safe, fast YAML 1.2 reading that remembers where every key and item stood.

Why: scenarios must load fast (libyaml's C parser) yet every problem must point at a line
and column. libyaml composes the node tree (with marks) in C; this module turns nodes
into plain dicts and lists that carry their positions, with YAML 1.2 core-schema scalars
(`on`, `no`, `yes` stay strings), no tags, no duplicate keys and a bound on alias
expansion (a "billion laughs" file is refused before it is expanded).
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tabletop.errors import Msg, Number, Problem
from tabletop.model.text import clean_text

try:  # libyaml is bundled in PyYAML's wheels; fall back to the pure parser if absent.
    from yaml._yaml import CParser as _Parser

    _FAST = True
except ImportError:  # pragma: no cover - depends on the installed wheel
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef,misc]
        def __init__(self, stream: Any) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    _FAST = False

MAX_BYTES = 4 * 1024 * 1024
"""Largest input file, in bytes. A 1,000-inject scenario is about 0.5 MiB."""

MAX_DEPTH = 200
"""Deepest nesting of mappings and sequences (checked before any recursive pass)."""

MAX_NODES = 500_000
"""Most values a file may expand to, aliases counted at every use."""

_PLAIN = "?plain"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_ALLOWED_TAGS = {
    _STR, _SEQ, _MAP, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "!",
}

_INT = re.compile(r"[-+]?[0-9]+$")
_OCT = re.compile(r"0o[0-7]+$")
_HEX = re.compile(r"0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


class _Resolver:
    """Defers scalar typing to `_plain_value` (YAML 1.2 core schema)."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, *args: Any) -> None:
        pass

    def ascend_resolver(self, *args: Any) -> None:
        pass


class _Loader(_Parser, _Resolver):  # type: ignore[misc]
    def __init__(self, stream: Any) -> None:
        _Parser.__init__(self, stream)


class LocDict(dict):  # type: ignore[type-arg]
    """A mapping read from YAML, with the 1-based (line, col) of the mapping and its keys."""

    pos: tuple[int, int]
    key_pos: dict[Any, tuple[int, int]]
    value_pos: dict[Any, tuple[int, int]]


class LocList(list):  # type: ignore[type-arg]
    """A sequence read from YAML, with the 1-based (line, col) of itself and its items."""

    pos: tuple[int, int]
    item_pos: list[tuple[int, int]]


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _plain_value(text: str) -> Any:
    if text[:1].isalpha() and text[0] not in "nNtTfF":  # a word: no null, bool or number
        return clean_text(text)
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    lowered = text.lstrip("+-").lower()
    if lowered == ".inf":
        return -math.inf if text.startswith("-") else math.inf
    if lowered == ".nan" and text[0] == ".":
        return math.nan
    return clean_text(text)


class _TooLarge(Exception):
    """More than MAX_NODES values, counted before the alias that would pass the bound."""


class _Builder:
    """Turns the composed node tree into LocDicts and LocLists, in one pass.

    Values are counted as they are built. The first alias (a node met again) has the whole
    document sized at once, aliases counted at every use, before anything is expanded: a
    "billion laughs" file is refused without being built, and a file without aliases (every
    scenario we know) is never walked twice. An alias inside the collection it names (`&a
    [*a]`) is refused: it would expand without end.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.sizes: dict[int, int] = {}
        self.seen: set[int] = set()
        self.open: set[int] = set()
        """The collections being built (the path from the root): an alias to one is a loop."""
        self.count = 0
        self.counting = True
        self.root: Node | None = None

    def problem(self, node: Node, message: Msg) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.filename, line, col, message))

    def size(self, node: Node) -> int:
        """Values the node expands to, aliases counted at every use (memoised: linear)."""
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        self.sizes[key] = 1  # a recursive alias counts once instead of looping
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(self.size(item) for item in node.value)
        elif isinstance(node, MappingNode):
            total += sum(self.size(k) + self.size(v) for k, v in node.value)
        self.sizes[key] = total
        return total

    def build(self, node: Node, depth: int = 0) -> Any:
        if self.counting:
            key = id(node)
            if key in self.seen:  # the first alias: size the whole document, once
                self.counting = False
                if self.size(self.root or node) > MAX_NODES:
                    raise _TooLarge
            else:
                self.seen.add(key)
                self.count += 1
                if self.count > MAX_NODES:
                    raise _TooLarge
        if depth > MAX_DEPTH:
            self.problem(node, Msg("load.yaml.too_deep", depth=MAX_DEPTH))
            return None
        tag = node.tag
        kind = type(node)
        if tag not in _ALLOWED_TAGS and tag != _PLAIN:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node, Msg("load.yaml.tag", tag=shown))
            return None
        if kind is ScalarNode:
            return self.scalar(node)
        key = id(node)
        if key in self.open:
            self.problem(node, Msg("load.yaml.alias_loop"))
            return None
        self.open.add(key)
        try:
            return self._collection(node, kind, depth + 1)
        finally:
            self.open.discard(key)

    def _child(self, node: Node, depth: int) -> Any:
        """`build`, with a short path for the plain scalar met for the first time (most)."""
        if type(node) is ScalarNode and node.tag == _PLAIN and depth <= 200:
            if self.counting:
                key = id(node)
                if key in self.seen:
                    return self.build(node, depth)
                self.seen.add(key)
                self.count += 1
                if self.count > MAX_NODES:
                    raise _TooLarge
            text: str = node.value
            if text[:1].isalpha() and text[0] not in "nNtTfF":
                return text if text.isprintable() else clean_text(text)
            return _plain_value(text)
        return self.build(node, depth)

    def _collection(self, node: Node, kind: type, depth: int) -> Any:
        child = self._child
        if kind is SequenceNode:
            items = LocList()
            mark = node.start_mark
            items.pos = (mark.line + 1, mark.column + 1)
            positions: list[tuple[int, int]] = []
            items.item_pos = positions
            append, add_position = items.append, positions.append
            for item in node.value:
                append(child(item, depth))
                mark = item.start_mark
                add_position((mark.line + 1, mark.column + 1))
            return items
        mapping = LocDict()
        mark = node.start_mark
        mapping.pos = (mark.line + 1, mark.column + 1)
        key_pos: dict[Any, tuple[int, int]] = {}
        value_pos: dict[Any, tuple[int, int]] = {}
        mapping.key_pos = key_pos
        mapping.value_pos = value_pos
        for key_node, value_node in node.value:
            key = child(key_node, depth)
            if key is None or isinstance(key, (LocDict, LocList)):
                self.problem(key_node, Msg("load.yaml.key_kind"))
                continue
            if key in mapping:
                first = key_pos[key]
                self.problem(key_node, Msg("load.yaml.duplicate_key", key=str(key),
                                           line=first[0]))
                continue
            mapping[key] = child(value_node, depth)
            mark = key_node.start_mark
            key_pos[key] = (mark.line + 1, mark.column + 1)
            mark = value_node.start_mark
            value_pos[key] = (mark.line + 1, mark.column + 1)
        return mapping

    def scalar(self, node: ScalarNode) -> Any:
        value: str = node.value
        if node.tag == _PLAIN:
            return _plain_value(value)
        if node.tag in (_STR, "!"):
            return clean_text(value)
        if node.tag == "tag:yaml.org,2002:null":
            return None
        typed: Any = _plain_value(value)
        expected: dict[str, type | tuple[type, ...]] = {
            "tag:yaml.org,2002:int": int, "tag:yaml.org,2002:float": (int, float),
            "tag:yaml.org,2002:bool": bool}
        if not isinstance(typed, expected[node.tag]):
            self.problem(node, Msg("load.yaml.bad_scalar", value=value,
                                   kind=Msg(f"load.yaml.tag.{node.tag.rsplit(':', 1)[1]}")))
            return None
        number: Any = typed
        return float(number) if node.tag.endswith("float") else number


def _too_deep(root: Node) -> Node | None:
    """The first node nested deeper than MAX_DEPTH, found without recursion (each node
    visited once, so aliases cost nothing extra)."""
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
    return None


def _decode(data: bytes, filename: str) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        good = data[: exc.start]
        line = good.count(b"\n") + 1
        col = len(good) - (good.rfind(b"\n") + 1) + 1
        byte = data[exc.start]
        return None, [Problem(filename, line, col, Msg("load.yaml.not_utf8", byte=f"0x{byte:02x}"))]


def _control_problem(exc: yaml.YAMLError, filename: str, text: str) -> Problem | None:
    """A character YAML does not accept (a control character), at its line and column."""
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    if not isinstance(position, int) or not 0 <= position <= len(text):
        return None
    before = text[:position]
    line = before.count("\n") + 1
    col = position - (before.rfind("\n") + 1) + 1
    code = ord(character) if isinstance(character, str) else character
    shown = f"U+{code:04X}" if isinstance(code, int) else "?"
    return Problem(filename, line, col, Msg("load.yaml.control", code=shown))


def _syntax_problem(exc: yaml.YAMLError, filename: str, text: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        located = _control_problem(exc, filename, text)
        if located is not None:
            return located
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    said = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    at_tab = mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t"
    problem: Msg
    if at_tab or "'\\t'" in said:
        problem = Msg("load.yaml.tab")
    elif context and "quoted scalar" in context:
        problem = Msg("load.yaml.quote")
        mark = getattr(exc, "context_mark", None) or mark
    else:
        problem = _parser_words(said, context)
    if mark is None:
        return Problem(filename, 0, 0, Msg("load.yaml.syntax", problem=problem))
    return Problem(filename, mark.line + 1, mark.column + 1,
                   Msg("load.yaml.syntax", problem=problem))


_PARSER_SAYS = {
    "mapping values are not allowed here": "load.yaml.p.mapping_here",
    "could not find expected ':'": "load.yaml.p.no_colon",
    "found character that cannot start any token": "load.yaml.p.bad_start",
    "found undefined alias": "load.yaml.p.undefined_alias",
    "found unexpected end of stream": "load.yaml.p.end_of_stream",
    "found unhashable key": "load.yaml.p.unhashable",
    "found duplicate anchor": "load.yaml.p.duplicate_anchor",
    "expected alphabetic or numeric character": "load.yaml.p.anchor_name",
    "found a tab character where an indentation space is expected": "load.yaml.tab",
    "expected a single document in the stream": "load.yaml.p.one_document",
}
"""What PyYAML says (in English) as catalogue keys; the rest by the kind of place it names."""


def _parser_words(said: str, context: str | None) -> Msg:
    """PyYAML's problem in the user's language: a known sentence by its key, else what
    it expected and found (`expected <block end>, but found '-'`: the tokens are YAML's own
    words, not prose)."""
    for start, key in _PARSER_SAYS.items():
        if said.startswith(start):
            return Msg(key)
    found = re.match(r"did not find expected (.+)$", said)
    if found:
        return Msg("load.yaml.p.not_found", expected=found.group(1))
    found = re.match(r"expected (.+?), but found (.+)$", said)
    if found:
        return Msg("load.yaml.p.expected_found", expected=found.group(1), found=found.group(2))
    return Msg("load.yaml.p.other", said=said if not context else f"{said} ({context})")


def load_yaml(data: bytes, filename: str) -> tuple[Any, list[Problem]]:
    """Read one YAML document; return its value (dicts/lists with positions) and problems.

    The value is None when a problem prevents reading the document at all.
    """
    if len(data) > MAX_BYTES:
        return None, [Problem(filename, 0, 0, Msg("load.yaml.too_big",
                                                  size=Number(len(data) / 1048576, 1),
                                                  limit=MAX_BYTES // 1048576))]
    text, problems = _decode(data, filename)
    if text is None:
        return None, problems
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, filename, text)]
    finally:
        loader.dispose()
    if node is None:
        return None, [Problem(filename, 0, 0, Msg("load.yaml.empty"))]
    builder = _Builder(filename)
    deep = _too_deep(node)
    if deep is not None:  # before any recursive pass over the tree
        builder.problem(deep, Msg("load.yaml.too_deep", depth=MAX_DEPTH))
        return None, builder.problems
    builder.root = node
    try:
        value = builder.build(node)
    except _TooLarge:
        line, col = _mark(node)
        return None, [Problem(filename, line, col,
                              Msg("load.yaml.too_many", limit=Number(MAX_NODES)))]
    return value, builder.problems
