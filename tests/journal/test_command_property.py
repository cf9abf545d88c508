"""Any sequence of commands, of every kind and by every allowed actor, on every bundled
scenario and on REMPAR25: the log verifies, every cut of it resumes to the identical
events, and the report builds in all three formats."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabletop.engine.exercise import ExerciseError
from tabletop.journal.reader import read_journal
from tabletop.journal.resume import resume
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.journal.verify import verify
from tabletop.model.commands import (
    KINDS,
    STAFF,
    AdHoc,
    Adjust,
    Command,
    Decide,
    End,
    ExtendDeadline,
    Flag,
    MarkMet,
    Note,
    Observe,
    Release,
    RunUntil,
    SetClock,
    Skip,
    Step,
    command_from_dict,
)
from tabletop.model.loading import LoadedScenario, load_roles, load_scenario, roles_for
from tabletop.report.api import build_document, load_logs, render

ROOT = Path(__file__).resolve().parents[2]
REMPAR = ROOT.parent / "shared" / "cases" / "rempar25" / "scenario.yaml"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + [REMPAR]
EXAMPLES = int(os.environ.get("TABLETOP_PROPERTY_EXAMPLES", "2"))

_loaded: dict[Path, LoadedScenario] = {}


def loaded_of(path: Path) -> LoadedScenario:
    if path not in _loaded:
        if not path.is_file():
            pytest.skip(f"{path} is absent (the shared case lies beside the project)")
        _loaded[path] = load_scenario(path, load_roles(roles_for(path)))
    return _loaded[path]


def make_command(loaded: LoadedScenario, now: int, kind: str, n: int, by: str,
                 delay: int) -> Command:
    """A command of `kind`; `n` picks the ids it names (some of them refused by the engine,
    which is part of the play)."""
    s = loaded.scenario

    def pick(items: list[Any]) -> Any:
        return items[n % len(items)] if items else None

    inject = pick([i.id for i in s.injects]) or "x"
    decision = pick(s.decisions)
    roles = sorted(loaded.roles)
    if kind == "step":
        return Step(by=by)
    if kind == "run_until":
        return RunUntil(until=now + delay, by=by)
    if kind == "clock":
        return SetClock(factor=pick([0, 1, 5, 15]), by=by)
    if kind == "release":
        return Release(inject=inject, by=by)
    if kind == "skip":
        return Skip(inject=inject, reason=pick(["", "tijd", "niet relevant"]), by=by)
    if kind == "adhoc":
        return AdHoc(title=f"Bericht {n}", text="Tekst", to=(pick(roles),), by=by)
    if kind == "met":
        with_expect = [i.id for i in s.injects if i.expect] or [inject]
        return MarkMet(inject=pick(with_expect), by=by)
    if kind == "decide":
        if decision is None:
            return Note(text="geen besluiten", by=by)
        if decision.options:
            option = pick([o.id for o in decision.options])
            advice = {r: option for r in decision.consult[:1] if isinstance(r, str)}
            return Decide(decision=decision.id, option=option, by=pick([by, decision.owner or by]),
                          advice=advice, rationale=f"motivering {n}")
        return Decide(decision=decision.id, answer=f"antwoord {n}", by=by)
    if kind == "extend":
        return ExtendDeadline(decision=decision.id if decision else "x", minutes=1 + n % 60,
                              by=by)
    if kind == "note":
        return Note(text=f"notitie {n}", lovp=bool(n % 2), owner=pick(roles), by=by)
    if kind == "observe":
        return Observe(text=f"observatie {n}", rating=pick(["P", "S", "M", "U", None]), by=by)
    if kind == "flag":
        if s.dilemmas and n % 2:
            return Flag(dilemma=pick([d.id for d in s.dilemmas]), by=by)
        return Flag(text=f"dilemma {n}", roles=tuple(roles[:2]), by=by)
    if kind == "adjust":
        var = pick(sorted(s.state))
        if var is None:
            return Note(text="geen toestand", by=by)
        value: float | bool = bool(n % 2) if s.state[var].is_bool else float(n % 7)
        return Adjust(changes={var: value}, reason="bijgesteld door de oefenleider", by=by)
    assert kind == "end"
    return End(by=by)


steps = st.lists(st.tuples(st.integers(0, 120), st.sampled_from(sorted(KINDS)),
                           st.integers(0, 10**6), st.integers(0, 10**6)), max_size=14)


def play(loaded: LoadedScenario, log: Path, plan: list[tuple[int, str, int, int]]) -> None:
    actors = sorted(loaded.roles) + list(STAFF)
    seated = {r: "" for r in sorted(loaded.roles)[::2]}
    session = LiveSession.start(loaded, SessionSettings(seed=3, participants=seated), log)
    ex = session.exercise
    try:
        for delay, kind, n, who in plan:
            if kind == "end" and n % 4:  # ending is one command among many, not most plays
                kind = "note"
            command = make_command(loaded, ex.now, kind, n, actors[who % len(actors)], delay)
            try:
                session.apply(RunUntil(until=ex.now + delay, origin="policy"))
                session.apply(command)
            except ExerciseError:
                pass
        if not ex.finished:
            session.apply(RunUntil(until=max(ex.now, ex.horizon)))
    finally:
        session.close()


def engine_events(log: Path) -> list[dict[str, Any]]:
    return [ln.payload for ln in read_journal(log).lines if ln.is_engine_event]


def resume_cut(log: Path, keep: int, target: Path) -> list[dict[str, Any]]:
    """The log cut after `keep` lines, resumed, and its remaining commands applied."""
    raw = log.read_bytes().splitlines(keepends=True)
    target.write_bytes(b"".join(raw[:keep]))
    journal = read_journal(log)
    later = [command_from_dict(ln.payload["command"]) for ln in journal.lines
             if ln.is_command and ln.number > keep]
    resumed = resume(target)
    session = LiveSession(resumed.loaded, resumed.exercise, resumed.writer,
                          SessionSettings.from_header(resumed.journal.header))
    for command in later:
        session.apply(command)
    session.close()
    return engine_events(target)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(plan=steps, cuts=st.lists(st.floats(0, 1), min_size=2, max_size=2))
def test_any_commands_give_a_log_that_verifies_resumes_and_reports(
        scenario: Path, tmp_path_factory: pytest.TempPathFactory,
        plan: list[tuple[int, str, int, int]], cuts: list[float]) -> None:
    loaded = loaded_of(scenario)
    folder = tmp_path_factory.mktemp("cmd")
    log = folder / "oefening.jsonl"
    play(loaded, log, plan)
    verdict = verify(log)
    assert verdict.ok, verdict.message
    expected = engine_events(log)
    lines = log.read_bytes().count(b"\n")
    end = next((i for i, ln in enumerate(read_journal(log).lines, start=2)
                if ln.type == "end"), lines + 1)
    for index, fraction in enumerate(cuts):
        keep = 1 + int(fraction * (end - 2))  # never after the end: a finished log is final
        cut = folder / f"cut{index}.jsonl"
        assert resume_cut(log, keep, cut) == expected, f"cut after line {keep}"
        assert verify(cut).ok
    document = build_document(load_logs([log]))
    for fmt in ("md", "html", "docx"):
        assert len(render(document, fmt)) > 200
