"""Printing for the CLI: coloured in a terminal, plain when piped; text always literal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from tabletop.errors import Problem

if TYPE_CHECKING:  # imported when used: `validate` needs no timeline (a faster start)
    from tabletop.report.timeline import TimelineLine

KIND_STYLE = {
    "inject": "cyan", "adhoc_inject": "cyan", "inject_skipped": "dim",
    "phase": "bold magenta", "decision_opened": "yellow", "decision": "bold green",
    "effect": "blue", "capacity": "blue", "dilemma": "bold red", "expectation": "yellow",
    "note": "white", "observation": "white", "end": "bold magenta",
}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False, markup=False)


def print_problems(problems: Sequence[Problem], out: Console) -> None:
    """One `FILE:LINE:COL: message` line per problem."""
    for problem in problems:
        text = str(problem)
        line = Text(text)
        head = len(text) - len(problem.message) - (0 if problem.is_error else len("warning: "))
        line.stylize("bold", 0, max(head - 2, 0))
        line.stylize("red" if problem.is_error else "yellow", head)
        out.print(line)


def print_timeline(lines: Sequence[TimelineLine], out: Console) -> None:
    from tabletop.i18n.names import story_time

    for item in lines:
        text = Text()
        text.append(story_time(item.t), "dim")
        text.append("  ")
        text.append(f"{item.label:<12}", KIND_STYLE.get(item.kind, ""))
        text.append(" ")
        text.append(item.text)
        out.print(text)
        for detail in item.details:
            out.print(Text(" " * 19 + detail, "dim"))
