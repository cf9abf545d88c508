"""Text hygiene shared by loading and display: no control characters reach a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Drop C0/C1 control characters (escape sequences) but keep newlines and tabs."""
    if text.isprintable():  # the common case, and fast: no control character at all
        return text
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text
