"""Literal text for widgets: what scenarios, logs and people wrote is never markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from tabletop.model.text import clean_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def lit(text: object, style: str = "") -> Content:
    """Text shown exactly as written: `[bold]` stays `[bold]`, escapes are dropped."""
    content = Content(clean_text(str(text)))
    return content.stylize(style) if style else content


def join(*parts: Content | str, sep: str = "") -> Content:
    """Concatenate literal parts (plain strings are taken literally too), in linear time."""
    literal = [part if isinstance(part, Content) else lit(part) for part in parts]
    return Content(sep).join(literal)


def safe_markdown_parser() -> MarkdownIt:
    """Markdown for text from scenarios and materials: emphasis, lists and tables, but no
    links, autolinks or images (`[x](url)` stays text: nothing to click, no OSC 8)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("gfm-like")
    md.disable(["link", "autolink", "image", "linkify"], ignoreInvalid=True)
    md.options["linkify"] = False
    return md
