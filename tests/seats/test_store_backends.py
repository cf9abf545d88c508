"""The journal stores: the JSONL file and PostgreSQL hold the same bytes, follow, inbox."""

from __future__ import annotations

import threading
import time
from datetime import UTC
from pathlib import Path

import psycopg
import pytest
from seatpaths import COURSE, SCENARIO

from tabletop.engine.script import play_script
from tabletop.journal.format import JournalError
from tabletop.journal.pgstore import PgStore
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.store import FileStore, JournalStore
from tabletop.journal.storeio import export_log, import_log, start_in_store
from tabletop.journal.verify import verify
from tabletop.model.commands import Note
from tabletop.model.loading import load_scenario
from tabletop.model.scripted import load_script

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English


def _clock():  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime(2027, 3, 14, 6, 0, tzinfo=UTC)


def play(store: JournalStore | Path) -> LiveSession:
    loaded = load_scenario(SCENARIO)
    settings = SessionSettings(title="T", participants={r: "" for r in loaded.roles})
    if isinstance(store, Path):
        session = LiveSession.start(loaded, settings, store, clock=_clock)
    else:
        session = start_in_store(loaded, settings, store, clock=_clock)
    play_script(session.exercise, load_script(COURSE, loaded), session.apply)
    session.close()
    return session


def test_file_and_postgresql_journals_are_byte_identical(tmp_path: Path, pg_url: str) -> None:
    play(tmp_path / "a.jsonl")
    store = PgStore(pg_url, "ex-1")
    play(store)
    export_log(store, tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert verify(tmp_path / "b.jsonl").ok
    assert (tmp_path / "b.jsonl").stat().st_mode & 0o777 == 0o600
    # import into another exercise, export again: unchanged
    other = PgStore(pg_url, "ex-2")
    import_log(tmp_path / "a.jsonl", other)
    export_log(other, tmp_path / "c.jsonl")
    assert (tmp_path / "c.jsonl").read_bytes() == (tmp_path / "a.jsonl").read_bytes()
    assert store.exercises() == ["ex-1", "ex-2"]
    assert store.exercises("oefening") == ["ex-1", "ex-2"]


def test_a_second_writer_and_a_gap_are_refused(pg_url: str, tmp_path: Path) -> None:
    play(tmp_path / "a.jsonl")
    store = PgStore(pg_url, "ex")
    import_log(tmp_path / "a.jsonl", store)
    with pytest.raises(JournalError, match="already exists"):
        import_log(tmp_path / "a.jsonl", PgStore(pg_url, "ex"))
    from tabletop.journal.storeio import StoreWriter

    stored = len(store.read())
    last = stored - 1  # the header is line 0
    stale = StoreWriter(PgStore(pg_url, "ex"), 10, "x")  # a second writer, behind
    with pytest.raises(JournalError,
                       match=f"line 10 does not follow the last stored line {last}"):
        stale.append_commands([(0, Note(text="late"), [])])
    assert len(store.read()) == stored, "nothing of the refused batch was stored"


@pytest.mark.parametrize("kind", ["file", "pg"])
def test_inbox_is_idempotent_and_ordered(kind: str, tmp_path: Path, request: pytest.FixtureRequest,
                                         ) -> None:
    store: JournalStore
    if kind == "file":
        play(tmp_path / "a.jsonl")
        store = FileStore(tmp_path / "a.jsonl")
    else:
        store = PgStore(request.getfixturevalue("pg_url"), "ex")
    assert store.submit("sub-00001", "om", {"n": 1})
    assert store.submit("sub-00002", "politie", {"n": 2})
    assert not store.submit("sub-00001", "om", {"n": 99})
    assert [(s.id, s.data) for s in store.waiting()] == [("sub-00001", {"n": 1}),
                                                          ("sub-00002", {"n": 2})]
    store.settle("sub-00001", "applied")
    store.settle("sub-00002", "pending")
    assert [s.id for s in store.waiting()] == ["sub-00002"]
    assert store.outcomes("om")["sub-00001"].state == "applied"
    assert "sub-00002" not in store.outcomes("om")
    if kind == "file":
        assert (tmp_path / "a.jsonl.inbox").stat().st_mode & 0o777 == 0o600


def _collect(store: JournalStore, stop: threading.Event, into: list[int]) -> None:
    for seq, _ in store.follow(-1, stop, poll=0.05):
        into.append(seq)


@pytest.mark.parametrize("kind", ["file", "pg"])
def test_a_follower_sees_every_line_once(kind: str, tmp_path: Path,
                                         request: pytest.FixtureRequest) -> None:
    if kind == "file":
        session = play(tmp_path / "a.jsonl")
        store: JournalStore = FileStore(tmp_path / "a.jsonl")
    else:
        store = PgStore(request.getfixturevalue("pg_url"), "ex")
        session = play(store)
    total = len(store.read())
    got: list[int] = []
    stop = threading.Event()
    thread = threading.Thread(target=_collect, args=(FileStore(tmp_path / "a.jsonl")
                                                     if kind == "file" else store, stop, got))
    thread.start()
    from tabletop.journal.format import line_hash
    from tabletop.journal.storeio import StoreWriter
    from tabletop.journal.writer import JournalWriter

    lines = store.read()
    writer: JournalWriter
    if kind == "file":
        writer = JournalWriter.append_to(tmp_path / "a.jsonl", lines[-1][0] + 1,
                                         line_hash(lines[-1][1]))
    else:
        writer = StoreWriter(store, lines[-1][0] + 1, line_hash(lines[-1][1]))
    for i in range(5):
        writer.append_commands([(session.exercise.now, Note(text=f"n{i}"), [])])
        time.sleep(0.02)
    total = len(store.read())
    deadline = time.monotonic() + 10
    while len(got) < total and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(5)
    assert got == list(range(len(got)))
    assert len(got) == len(store.read())


def test_a_killed_follower_connection_catches_up(pg_url: str) -> None:
    store = PgStore(pg_url, "ex")
    session = play(store)
    got: list[int] = []
    stop = threading.Event()
    thread = threading.Thread(target=_collect, args=(PgStore(pg_url, "ex"), stop, got))
    thread.start()
    try:
        _kill_and_catch_up(pg_url, store, session, got)
    finally:
        stop.set()
        thread.join(5)
    assert got == list(range(len(store.read()))), "lost or repeated lines after reconnects"


def _kill_and_catch_up(pg_url: str, store: PgStore, session: LiveSession,
                       got: list[int]) -> None:
    count = len(store.read())
    deadline = time.monotonic() + 10
    while len(got) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(got) == count
    from tabletop.journal.format import line_hash
    from tabletop.journal.storeio import StoreWriter

    lines = store.read()
    writer = StoreWriter(store, lines[-1][0] + 1, line_hash(lines[-1][1]))
    with psycopg.connect(pg_url, autocommit=True) as admin:
        for round_ in range(3):
            killed = []
            for _ in range(50):  # the follower may be between connections
                killed = admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                    "application_name = %s", (store.follower_name(),)).fetchall()
                if killed:
                    break
                time.sleep(0.05)
            assert killed, "no follower connection to kill"
            writer.append_commands([(session.exercise.now, Note(text=f"after {round_}"), [])])
            time.sleep(0.3)
    deadline = time.monotonic() + 15
    total = len(store.read())
    while len(got) < total and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_database_that_goes_away_refuses_the_next_action_then_works(pg_url: str) -> None:
    store = PgStore(pg_url, "ex")
    session = play(store)
    session_writer = session.writer
    assert session_writer is not None
    from tabletop.journal.format import line_hash
    from tabletop.journal.storeio import StoreWriter

    lines = store.read()
    writer = StoreWriter(store, lines[-1][0] + 1, line_hash(lines[-1][1]))
    good = store.url
    store.url = "postgresql://postgres@127.0.0.1:1/none"  # the database is away
    assert store._db is not None
    pid = store._db.info.backend_pid
    with psycopg.connect(good, autocommit=True) as admin:  # and the open connection dies
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(JournalError, match="cannot be reached.*nothing was written"):
        writer.append_commands([(0, Note(text="lost?"), [])])
    assert writer.next_seq == lines[-1][0] + 1
    store.url = good
    writer.append_commands([(0, Note(text="back"), [])])
    assert b"back" in store.read()[-2][1]  # then its signed checkpoint
