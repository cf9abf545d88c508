"""What goes into one cell and comes back out: times, triggers, lists, ids, safe text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from openpyxl.utils import get_column_letter

from tabletop.model.base import ID_PATTERN, format_duration, parse_duration
from tabletop.model.text import clean_text

_ID = re.compile(ID_PATTERN)


def cell_ref(column: int, row: int) -> str:
    """The A1 name of a cell: column and row both 1-based (`C7`)."""
    return f"{get_column_letter(column)}{row}"


# -- text ------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_of(value: Any) -> str:
    """A cell's value as text without control characters; '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = clean_text(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n").strip()


def csv_safe(text: str) -> str:
    """Text a spreadsheet opening the CSV reads as text, never as a formula.

    A cell that starts with = + - @ (or a tab or carriage return) gets a leading
    apostrophe, the spreadsheet convention for "this is text" (OWASP's advice on CSV
    injection); so does one that already starts with an apostrophe before such a
    character, so that `from_csv` gives back exactly what was written.
    """
    if text.startswith(_FORMULA_START) or (
            text.startswith("'") and text[1:2] in (*_FORMULA_START, "'")):
        return "'" + text
    return text


def from_csv(text: str) -> str:
    """Undo `csv_safe`: drop the apostrophe only before a formula character (`'t` stays)."""
    if text.startswith("'") and text[1:2] in (*_FORMULA_START, "'"):
        return text[1:]
    return text


def split_list(text: str) -> list[str]:
    """`a, b; c` or one per line, as a list without empty items."""
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


def is_id(text: str) -> bool:
    return bool(_ID.match(text)) and len(text) <= 80


def slug(text: str, fallback: str = "x") -> str:
    """An id from a label: `Bij de poort` -> `bij-de-poort`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")
    return out or fallback


# -- times -----------------------------------------------------------------------------
def story_time(minutes: int) -> str:
    """T+hh:mm, hours beyond 24 as hours (T+30:15): the story clock of the app."""
    hours, mins = divmod(int(minutes), 60)
    return f"T+{hours:02d}:{mins:02d}"


_HHMM = re.compile(r"^(\d{1,4}):([0-5]\d)(?::([0-5]\d))?$")
_TPLUS = re.compile(r"^[tT]\s*\+\s*(.+)$")


class NoTime(ValueError):
    """A cell that holds no time this module can read."""


def relative_minutes(value: Any) -> int:
    """Minutes from the start in a T+ cell: `T+01:30`, `01:30`, `1h30m`, `90`, a time."""
    if isinstance(value, bool):
        raise NoTime(str(value))
    if isinstance(value, timedelta):
        return _whole(value.total_seconds() / 60, value)
    if isinstance(value, time):
        return _whole(value.hour * 60 + value.minute + value.second / 60, value)
    if isinstance(value, (int, float)):
        if value < 0:
            raise NoTime(str(value))
        return _whole(float(value), value)
    text = text_of(value).replace(" ", "")
    match = _TPLUS.match(text)
    if match:
        text = match.group(1)
    hhmm = _HHMM.match(text)
    if hhmm:
        hours, mins, secs = hhmm.groups()
        if secs and int(secs):
            raise NoTime(text_of(value))
        return int(hours) * 60 + int(mins)
    if not text or text.startswith("-"):
        raise NoTime(text_of(value))
    try:
        return parse_duration(int(text) if text.isdigit() else text)
    except ValueError:
        raise NoTime(text_of(value)) from None


def _whole(minutes: float, shown: Any) -> int:
    if minutes < 0 or abs(minutes - round(minutes)) > 1e-6:
        raise NoTime(text_of(shown))
    return int(round(minutes))


_DATE_TIME = (
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
    "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S",
)


def clock_value(value: Any) -> datetime | time:
    """A clock time in a cell: a date and time, or only a time of day (`09:30`, `9h30`)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, time):
        return value
    text = text_of(value)
    for fmt in _DATE_TIME:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    match = re.match(r"^(\d{1,2})[:hHuU.](\d{2})(?::(\d{2}))?$", text.replace(" ", ""))
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return time(int(match.group(1)), int(match.group(2)))
    raise NoTime(text)


def looks_relative(value: Any) -> bool:
    """Whether a cell of a plain "Tijd"/"Time" column counts from the start (T+, 45m, 90)."""
    if isinstance(value, (timedelta, int, float)) and not isinstance(value, bool):
        return True
    text = text_of(value).replace(" ", "")
    return bool(_TPLUS.match(text) or re.match(r"^\d+$", text)
                or re.match(r"^(\d+d)?(\d+h)?(\d+m)?$", text) and text)


def minutes_from_start(clock: datetime | time, start: datetime) -> int:
    """The story minute of a clock time; a bare time of day before the start is the next day."""
    tz: tzinfo | None = start.tzinfo
    if isinstance(clock, datetime):
        moment = clock if clock.tzinfo else clock.replace(tzinfo=tz)
        delta = (moment - start).total_seconds() / 60
        if delta < 0:
            raise NoTime(text_of(clock))
        return _whole(delta, clock)
    day: date = start.date()
    moment = datetime.combine(day, clock, tzinfo=tz)
    if moment < start:
        moment += timedelta(days=1)
    return _whole((moment - start).total_seconds() / 60, clock)


def clock_text(start: datetime, minutes: int, with_date: bool) -> str:
    moment = start + timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


# -- triggers --------------------------------------------------------------------------
WORDS = {
    "nl": {"after": "na", "when": "wanneer", "manual": "handmatig", "if": "als",
           "on": "bij", "at": "op"},
    "en": {"after": "after", "when": "when", "manual": "manual", "if": "if",
           "on": "on", "at": "at"},
}
_READ_WORDS = {
    "na": "after", "after": "after", "wanneer": "when", "when": "when", "zodra": "when",
    "handmatig": "manual", "manual": "manual", "manueel": "manual", "als": "if", "if": "if",
    "indien": "if", "bij": "on", "on": "on", "op": "at", "om": "at", "at": "at",
}


@dataclass(frozen=True)
class Trigger:
    """What a trigger cell says; at most one of the triggers, and perhaps a guard."""

    at: int | None = None
    after: tuple[str, int] | None = None
    when: str | None = None
    manual: bool = False
    on: str | None = None
    guard: str | None = None


def trigger_text(lang: str, *, after: tuple[str, int] | None = None, when: str | None = None,
                 manual: bool = False, on: str | None = None, at: int | None = None,
                 guard: str | None = None) -> str:
    """A trigger cell: one line for the trigger, one for the guard (`als ...`)."""
    w = WORDS.get(lang, WORDS["nl"])
    lines: list[str] = []
    if after is not None:
        event, delay = after
        lines.append(f"{w['after']} {event}" + (f" + {format_duration(delay)}" if delay else ""))
    elif when is not None:
        lines.append(f"{w['when']} {when}")
    elif manual:
        lines.append(w["manual"])
    elif on is not None:
        lines.append(f"{w['on']} {on}")
    elif at is not None:
        lines.append(f"{w['at']} {story_time(at)}")
    if guard is not None:
        lines.append(f"{w['if']} {guard}")
    return "\n".join(lines)


class BadTrigger(ValueError):
    """A trigger cell that says something else than `trigger_text` writes."""


def parse_trigger(text: str) -> Trigger:
    """Read a trigger cell (Dutch or English words); raise BadTrigger with the bad line."""
    fields: dict[str, Any] = {}
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        word, _, rest = line.partition(" ")
        kind = _READ_WORDS.get(word.lower())
        rest = rest.strip()
        triggers = ("at", "after", "when", "manual", "on")
        if (kind is None or (kind in triggers and any(k in fields for k in triggers))
                or (kind == "if" and "guard" in fields)):
            raise BadTrigger(line)
        if kind == "manual":
            if rest:
                raise BadTrigger(line)
            fields["manual"] = True
        elif kind in ("when", "if"):
            if not rest:
                raise BadTrigger(line)
            fields["guard" if kind == "if" else "when"] = rest
        elif kind == "on":
            if not is_id(rest):
                raise BadTrigger(line)
            fields["on"] = rest
        elif kind == "at":
            try:
                fields["at"] = relative_minutes(rest)
            except NoTime:
                raise BadTrigger(line) from None
        else:
            event, _, delay = rest.partition("+")
            event = event.strip()
            if not is_id(event):
                raise BadTrigger(line)
            try:
                minutes = parse_duration(delay.strip()) if delay.strip() else 0
            except ValueError:
                raise BadTrigger(line) from None
            fields["after"] = (event, minutes)
    return Trigger(**fields)
