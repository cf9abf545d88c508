"""A small document model (headings, paragraphs, lists, tables, charts) that every renderer reads.

The layout writes prose once into these blocks; Markdown, HTML and docx only decide how a
block looks. Text in a `Span` is always literal: each renderer escapes it for its format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tabletop.model.text import clean_text

_SPACE = re.compile(r"\s+")


def one_line(text: object) -> str:
    """Text as one line: control characters dropped, lone surrogates replaced, every run of
    white space (newlines too) made one space; spaces at the edges are kept."""
    value = clean_text("" if text is None else str(text))
    return _SPACE.sub(" ", value)


def clean(text: object) -> str:
    """`one_line` without spaces at the edges: for values taken from logs and scenarios."""
    return one_line(text).strip()


@dataclass(frozen=True)
class Span:
    """A run of literal text with one style.

    Styles: "" plain, "b" strong, "i" emphasis, and tags that renderers show as a marked
    label: "warn" (a default applied, a deadline), "flag" (unverified basis, dissent),
    "muted" (secondary information).
    """

    text: str
    style: str = ""


Inline = tuple[Span, ...]


def span(text: object, style: str = "") -> Span:
    return Span(one_line(text), style)


def plain(*parts: object) -> Inline:
    """An inline run from strings (plain) and ready-made spans."""
    return tuple(p if isinstance(p, Span) else span(p) for p in parts if p not in ("", None))


@dataclass(frozen=True)
class Heading:
    level: int
    """1 for the document title, 2 for sections, 3 and 4 below."""
    text: Inline
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    role: str = ""
    """"lead" for the summary, "muted" for asides, "" for body text."""


@dataclass(frozen=True)
class Bullets:
    items: tuple[Inline, ...]
    numbered: bool = False


Cell = tuple[Inline, ...]
"""The lines of one table cell (or of one field's value)."""


@dataclass(frozen=True)
class Fields:
    """Label–value pairs (the heading's facts, a dilemma's parts)."""

    pairs: tuple[tuple[str, Cell], ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    kind: str = ""
    """Which table it is ("decisions", "agenda", ...): HTML and docx size columns by it."""
    widths: tuple[int, ...] = ()
    """Relative column widths (percent); empty: let the renderer decide."""


@dataclass(frozen=True)
class Series:
    """One variable (or free capacity) over story time, as step points."""

    label: str
    unit: str
    points: tuple[tuple[int, float], ...]
    """(story minute, value) at the start and at every change."""
    end_t: int
    low: float | None = None
    high: float | None = None
    boolean: bool = False


@dataclass(frozen=True)
class Charts:
    """The appendix: charts in HTML, a compact table in Markdown and docx."""

    series: tuple[Series, ...]
    phases: tuple[tuple[int, str], ...] = ()
    """(story minute, title) where each phase began."""
    table: Table | None = None
    """The same data as a table, for formats without charts."""


@dataclass(frozen=True)
class PageBreak:
    """A new page on paper (HTML print, docx); nothing in Markdown."""


Block = Heading | Paragraph | Bullets | Fields | Table | Charts | PageBreak


@dataclass
class Document:
    title: str
    lang: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)
