"""Formats the screens share: the countdown to a deadline."""

from __future__ import annotations

from tabletop.i18n import Translator
from tabletop.model.base import format_duration


def countdown(t: Translator, minutes: int) -> str:
    """'nog 25 min', or for long deadlines 'nog 20h' / 'nog 1d4h' as durations are written."""
    if minutes < 120:
        return t("ex.countdown", min=minutes)
    return t("ex.countdown_long", time=format_duration(minutes))
