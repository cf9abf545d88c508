"""Errors users see: located problems, user errors, and the collection of both."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in an input file.

    `line` and `col` are 1-based and only ever a position the parser named (never made up);
    0 means the problem concerns the file as a whole.
    """

    file: str
    line: int
    col: int
    message: str
    severity: str = "error"
    """"error" (the file cannot be used) or "warning" (it runs, but probably not as meant)."""

    def __str__(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}:{self.line}:{self.col}"
        tag = "" if self.severity == "error" else "warning: "
        return f"{where}: {tag}{self.message}"

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

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(key)

    def render(self, lang: str | None = None) -> str:
        from tabletop.i18n import current_language, tr

        return tr(self.key, lang or current_language(), **self.values)

    def __str__(self) -> str:
        return self.render()


class ScenarioProblems(TabletopUserError):
    """Every problem found in one or more files, collected rather than raised one by one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

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


class UsageError(TabletopUserError):
    """A command called with arguments that cannot work (exit 2)."""
