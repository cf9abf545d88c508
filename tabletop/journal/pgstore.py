"""The journal and the inbox in PostgreSQL (psycopg 3), for exercises across sites.

Tables (created when missing, in the connection's schema: set it with the URL's
`options=-csearch_path=NAME`):

- `exercises (id, scenario, header, created)`: one row per exercise; many per database.
- `journal_lines (exercise, seq, type, line)`: the journal's lines as the bytes the file
  would hold (hash chain included), primary key (exercise, seq). A batch is inserted in one
  transaction that checks it follows the last stored line, and sends a `NOTIFY` on the
  exercise's channel; followers `LISTEN` and read what is new.
- `inbox (n, exercise, id, role, data, state, message)`: submissions from seats, unique by
  (exercise, id), taken in the order of `n`.
- `seat_views (exercise, role, version, view)`: what each seat may see, written by the
  facilitator's process through `journal.seatview` (the one place that filters). A seat
  reads only its own row, never the journal lines.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from tabletop.journal.format import JournalError
from tabletop.journal.store import FINAL_STATES, JournalStore, Line, Outcome, Stored, redact

SCHEMA = """
CREATE TABLE IF NOT EXISTS exercises (
    id text PRIMARY KEY, scenario text NOT NULL, header jsonb NOT NULL,
    created timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS journal_lines (
    exercise text NOT NULL REFERENCES exercises(id), seq integer NOT NULL,
    type text NOT NULL, line bytea NOT NULL, PRIMARY KEY (exercise, seq));
CREATE TABLE IF NOT EXISTS inbox (
    n bigserial PRIMARY KEY, exercise text NOT NULL, id text NOT NULL, role text NOT NULL,
    data jsonb NOT NULL, state text, message text NOT NULL DEFAULT '',
    UNIQUE (exercise, id));
CREATE TABLE IF NOT EXISTS seat_views (
    exercise text NOT NULL, role text NOT NULL, version integer NOT NULL, view jsonb NOT NULL,
    PRIMARY KEY (exercise, role));
"""


def new_exercise_id(scenario: str) -> str:
    """A fresh id: the scenario, today's date and a random part (`haven-20270314-3f9a`)."""
    return f"{scenario}-{date.today():%Y%m%d}-{secrets.token_hex(3)}"


class PgStore(JournalStore):
    """One exercise in a PostgreSQL database; connections are made again after a failure."""

    def __init__(self, url: str, exercise: str, connect_timeout: int = 5) -> None:
        self.url = url
        self.exercise = exercise
        self.label = f"{redact(url)}#{exercise}"
        self.timeout = connect_timeout
        self._db: psycopg.Connection[Any] | None = None
        self._lock = threading.Lock()
        self._schema = ""

    # -- connections ----------------------------------------------------------------------
    def connect(self) -> psycopg.Connection[Any]:
        """A new autocommit connection (raises JournalError when the database is away)."""
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self.timeout)
        except psycopg.Error as exc:
            raise self._unreachable(exc) from None
        if not self._schema:
            row = conn.execute("SELECT current_schema()").fetchone()
            self._schema = str(row[0]) if row else "public"
            conn.execute(SCHEMA)
        return conn

    def _unreachable(self, exc: BaseException) -> JournalError:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return JournalError("jr.db_unreachable", where=self.label, reason=reason)

    def _conn(self) -> psycopg.Connection[Any]:
        if self._db is None or self._db.closed or self._db.broken:
            self._db = self.connect()
        return self._db

    def _run(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                cur = self._conn().execute(query, params)
                return cur.fetchall() if cur.description else []
            except psycopg.OperationalError as exc:
                self._drop()
                raise self._unreachable(exc) from None

    def _drop(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except psycopg.Error:
                pass
        self._db = None

    def channel(self, what: str = "lines") -> str:
        """The NOTIFY channel of this exercise's lines (or `views`)."""
        if not self._schema:
            self._conn()
        digest = hashlib.sha1(f"{self._schema}\0{self.exercise}".encode()).hexdigest()[:24]
        return f"tabletop_{what}_{digest}"

    def follower_name(self) -> str:
        """The `application_name` of this exercise's followers (seen in pg_stat_activity)."""
        return "tabletop-follow-" + self.channel()[-24:]

    def seat_name(self, role: str) -> str:
        """The `application_name` of a seat's connection to this exercise."""
        return f"tabletop-seat-{role[:20]}-" + self.channel()[-16:]

    # -- the journal ----------------------------------------------------------------------
    def append(self, lines: list[bytes]) -> None:
        if not lines:
            return
        parsed = [json.loads(raw) for raw in lines]
        with self._lock:
            try:
                conn = self._conn()
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.exercise,))
                    row = conn.execute("SELECT coalesce(max(seq), -1) FROM journal_lines "
                                       "WHERE exercise = %s", (self.exercise,)).fetchone()
                    last = int(row[0]) if row else -1
                    if parsed[0].get("seq") == 0 and last >= 0:
                        raise JournalError("jr.store.exists", where=self.label)
                    if parsed[0].get("seq") != last + 1:
                        raise JournalError("jr.store.out_of_order", where=self.label,
                                           seq=str(parsed[0].get("seq")), last=last)
                    if last < 0:
                        header = parsed[0]
                        conn.execute(
                            "INSERT INTO exercises (id, scenario, header) VALUES (%s, %s, %s)",
                            (self.exercise, str((header.get("scenario") or {}).get("id", "")),
                             json.dumps(header)))
                    with conn.cursor() as cur:
                        cur.executemany(
                            "INSERT INTO journal_lines (exercise, seq, type, line) "
                            "VALUES (%s, %s, %s, %s)",
                            [(self.exercise, obj["seq"], str(obj.get("type", "")), raw)
                             for obj, raw in zip(parsed, lines, strict=True)])
                    conn.execute("SELECT pg_notify(%s, %s)",
                                 (self.channel(), str(parsed[-1]["seq"])))
            except psycopg.errors.UniqueViolation:
                raise JournalError("jr.store.exists", where=self.label) from None
            except psycopg.OperationalError as exc:
                self._drop()
                raise self._unreachable(exc) from None

    def exists(self) -> bool:
        return bool(self._run("SELECT 1 FROM exercises WHERE id = %s", (self.exercise,)))

    def read(self, after: int = -1) -> list[Line]:
        rows = self._run("SELECT seq, line FROM journal_lines WHERE exercise = %s AND seq > %s "
                         "ORDER BY seq", (self.exercise, after))
        return [(int(seq), bytes(raw)) for seq, raw in rows]

    def follow(self, after: int = -1, stop: threading.Event | None = None,
               poll: float = 0.5) -> Iterator[Line]:
        """LISTEN on the exercise's channel on a connection of its own; after a lost
        connection, connect again and read everything after the last line given."""
        last = after
        backoff = 0.1
        while stop is None or not stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=self.timeout,
                                     application_name=self.follower_name()) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel())))
                    backoff = 0.1
                    while stop is None or not stop.is_set():
                        rows = conn.execute(
                            "SELECT seq, line FROM journal_lines WHERE exercise = %s AND "
                            "seq > %s ORDER BY seq", (self.exercise, last)).fetchall()
                        for seq, raw in rows:
                            last = int(seq)
                            yield last, bytes(raw)
                        if not rows:
                            for _ in conn.notifies(timeout=poll, stop_after=1):
                                pass
            except psycopg.OperationalError:
                (stop.wait(backoff) if stop is not None else time.sleep(backoff))
                backoff = min(backoff * 2, 2.0)

    # -- exercises ------------------------------------------------------------------------
    def exercises(self, scenario: str | None = None) -> list[str]:
        """The exercises in this database (of one scenario), oldest first."""
        if scenario is None:
            rows = self._run("SELECT id FROM exercises ORDER BY created, id")
        else:
            rows = self._run("SELECT id FROM exercises WHERE scenario = %s ORDER BY created, id",
                             (scenario,))
        return [str(r[0]) for r in rows]

    # -- the inbox ------------------------------------------------------------------------
    def submit(self, sid: str, role: str, data: dict[str, Any]) -> bool:
        rows = self._run("INSERT INTO inbox (exercise, id, role, data) VALUES (%s, %s, %s, %s) "
                         "ON CONFLICT (exercise, id) DO NOTHING RETURNING n",
                         (self.exercise, sid, role, json.dumps(data)))
        return bool(rows)

    def waiting(self) -> list[Stored]:
        rows = self._run("SELECT id, role, data FROM inbox WHERE exercise = %s AND "
                         "(state IS NULL OR NOT state = ANY(%s)) ORDER BY n",
                         (self.exercise, list(FINAL_STATES)))
        return [Stored(str(i), str(r), d if isinstance(d, dict) else {}) for i, r, d in rows]

    def settle(self, sid: str, state: str, message: str = "") -> None:
        self._run("UPDATE inbox SET state = %s, message = %s WHERE exercise = %s AND id = %s",
                  (state, message, self.exercise, sid))

    def outcomes(self, role: str) -> dict[str, Outcome]:
        rows = self._run("SELECT id, state, message FROM inbox WHERE exercise = %s AND "
                         "role = %s AND state IS NOT NULL", (self.exercise, role))
        return {str(i): Outcome(str(i), str(s), str(m)) for i, s, m in rows}

    # -- seat views -----------------------------------------------------------------------
    def publish_view(self, role: str, view: dict[str, Any]) -> None:
        """Store what `role`'s seat may see now, and tell its followers."""
        with self._lock:
            try:
                conn = self._conn()
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO seat_views (exercise, role, version, view) "
                        "VALUES (%s, %s, 1, %s) ON CONFLICT (exercise, role) DO UPDATE "
                        "SET version = seat_views.version + 1, view = EXCLUDED.view",
                        (self.exercise, role, json.dumps(view)))
                    conn.execute("SELECT pg_notify(%s, %s)", (self.channel("views"), role))
            except psycopg.OperationalError as exc:
                self._drop()
                raise self._unreachable(exc) from None

    def read_view(self, role: str) -> tuple[int, dict[str, Any]] | None:
        rows = self._run("SELECT version, view FROM seat_views WHERE exercise = %s AND "
                         "role = %s", (self.exercise, role))
        return (int(rows[0][0]), rows[0][1]) if rows else None

    def follow_view(self, role: str, stop: threading.Event | None = None,
                    poll: float = 0.5) -> Iterator[dict[str, Any]]:
        """Yield `role`'s view each time it changes (and once at the start), reconnecting
        after a lost connection. Only this role's row is ever read."""
        seen = 0
        backoff = 0.1
        while stop is None or not stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=self.timeout,
                                     application_name=self.seat_name(role)) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(
                        sql.Identifier(self.channel("views"))))
                    backoff = 0.1
                    while stop is None or not stop.is_set():
                        row = conn.execute(
                            "SELECT version, view FROM seat_views WHERE exercise = %s AND "
                            "role = %s AND version > %s", (self.exercise, role, seen)).fetchone()
                        if row is not None:
                            seen = int(row[0])
                            yield row[1]
                            continue
                        for _ in conn.notifies(timeout=poll, stop_after=1):
                            pass
            except psycopg.OperationalError:
                (stop.wait(backoff) if stop is not None else time.sleep(backoff))
                backoff = min(backoff * 2, 2.0)

    def close(self) -> None:
        with self._lock:
            self._drop()


class FollowerHub:
    """Many followers in one process on one LISTEN connection (a server with many seats).

    PostgreSQL gives each connection a backend process and allows `max_connections` (100 by
    default); a hub lets one process serve many followers without one connection each. Each
    subscriber gets every line once, in order, from the hub's catch-up follower.
    """

    def __init__(self, store: PgStore, after: int = -1) -> None:
        self.store = store
        self.after = after
        self._subscribers: list[Callable[[int, bytes], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, receive: Callable[[int, bytes], None]) -> None:
        with self._lock:
            self._subscribers.append(receive)

    def run(self, stop: threading.Event) -> None:
        for seq, raw in self.store.follow(self.after, stop, poll=0.2):
            with self._lock:
                subscribers = list(self._subscribers)
            for receive in subscribers:
                receive(seq, raw)
