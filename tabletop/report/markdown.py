"""Render a report document as Markdown (CommonMark with GFM tables) that forges show well.

Every text from a log or scenario is escaped: Markdown's control characters get a
backslash, so `**x**`, `[bold]`, `<script>` and `a | b` show literally, and a table cell
never breaks its row.
"""

from __future__ import annotations

import re

from tabletop.report.document import (
    Block,
    Bullets,
    Cell,
    Charts,
    Document,
    Fields,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Table,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&$@!{}])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """Backslash-escape every character that could start Markdown or HTML syntax."""
    return _SPECIAL.sub(r"\\\1", text)


def _protect_start(text: str) -> str:
    """Escape what would make a line start a list, quote, heading underline or numbered item."""
    match = _LINE_START.match(text)
    if not match:
        return text
    lead, token = match.group(1), match.group(2)
    if token.isdigit():
        rest = text[match.end():]
        return f"{lead}{token}\\{rest}"
    return f"{lead}\\{token}{text[match.end():]}"


def _wrap(text: str, mark: str) -> str:
    """`mark` around text, with edge spaces moved outside (`** x**` would not be bold)."""
    core = text.strip()
    if not core:
        return text
    left = text[: len(text) - len(text.lstrip())]
    right = text[len(text.rstrip()):]
    return f"{left}{mark}{core}{mark}{right}"


def inline(spans: Inline, start: bool = True) -> str:
    """Spans as Markdown; `start`: the text opens a block, so guard its first character."""
    out: list[str] = []
    for index, s in enumerate(spans):
        text = escape(s.text)
        if s.style == "b":
            text = _wrap(text, "**")
        elif s.style == "i":
            text = _wrap(text, "*")
        elif s.style == "warn":
            text = _wrap(text, "**")
        elif s.style == "flag":
            text = _wrap(f"({text.strip()})", "*")
        if s.style in ("warn", "flag") and index and out and not out[-1].endswith(" "):
            text = " " + text
        out.append(text)
    text = "".join(out).strip()
    return _protect_start(text) if start else text


def _cell(cell: Cell) -> str:
    return "<br>".join(text for line in cell if (text := inline(line))) or " "


def _table(table: Table) -> str:
    head = "| " + " | ".join(escape(h) for h in table.header) + " |"
    rule = "| " + " | ".join("---" for _ in table.header) + " |"
    rows = ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join([head, rule, *rows])


def _fields(fields: Fields) -> str:
    lines = []
    for label, value in fields.pairs:
        texts = [t for line in value if (t := inline(line))]
        if len(texts) == 1:
            lines.append(f"- **{escape(label)}:** {texts[0]}")
        else:
            lines.append(f"- **{escape(label)}:**")
            lines += [f"  - {t}" for t in texts]
    return "\n".join(lines)


def block(b: Block) -> str:
    if isinstance(b, Heading):
        return "#" * b.level + " " + inline(b.text, start=False)
    if isinstance(b, Paragraph):
        text = inline(b.text)
        return f"*{text}*" if b.role == "muted" and text and "*" not in text else text
    if isinstance(b, Bullets):
        marks = [f"{n}." if b.numbered else "-" for n in range(1, len(b.items) + 1)]
        return "\n".join(f"{m} {inline(item)}" for m, item in zip(marks, b.items, strict=True))
    if isinstance(b, Fields):
        return _fields(b)
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Charts):
        return _table(b.table) if b.table else ""
    if isinstance(b, PageBreak):
        return "---"
    raise TypeError(f"cannot render {type(b).__name__}")  # pragma: no cover


def render_markdown(doc: Document) -> str:
    """The whole document; blocks separated by one blank line, ending in one newline."""
    parts = [text for b in doc.blocks if (text := block(b))]
    return "\n\n".join(parts) + "\n"
