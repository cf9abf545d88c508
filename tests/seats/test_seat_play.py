"""Two seats and a facilitator play one exercise, embedded (file) and on PostgreSQL."""

from __future__ import annotations

import json
import textwrap
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from seatpaths import SCENARIO

from tabletop.journal.pgstore import PgStore
from tabletop.journal.seats import Advice, FileSeatLink, PgSeatLink, SeatHost, SeatLink
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.store import FileStore, JournalStore
from tabletop.journal.storeio import export_log, start_in_store
from tabletop.journal.verify import verify
from tabletop.model.commands import Decide, Note, Observe, RunUntil
from tabletop.model.loading import LoadedScenario, load_scenario


def _clock() -> datetime:
    return datetime(2027, 3, 14, 6, 0, tzinfo=UTC)


def _start(loaded: LoadedScenario, store: JournalStore) -> LiveSession:
    settings = SessionSettings(title="T", participants={r: "" for r in loaded.roles})
    if isinstance(store, FileStore):
        return LiveSession.start(loaded, settings, store.path, clock=_clock)
    return start_in_store(loaded, settings, store, clock=_clock)


def play_with_seats(store: JournalStore) -> tuple[SeatHost, list[Any]]:
    loaded = load_scenario(SCENARIO)
    session = _start(loaded, store)
    host = SeatHost(session, store)
    mayor, police = SeatLink(store, "burgemeester"), SeatLink(store, "politie")
    evaluator = SeatLink(store, "evaluator")
    taken: list[Any] = []
    session.apply(RunUntil(until=40))
    taken += host.tick()
    police.submit(Note(text="Advies: ontruimen", by="politie", origin="seat:politie"),
                  Advice(decision="aanpak", value="ontruimen"), sid="pol-advice-1")
    police.submit(Decide(decision="aanpak", option="gedogen", by="politie", origin="seat:politie"),
                  sid="pol-decide-1")
    mayor.submit(Decide(decision="aanpak", option="ontruimen", rationale="Doorgang.",
                        by="burgemeester", origin="seat:burgemeester"), sid="bgm-decide-1")
    mayor.submit(Decide(decision="aanpak", option="ontruimen", rationale="Doorgang.",
                        by="burgemeester", origin="seat:burgemeester"),
                  sid="bgm-decide-1")  # sent twice
    evaluator.submit(Observe(text="Snel besloten.", rating="P", by="observator",
                             origin="seat:evaluator"), sid="eval-obs-1")
    taken += host.tick()
    session.apply(RunUntil(until=360))
    taken += host.tick()
    session.close()
    return host, taken


def test_two_seats_play_the_same_in_a_file_and_in_postgresql(tmp_path: Path,
                                                             pg_url: str) -> None:
    file_store = FileStore(tmp_path / "a.jsonl")
    host, taken = play_with_seats(file_store)
    assert [(t.id, t.state) for t in taken] == [
        ("pol-advice-1", "applied"), ("pol-decide-1", "refused"), ("bgm-decide-1", "applied"),
        ("eval-obs-1", "applied")]
    assert "politie" in taken[1].message and "aanpak" in taken[1].message
    pg = PgStore(pg_url, "ex")
    _, taken_pg = play_with_seats(pg)
    assert [(t.id, t.state) for t in taken_pg] == [(t.id, t.state) for t in taken]
    export_log(pg, tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert verify(tmp_path / "b.jsonl").ok
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_bytes().splitlines()]
    decided = next(x for x in lines if x["type"] == "decision" and x["decision"] == "aanpak")
    assert decided["by"] == "burgemeester" and decided["advice"] == {"politie": "ontruimen"}
    origins = [x["command"].get("origin") for x in lines if x["type"] == "command"]
    assert origins.count("seat:burgemeester") == 1  # the repeated submission was not applied
    assert "seat:evaluator" in origins and "seat:politie" in origins
    assert file_store.outcomes("politie")["pol-decide-1"].state == "refused"
    assert pg.outcomes("burgemeester")["bgm-decide-1"].state == "applied"
    # what each seat's view holds: only the injects sent to it
    om = host.views["om"].view()
    assert [i["id"] for i in om["injects"]] == ["blokkade", "overbodig"]
    assert [i["id"] for i in host.views["politie"].view()["injects"]] == ["melding", "rappel"]


def test_a_seats_decision_can_wait_for_confirmation(tmp_path: Path) -> None:
    loaded = load_scenario(SCENARIO)
    store = FileStore(tmp_path / "a.jsonl")
    session = _start(loaded, store)
    host = SeatHost(session, store, confirm_decisions=True)
    session.apply(RunUntil(until=40))
    SeatLink(store, "burgemeester").submit(
        Decide(decision="aanpak", option="gedogen", by="burgemeester",
               origin="seat:burgemeester"), sid="wait-00001")
    assert [t.state for t in host.tick()] == ["pending"]
    assert list(host.pending) == ["wait-00001"]
    assert host.tick() == []  # still waiting, not taken twice
    assert store.outcomes("burgemeester")["wait-00001"].state == "pending"
    assert session.exercise.is_open("aanpak")
    done = host.confirm("wait-00001")
    assert done.state == "applied" and not session.exercise.is_open("aanpak")
    SeatLink(store, "burgemeester").submit(
        Decide(decision="opschalen", option="ja", by="burgemeester",
               origin="seat:burgemeester"), sid="wait-00002")
    session.close()


SECRET = """\
format: 1
id: geheim
title: Geheim
start: 2027-03-14T06:00:00+01:00
end: 2h
roles: [burgemeester, politie, om]
injects:
  - {id: open, at: 5m, from: X, to: [burgemeester, om, politie], channel: melding,
     title: Openbaar, text: Iedereen mag dit lezen.}
  - {id: dossier, at: 10m, from: AIVD, to: [burgemeester, om], channel: email,
     title: Dossier Zwaluw, text: "ZWALUW-7731 verblijft in het pand."}
  - {id: alleen-politie, at: 15m, from: X, to: [politie], channel: telefoon,
     title: Tap, text: "TAP-5521 belde om 06:14."}
"""


def _secret(tmp_path: Path) -> LoadedScenario:
    path = tmp_path / "geheim.yaml"
    path.write_text(textwrap.dedent(SECRET), encoding="utf-8")
    loaded = load_scenario(path)
    dossier = loaded.scenario.inject("dossier")
    assert dossier is not None
    object.__setattr__(dossier, "need_to_know", ["burgemeester"])  # gezag model 2's field
    return loaded


def test_need_to_know_holds_at_the_protocol_level(tmp_path: Path, pg_url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row the om seat's connections receive is recorded: no secret among them."""
    loaded = _secret(tmp_path)
    store = PgStore(pg_url, "geheim")
    session = _start(loaded, store)
    host = SeatHost(session, store)
    received: list[Any] = []
    seat_thread: list[int] = []
    for name in ("fetchone", "fetchall", "fetchmany"):
        original = getattr(psycopg.Cursor, name)

        def spy(self: Any, *a: Any, _original: Any = original, **k: Any) -> Any:
            rows = _original(self, *a, **k)
            if threading.get_ident() in seat_thread:
                received.append(rows)
            return rows

        monkeypatch.setattr(psycopg.Cursor, name, spy)
    views: list[dict[str, Any]] = []
    stop = threading.Event()

    def seat() -> None:
        seat_thread.append(threading.get_ident())
        link = PgSeatLink(PgStore(pg_url, "geheim"), "om")
        for view in link.views(stop):
            views.append(view)
        received.append(link.outcomes())

    thread = threading.Thread(target=seat)
    thread.start()
    try:
        session.apply(RunUntil(until=30))
        host.tick()
        deadline = time.monotonic() + 10
        while not any(len(v["injects"]) == 2 for v in views) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
        session.close()
    last = views[-1]
    assert [(i["id"], i["text"], i["classified"]) for i in last["injects"]] == [
        ("open", "Iedereen mag dit lezen.", False),
        ("dossier", "gerubriceerd bericht", True)]
    wire = repr(received) + json.dumps(views)
    assert received, "the spy saw nothing"
    for secret in ("ZWALUW-7731", "Dossier Zwaluw", "TAP-5521", "Tap"):
        assert secret not in wire
    # the mayor, who has need to know, reads it; the journal itself holds only ids
    mayor = host.views["burgemeester"].view()
    assert any(i["text"] == "ZWALUW-7731 verblijft in het pand." for i in mayor["injects"])
    assert all(b"ZWALUW" not in raw for _, raw in store.read())


def test_a_file_seat_sees_the_same_filtered_view(tmp_path: Path) -> None:
    loaded = _secret(tmp_path)
    store = FileStore(tmp_path / "g.jsonl")
    session = _start(loaded, store)
    session.apply(RunUntil(until=30))
    session.close()
    header = json.loads(store.read()[0][1])
    link = FileSeatLink(store, "om", loaded, header)
    stop = threading.Event()
    got = []
    for view in link.views(stop):
        got.append(view)
        if len(view["injects"]) == 2:
            stop.set()
    assert "ZWALUW" not in json.dumps(got)
    assert got[-1]["injects"][1]["text"] == "gerubriceerd bericht"
