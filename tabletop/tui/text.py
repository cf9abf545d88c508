"""Literal text for widgets: what scenarios, logs and people wrote is never markup."""

from __future__ import annotations

from textual.content import Content

from tabletop.model.yamlsafe import clean_text


def lit(text: object, style: str = "") -> Content:
    """Text shown exactly as written: `[bold]` stays `[bold]`, escapes are dropped."""
    content = Content(clean_text(str(text)))
    return content.stylize(style) if style else content


def join(*parts: Content | str, sep: str = "") -> Content:
    """Concatenate literal parts (plain strings are taken literally too)."""
    out = Content("")
    for i, part in enumerate(parts):
        if i and sep:
            out = out + Content(sep)
        out = out + (part if isinstance(part, Content) else lit(part))
    return out
