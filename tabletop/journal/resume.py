"""Resume an interrupted exercise: re-simulate its log, then go on appending to it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tabletop.engine.exercise import Exercise
from tabletop.engine.script import Send, apply_entry, finish
from tabletop.errors import Msg, ScenarioProblems
from tabletop.journal.format import JournalError, JournalRefusal, LogLine
from tabletop.journal.legacy import inferred_commands
from tabletop.journal.reader import Journal, read_journal
from tabletop.journal.replay import load_for, resimulate, scenario_changed
from tabletop.journal.writer import Clock, JournalWriter, local_now
from tabletop.model.commands import (
    TIME_KINDS,
    Command,
    Decide,
    command_from_dict,
    without_origin,
)
from tabletop.model.events import Event
from tabletop.model.loading import LoadedScenario
from tabletop.model.scripted import ScriptEntry


@dataclass
class Resumed:
    """A resumed exercise, ready to go on: the engine at the log's end and a writer."""

    journal: Journal
    loaded: LoadedScenario
    exercise: Exercise
    writer: JournalWriter | None
    messages: list[Msg] = field(default_factory=list)
    scenario_changed: bool = False
    lost: list[Event] = field(default_factory=list)
    """Events of the log's last minute that a cut-off write never put on disk."""

    def open(self, clock: Clock = local_now,
             writer: JournalWriter | None = None) -> JournalWriter:
        """Start appending: record the resumption (and a forced scenario), then what was lost.
        `writer`: where to append (default: the log file; a store's for an exercise there).

        Nothing is written before this, so a refusal found earlier leaves the log untouched.
        """
        if self.writer is not None:
            return self.writer
        journal, exercise = self.journal, self.exercise
        if writer is None:
            writer = JournalWriter.append_to(journal.path, journal.next_seq,
                                             journal.last_hash, clock)
        if self.scenario_changed:
            writer.append_record("force_scenario", exercise.now, hash=self.loaded.content_hash,
                                 previous=(journal.header.get("scenario") or {}).get("hash"))
            self.messages.append(Msg("jr.resume.forced"))
        writer.append_record("resumed", exercise.now, program=journal.header.get("program"))
        if self.lost:
            writer.append_events(self.lost)
            key = "jr.resume.lost.one" if len(self.lost) == 1 else "jr.resume.lost.other"
            self.messages.append(Msg(key, t=self.lost[0].t, n=len(self.lost)))
        self.writer = writer
        return writer


def move_torn_tail(journal: Journal) -> Path | None:
    """Save an incomplete last line to LOG.partial, then cut it from the log."""
    if journal.torn is None:
        return None
    partial = journal.path.with_name(journal.path.name + ".partial")
    n = 1
    while partial.exists():
        n += 1
        partial = journal.path.with_name(f"{journal.path.name}.partial{n}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, journal.torn)
        os.fsync(fd)
    finally:
        os.close(fd)
    with open(journal.path, "r+b") as handle:
        handle.truncate(journal.size - len(journal.torn))
        handle.flush()
        os.fsync(handle.fileno())
    return partial


def prepare_resume(path: Path, scenario_path: Path | None = None,
                   roles_dir: Path | None = None, force_scenario: bool = False) -> Resumed:
    """Re-simulate a log to its end; refuse (JournalError) when it cannot be trusted.

    Writes nothing to the log, except that an incomplete last line is moved to LOG.partial.
    """
    journal = read_journal(path)
    ended = next((ln for ln in journal.lines if ln.type == "end"), None)
    if ended is not None:
        raise JournalRefusal("journal.finished", path=str(path), line=ended.number)
    messages: list[Msg] = []
    if journal.torn is not None:
        partial = move_torn_tail(journal)
        messages.append(Msg("jr.resume.torn", line=journal.torn_line, partial=str(partial)))
        journal = read_journal(path)
    loaded = load_for(journal, scenario_path, roles_dir)
    changed = scenario_changed(journal, loaded)
    if changed and not force_scenario:
        raise JournalError("jr.resume.scenario_changed", path=str(path))
    lost: list[Event] = []
    exercise, divergence = resimulate(journal, loaded, tail=lost)
    if divergence is not None:
        raise JournalError("jr.resume.diverged", path=str(path), divergence=divergence.msg)
    return Resumed(journal, loaded, exercise, None, messages, changed, lost)


def resume(path: Path, scenario_path: Path | None = None, roles_dir: Path | None = None,
           force_scenario: bool = False, clock: Clock = local_now) -> Resumed:
    """Prepare to continue a log and open it for appending."""
    resumed = prepare_resume(path, scenario_path, roles_dir, force_scenario)
    resumed.open(clock)
    return resumed


def _identity(command: Command) -> tuple[Any, ...]:
    """What makes two commands the same step of a script, whatever else they carry."""
    data = without_origin(command)
    key = {"decide": "decision", "extend": "decision", "note": "text", "observe": "text",
           "release": "inject", "skip": "inject", "met": "inject", "adhoc": "title",
           "adjust": "changes", "clock": "factor"}.get(command.kind)
    if command.kind == "flag":
        return ("flag", data.get("dilemma"), data.get("text"))
    return (command.kind, repr(data.get(key)) if key else None)


def logged_commands(journal: Journal) -> list[tuple[LogLine, Command]]:
    """The people's commands a log holds (inferred for a format-1 log), clock moves aside."""
    out: list[tuple[LogLine, Command]] = []
    if any(line.is_command for line in journal.lines):
        for line in journal.lines:
            if line.is_command:
                try:
                    command = line.command or command_from_dict(
                        line.payload.get("command"))
                except ValidationError:
                    continue  # verify and resume refuse such a log before this is asked
                if command.kind not in TIME_KINDS:
                    out.append((line, command))
        return out
    for line, command, is_action in inferred_commands(
            [ln for ln in journal.lines if ln.is_engine_event]):
        if is_action:
            out.append((line, command))
    return out


def plan_script(resumed: Resumed, entries: list[ScriptEntry]) -> list[ScriptEntry]:
    """The entries still to play: those the log holds are skipped when they match and
    refused (ScenarioProblems, located at the entry) when they differ."""
    logged = logged_commands(resumed.journal)
    todo: list[ScriptEntry] = []
    for item in entries:
        wanted = item.command
        match = next((pair for pair in logged if _identity(pair[1]) == _identity(wanted)), None)
        if match is None:
            if isinstance(wanted, Decide) and wanted.decision in resumed.exercise.world.decisions:
                raise ScenarioProblems([item.problem(
                    Msg("jr.resume.already_taken", decision=wanted.decision))])
            todo.append(item)
            continue
        line, command = match
        logged.remove(match)
        if without_origin(command) != without_origin(wanted) and not _same_decision(
                command, wanted):
            if isinstance(command, Decide):
                differs = Msg("jr.resume.differs_decision", decision=command.decision,
                              line=line.number, value=command.option or command.answer,
                              by=command.by)
            else:
                differs = Msg("jr.resume.differs", what=f"{command.kind} "
                              f"{_identity(command)[1]}", line=line.number)
            raise ScenarioProblems([item.problem(differs)])
    return todo


def _same_decision(logged: Command, wanted: Command) -> bool:
    """A format-1 log keeps only part of a decision: compare what it has."""
    if not (isinstance(logged, Decide) and isinstance(wanted, Decide)):
        return False
    return (logged.option, logged.answer, logged.by, dict(logged.advice), logged.rationale) == (
        wanted.option, wanted.answer, wanted.by, dict(wanted.advice), wanted.rationale)


def continue_script(resumed: Resumed, entries: list[ScriptEntry], send: Send) -> None:
    """Play a decisions file on (see `plan_script`), then the rest of the story."""
    todo = plan_script(resumed, entries)
    resumed.open()
    ex = resumed.exercise
    for item in todo:
        apply_entry(ex, item, send)
    finish(ex, send)
