"""Logs of journal format 1, which wrote events only: the commands behind them, inferred.

A format-1 log has no command lines; the people's actions can only be read back from the
events they caused (a released inject, a note, a decision not taken by default). This
module is the only place that does that, and only for such logs: every log written since
format 2 records its commands and is replayed from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tabletop.journal.format import LogLine
from tabletop.model.commands import (
    AdHoc,
    Command,
    Decide,
    End,
    Flag,
    MarkMet,
    Note,
    Observe,
    Release,
    RunUntil,
    Skip,
)


def caused_by_person(line: LogLine) -> bool:
    """Whether a format-1 event was caused by a person rather than by the engine itself."""
    p = line.payload
    kind = line.type
    if kind == "decision":
        return not p.get("default") and not p.get("simulated")
    if kind == "inject":
        return bool(p.get("released")) and p.get("by") == "facilitator"
    if kind == "inject_skipped":
        return p.get("reason") == "facilitator"
    if kind == "expectation":
        return p.get("status") == "met"
    if kind == "dilemma":
        return p.get("kind") == "handmatig" or (
            p.get("kind") == "authored" and (p.get("detail") or {}).get("source") == "facilitator")
    if kind == "end":
        return p.get("by") == "facilitator"
    return kind in ("note", "observation", "adhoc_inject")


def command_of(line: LogLine) -> Command:
    """The command a format-1 event line records (raises on a line that does not fit)."""
    p: dict[str, Any] = line.payload
    kind = line.type
    if kind == "decision":
        return Decide(decision=p["decision"], option=p.get("option"),
                      by=p.get("by") or "facilitator", advice=p.get("advice") or {},
                      rationale=p.get("rationale", ""), forum=p.get("forum", ""),
                      answer=p.get("answer", ""), action_owner=p.get("action_owner"))
    if kind == "inject":
        return Release(inject=p["inject"])
    if kind == "inject_skipped":
        return Skip(inject=p["inject"])
    if kind == "expectation":
        return MarkMet(inject=p["inject"], by=p.get("by") or "facilitator")
    if kind == "dilemma":
        if p.get("kind") == "authored":
            return Flag(dilemma=p.get("dilemma"))
        return Flag(text=p.get("text", ""), roles=tuple(p.get("roles") or ()))
    if kind == "end":
        return End()
    if kind == "note":
        return Note(text=p["text"], by=p.get("by", "facilitator"), lovp=bool(p.get("lovp")),
                    question=p.get("question"), owner=p.get("owner"))
    if kind == "observation":
        return Observe(text=p["text"], by=p.get("by", "observator"), inject=p.get("inject"),
                       rating=p.get("rating"))
    return AdHoc(title=p["title"], text=p.get("text", ""), sender=p.get("sender", "facilitator"),
                 to=tuple(p.get("to") or ()), channel=p.get("channel", "melding"))


def inferred_commands(lines: list[LogLine]) -> Iterator[tuple[LogLine, Command, bool]]:
    """(line, command, must_start_here) for a format-1 log: the advance of the clock to
    each person's event, then the command that event records, which must produce it."""
    for line in lines:
        if line.is_engine_event and caused_by_person(line):
            yield line, RunUntil(until=line.t), False
            yield line, command_of(line), True
