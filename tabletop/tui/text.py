"""Literal text for widgets: what scenarios, logs and people wrote is never markup."""

from __future__ import annotations

from textual.content import Content

from tabletop.model.text import clean_text


def lit(text: object, style: str = "") -> Content:
    """Text shown exactly as written: `[bold]` stays `[bold]`, escapes are dropped."""
    content = Content(clean_text(str(text)))
    return content.stylize(style) if style else content


def join(*parts: Content | str, sep: str = "") -> Content:
    """Concatenate literal parts (plain strings are taken literally too), in linear time."""
    literal = [part if isinstance(part, Content) else lit(part) for part in parts]
    return Content(sep).join(literal)
