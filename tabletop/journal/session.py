"""A live exercise with its journal: every engine call's events are logged before they return."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabletop.engine.exercise import Exercise
from tabletop.errors import KeyedValueError
from tabletop.journal.writer import Clock, JournalWriter, local_now, new_header
from tabletop.model.commands import TIME_KINDS, Command
from tabletop.model.events import Event
from tabletop.model.loading import LoadedScenario

SEAT_MODES = ("apply", "confirm")


@dataclass
class SessionSettings:
    """What the set-up screen (or the CLI) fills in before an exercise starts."""

    title: str = ""
    region: str = ""
    facilitator: str = ""
    participants: dict[str, str] = field(default_factory=dict)
    """Role id -> participant's name ('' when unnamed); roles left out are simulated."""
    seed: int = 0
    parameters: dict[str, str] = field(default_factory=dict)
    lang: str = "nl"
    clock_factor: float = 0.0
    """Story minutes per real second in compressed real time; 0: step by step."""
    seat_decisions: str = "apply"
    """What becomes of a decision a role submits from its own seat: `apply` at once, or
    `confirm`: it waits for the facilitator (the header's `seat_decisions`; a change during
    the exercise is a `seat_mode` line)."""

    @classmethod
    def from_header(cls, header: dict[str, Any], lang: str | None = None) -> SessionSettings:
        """The settings a journal was started with (for resume and fork)."""
        return cls(
            title=header.get("title", ""), region=header.get("region", ""),
            facilitator=header.get("facilitator", ""),
            participants=dict(header.get("participants") or {}),
            seed=int(header.get("seed", 0)), parameters=dict(header.get("parameters") or {}),
            lang=lang or header.get("lang", "nl"),
            seat_decisions=str(header.get("seat_decisions") or "apply"))


class LiveSession:
    """An exercise whose events are journalled (flushed and fsynced) as they happen."""

    def __init__(self, loaded: LoadedScenario, exercise: Exercise,
                 writer: JournalWriter | None, settings: SessionSettings) -> None:
        self.loaded = loaded
        self.exercise = exercise
        self.writer = writer
        self.settings = settings
        self._pending: list[tuple[int, Command]] = []
        """Clock commands that changed nothing yet: written before the next line."""

    @classmethod
    def start(cls, loaded: LoadedScenario, settings: SessionSettings, log_path: Path | None,
              clock: Clock = local_now) -> LiveSession:
        participants = {r: settings.participants[r] for r in loaded.roles
                        if r in settings.participants}
        exercise = Exercise(loaded, seed=settings.seed, participants=set(participants))
        writer = None
        if log_path is not None:
            header = new_header(loaded, seed=settings.seed, participants=participants,
                                title=settings.title, region=settings.region,
                                facilitator=settings.facilitator,
                                parameters=settings.parameters, lang=settings.lang, clock=clock,
                                seat_decisions=settings.seat_decisions)
            writer = JournalWriter.create(log_path, header, clock)
        return cls(loaded, exercise, writer, settings)

    @property
    def log_path(self) -> Path | None:
        return self.writer.path if self.writer else None

    def apply(self, command: Command) -> list[Event]:
        """Apply one command; it and its events are on disk before this returns.

        A clock command that caused nothing is held back and written before the next line
        (consecutive `run_until`s as the last of them), so that a running clock does not
        write a line per tick; the story's moments are the same on replay.
        """
        t = self.exercise.now
        events = self.exercise.apply(command)
        if self.writer is None:
            return events
        if command.kind in TIME_KINDS and not events:
            if self.exercise.now == t:
                return events  # the clock did not move: nothing happened to record
            if self._pending and self._pending[-1][1].kind == command.kind == "run_until":
                self._pending[-1] = (self._pending[-1][0], command)
            else:
                self._pending.append((t, command))
            return events
        batches: list[tuple[int, Command, list[Event]]] = [
            (at, held, []) for at, held in self._pending]
        batches.append((t, command, events))
        self.writer.append_commands(batches)
        self._pending.clear()
        return events

    def set_seat_decisions(self, mode: str) -> None:
        """Change what becomes of the seats' own decisions (`apply` or `confirm`), recorded
        as a journal-only `seat_mode` line (replay skips it: it changes no event)."""
        if mode not in SEAT_MODES:
            raise KeyedValueError("jr.seat_mode", mode=repr(mode), modes=", ".join(SEAT_MODES))
        if mode == self.settings.seat_decisions:
            return
        if self.writer is not None:
            self.write_held()
            self.writer.append_record("seat_mode", self.exercise.now, mode=mode)
        self.settings.seat_decisions = mode

    def write_held(self) -> None:
        """Write the held-back clock commands now. Why: where the console stops and asks
        (the minute before a seated deadline) with the clock already stopped, no line
        follows soon, and the seats and the projector would show the minute before the
        step until one does."""
        if self.writer is not None and self._pending:
            self.writer.append_commands([(at, c, []) for at, c in self._pending])
            self._pending.clear()

    def close(self) -> None:
        """Write what the clock did since the last line, and close the log."""
        if self.writer is not None:
            self.write_held()
            self.writer.close()


def fork(journal_path: Path, upto_seq: int, new_path: Path, clock: Clock = local_now,
         ) -> LiveSession:
    """Start a new exercise from a point of a logged one, in a new log that says so."""
    from tabletop.journal.format import JournalError, line_hash
    from tabletop.journal.reader import read_journal
    from tabletop.journal.replay import load_for, resimulate

    journal = read_journal(journal_path)
    loaded = load_for(journal)
    batches: list[tuple[int, Command, list[Event]]] = []
    exercise, divergence = resimulate(journal, loaded, upto=upto_seq, record=batches)
    if divergence is not None:
        raise JournalError("jr.fork.diverged", path=str(journal_path),
                           divergence=divergence.msg)
    point = next((ln for ln in journal.lines if ln.seq == upto_seq), None)
    settings = SessionSettings.from_header(journal.header)
    header = new_header(loaded, seed=settings.seed, participants=settings.participants,
                        title=settings.title, region=settings.region,
                        facilitator=settings.facilitator, parameters=settings.parameters,
                        lang=settings.lang, clock=clock,
                        forked_from={"log": str(journal_path.resolve()), "seq": upto_seq,
                                     "t": exercise.now,
                                     "line_hash": line_hash(point.raw) if point else None})
    writer = JournalWriter.create(new_path, header, clock)
    writer.append_commands(batches)
    return LiveSession(loaded, exercise, writer, settings)
