"""Translation files: `--lang en` shows a scenario's texts in English where a file beside it
provides them; nothing but text changes; a wrong id or list is a located error in the user's
language."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from tabletop.engine.exercise import Exercise
from tabletop.engine.script import play_script
from tabletop.errors import ScenarioProblems
from tabletop.model.loading import LoadedScenario, RoleLibrary, load_scenario
from tabletop.model.scripted import load_script
from tabletop.model.translation import (
    TRANSLATIONS_DIR,
    load_translation,
    translated,
    translation_path,
)

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

ROOT = Path(__file__).resolve().parents[2]
INTRO = ROOT / "scenarios" / "introductie.yaml"
COURSE = ROOT / "tests" / "data" / "courses" / "introductie.yaml"


@pytest.fixture
def intro(roles: RoleLibrary) -> LoadedScenario:
    return load_scenario(INTRO, roles)


@pytest.fixture
def copy(tmp_path: Path, roles: RoleLibrary):  # type: ignore[no-untyped-def]
    """The introduction copied into a scratch folder, with a translation file of our own."""
    folder = tmp_path / "scenarios"
    (folder / TRANSLATIONS_DIR).mkdir(parents=True)
    path = shutil.copy(INTRO, folder / "introductie.yaml")

    def _with(text: str) -> tuple[LoadedScenario, Path]:
        overlay = folder / TRANSLATIONS_DIR / "introductie.en.yaml"
        overlay.write_text(textwrap.dedent(text), encoding="utf-8")
        return load_scenario(Path(path), roles), overlay
    return _with


def test_the_file_lives_beside_the_scenario_in_its_own_folder() -> None:
    expected = ROOT / "scenarios" / "vertalingen" / "introductie.en.yaml"
    assert translation_path(INTRO, "en") == expected
    assert translation_path(INTRO, "en").is_file()
    # a scenario folder's *.yaml never picks it up as a scenario
    assert not any(p.name.endswith(".en.yaml") for p in (ROOT / "scenarios").glob("*.yaml"))


def test_the_introduction_is_translated_in_full(intro: LoadedScenario) -> None:
    nl, en = intro.scenario, translated(intro, "en").scenario
    assert en.title == "Introduction: sit-in at the gate"
    assert en.summary != nl.summary and en.facilitator != nl.facilitator
    for a, b in zip(nl.injects, en.injects, strict=True):
        assert b.title != a.title and b.text != a.text, a.id
        assert a.facilitator and b.facilitator and b.facilitator.guidance != a.facilitator.guidance
        assert (a.expect is None) == (b.expect is None)
        if a.expect and b.expect:
            assert b.expect.what != a.expect.what
    for da_, db_ in zip(nl.decisions, en.decisions, strict=True):
        assert db_.question != da_.question and db_.context != da_.context, da_.id
        for oa, ob in zip(da_.options, db_.options, strict=True):
            assert ob.label != oa.label, (da_.id, oa.id)
    for pa, pb in zip(nl.phases, en.phases, strict=True):
        assert pb.title != pa.title and len(pb.questions) == len(pa.questions)
        assert all(qa != qb for qa, qb in zip(pa.questions, pb.questions, strict=True))
    for da, db in zip(nl.dilemmas, en.dilemmas, strict=True):
        assert db.title != da.title and db.question != da.question
        assert db.bases == da.bases  # legal bases stay as written: the log records them
    assert all(b.title != a.title for a, b in zip(nl.outcomes, en.outcomes, strict=True))
    assert all(b.title != a.title for a, b in zip(nl.objectives, en.objectives, strict=True))
    assert all(en.state[k].label != v.label for k, v in nl.state.items())
    assert en.resources["me-pelotons"].label == "Riot police (ME) platoons available"
    assert en.parameters["gemeente"].label == "Municipality"
    # a role id sender stays a role id; a free-text sender is translated
    assert [i.from_ for i in en.injects][1] == "politie"
    assert en.injects[0].from_ == "Exercise control"


def test_only_text_changes_the_same_course_gives_the_same_events(
        intro: LoadedScenario) -> None:
    en = translated(intro, "en")
    assert en.content_hash == intro.content_hash
    runs = []
    for loaded in (intro, en):
        ex = Exercise(loaded, participants=set(loaded.roles))
        play_script(ex, load_script(COURSE, loaded), ex.apply)
        runs.append([e.to_dict() for e in ex.events])
    assert runs[0] == runs[1]


def test_dutch_or_no_file_leaves_the_scenario_alone(intro: LoadedScenario, copy) -> None:  # type: ignore[no-untyped-def]
    assert translated(intro, "nl") is intro
    loaded, overlay = copy("translates: introductie\nlang: en\n")
    overlay.unlink()
    assert translated(loaded, "en") is loaded


def test_a_partial_file_translates_what_it_names_and_keeps_the_rest(copy) -> None:  # type: ignore[no-untyped-def]
    loaded, _ = copy("""
        translates: introductie
        lang: en
        decisions:
          vervolging:
            options:
              geen-lijn: {label: No line}
    """)
    en = translated(loaded, "en").scenario
    vervolging = en.decision("vervolging")
    original = loaded.scenario.decision("vervolging")
    option = vervolging.option("geen-lijn") if vervolging else None
    assert vervolging and original and option and option.label == "No line"
    assert vervolging.question == original.question
    assert en.title == loaded.scenario.title


def test_an_unknown_id_is_a_located_error_with_the_nearest_id(copy) -> None:  # type: ignore[no-untyped-def]
    loaded, overlay = copy("""
        translates: introductie
        lang: en
        injects:
          startsituatie: {title: Start}
          capaciteitbeeld: {title: Capacity}
        decisions:
          aanpak-sit-in:
            options:
              verbodzone: {label: Ban}
    """)
    with pytest.raises(ScenarioProblems) as info:
        translated(loaded, "en")
    found = {(p.line, p.col): p.message for p in info.value.errors}
    assert found[(6, 3)] == ("injects: 'capaciteitbeeld' is not in the scenario "
                             "(did you mean 'capaciteitsbeeld'?)")
    assert found[(10, 7)] == ("options: 'verbodzone' is not in the scenario "
                              "(did you mean 'verbodszone'?)")
    assert all(p.file.endswith("introductie.en.yaml") for p in info.value.errors)
    # and in Dutch, the default language of messages
    with pytest.raises(ScenarioProblems) as dutch:
        load_translation(overlay, loaded.scenario)
    assert "staat niet in het scenario (bedoelt u 'capaciteitsbeeld'?)" in \
        dutch.value.render("nl")


def test_a_list_of_the_wrong_length_is_refused(copy) -> None:  # type: ignore[no-untyped-def]
    loaded, overlay = copy("""
        translates: introductie
        lang: en
        phases:
          aanloop:
            questions: [Only one question]
    """)
    with pytest.raises(ScenarioProblems) as info:
        load_translation(overlay, loaded.scenario, "en")
    [problem] = info.value.errors
    assert (problem.line, problem.col) == (6, 16)
    assert problem.message.startswith("1 items, the scenario has 2")


def test_a_file_for_another_scenario_or_language_is_refused(copy) -> None:  # type: ignore[no-untyped-def]
    loaded, overlay = copy("translates: konvooi-delta\nlang: en\n")
    with pytest.raises(ScenarioProblems) as dutch:
        load_translation(overlay, loaded.scenario)
    assert "is voor 'konvooi-delta', het scenario heet" in dutch.value.render("nl")
    overlay.write_text("translates: introductie\nlang: fr\n", encoding="utf-8")
    with pytest.raises(ScenarioProblems,
                       match=r"2:7: unknown language 'fr' \(choose from nl, en\)"):
        load_translation(overlay, loaded.scenario, "en")


def test_a_misspelt_key_is_a_located_error(copy) -> None:  # type: ignore[no-untyped-def]
    loaded, overlay = copy("""
        translates: introductie
        lang: en
        injects:
          startsituatie: {titel: Start}
    """)
    with pytest.raises(ScenarioProblems) as info:
        load_translation(overlay, loaded.scenario, "en")
    [problem] = info.value.errors
    assert problem.line == 5 and "titel" in problem.message
