"""Re-simulation: feed a log's commands back to the engine and compare the events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.errors import Msg
from tabletop.journal.format import COMMAND_TYPE, JournalError, LogLine
from tabletop.journal.legacy import inferred_commands
from tabletop.journal.reader import Journal, played_by
from tabletop.model.commands import Command, RunUntil, command_from_dict
from tabletop.model.events import EVENT_TYPES, FIELD_DEFAULTS, Event
from tabletop.model.loading import LoadedScenario, load_roles, load_scenario, roles_for
from tabletop.model.locate import pydantic_message


@dataclass
class Divergence:
    line: int
    message: Msg

    @property
    def msg(self) -> Msg:
        """`regel N: …` as a message (rendered in the user's language)."""
        return Msg("jr.line", line=self.line, message=self.message)

    def __str__(self) -> str:
        return self.msg.render()


def describe(payload: dict[str, Any] | None) -> Msg | str:
    if payload is None:
        return Msg("jr.nothing")
    ident = next((payload[k] for k in ("inject", "decision", "dilemma", "phase", "resource",
                                       "source", "outcome", "kind") if payload.get(k)), "")
    extra = payload.get("option") or payload.get("kind") if payload.get("type") in (
        "decision", "dilemma") else None
    return f"{payload.get('type')} {ident}" + (f" ({extra})" if extra and extra != ident else "")


def without_new_defaults(data: dict[str, Any], logged: dict[str, Any]) -> dict[str, Any]:
    """Leave out fields a log predates: absent in its line and at their default here.

    Why: event types gain fields over time (additively, with defaults); a log written
    before a field existed must still verify.
    """
    defaults = FIELD_DEFAULTS.get(str(data.get("type")), {})
    return {k: v for k, v in data.items()
            if k in logged or k not in defaults or v != defaults[k]}


def _first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            return key
    return ""


Batch = tuple[int, Command, list[Event]]
"""A command, the story minute it was applied at, and the events it caused."""


def resimulate(journal: Journal, loaded: LoadedScenario, upto: int | None = None,
               on_events: Callable[[list[Event]], None] | None = None,
               tail: list[Event] | None = None,
               record: list[Batch] | None = None,
               ) -> tuple[Exercise, Divergence | None]:
    """Feed a log's commands into a fresh exercise and compare the events it produces.

    Args:
        upto: stop after the command whose batch holds the line with this seq (forking).
        tail: collects what the engine produces beyond the log's last line, instead of
            calling that a divergence. Why: a crash can cut a batch short; `resume`
            appends the rest.
        record: collects each command with the events it produced (for fork).
    """
    header = journal.header
    ex = exercise_for(header, loaded)
    if any(line.is_command for line in journal.lines) or int(header.get("format", 1)) >= 2:
        return ex, _replay_commands(ex, journal, upto, on_events, tail, record)
    return ex, _replay_inferred(ex, journal, upto, on_events, tail, record)


def exercise_for(header: dict[str, Any], loaded: LoadedScenario) -> Exercise:
    """A fresh exercise as a log's header started it (seed, who took part)."""
    return Exercise(loaded, seed=int(header.get("seed", 0)),
                    participants=played_by(header, loaded.roles))


def _compare(data: dict[str, Any], line: LogLine) -> Divergence | None:
    if data == line.payload:
        return None  # (then no field is left out either: all of them are in the line)
    data = without_new_defaults(data, line.payload)
    if data == line.payload:
        return None
    field = _first_difference(data, line.payload)
    where = Msg("jr.field_hint", field=field) if field and data.get("type") == line.type else ""
    return Divergence(line.number, Msg("jr.produced_where", produced=describe(data),
                                       logged=describe(line.payload), where=where))


def _replay_commands(ex: Exercise, journal: Journal, upto: int | None,
                     on_events: Callable[[list[Event]], None] | None,
                     tail: list[Event] | None, record: list[Batch] | None) -> Divergence | None:
    """Format 2: each command line, then exactly the events logged after it."""
    replay = CommandReplay(ex, upto, on_events, tail, record)
    for line in journal.lines:
        if replay.feed(line):
            break
    return replay.finish()


class CommandReplay:
    """Format 2 re-simulation fed line by line (`feed`, then `finish`): each command line,
    then exactly the events logged after it. It holds one command's batch at a time, so a
    log can be checked while it is read (`verify`)."""

    def __init__(self, ex: Exercise, upto: int | None = None,
                 on_events: Callable[[list[Event]], None] | None = None,
                 tail: list[Event] | None = None, record: list[Batch] | None = None) -> None:
        self.ex = ex
        self.upto = upto
        self.on_events = on_events
        self.tail = tail
        self.record = record
        self.divergence: Divergence | None = None
        self.done = False
        """A divergence was found, or `upto` passed: the lines fed after it are not used."""
        self._command: LogLine | None = None
        self._expected: list[LogLine] = []

    def feed(self, line: LogLine) -> bool:
        """Take the log's next line; whether the replay is done (later lines do not count)."""
        if self.done:
            return True
        if line.type == COMMAND_TYPE:
            if self._command is not None:
                self.divergence = self._batch(last=False)
                if self.divergence is not None:
                    self.done = True
                    return True
            if self.upto is not None and line.seq > self.upto:
                self.done = True
                self._command = None
                return True
            self._command = line
            self._expected = []
        elif line.type in EVENT_TYPES:
            if self._command is None:
                self.divergence = Divergence(line.number, Msg("jr.before_command",
                                                              event=describe(line.payload)))
                self.done = True
                return True
            self._expected.append(line)
        return False

    def finish(self) -> Divergence | None:
        """The first divergence (None: the log's events follow from its commands)."""
        if not self.done and self._command is not None:
            self.divergence = self._batch(last=True)
        self.done = True
        self._command = None
        return self.divergence

    def _batch(self, last: bool) -> Divergence | None:
        line, expected = self._command, self._expected
        assert line is not None
        ex = self.ex
        try:
            command = line.command or command_from_dict(line.payload.get("command"))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            return Divergence(line.number, Msg("jr.command_unreadable", field=where,
                                               problem=pydantic_message(first)))
        at = ex.now
        if line.t != at:
            return Divergence(line.number, Msg("jr.applied_at", t=line.t, now=at))
        try:
            produced = ex.apply(command)
        except ExerciseError as exc:
            return Divergence(line.number, Msg("jr.command_refused", problem=exc.msg))
        if self.on_events:
            self.on_events(produced)
        if self.record is not None:
            self.record.append((at, command, produced))
        for event, logged in zip(produced, expected, strict=False):
            divergence = _compare(event.to_dict(), logged)
            if divergence:
                return divergence
        if len(produced) < len(expected):
            logged = expected[len(produced)]
            return Divergence(logged.number, Msg("jr.nothing_more",
                                                 logged=describe(logged.payload)))
        if len(produced) > len(expected):
            extra = produced[len(expected)]
            if last and self.tail is not None and self.upto is None:
                self.tail.extend(produced[len(expected):])
                return None
            number_at = expected[-1].number if expected else line.number
            return Divergence(number_at, Msg("jr.produced_after",
                                             produced=describe(extra.to_dict())))
        return None


def _replay_inferred(ex: Exercise, journal: Journal, upto: int | None,
                     on_events: Callable[[list[Event]], None] | None,
                     tail: list[Event] | None, record: list[Batch] | None) -> Divergence | None:
    """Format 1: the commands inferred from the events people caused (`journal.legacy`)."""
    expected = [ln for ln in journal.lines if ln.is_engine_event
                and (upto is None or ln.seq <= upto)]
    index = 0

    def check(produced: list[Event]) -> Divergence | None:
        nonlocal index
        if on_events:
            on_events(produced)
        for event in produced:
            data = event.to_dict()
            if index >= len(expected):
                if upto is not None:
                    return None
                if tail is not None:
                    tail.append(event)
                    continue
                last = journal.lines[-1].number if journal.lines else 1
                return Divergence(last, Msg("jr.produced_after_last", produced=describe(data)))
            divergence = _compare(data, expected[index])
            if divergence:
                return divergence
            index += 1
        return None

    def send(command: Command) -> Divergence | None:
        at = ex.now
        produced = ex.apply(command)
        if record is not None:
            record.append((at, command, produced))
        return check(produced)

    for line, command, must_start_here in inferred_commands(expected):
        if not must_start_here and line.t < ex.now:
            return Divergence(line.number, Msg("jr.time_before", t=line.t, now=ex.now))
        if must_start_here and (index >= len(expected) or expected[index] is not line):
            shown = expected[index] if index < len(expected) else None
            return Divergence(
                shown.number if shown else line.number,
                Msg("jr.nothing_where", logged=describe(shown.payload if shown else None)))
        try:
            divergence = send(command)
        except (ExerciseError, KeyError, ValidationError) as exc:
            said = exc.msg if isinstance(exc, ExerciseError) else Msg("jr.action_unreadable")
            return Divergence(line.number, Msg("jr.action_refused", problem=said))
        if divergence:
            return divergence
    if expected:
        divergence = send(RunUntil(until=max(expected[-1].t, ex.now)))
        if divergence:
            return divergence
    if index < len(expected):
        line = expected[index]
        return Divergence(line.number, Msg("jr.nothing_more", logged=describe(line.payload)))
    return None


def load_for(journal: Journal, scenario_path: Path | None = None,
             roles_dir: Path | None = None) -> LoadedScenario:
    """The scenario a journal was written with (its recorded path, unless given)."""
    return load_for_header(journal.path, journal.header, scenario_path, roles_dir)


def load_for_header(log: Path, header: dict[str, Any], scenario_path: Path | None = None,
                    roles_dir: Path | None = None) -> LoadedScenario:
    """The scenario of the log at `log` whose header is `header` (see `load_for`)."""
    recorded = header.get("scenario") or {}
    path = scenario_path or Path(recorded.get("path", ""))
    if not path.is_file():
        raise JournalError("jr.scenario_missing", path=str(log), scenario=str(path))
    return load_scenario(path, load_roles(roles_dir or roles_for(path)))


def scenario_changed(journal: Journal, loaded: LoadedScenario) -> bool:
    return (journal.header.get("scenario") or {}).get("hash") != loaded.content_hash
