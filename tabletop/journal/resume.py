"""Resume an interrupted exercise: re-simulate its log, then go on appending to it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabletop.engine.exercise import Exercise
from tabletop.engine.script import Sink, apply_entry
from tabletop.errors import ScenarioProblems
from tabletop.journal.format import JournalError, LogLine
from tabletop.journal.reader import Journal, read_journal
from tabletop.journal.replay import is_command, load_for, resimulate, scenario_changed
from tabletop.journal.writer import Clock, JournalWriter, local_now
from tabletop.model.events import Event
from tabletop.model.loading import LoadedScenario
from tabletop.model.scripted import (
    AdHocEntry,
    DecisionEntry,
    EndEntry,
    FlagEntry,
    MetEntry,
    NoteEntry,
    ObservationEntry,
    ReleaseEntry,
    ScriptEntry,
    SkipEntry,
)


@dataclass
class Resumed:
    """A resumed exercise, ready to go on: the engine at the log's end and a writer."""

    journal: Journal
    loaded: LoadedScenario
    exercise: Exercise
    writer: JournalWriter | None
    messages: list[str] = field(default_factory=list)
    scenario_changed: bool = False
    lost: list[Event] = field(default_factory=list)
    """Events of the log's last minute that a cut-off write never put on disk."""

    def open(self, clock: Clock = local_now) -> JournalWriter:
        """Start appending: record the resumption (and a forced scenario), then what was lost.

        Nothing is written before this, so a refusal found earlier leaves the log untouched.
        """
        if self.writer is not None:
            return self.writer
        journal, exercise = self.journal, self.exercise
        writer = JournalWriter.append_to(journal.path, journal.next_seq, journal.last_hash,
                                         clock)
        if self.scenario_changed:
            writer.append_record("force_scenario", exercise.now, hash=self.loaded.content_hash,
                                 previous=(journal.header.get("scenario") or {}).get("hash"))
            self.messages.append("the scenario changed since the log was written; continuing "
                                 "as asked (recorded in the log)")
        writer.append_record("resumed", exercise.now, program=journal.header.get("program"))
        if self.lost:
            writer.append_events(self.lost)
            count = f"{len(self.lost)} event{'s' if len(self.lost) != 1 else ''}"
            self.messages.append(f"the log stopped in the middle of minute {self.lost[0].t}; "
                                 f"the {count} it lacked of that moment were played again and "
                                 "appended")
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
    messages = []
    if journal.torn is not None:
        partial = move_torn_tail(journal)
        messages.append(f"line {journal.torn_line} was incomplete (the program stopped while "
                        f"writing it); it was moved to {partial}")
        journal = read_journal(path)
    loaded = load_for(journal, scenario_path, roles_dir)
    changed = scenario_changed(journal, loaded)
    if changed and not force_scenario:
        raise JournalError(f"{path}: scenario changed since this log was written; "
                           "--force-scenario continues anyway and records that in the log")
    lost: list[Event] = []
    exercise, divergence = resimulate(journal, loaded, tail=lost)
    if divergence is not None:
        raise JournalError(f"{path}: {divergence}; the log cannot be continued")
    return Resumed(journal, loaded, exercise, None, messages, changed, lost)


def resume(path: Path, scenario_path: Path | None = None, roles_dir: Path | None = None,
           force_scenario: bool = False, clock: Clock = local_now) -> Resumed:
    """Prepare to continue a log and open it for appending."""
    resumed = prepare_resume(path, scenario_path, roles_dir, force_scenario)
    resumed.open(clock)
    return resumed


def _logged_match(entry: Any, line: LogLine) -> bool:
    p = line.payload
    if isinstance(entry, NoteEntry):
        return line.type == "note" and p.get("text") == entry.note
    if isinstance(entry, ObservationEntry):
        return line.type == "observation" and p.get("text") == entry.observation
    if isinstance(entry, ReleaseEntry):
        return line.type == "inject" and p.get("inject") == entry.release
    if isinstance(entry, MetEntry):
        return line.type == "expectation" and p.get("inject") == entry.met
    if isinstance(entry, SkipEntry):
        return line.type == "inject_skipped" and p.get("inject") == entry.skip
    if isinstance(entry, AdHocEntry):
        return line.type == "adhoc_inject" and p.get("title") == entry.adhoc
    if isinstance(entry, FlagEntry):
        return line.type == "dilemma" and entry.flag in (
            p.get("text") if p.get("kind") == "handmatig" else None,
            p.get("dilemma") if p.get("kind") == "authored" else None)
    if isinstance(entry, EndEntry):
        return line.type == "end" and p.get("by") == "facilitator"
    return False


def plan_script(resumed: Resumed, entries: list[ScriptEntry]) -> list[ScriptEntry]:
    """The entries still to play: those the log holds are skipped when they match and
    refused (ScenarioProblems, located at the entry) when they differ."""
    logged = [ln for ln in resumed.journal.lines if ln.is_engine_event]
    commands = [ln for ln in logged if is_command(ln)]
    decided = {ln.payload["decision"]: ln for ln in logged if ln.type == "decision"}
    todo: list[ScriptEntry] = []
    for item in entries:
        e = item.entry
        if isinstance(e, DecisionEntry) and e.decision in decided:
            line = decided[e.decision]
            p = line.payload
            same = (p.get("option") == e.option and (p.get("answer") or "") == e.answer
                    and p.get("by") == e.by and (p.get("advice") or {}) == e.advice
                    and (p.get("rationale") or "") == e.rationale)
            if not same:
                how = "by default at its deadline" if p.get("default") else (
                    f"as '{p.get('option') or p.get('answer')}' by {p.get('by')}")
                raise ScenarioProblems([item.problem(
                    f"decision '{e.decision}' is already in the log (line {line.number}, "
                    f"{how}); this entry differs")])
            continue
        match = next((ln for ln in commands if _logged_match(e, ln)), None)
        if match is not None:
            commands.remove(match)
            continue
        todo.append(item)
    return todo


def continue_script(resumed: Resumed, entries: list[ScriptEntry], sink: Sink) -> None:
    """Play a decisions file on (see `plan_script`), then the rest of the story."""
    todo = plan_script(resumed, entries)
    resumed.open()
    ex = resumed.exercise
    for item in todo:
        apply_entry(ex, item, sink)
    sink(ex.run(limit=ex.horizon))
