"""The engine's parts own their state: none reads another's private attributes (issue 10).
Imports between the parts are kept pointing down by import-linter (`uv run lint-imports`)."""

from __future__ import annotations

import ast
from pathlib import Path

import tabletop.engine

ENGINE = Path(tabletop.engine.__file__).parent


def private_reads(source: str) -> list[tuple[int, str]]:
    """`x._name` where x is not `self` or `cls`: reading someone else's private state."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_no_part_of_the_engine_reads_another_parts_privates() -> None:
    offences = {path.name: reads for path in sorted(ENGINE.glob("*.py"))
                if (reads := private_reads(path.read_text(encoding="utf-8")))}
    assert offences == {}


def test_the_check_finds_a_private_read() -> None:
    assert private_reads("def f(ex):\n    return ex._open\n") == [(2, "ex._open")]
    assert private_reads("class A:\n    def f(self):\n        return self._open\n") == []
