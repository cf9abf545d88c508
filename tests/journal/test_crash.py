"""Crash safety: `tabletop run --log` is SIGKILLed at random moments (a fixed seed picks
them); `tabletop resume --decisions` with the same file then finishes the exercise. Every
line that was written is still there, byte for byte (a torn last line moves to LOG.partial),
and the final event list equals that of an uninterrupted run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tabletop.cli import main

STORY = 400
"""Minutes of story: an inject every minute, a note every minute, a decision every 50."""

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")


def write_course(folder: Path) -> tuple[Path, Path]:
    """A long scenario and a decisions file with many entries, so the run writes its log in
    many small fsynced batches and a kill lands in the middle of it."""
    injects = [f"  - {{id: i{n}, at: {n}m, from: X, to: [burgemeester], channel: melding, "
               f"title: Inject {n}}}" for n in range(1, STORY + 1)]
    decisions = [f"""  - id: d{k}
    at: {k * 50 - 5}m
    question: Besluit {k}?
    domain: openbare-orde
    consult: [politie, om]
    deadline: 30m
    default: b
    options:
      - {{id: a, label: A, uses: {{me: 1}}, for: 40m, effects: [{{add: {{spanning: 1}}}}]}}
      - {{id: b, label: B, effects: [{{add: {{spanning: -1}}}}]}}"""
        for k in range(1, STORY // 50 + 1)]
    scenario = folder / "lang.yaml"
    scenario.write_text(
        "format: 1\nid: lang\ntitle: Lang\nstart: 2027-03-14T06:00:00+01:00\n"
        f"end: {STORY + 30}m\nroles: [burgemeester, politie, om]\n"
        "state:\n  spanning: {label: S, initial: 2, min: 0, max: 5}\n"
        "resources:\n  me: {label: ME, capacity: 4}\n"
        "rules:\n  - {id: r, every: 7m, if: spanning >= 3, effects: [{add: {spanning: -1}}]}\n"
        "injects:\n" + "\n".join(injects) + "\ndecisions:\n" + "\n".join(decisions) + "\n",
        encoding="utf-8")
    entries = []
    for n in range(1, STORY + 1):
        if n % 50 == 0:
            k = n // 50
            entries.append(f"- {{decision: d{k}, option: {'a' if k % 3 else 'b'}, "
                           f"by: burgemeester, at: {n}m, advice: {{politie: a}}}}")
        entries.append(f"- {{note: notitie {n}, at: {n}m}}")
    course = folder / "lang.decisions.yaml"
    course.write_text("\n".join(entries) + "\n", encoding="utf-8")
    return scenario, course


def start(scenario: Path, course: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tabletop", "run", str(scenario), "--decisions", str(course),
         "--log", str(log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_size(log: Path, proc: subprocess.Popen[bytes], size: int) -> None:
    """Poll until the log has grown to `size` bytes (or the run ended).

    Why: a kill after a random number of written bytes lands mid-run however fast or busy
    the machine is; a kill after a random delay would often come too early or too late.
    """
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if os.stat(log).st_size >= size:
                return
        except FileNotFoundError:
            pass
        if proc.poll() is not None:
            return
        time.sleep(0.001)
    raise AssertionError(f"{log} did not reach {size} bytes within 60 s")


def engine_events(log: Path) -> list[dict[str, Any]]:
    out = []
    for raw in log.read_bytes().splitlines()[1:]:
        obj = json.loads(raw)
        if obj["type"] not in ("resumed", "force_scenario", "checkpoint"):
            out.append({k: v for k, v in obj.items() if k not in ("seq", "wall", "prev")})
    return out


@pytest.mark.parametrize("trials", [3, pytest.param(20, marks=pytest.mark.slow)])
def test_killed_runs_resume_to_the_uninterrupted_result(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], trials: int) -> None:
    """SIGKILL at random points of a run, then resume: the log ends as if never killed.

    Three kills in the default run; twenty with `-m slow` (CI runs both)."""
    scenario, course = write_course(tmp_path)
    reference = tmp_path / "reference.jsonl"
    assert main(["run", str(scenario), "--decisions", str(course), "--log",
                 str(reference)]) == 0
    capsys.readouterr()
    expected = engine_events(reference)
    assert expected[-1]["type"] == "end" and len(expected) > 800
    total = reference.stat().st_size
    header = reference.read_bytes().index(b"\n") + 1

    rng = random.Random(20270314)
    interrupted = finished = torn = 0
    for trial in range(trials):
        log = tmp_path / f"kill-{trial}.jsonl"
        proc = start(scenario, course, log)
        wait_for_size(log, proc, rng.randint(header, int(total * 0.97)))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait(timeout=30)
        written = log.read_bytes()
        if code == 0 or written.rstrip(b"\n").rsplit(b"\n", 1)[-1].find(b'"type":"end"') > 0:
            finished += 1
        else:
            interrupted += 1
        complete = written[: written.rfind(b"\n") + 1]
        tail = written[len(complete):]
        torn += bool(tail)

        assert main(["resume", str(log), "--decisions", str(course)]) == 0, \
            capsys.readouterr().err
        messages = capsys.readouterr().err
        assert "Traceback" not in messages
        after = log.read_bytes()
        assert after.startswith(complete), f"trial {trial}: written lines were changed"
        partial = log.with_name(log.name + ".partial")
        assert (partial.read_bytes() if partial.exists() else b"") == tail
        assert engine_events(log) == expected, f"trial {trial}: the events differ"
    assert interrupted >= trials * 2 // 3, (
        f"only {interrupted} of {trials} kills landed mid-run ({finished} finished first, "
        f"{torn} left a torn line)")
    # the last log also verifies as a whole
    assert main(["verify", str(tmp_path / f"kill-{trials - 1}.jsonl")]) == 0
