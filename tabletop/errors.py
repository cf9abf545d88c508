"""Errors users see: located problems, user errors, and the collection of both.

Every message users read is a `Msg`: a catalogue key (`tabletop/i18n/`) and its values,
rendered in the language asked for (`render(lang)`) or the current one (`str()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _frozen(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


@dataclass(frozen=True)
class Number:
    """A count or size inside a message, written as the language writes numbers
    (`20.000` and `2,5` in Dutch, `20,000` and `2.5` in English; Babel, CLDR)."""

    value: float
    digits: int = 0

    def render(self, lang: str | None = None) -> str:
        from babel.numbers import format_decimal

        from tabletop.i18n import current_language
        from tabletop.i18n.words import LOCALES

        locale = LOCALES.get(lang or current_language(), "nl_NL")
        pattern = "#,##0" + ("." + "0" * self.digits if self.digits else "")
        return str(format_decimal(self.value, format=pattern, locale=locale))


class Msg:
    """A message key and its values; a value may itself be a `Msg` (rendered alike)."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = {k: _frozen(v) for k, v in values.items()}

    def render(self, lang: str | None = None) -> str:
        from tabletop.i18n import current_language, tr

        lang = lang or current_language()
        return tr(self.key, lang, **{k: render(v, lang) for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.render()

    def _identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return self.key, tuple(sorted((k, repr(v)) for k, v in self.values.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __lt__(self, other: Msg | str) -> bool:
        mine = self._identity()
        return (mine < other._identity()) if isinstance(other, Msg) else (mine[0] < other)

    def __gt__(self, other: Msg | str) -> bool:
        mine = self._identity()
        return (mine > other._identity()) if isinstance(other, Msg) else (mine[0] > other)

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.values.items())
        return f"Msg({self.key!r}{args})"

    def to_json(self) -> dict[str, Any]:
        """A plain form for caches: `{"key": ..., "values": {...}}` (nested alike)."""
        return {"key": self.key, "values": {
            k: v.to_json() if isinstance(v, Msg) else
            {"number": v.value, "digits": v.digits} if isinstance(v, Number) else v
            for k, v in self.values.items()}}

    @classmethod
    def from_json(cls, data: Any) -> Msg:
        """The inverse of `to_json`; ValueError when `data` is not of that form."""
        if not (isinstance(data, dict) and isinstance(data.get("key"), str)
                and isinstance(data.get("values"), dict)):
            raise ValueError(data)
        return cls(data["key"], **{
            str(k): (Number(v["number"], int(v.get("digits", 0))) if "number" in v
                     else cls.from_json(v)) if isinstance(v, dict) else v
            for k, v in data["values"].items()})


def render(value: object, lang: str | None = None) -> str | object:
    """A `Msg` rendered in `lang`; a `LocalizedError` too; anything else unchanged."""
    if isinstance(value, (Msg, Number, LocalizedError, ScenarioProblems)):
        return value.render(lang)
    if isinstance(value, Problem):
        return value.render(lang)
    return value


def error_text(exc: BaseException, lang: str | None = None) -> str:
    """What to show of an error: rendered in `lang` when it knows its key, else its text."""
    shown = render(exc, lang)
    return shown if isinstance(shown, str) else str(exc)


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file.

    `line` and `col` are 1-based and only ever a position the parser named (never made up);
    0 means the problem concerns the file as a whole. `msg` is a catalogue message (a plain
    string only from callers that render their own, such as the MSEL importer).
    """

    file: str
    line: int
    col: int
    msg: Msg | str
    severity: str = "error"
    """"error" (the file cannot be used) or "warning" (it runs, but probably not as meant)."""

    def render(self, lang: str | None = None) -> str:
        """`FILE:LINE:COL: message` in `lang` (the current language without one)."""
        where = self.file if self.line == 0 else f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.head(lang)}{self.text(lang)}"

    def head(self, lang: str | None = None) -> str:
        """The severity tag before the message: empty for an error, `waarschuwing: `."""
        from tabletop.i18n import current_language, tr

        return "" if self.is_error else tr("load.warning_tag", lang or current_language()) + " "

    def text(self, lang: str | None = None) -> str:
        """The message alone, in `lang`."""
        return self.msg.render(lang) if isinstance(self.msg, Msg) else self.msg

    @property
    def message(self) -> str:
        """The message alone, in the current language."""
        return self.text()

    def __str__(self) -> str:
        return self.render()

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class TabletopUserError(Exception):
    """A problem caused by input the user can fix; shown without a traceback."""


class LocalizedError(TabletopUserError):
    """A user error that carries a message key and its values, rendered in any language.

    `str(error)` renders it in the current language (`tabletop.i18n.set_language`);
    screens render it in their own with `error.render(lang)`.
    """

    def __init__(self, key: str | Msg, /, **values: object) -> None:
        self.msg = key if isinstance(key, Msg) else Msg(key, **values)
        self.key = self.msg.key
        self.values = self.msg.values
        super().__init__(self.key)

    def render(self, lang: str | None = None) -> str:
        return self.msg.render(lang)

    def __str__(self) -> str:
        return self.render()


class KeyedValueError(ValueError):
    """A validator's refusal with a catalogue key; pydantic passes it on in the error's
    `ctx`, and the loader renders it in the user's language."""

    def __init__(self, key: str, /, **values: object) -> None:
        self.msg = Msg(key, **values)
        super().__init__(key)

    def __str__(self) -> str:
        return self.msg.render()


class ScenarioProblems(TabletopUserError):
    """Every problem found in one or more files, collected rather than raised one by one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("problems")

    def render(self, lang: str | None = None) -> str:
        return "\n".join(p.render(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.render()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def display_path(path: Path | str) -> str:
    """A path as users typed it or relative to the working directory when that is shorter."""
    p = Path(path)
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve())
        return str(rel) if len(str(rel)) <= len(str(p)) else str(p)
    except ValueError:
        return str(p)


class UsageError(LocalizedError):
    """A command called with arguments that cannot work (exit 2)."""
