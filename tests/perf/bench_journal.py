"""The journal: load and verify a generated 100,000-event log against plain `json.loads`
of the same lines; seek latency in the replay view; appends per second with fsync against
a bare write+fsync of the same bytes."""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from common import ROOT, best_of, report

from tabletop.engine.exercise import Exercise
from tabletop.journal.reader import read_journal
from tabletop.journal.verify import verify
from tabletop.journal.writer import JournalWriter, new_header
from tabletop.model.commands import Note, RunUntil
from tabletop.model.events import NoteAdded
from tabletop.model.loading import load_roles, load_scenario

EVENTS = 100_000

SCENARIO = """\
format: 1
id: lang
title: Een lange oefening
start: 2027-03-14T06:00:00+01:00
end: 60d
roles: [burgemeester, politie, om]
state:
  teller: {label: Teller, initial: 0}
  golf: {label: Golf, initial: 0, min: 0, max: 5}
resources:
  me: {label: ME, capacity: 4}
injects:
  - {id: start, at: 1m, from: X, to: [burgemeester], channel: melding, title: Start,
     expect: {what: Elk uur een sitrap, every: 1h}}
rules:
  - {id: tik, every: 1m, effects: [{add: {teller: 1}}]}
  - {id: golf-op, every: 3m, if: golf < 5, effects: [{add: {golf: 1}}]}
  - {id: golf-af, every: 4m, if: golf >= 3, effects: [{add: {golf: -2}}]}
decisions:
  - id: besluit
    when: golf >= 4 and res.me > 1
    question: Zet u de ME in?
    domain: openbare-orde
    deadline: 30m
    default: nee
    options:
      - {id: ja, label: Ja, uses: {me: 2}, for: 1h}
      - {id: nee, label: Nee}
"""


def generate(folder: Path) -> tuple[Path, int]:
    """A real exercise's log: the engine plays, notes are added, every event is logged."""
    scenario = folder / "lang.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    loaded = load_scenario(scenario, load_roles(ROOT / "roles"))
    log = folder / "lang.jsonl"
    rng = random.Random(5)
    header = new_header(loaded, seed=0, participants={r: "" for r in loaded.roles})
    with JournalWriter.create(log, header) as writer:
        ex = Exercise(loaded)
        while len(ex.events) < EVENTS and not ex.finished:
            batch = ex.apply(RunUntil(until=ex.now + rng.randint(20, 90)))
            batch += ex.apply(Note(text=f"notitie op minuut {ex.now}", lovp=rng.random() < 0.1))
            writer.append_events(batch)
    return log, len(ex.events)


def run() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        log, count = generate(folder)
        lines = log.read_bytes().splitlines()
        plain = best_of(lambda: [json.loads(line) for line in lines], 3)
        load = best_of(lambda: read_journal(log), 3)
        check = best_of(lambda: verify(log), 2)
        assert verify(log).ok, verify(log).message
        report(f"journal load {count:,} events", f"{load:.3f} s", load / plain,
               f"vs json.loads of the lines {plain:.3f} s")
        report(f"journal verify {count:,} events", f"{check:.3f} s", check / plain,
               "vs json.loads (verify re-simulates the exercise)")
        from tabletop.journal.view import ReplayView

        journal = read_journal(log)
        loaded = load_scenario(Path(journal.header["scenario"]["path"]),
                               load_roles(ROOT / "roles"))
        start = time.perf_counter()
        view = ReplayView(journal, loaded)
        built = time.perf_counter() - start
        rng = random.Random(9)
        seeks = []
        for _ in range(50):
            target = rng.randrange(len(view))
            start = time.perf_counter()
            view.snapshot(target)
            seeks.append(time.perf_counter() - start)
        median = statistics.median(seeks) * 1000
        report("replay seek (100k log)", f"{median:.1f} ms median, {max(seeks) * 1000:.1f}"
               f" ms max", median / 50, f"of the 50 ms target (view built in {built:.2f} s)",
               "< 50 ms")

        appends = 1000
        appended = folder / "appends.jsonl"
        loaded = load_scenario(folder / "lang.yaml", load_roles(ROOT / "roles"))
        note = NoteAdded(1, "facilitator", "Een notitie van gemiddelde lengte voor de LOVP.")
        with JournalWriter.create(appended, new_header(loaded, seed=0, participants={})) as w:
            start = time.perf_counter()
            for _ in range(appends):
                w.append_events([note])
            ours = time.perf_counter() - start
        line = appended.read_bytes().splitlines()[-1] + b"\n"
        bare_path = folder / "bare.jsonl"
        fd = os.open(bare_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        start = time.perf_counter()
        for _ in range(appends):
            os.write(fd, line)
            os.fsync(fd)
        bare = time.perf_counter() - start
        os.close(fd)
        report("journal appends (fsync)", f"{appends / ours:,.0f} appends/s", ours / bare,
               f"vs bare write+fsync {appends / bare:,.0f}/s")
