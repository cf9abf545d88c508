"""Finding 9 (fuzzing in the suite): mutated scenarios, decisions files and logs give a
located error or success, never a traceback, in bounded time. A few examples in the default
run (each test well under 5 s); many more with `-m slow`."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabletop.cli import main
from tabletop.errors import ScenarioProblems, TabletopUserError
from tabletop.journal.format import JournalError
from tabletop.journal.reader import read_journal
from tabletop.journal.verify import verify
from tabletop.model.loading import load_roles, load_scenario
from tabletop.model.scripted import load_script

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "journal"
ROLES = load_roles(ROOT / "roles")
SCENARIO = DATA / "oefening.yaml"
DECISIONS = DATA / "oefening.decisions.yaml"
LIMIT_S = 10.0

PAYLOADS = ["\x1b]52;c;aGk=\x07", "\x00", "\t", "[" * 300, "{a: " * 50, '"a" * 99999999999',
            "999999999m", "10**21", "../../etc/passwd", "/etc/shadow", "&x [1]", "*x",
            "- ", ": ", "null", "~", "!!python/object:os.system", "'", '"', "\ud800", "é" * 50,
            "t >= 1 and " * 40, "99999999999999999999", "-1", "0m", "1e308", "nan", ".inf",
            "every: 1m", "end: 90d", "decided(\"x\")", "\u202e", "%", "%" * 100]

Mutation = tuple[str, int, int, str]
MUTATIONS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace", "flip"]),
                               st.integers(0, 10**6), st.integers(0, 40),
                               st.sampled_from(PAYLOADS) | st.text(max_size=12)),
                     min_size=1, max_size=6)


def mutate_text(text: str, mutations: list[Mutation]) -> str:
    for op, at, length, payload in mutations:
        at %= max(len(text), 1)
        if op == "insert":
            text = text[:at] + payload + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + length:]
        elif op == "replace":
            text = text[:at] + payload + text[at + len(payload):]
        else:  # flip: one character to its neighbour
            text = text[:at] + chr((ord(text[at]) ^ 1) or 1) + text[at + 1:] if text else text
    return text


def mutate_bytes(data: bytes, mutations: list[Mutation]) -> bytes:
    for op, at, length, payload in mutations:
        at %= max(len(data), 1)
        raw = payload.encode("utf-8", "surrogatepass")
        if op == "insert":
            data = data[:at] + raw + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + length:]
        elif op == "replace":
            data = data[:at] + raw + data[at + len(raw):]
        elif data:
            data = data[:at] + bytes([data[at] ^ (1 << (length % 8))]) + data[at + 1:]
    return data


def located(problems: list[Any]) -> None:
    assert problems
    for p in problems:
        assert p.file and p.line >= 0 and p.col >= 0 and p.message


def bounded(fn: Callable[[], None]) -> None:
    started = time.perf_counter()
    fn()
    assert time.perf_counter() - started < LIMIT_S


def check_scenario(mutations: list[Mutation]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "oefening.yaml"
        text = mutate_text(SCENARIO.read_text(encoding="utf-8"), mutations)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))

        def load() -> None:
            try:
                load_scenario(path, ROLES)
            except ScenarioProblems as exc:
                located(exc.problems)
        bounded(load)


def check_decisions(mutations: list[Mutation]) -> None:
    loaded = load_scenario(SCENARIO, ROLES)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.yaml"
        text = mutate_text(DECISIONS.read_text(encoding="utf-8"), mutations)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))

        def load() -> None:
            try:
                load_script(path, loaded)
            except ScenarioProblems as exc:
                located(exc.problems)
        bounded(load)


_LOG: dict[str, bytes] = {}


def reference_log() -> bytes:
    if "log" not in _LOG:
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "oefening.jsonl"
            shutil.copy(SCENARIO, Path(folder) / "oefening.yaml")
            assert main(["run", str(Path(folder) / "oefening.yaml"), "--decisions",
                         str(DECISIONS), "--log", str(log)]) == 0
            _LOG["log"] = log.read_bytes()
            _LOG["scenario"] = (Path(folder) / "oefening.yaml").read_bytes()
    return _LOG["log"]


def check_log(mutations: list[Mutation]) -> None:
    data = mutate_bytes(reference_log(), mutations)
    with tempfile.TemporaryDirectory() as folder:
        scenario = Path(folder) / "oefening.yaml"
        scenario.write_bytes(_LOG["scenario"])
        log = Path(folder) / "oefening.jsonl"
        log.write_bytes(data)

        def read() -> None:
            try:
                read_journal(log)
            except JournalError as exc:
                assert f"{log}: " in str(exc)
            verdict = verify(log, scenario)
            assert verdict.message.startswith(f"{log}: ")
            if data != reference_log():
                assert not verdict.ok or verdict.seal is None or not verdict.seal.signed or \
                    _same_content(data), verdict.message
        bounded(read)


def _same_content(data: bytes) -> bool:
    """A mutation that left every line as it was (e.g. only a trailing byte changed)."""
    return data.splitlines() == reference_log().splitlines()


FEW = settings(max_examples=20, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=600, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])


@FEW
@given(MUTATIONS)
def test_fuzz_the_scenario_loader(mutations: list[Mutation]) -> None:
    check_scenario(mutations)


@FEW
@given(MUTATIONS)
def test_fuzz_the_decisions_file(mutations: list[Mutation]) -> None:
    check_decisions(mutations)


@FEW
@given(MUTATIONS)
def test_fuzz_the_log_reader_and_verify(mutations: list[Mutation]) -> None:
    check_log(mutations)


@pytest.mark.slow
@MANY
@given(MUTATIONS)
def test_fuzz_the_scenario_loader_long(mutations: list[Mutation]) -> None:
    check_scenario(mutations)


@pytest.mark.slow
@MANY
@given(MUTATIONS)
def test_fuzz_the_decisions_file_long(mutations: list[Mutation]) -> None:
    check_decisions(mutations)


@pytest.mark.slow
@MANY
@given(MUTATIONS)
def test_fuzz_the_log_reader_and_verify_long(mutations: list[Mutation]) -> None:
    check_log(mutations)


def test_tabletop_user_error_is_what_the_cli_shows() -> None:
    """The fuzzed functions' refusals are the CLI's exit-1 errors (no traceback there)."""
    assert issubclass(ScenarioProblems, TabletopUserError)
    assert issubclass(JournalError, TabletopUserError)
