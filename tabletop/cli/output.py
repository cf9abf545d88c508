"""Printing for the CLI: coloured in a terminal, plain when piped; text always literal.

Rich is imported only to colour text for a terminal: piped output (CI, editors running
`tabletop validate`) is written directly, as Rich would write it there, without the cost of
importing it.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from tabletop.errors import Problem
from tabletop.model.text import clean_text

if TYPE_CHECKING:  # imported when used: `validate` needs no timeline (a faster start)
    from rich.console import Console

    from tabletop.report.timeline import TimelineLine

KIND_STYLE = {
    "inject": "cyan", "adhoc_inject": "cyan", "inject_skipped": "dim",
    "phase": "bold magenta", "decision_opened": "yellow", "decision": "bold green",
    "effect": "blue", "capacity": "blue", "dilemma": "bold red", "expectation": "yellow",
    "note": "white", "observation": "white", "end": "bold magenta",
}


@functools.cache
def _safe_console() -> type[Console]:
    """A console whose text is always data: every segment of text is passed through the one
    sanitizer (`clean_text`) just before it is written, whatever renderable carried it
    (Text, a table cell, an error message). Rich's own control codes (its styles, a progress
    bar's cursor moves) are made after that, from the segment's style and control fields.
    Made when first needed: piped output does not import Rich at all."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            return super()._render_buffer(
                seg if seg.control or seg.text.isprintable()
                else Segment(clean_text(seg.text), seg.style, seg.control)
                for seg in buffer)

    return SafeConsole


def console(stderr: bool = False) -> Console:
    return _safe_console()(stderr=stderr, highlight=False, soft_wrap=True, emoji=False,
                           markup=False)


def _plain(stream: TextIO) -> bool:
    """True where Rich would print no styles either: not a terminal, none forced."""
    if any(os.environ.get(k) for k in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")):
        return False
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return False


def say(text: str, style: str = "", stderr: bool = False) -> None:
    """One line of literal text, in `style` (a Rich style) when the stream is a terminal."""
    stream = sys.stderr if stderr else sys.stdout
    if _plain(stream):
        stream.write(clean_text(text) + "\n")
        return
    from rich.text import Text

    console(stderr).print(Text(text, style=style))


def print_problems(problems: Sequence[Problem], out: Console | None = None) -> None:
    """One `FILE:LINE:COL: message` line per problem (to stdout without `out`)."""
    if out is None and _plain(sys.stdout):
        sys.stdout.write("".join(clean_text(str(p)) + "\n" for p in problems))
        return
    from rich.text import Text

    out = out or console()
    for problem in problems:
        text = str(problem)
        line = Text(text)
        head = len(text) - len(problem.message) - len(problem.head())
        line.stylize("bold", 0, max(head - 2, 0))
        line.stylize("red" if problem.is_error else "yellow", head)
        out.print(line)


def print_timeline(lines: Sequence[TimelineLine], out: Console) -> None:
    from rich.text import Text

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
