"""Formatting helpers for prose in the user's language: plurals, dates, lists, durations,
values. Dates, lists and plural rules come from Babel (CLDR), not from hand-written rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list

from tabletop.i18n import Translator

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
"""The CLDR locale of each language (British English: day before month, no serial comma)."""


def locale(t: Translator) -> str:
    return LOCALES.get(t.lang, "nl_NL")


def plural(t: Translator, key: str, n: int, **values: object) -> str:
    """`rp.n.decision` with the CLDR plural category of `n`: the `.one` or `.other` form."""
    category = Locale.parse(locale(t)).plural_form(n)
    return t(f"{key}.{'one' if category == 'one' else 'other'}", n=n, **values)


def listing(t: Translator, items: Sequence[str]) -> str:
    """`a, b en c` (or `a, b and c`)."""
    return format_list(list(items), locale=locale(t)) if items else ""


def long_date(t: Translator, iso: str) -> str:
    """`2026-03-02` → `2 maart 2026` (or `2 March 2026`); unparsable text stays as it is."""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return format_date(day, format="long", locale=locale(t))


def long_moment(t: Translator, iso: str) -> str:
    """`2027-05-10T08:00:00+02:00` → `10 mei 2027, 08:00`."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{long_date(t, iso)}, {moment:%H:%M}"


def duration(t: Translator, minutes: int) -> str:
    """Story time spanned, in words: `8 uur`, `2 dagen en 3 uur`, `45 minuten`."""
    days, rest = divmod(int(minutes), 1440)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(plural(t, "rp.n.day", days))
    if hours:
        parts.append(plural(t, "rp.n.hour", hours))
    if mins or not parts:
        parts.append(plural(t, "rp.n.minute", mins))
    return listing(t, parts)


def number(value: float) -> str:
    """A value as the log means it: `3`, `2.5`, never `3.0`."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def value(t: Translator, v: float, boolean: bool = False, unit: str = "") -> str:
    if boolean:
        return t("rp.yes") if v else t("rp.no")
    text = number(v)
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰", "°") else f"{text} {unit}"


def join(t: Translator, parts: list[str]) -> str:
    """`a`, `a en b`, `a, b en c`."""
    return listing(t, parts)
