"""Small formats the screens share: countdowns and values with their unit."""

from __future__ import annotations

from typing import Any

from tabletop.i18n import Translator
from tabletop.model.base import format_duration


def countdown(t: Translator, minutes: int) -> str:
    """'nog 25 min', or for long deadlines 'nog 20h' / 'nog 1d4h' as durations are written."""
    if minutes < 120:
        return t("ex.countdown", min=minutes)
    return t("ex.countdown_long", time=format_duration(minutes))


def with_unit(value: Any, unit: str) -> str:
    """`70%`, `3 uur`: a space before a unit that is a word."""
    number = f"{value:g}"
    if not unit:
        return number
    return f"{number} {unit}" if unit[0].isalpha() else f"{number}{unit}"
