"""The journal: load and verify a generated 100,000-event log; seek latency in the replay
view of a 1,000,000-event log; appends per second with fsync against a bare write+fsync.

- `verify` runs in a process of its own, so that its peak memory (the process's maximum
  resident set) is its own; its baseline is a process that streams the same file through
  `json.loads` and sha256, line by line (the least a check of a hash-chained JSON log does).
  Both figures are the work's time inside the process (imports not counted), least of 3.
  Target (issue 14): at most 3x the streaming pass, peak memory under 300 MB.
- seek: the replay view of a 1M-event log, 50 seeks to random points (target < 20 ms).

The logs are generated once and kept in `$TABLETOP_BENCH_CACHE` (default
`~/.cache/tabletop-bench`), keyed by the generator and the engine's, model's and journal's
source: a change there makes a new log (the 1M log takes a minute or two to make).
"""

from __future__ import annotations

import hashlib
import inspect
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import PYTHON, ROOT, report

from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.writer import JournalWriter, new_header
from tabletop.model.commands import Command, Note, RunUntil
from tabletop.model.events import NoteAdded
from tabletop.model.loading import load_roles, load_scenario

EVENTS = 100_000
SEEK_EVENTS = 1_000_000

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
  - {id: politie, at: 2m, from: X, to: [politie], channel: melding, title: Politie}
  - {id: om, at: 3m, from: X, to: [om], channel: melding, title: OM}
rules:
  - {id: tik, every: 20m, effects: [{add: {teller: 1}}]}
  - {id: golf-op, every: 15m, if: golf < 5, effects: [{add: {golf: 1}}]}
  - {id: golf-af, every: 20m, if: golf >= 3, effects: [{add: {golf: -2}}]}
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

VERIFY = """
import resource, sys, time
from pathlib import Path
from tabletop.journal.verify import verify
wall, cpu = time.perf_counter(), time.process_time()
verdict = verify(Path(sys.argv[1]))
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
assert verdict.ok, verdict.message
print(wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

STREAM = """
import hashlib, json, resource, sys, time
wall, cpu = time.perf_counter(), time.process_time()
with open(sys.argv[1], "rb") as handle:
    for line in handle:
        line = line.rstrip(b"\\n")
        json.loads(line)
        hashlib.sha256(line).hexdigest()
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _cache_key(*parts: str) -> str:
    digest = hashlib.sha256(SCENARIO.encode())
    for part in parts:
        digest.update(part.encode())
    for folder in ("engine", "model"):
        for path in sorted((ROOT / "tabletop" / folder).glob("*.py")):
            digest.update(path.read_bytes())
    for name in ("writer", "format", "signing", "session"):
        digest.update((ROOT / "tabletop" / "journal" / f"{name}.py").read_bytes())
    for fn in (generate, generate_batched, _scenario):
        digest.update(inspect.getsource(fn).encode())
    return digest.hexdigest()[:16]


def cached_log(events: int, batched: bool) -> Path:
    """A generated log of about `events` events (made once, see the module's note)."""
    base = Path(os.environ.get("TABLETOP_BENCH_CACHE")
                or Path.home() / ".cache" / "tabletop-bench")
    folder = base / f"journal-{events}-{_cache_key(str(events), str(batched))}"
    log = folder / "lang.jsonl"
    if (folder / "done").is_file():
        return log
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    started = time.perf_counter()
    (generate_batched if batched else generate)(folder, events)
    (folder / "done").write_text("", encoding="utf-8")
    print(f"(generated {log} in {time.perf_counter() - started:.0f} s, "
          f"{log.stat().st_size / 2**20:.0f} MiB)", flush=True)
    return log


def _scenario(folder: Path):  # type: ignore[no-untyped-def]
    scenario = folder / "lang.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    return load_scenario(scenario, load_roles(ROOT / "roles"))


def generate(folder: Path, events: int) -> None:
    """A live exercise's log: the engine plays, notes are added, every command is applied
    (and written, with its checkpoint) on its own, as at a real table."""
    loaded = _scenario(folder)
    rng = random.Random(5)
    session = LiveSession.start(loaded, SessionSettings(
        participants={r: "" for r in loaded.roles}), folder / "lang.jsonl")
    ex = session.exercise
    while len(ex.events) < events and not ex.finished:
        session.apply(RunUntil(until=ex.now + rng.randint(20, 90)))
        for n in range(60):  # a busy table: the log is mostly what people wrote
            session.apply(Note(text=f"notitie {n} op minuut {ex.now}",
                               lovp=rng.random() < 0.1))
    session.close()


def generate_batched(folder: Path, events: int) -> None:
    """The same kind of exercise, its commands written in batches of a step and 600 notes
    (one write and checkpoint per batch, as seats' submissions are): 1M events quickly."""
    from tabletop.engine.exercise import Exercise

    loaded = _scenario(folder)
    rng = random.Random(5)
    participants = {r: "" for r in loaded.roles}
    ex = Exercise(loaded, seed=0, participants=set(participants))
    header = new_header(loaded, seed=0, participants=participants)
    with JournalWriter.create(folder / "lang.jsonl", header) as writer:
        while len(ex.events) < events and not ex.finished:
            batch = []
            commands: list[Command] = [
                RunUntil(until=ex.now + rng.randint(20, 90)),
                *(Note(text=f"notitie {n}", lovp=rng.random() < 0.1) for n in range(600))]
            for command in commands:
                at = ex.now
                batch.append((at, command, ex.apply(command)))
            writer.append_commands(batch)


def _child(code: str, log: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of the work in a process of its own."""
    proc = subprocess.run([PYTHON, "-c", code, str(log)], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark process failed:\n{proc.stderr}")
    wall, cpu, rss = proc.stdout.split()
    return float(wall), float(cpu), int(rss) / 1024


def bench_verify() -> None:
    log = cached_log(EVENTS, batched=False)
    lines = sum(1 for _ in log.open("rb"))
    runs = {"stream": [], "verify": []}  # type: dict[str, list[tuple[float, float, float]]]
    for _ in range(3):  # in turn, so that both see the machine alike
        runs["stream"].append(_child(STREAM, log))
        runs["verify"].append(_child(VERIFY, log))
    stream_cpu = min(r[1] for r in runs["stream"])
    verify_cpu = min(r[1] for r in runs["verify"])
    stream_wall = min(r[0] for r in runs["stream"])
    verify_wall = min(r[0] for r in runs["verify"])
    peak = max(r[2] for r in runs["verify"])
    base_peak = max(r[2] for r in runs["stream"])
    report(f"verify {EVENTS // 1000}k events ({lines:,} lines)",
           f"{verify_cpu:.2f} s CPU ({verify_wall:.2f} s wall)", verify_cpu / stream_cpu,
           f"vs streaming json+sha256 {stream_cpu:.2f} s CPU ({stream_wall:.2f} s wall)",
           "<= 3x")
    report("verify peak memory", f"{peak:.0f} MB", peak / base_peak,
           f"vs the streaming pass's {base_peak:.0f} MB", "< 300 MB")


def bench_seek() -> None:
    from tabletop.journal.reader import read_journal
    from tabletop.journal.replay import load_for
    from tabletop.journal.view import ReplayView

    log = cached_log(SEEK_EVENTS, batched=True)
    start = time.perf_counter()
    journal = read_journal(log)
    view = ReplayView(journal, load_for(journal))
    built = time.perf_counter() - start
    rng = random.Random(9)
    seeks = []
    for _ in range(50):
        target = rng.randrange(len(view) + 1)
        start = time.perf_counter()
        view.snapshot(target)
        seeks.append(time.perf_counter() - start)
    median = statistics.median(seeks) * 1000
    report(f"replay seek ({len(view) / 1e6:.1f}M events)",
           f"{median:.1f} ms median, {max(seeks) * 1000:.1f} ms max", median / 20,
           f"of the 20 ms target (log read and view built in {built:.1f} s)", "< 20 ms")


def bench_appends() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        appends = 1000
        appended = folder / "appends.jsonl"
        loaded = _scenario(folder)
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


def run(argv: list[str] | None = None) -> None:
    """All three; `verify`, `seek` or `appends` as arguments choose."""
    chosen = set(argv or []) or {"verify", "seek", "appends"}
    if "verify" in chosen:
        bench_verify()
    if "seek" in chosen:
        bench_seek()
    if "appends" in chosen:
        bench_appends()


if __name__ == "__main__":
    run(sys.argv[1:])
