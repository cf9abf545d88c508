"""Determinism: the same scenario, seed and actions give the identical event list; and a log
of any such play re-simulates to exactly its own events (what `verify` and `resume` rely on)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.engine.policies import autoplay
from tabletop.journal.reader import read_journal
from tabletop.journal.replay import resimulate
from tabletop.journal.session import LiveSession, SessionSettings
from tabletop.model.commands import (
    Command,
    Decide,
    Flag,
    MarkMet,
    Note,
    Release,
    RunUntil,
    Skip,
)
from tabletop.model.events import Event
from tabletop.model.loading import LoadedScenario

BODY = """
end: 6h
state:
  spanning: {label: S, initial: 1, min: 0, max: 5}
  vertrouwen: {label: V, initial: 70, min: 0, max: 100}
  bovenlokaal: {label: B, initial: false}
resources:
  me: {label: ME, capacity: 3}
phases:
  - {id: aanloop, title: A, questions: [Wie?]}
  - {id: blokkade, title: B}
dilemmas:
  - {id: dil, title: D, roles: [burgemeester, om]}
injects:
  - {id: melding, at: 10m, from: X, to: [burgemeester], channel: melding, title: M,
     expect: {what: Sitrap, within: 40m, else: rappel}}
  - {id: rappel, manual: true, from: X, to: [politie], channel: telefoon, title: R}
  - {id: pers, manual: true, from: NOS, to: [burgemeester], channel: nieuws, title: P}
  - {id: blokkade, after: {event: melding, delay: 30m}, phase: blokkade, from: X,
     to: [burgemeester], channel: melding, title: B, expect: {what: Uurlijks, every: 1h}}
  - {id: escalatie, when: spanning >= 3, from: X, to: [burgemeester], channel: melding,
     title: E}
  - {id: klok, when: t >= 95 and t % 5 == 2, from: X, to: [om], channel: melding, title: K}
decisions:
  - id: aanpak
    on: blokkade
    question: Q
    domain: openbare-orde
    consult: [politie, om]
    deadline: 45m
    default: wachten
    options:
      - {id: ontruimen, label: O, uses: {me: 2}, for: 1h,
         effects: [{add: {spanning: 2}}, {surface: dil}]}
      - {id: gedogen, label: G, effects: [{add: {spanning: -1, vertrouwen: 5}}]}
      - {id: wachten, label: W, effects: [{add: {spanning: 1}}]}
  - id: opschalen
    when: spanning >= 3
    question: Q
    domain: crisisbeheersing
    owner: burgemeester
    deadline: 30m
    default: nee
    options:
      - {id: ja, label: J, effects: [{set: {bovenlokaal: true}}]}
      - {id: nee, label: N}
  - id: vervolging
    at: 20m
    question: Q
    domain: strafrechtelijke-handhaving
    owner: om
    deadline: 2h
    default: nee
    auto: ja
    auto_delay: 25m
    options:
      - {id: ja, label: J, uses: {me: 2}, for: 30m}
      - {id: nee, label: N}
  - id: woord
    at: 1h
    question: Q
    domain: crisiscommunicatie
rules:
  - {id: regel, every: 1h, if: spanning >= 3, effects: [{add: {vertrouwen: -5}}]}
outcomes:
  - {id: ontsporing, when: spanning >= 5 and vertrouwen < 50, title: O}
  - {id: beheerst, final: true, when: vertrouwen >= 60, title: B}
  - {id: schade, final: true, title: S}
"""

ROLES = ["burgemeester", "politie", "om", "voorzitter-vr"]
DECISIONS = {"aanpak": ["ontruimen", "gedogen", "wachten"], "opschalen": ["ja", "nee"],
             "vervolging": ["ja", "nee"], "woord": []}

action = st.one_of(
    st.tuples(st.just("decide"), st.sampled_from(sorted(DECISIONS)), st.integers(0, 2),
              st.sampled_from(ROLES + ["facilitator"]),
              st.dictionaries(st.sampled_from(ROLES), st.sampled_from(
                  ["ontruimen", "gedogen", "wachten", "ja", "nee", "tekst"]), max_size=2)),
    st.tuples(st.just("release"), st.sampled_from(["rappel", "pers", "escalatie"])),
    st.tuples(st.just("met"), st.sampled_from(["melding", "blokkade"])),
    st.tuples(st.just("note"), st.text("abc ", min_size=1, max_size=5), st.booleans()),
    st.tuples(st.just("skip"), st.sampled_from(["escalatie", "klok", "pers"])),
    st.tuples(st.just("flag"), st.sampled_from(["dil", None])),
)
plays = st.lists(st.tuples(st.integers(0, 50), action), max_size=14)


def play(loaded: LoadedScenario, seed: int, participants: set[str],
         steps: list[tuple[int, tuple[Any, ...]]], log: Path | None = None) -> Exercise:
    """Carry out the actions, `delay` minutes apart; refused ones are part of the play.
    With `log`, through a live session that journals every command."""
    session = LiveSession.start(loaded, SessionSettings(
        seed=seed, participants={r: "" for r in participants}), log)
    ex = session.exercise
    send = session.apply
    try:
        _play(ex, send, steps)
    finally:
        session.close()
    return ex


def _play(ex: Exercise, send: Callable[[Command], list[Event]],
          steps: list[tuple[int, tuple[Any, ...]]]) -> None:
    def out(events: list[Event]) -> None:
        pass

    for delay, act in steps:
        if ex.finished:
            break
        out(send(RunUntil(until=ex.now + delay)))
        if ex.finished:
            break
        kind = act[0]
        try:
            if kind == "decide":
                _, decision, index, by, advice = act
                options = DECISIONS[decision]
                if options:
                    out(send(Decide(decision=decision, option=options[index % len(options)],
                                    by=by, advice=advice)))
                else:
                    out(send(Decide(decision=decision,
                                    by=by, answer=f"antwoord {index}", advice=advice)))
            elif kind == "release":
                out(send(Release(inject=act[1])))
            elif kind == "met":
                out(send(MarkMet(inject=act[1])))
            elif kind == "note":
                out(send(Note(text=act[1], lovp=act[2])))
            elif kind == "skip":
                out(send(Skip(inject=act[1])))
            elif kind == "flag":
                out(send(Flag(dilemma=act[1])) if act[1] else
                    send(Flag(text="Handmatig", roles=("om",))))
        except ExerciseError:
            pass
    out(send(RunUntil(until=ex.horizon)))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> LoadedScenario:
    from tabletop.model.loading import load_roles, load_scenario

    path = tmp_path_factory.mktemp("det") / "s.yaml"
    path.write_text("format: 1\nid: det\ntitle: D\nstart: 2027-03-14T06:00:00+01:00\n"
                    "roles: [burgemeester, politie, om, voorzitter-vr]\n" + BODY,
                    encoding="utf-8")
    return load_scenario(path, load_roles(Path(__file__).resolve().parents[2] / "roles"))


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(steps=plays, seed=st.integers(0, 2**31),
       participants=st.sets(st.sampled_from(ROLES)))
def test_the_same_actions_give_the_identical_event_list(
        loaded: LoadedScenario, steps: list[tuple[int, tuple[Any, ...]]], seed: int,
        participants: set[str]) -> None:
    first = [e.to_dict() for e in play(loaded, seed, participants, steps).events]
    second = [e.to_dict() for e in play(loaded, seed, participants, steps).events]
    assert first == second
    assert first[-1]["type"] == "end"


@SETTINGS
@given(steps=plays, participants=st.sets(st.sampled_from(ROLES), min_size=1))
def test_a_log_of_any_play_resimulates_to_its_own_events(
        loaded: LoadedScenario, steps: list[tuple[int, tuple[Any, ...]]],
        participants: set[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.jsonl"
        ex = play(loaded, 7, participants, steps, path)
        journal = read_journal(path)
        replayed, divergence = resimulate(journal, loaded)
        assert divergence is None
        assert [e.to_dict() for e in replayed.events] == [e.to_dict() for e in ex.events]


@pytest.mark.parametrize("policy", ["random", "default", "first"])
def test_autoplay_is_deterministic_per_seed(loaded: LoadedScenario, policy: str) -> None:
    runs: dict[int, list[list[dict[str, Any]]]] = {}
    for seed in (1, 2, 1):
        ex = Exercise(loaded, seed=seed)
        runs.setdefault(seed, []).append([e.to_dict() for e in autoplay(ex, policy, seed)])
    assert runs[1][0] == runs[1][1]
    if policy == "random":
        assert runs[1][0] != runs[2][0]


def test_a_log_resimulates_when_the_live_clock_stopped_between_commands(
        loaded: LoadedScenario, tmp_path: Path) -> None:
    """The live session ran the clock to minute 97 (a refused action); the log has no line
    there, so the replay never stops at 97: a `when` on the clock must not care."""
    steps: list[tuple[int, tuple[Any, ...]]] = [
        (50, ("note", "a", False)), (47, ("met", "rappel")), (13, ("note", "b", True))]
    path = tmp_path / "log.jsonl"
    ex = play(loaded, 7, set(ROLES), steps, path)
    assert (97, "klok") in [(e.t, getattr(e, "inject", None)) for e in ex.events]
    _, divergence = resimulate(read_journal(path), loaded)
    assert divergence is None
