"""Printing for the CLI: coloured in a terminal, plain when piped; text always literal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from tabletop.errors import Problem
from tabletop.model.text import clean_text

if TYPE_CHECKING:  # imported when used: `validate` needs no timeline (a faster start)
    from tabletop.report.timeline import TimelineLine

KIND_STYLE = {
    "inject": "cyan", "adhoc_inject": "cyan", "inject_skipped": "dim",
    "phase": "bold magenta", "decision_opened": "yellow", "decision": "bold green",
    "effect": "blue", "capacity": "blue", "dilemma": "bold red", "expectation": "yellow",
    "note": "white", "observation": "white", "end": "bold magenta",
}


class SafeConsole(Console):
    """A console whose text is always data: every segment of text is passed through the one
    sanitizer (`clean_text`) just before it is written, whatever renderable carried it
    (Text, a table cell, an error message). Rich's own control codes (its styles, a progress
    bar's cursor moves) are made after that, from the segment's style and control fields.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            seg if seg.control or seg.text.isprintable()
            else Segment(clean_text(seg.text), seg.style, seg.control)
            for seg in buffer)


def console(stderr: bool = False) -> Console:
    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=True, emoji=False,
                       markup=False)


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
