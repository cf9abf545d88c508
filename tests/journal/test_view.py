"""The replay core: state at any point equals what the engine had then; fork from a point."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tabletop.engine.policies import Autoplayer
from tabletop.journal.reader import read_journal
from tabletop.journal.replay import load_for
from tabletop.journal.session import LiveSession, SessionSettings, fork
from tabletop.journal.verify import verify
from tabletop.journal.view import ReplayView
from tabletop.model.commands import Command, Note, RunUntil
from tabletop.model.events import Event
from tabletop.model.loading import load_roles, load_scenario

ROOT = Path(__file__).resolve().parents[2]


Seen = list[tuple[int, dict[str, Any], dict[str, Any], str | None]]


def played(tmp_path: Path, seed: int = 3) -> tuple[Path, Seen]:
    """Play the example at random into a log; note the engine's state after every step."""
    loaded = load_scenario(ROOT / "scenarios" / "voorbeeld.yaml", load_roles(ROOT / "roles"))
    log = tmp_path / "oefening.jsonl"
    session = LiveSession.start(loaded, SessionSettings(
        participants={r: "" for r in loaded.roles}, seed=seed), log)
    seen: Seen = []

    def send(command: Command) -> list[Event]:
        events = session.apply(command)
        snap = session.exercise.snapshot()
        seen.append((len(session.exercise.events), snap.state, snap.capacity, snap.phase))
        return events

    Autoplayer(session.exercise, "random", seed, send).play()
    session.close()
    return log, seen


def test_state_at_every_point_equals_the_engine_then(tmp_path: Path) -> None:
    log, seen = played(tmp_path)
    journal = read_journal(log)
    view = ReplayView(journal, load_for(journal))
    assert len(view) == sum(1 for line in journal.lines if line.is_engine_event)
    for count, state, capacity, phase in seen:
        snap = view.snapshot(count)
        assert (snap.state, snap.capacity, snap.phase) == (state, capacity, phase), count
    final = view.snapshot(len(view))
    assert final.finished and final.outcome is not None


def test_seek_by_story_time(tmp_path: Path) -> None:
    log, _ = played(tmp_path)
    journal = read_journal(log)
    view = ReplayView(journal, load_for(journal))
    count = view.index_at_time(70)
    assert all(e.t <= 70 for e in view.events[:count])
    assert all(e.t > 70 for e in view.events[count:])
    assert view.snapshot(count).t <= 70


def test_fork_from_a_point_starts_a_new_verified_log(tmp_path: Path) -> None:
    log, _ = played(tmp_path)
    original = log.read_bytes()
    journal = read_journal(log)
    point = journal.lines[len(journal.lines) // 2]
    session = fork(log, point.seq, tmp_path / "tak.jsonl")
    header = read_journal(tmp_path / "tak.jsonl").header
    assert header["forked_from"]["log"] == str(log.resolve())
    assert header["forked_from"]["seq"] == point.seq
    # the fork takes the whole batch of the command the point belongs to
    assert session.exercise.now == header["forked_from"]["t"] >= point.t
    prefix = [ln.payload for ln in journal.lines if ln.seq <= point.seq and ln.is_engine_event]
    copied = [e.to_dict() for e in session.exercise.events]
    assert copied[:len(prefix)] == prefix
    # the fork goes its own way and stays verifiable
    if not session.exercise.finished:
        session.apply(Note(text="Wat als de burgemeester militaire bijstand had "
                                      "gevraagd?", lovp=True))
        session.apply(RunUntil(until=session.exercise.horizon))
    session.close()
    assert verify(tmp_path / "tak.jsonl").ok
    assert log.read_bytes() == original  # the log it forked from is untouched
