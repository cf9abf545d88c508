"""Formats the screens share: the countdown to a deadline."""

from __future__ import annotations

import re

from tabletop.i18n import Translator
from tabletop.model.base import format_duration, parse_duration


def countdown(t: Translator, minutes: int) -> str:
    """'nog 25 min', or for long deadlines 'nog 20h' / 'nog 1d4h' as durations are written."""
    if minutes < 120:
        return t("ex.countdown", min=minutes)
    return t("ex.countdown_long", time=format_duration(minutes))


_CLOCK = re.compile(r"^(\d+):([0-5]?\d)$")


def parse_story_time(text: str) -> int:
    """A story time as people write it: `T+120:00`, `14:30` (hours:minutes since the
    start), `2d4h`, `90m`, `1h30m` or a number of minutes. ValueError when it is none."""
    value = text.strip().replace(" ", "")
    if value[:2].lower() == "t+":
        value = value[2:]
    match = _CLOCK.match(value)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2))
    if value.isdigit():
        return int(value)
    return parse_duration(value)
