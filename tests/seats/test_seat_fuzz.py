"""Whatever reaches the inbox, a malformed submission is refused with a clear message."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seatpaths import SCENARIO

from tabletop.journal.pgstore import PgStore
from tabletop.journal.seats import PgSeatLink, SeatHost, SubmissionError, parse_submission
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.store import FileStore
from tabletop.journal.storeio import start_in_store
from tabletop.model.commands import Note, RunUntil
from tabletop.model.loading import load_scenario

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                  max_size=4),
    max_leaves=20)
kinds = st.sampled_from(["decide", "note", "release", "skip", "observe", "adhoc", "end",
                         "adjust", "flag", "bogus", 3, None])
voices = st.one_of(json_values, st.fixed_dictionaries(
    {"decision": st.sampled_from(["aanpak", "opschalen", "nope"]),
     "value": st.sampled_from(["ontruimen", "yes", "no", "", "zzz"]) | st.text(max_size=9),
     "kind": st.sampled_from(["advice", "consent", "position", "bogus", 1])}))
submissions = st.fixed_dictionaries(
    {"id": st.one_of(st.text(max_size=70), st.just("abcdefgh1234")),
     "seat": st.sampled_from(["om", "politie", "controller", "evaluator", "x", "", 5]),
     "command": st.one_of(json_values, st.fixed_dictionaries(
         {"kind": kinds, "by": st.sampled_from(["om", "facilitator", "observator", ""]),
          "origin": st.sampled_from(["seat:om", "facilitator", "seat:politie", "seat:"]),
          "text": st.text(max_size=20), "decision": st.sampled_from(["aanpak", "nope"]),
          "option": st.sampled_from(["gedogen", "zzz"]), "inject": st.text(max_size=8)},
         optional={"voice": voices}))},  # a voice inside the note itself: refused
    optional={"advice": voices, "extra": json_values})
"""Advice, consent and positions (the voices) among them, well-formed or not."""


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200), json_values, submissions))
def test_parse_submission_refuses_clearly(data: Any) -> None:
    try:
        parse_submission(data)
    except SubmissionError as exc:
        message = exc.render("nl")
        assert message and "Traceback" not in message and "{" not in message.split(":")[0]
        assert exc.render("en")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(submissions, json_values), min_size=1, max_size=6))
def test_the_host_refuses_or_applies_never_raises(tmp_path_factory: Any,
                                                  items: list[Any]) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    loaded = load_scenario(SCENARIO)
    session = LiveSession.start(loaded, SessionSettings(
        participants={r: "" for r in loaded.roles}), folder / "a.jsonl")
    session.apply(RunUntil(until=45))
    store = FileStore(folder / "a.jsonl")
    host = SeatHost(session, store)
    for n, item in enumerate(items):
        seat = item.get("seat") if isinstance(item, dict) else "om"
        store.submit(f"fuzz-{n:04d}", str(seat), item if isinstance(item, dict) else {"x": item})
    with open(store.inbox, "ab") as handle:  # a torn record and garbage
        handle.write(b'{"submit": {"id": "torn-0001", "ro\n\x00\xff garbage\n')
    taken = host.take_submissions()
    assert len(taken) == len(items)
    for t in taken:
        assert t.state in ("applied", "refused")
        if t.state == "refused":
            assert t.message
    assert host.take_submissions() == []
    # what the host kept of the voices is what a host started later reads from the journal
    assert SeatHost(session, FileStore(store.path)).voices == host.voices
    session.close()


def test_a_killed_seat_reconnects_and_the_engine_runs_on(pg_url: str) -> None:
    loaded = load_scenario(SCENARIO)
    store = PgStore(pg_url, "ex")
    session = start_in_store(loaded, SessionSettings(
        participants={r: "" for r in loaded.roles}), store)
    host = SeatHost(session, store)
    seat_store = PgStore(pg_url, "ex")
    views: list[dict[str, Any]] = []
    stop = threading.Event()

    def seat() -> None:
        for view in PgSeatLink(seat_store, "burgemeester").views(stop):
            views.append(view)

    thread = threading.Thread(target=seat)
    thread.start()
    killed = 0
    try:
        for until in (20, 45, 90, 150):
            session.apply(RunUntil(until=until))
            host.tick()  # the engine goes on whether the seat is there or not
            time.sleep(0.3)
            with psycopg.connect(pg_url, autocommit=True) as admin:
                killed += len(admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = %s",
                    (seat_store.seat_name("burgemeester"),)).fetchall())
            session.apply(Note(text=f"door na {until}"))
            host.tick()
        deadline = time.monotonic() + 15
        last = host.views["burgemeester"].view()
        while (not views or views[-1] != json.loads(json.dumps(last))) and \
                time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
        session.close()
    assert killed >= 3
    assert views[-1] == json.loads(json.dumps(host.views["burgemeester"].view()))
    assert views[-1]["t"] == 150
    seqs = [v["seq"] for v in views]
    assert seqs == sorted(seqs)  # never an older view after a newer one
