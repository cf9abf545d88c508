"""Seats on PostgreSQL: 150 followers, the latency from an engine append to its receipt by
every follower (p50, p99), and a seat's submission round trip (submit -> the engine takes it
-> the seat sees its own note in its view). Baseline: a bare NOTIFY -> LISTEN round trip on
the same server, measured in the same run.

PostgreSQL allows `max_connections` (100 here) backends: the 150 followers share 10 LISTEN
connections through `FollowerHub` (15 each); a second figure runs 40 followers with a
connection each.
"""

from __future__ import annotations

import os
import secrets
import statistics
import threading
import time

import psycopg
from common import ROOT, report

from tabletop.journal.pgstore import FollowerHub, PgStore
from tabletop.journal.seats import PgSeatLink, SeatHost
from tabletop.journal.session import SessionSettings
from tabletop.journal.storeio import start_in_store
from tabletop.model.commands import Note, RunUntil
from tabletop.model.loading import load_scenario

BASE = os.environ.get("TABLETOP_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
FOLLOWERS, HUBS, DIRECT, APPENDS, ROUND_TRIPS = 150, 10, 40, 60, 30
SCENARIO = ROOT / "tests" / "data" / "journal" / "oefening.yaml"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def notify_baseline(url: str) -> float:
    """Median ms of a bare NOTIFY -> LISTEN round trip."""
    listener = psycopg.connect(url, autocommit=True)
    talker = psycopg.connect(url, autocommit=True)
    listener.execute("LISTEN tabletop_bench")
    times = []
    for n in range(50):
        start = time.perf_counter()
        talker.execute("SELECT pg_notify('tabletop_bench', %s)", (str(n),))
        for _ in listener.notifies(timeout=5, stop_after=1):
            pass
        times.append((time.perf_counter() - start) * 1000)
    listener.close()
    talker.close()
    return statistics.median(times)


def followers(url: str, exercise: str, hubs: int, per_hub: int, direct: bool,
              ) -> tuple[list[float], int]:
    """Latencies (ms) from append to each follower's receipt of the appended line."""
    loaded = load_scenario(SCENARIO)
    store = PgStore(url, exercise)
    session = start_in_store(loaded, SessionSettings(
        participants={r: "" for r in loaded.roles}), store)
    sent: dict[int, float] = {}
    got: list[float] = []
    lock = threading.Lock()
    expected: dict[int, int] = {}
    stop = threading.Event()
    threads = []

    def receive(seq: int, _raw: bytes) -> None:
        now = time.perf_counter()
        at = sent.get(seq)
        if at is not None:
            with lock:
                got.append((now - at) * 1000)
                expected[seq] = expected.get(seq, 0) + 1

    start_seq = len(store.read()) - 1
    for _ in range(hubs):
        hub_store = PgStore(url, exercise)
        if direct:
            def one(s: PgStore = hub_store) -> None:
                for seq, raw in s.follow(start_seq, stop, poll=0.2):
                    receive(seq, raw)
            threads.append(threading.Thread(target=one, daemon=True))
        else:
            hub = FollowerHub(hub_store, start_seq)
            for _ in range(per_hub):
                hub.subscribe(receive)
            threads.append(threading.Thread(target=hub.run, args=(stop,), daemon=True))
    for t in threads:
        t.start()
    time.sleep(1.5)  # everyone listening
    count = hubs * (1 if direct else per_hub)
    assert session.writer is not None
    for n in range(APPENDS):
        seq = session.writer.next_seq
        sent[seq] = time.perf_counter()
        session.apply(Note(text=f"bericht {n}"))
        time.sleep(0.03)
    deadline = time.monotonic() + 20
    while len(got) < APPENDS * count and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    session.close()
    missing = APPENDS * count - len(got)
    return got, missing


def round_trip(url: str, exercise: str) -> list[float]:
    loaded = load_scenario(SCENARIO)
    store = PgStore(url, exercise)
    session = start_in_store(loaded, SessionSettings(
        participants={r: "" for r in loaded.roles}), store)
    host = SeatHost(session, store)
    session.apply(RunUntil(until=45))
    host.tick()
    stop = threading.Event()
    link = PgSeatLink(PgStore(url, exercise), "politie")
    seen: dict[str, float] = {}

    def watch() -> None:
        for view in link.views(stop):
            now = time.perf_counter()
            for note in view.get("notes", []):
                seen.setdefault(note["text"], now)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()

    def engine() -> None:  # the facilitator's console timer
        while not stop.is_set():
            host.tick()
            stop.wait(0.02)

    ticker = threading.Thread(target=engine, daemon=True)
    ticker.start()
    time.sleep(1.0)
    times = []
    for n in range(ROUND_TRIPS):
        text = f"rondje {n}"
        start = time.perf_counter()
        link.submit(Note(text=text, by="politie", origin="seat:politie"))
        deadline = time.monotonic() + 10
        while text not in seen and time.monotonic() < deadline:
            time.sleep(0.002)
        if text in seen:
            times.append((seen[text] - start) * 1000)
    stop.set()
    ticker.join(5)
    session.close()
    return times


def run() -> None:
    try:
        admin = psycopg.connect(BASE, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        print(f"seats: PostgreSQL not reachable at {BASE} ({exc}); skipped")
        return
    schema = "tt_bench_" + secrets.token_hex(4)
    admin.execute(f"CREATE SCHEMA {schema}")
    url = f"{BASE}?options=-csearch_path%3D{schema}"
    try:
        base = notify_baseline(url)
        got, missing = followers(url, "hub", HUBS, FOLLOWERS // HUBS, direct=False)
        p50, p99 = pct(got, 50), pct(got, 99)
        report(f"seats: {FOLLOWERS} followers ({HUBS} conns)",
               f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", p99 / base,
               f"p99 vs NOTIFY round trip {base:.2f} ms; {missing} missing", "p99 < 250 ms")
        got, missing = followers(url, "direct", DIRECT, 1, direct=True)
        p50, p99 = pct(got, 50), pct(got, 99)
        report(f"seats: {DIRECT} followers (1 conn each)",
               f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", p99 / base,
               f"p99 vs NOTIFY round trip {base:.2f} ms; {missing} missing", "p99 < 250 ms")
        times = round_trip(url, "trip")
        p50, p99 = pct(times, 50), pct(times, 99)
        report("seats: submission round trip", f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
               p50 / base, f"p50 vs NOTIFY round trip ({len(times)}/{ROUND_TRIPS} seen; "
               "host ticks every 20 ms)")
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


if __name__ == "__main__":
    run()
