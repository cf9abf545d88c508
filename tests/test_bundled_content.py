"""The bundled scenarios ring true and hold up: they validate strictly, every part of them
can happen in random play, and each plays one plausible course to a checked-in transcript.

Set TABLETOP_UPDATE_TRANSCRIPTS=1 to rewrite the transcripts after a deliberate change
(and read the diff before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tabletop.engine.exercise import Exercise
from tabletop.engine.script import play_script
from tabletop.engine.simulate import simulate
from tabletop.i18n.names import Names
from tabletop.model.loading import load_roles, load_scenario
from tabletop.model.scripted import load_script
from tabletop.model.validate import validate_paths
from tabletop.report.timeline import timeline

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
COURSES = ROOT / "tests" / "data" / "courses"
TRANSCRIPTS = ROOT / "tests" / "data" / "transcripts"
EXERCISES = {"konvooi.yaml": "konvooi-delta", "haven.yaml": "donker-haven",
             "depot.yaml": "het-depot", "grijze-zone.yaml": "grijze-zone"}
PLAYED = {**EXERCISES, "introductie.yaml": "introductie", "voorbeeld.yaml": "voorbeeld"}
KINDS = ("bevoegdheid", "overlap", "schaarste", "termijn")
"""Kinds every large bundled scenario surfaces in some random run (advies needs a formal
voice, doel candidate framings, instemming consent, verdeeld joint owners, informatie
need to know: the bundled scenarios of format 1 have none of these yet)."""
STRUCTURAL = {
    # the voorzitter VR owns five decisions whether or not the region scaled up: without
    # GRIP 4 he holds no gezag over them (Wvr art. 39), in about half the runs each
    "haven.yaml": {"bevoegdheid"},
    # beveiliging-directeur puts both B&B holders (OvJ for the person, burgemeester for the
    # object) at the table; bewaking-bedrijfspand and evacuatie claim the same scarce teams
    "depot.yaml": {"overlap", "schaarste"},
    # D2: escort and festival claim the same motorrijders by design
    "konvooi.yaml": {"schaarste"},
    # the LOVP decisions seat minister, regioburgemeester and korpschef, who each hold part
    # of politiebeleid or beheer-politie (Politiewet 2012 art. 18-20, 27, 31, 39)
    "grijze-zone.yaml": {"overlap"},
}
"""Kinds a scenario surfaces in (nearly) every run because of how it is written; any other
kind surfacing in more than 90% of runs is noise, not a signal."""


def test_scenarios_and_roles_validate_strictly() -> None:
    report = validate_paths([SCENARIOS, ROOT / "roles"])
    assert report.usage == []
    assert [str(p) for p in report.problems] == []


def test_the_introduction_exists_and_is_short() -> None:
    loaded = load_scenario(SCENARIOS / "introductie.yaml", load_roles(ROOT / "roles"))
    assert loaded.scenario.id == "introductie"
    assert loaded.scenario.duration is not None and loaded.scenario.duration <= 15


@pytest.mark.parametrize("runs", [200, pytest.param(2000, marks=pytest.mark.slow)])
@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_random_play_reaches_every_part(name: str, runs: int) -> None:
    """Random play reaches every inject, option, dilemma and kind: in 200 runs by default,
    in 2,000 with `-m slow` (CI runs both)."""
    loaded = load_scenario(SCENARIOS / name, load_roles(ROOT / "roles"))
    s = loaded.scenario
    assert 15 <= len(s.injects) <= 40
    assert len([d for d in s.decisions if d.options]) >= 6
    assert all(d.owner and d.consult and d.deadline for d in s.decisions if d.options)
    # when nobody decides, nothing is decided: no default exercises a power
    assert not [d.id for d in s.decisions
                if d.default_option and (o := d.option(d.default_option)) and o.power]
    summary = simulate(loaded, runs=runs, policy="random", seed=7)
    assert summary.never_fired == []
    assert summary.never_chosen == []
    assert summary.never_surfaced == []
    assert len(summary.outcomes) >= 2, summary.outcomes
    missing = [kind for kind in KINDS if not summary.dilemmas["kinds"][kind]]
    assert missing == [], f"automatic dilemma kinds that never surfaced: {missing}"
    noise = {k: v for k, v in summary.kind_shares.items()
             if v > 0.9 and k not in STRUCTURAL.get(name, set())}
    assert noise == {}, f"kinds in more than 90% of runs (noise, not a signal): {noise}"


def transcript(name: str) -> str:
    loaded = load_scenario(SCENARIOS / name, load_roles(ROOT / "roles"))
    entries = load_script(COURSES / f"{PLAYED[name]}.yaml", loaded)
    auto = {"voorbeeld.yaml": {"spoorbeheerder"}}.get(name, set())
    ex = Exercise(loaded, participants=set(loaded.roles) - auto)
    play_script(ex, entries, ex.apply)
    assert ex.finished, f"{name}: the course does not reach the end of the story"
    return "\n".join(line.plain() for line in timeline(ex.events, Names(loaded))) + "\n"


@pytest.mark.parametrize("name", sorted(PLAYED))
def test_course_matches_its_transcript(name: str) -> None:
    if not (COURSES / f"{PLAYED[name]}.yaml").is_file():
        pytest.fail(f"no course tests/data/courses/{PLAYED[name]}.yaml")
    text = transcript(name)
    golden = TRANSCRIPTS / f"{PLAYED[name]}.txt"
    if os.environ.get("TABLETOP_UPDATE_TRANSCRIPTS") or not golden.exists():
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
