"""A report of three exercises: ranked dilemmas, shared decision points, one agenda."""

from __future__ import annotations

from reportkit import logs

from tabletop.report.build import build_exercise
from tabletop.report.combine import combine
from tabletop.report.model import CombinedReport


def _combined() -> CombinedReport:
    reports = [build_exercise(x.journal, x.loaded) for x in logs("noord", "oost", "zuid")]
    return combine(reports)


def test_dilemmas_are_ranked_by_how_many_exercises_surfaced_them() -> None:
    c = _combined()
    counts = [len(d.exercises) for d in c.dilemmas]
    assert counts == sorted(counts, reverse=True)
    top = c.dilemmas[0]
    assert top.kind == "advies" and len(top.exercises) == 2  # a formal voice (test data)
    assert {len(d.exercises) for d in c.dilemmas} == {1, 2}


def test_shared_decisions_show_each_exercises_choice() -> None:
    c = _combined()
    by_question = {s.question: s for s in c.shared}
    demo = by_question["Hoe gaat u om met de aangekondigde zitblokkade?"]
    choices = {label.split(" (")[0]: row.option_id for label, row in demo.choices if row}
    assert choices == {"Driehoeksoefening Noord": "faciliteren",
                       "Driehoeksoefening Oost": "verbieden"}  # in Zuid it lapsed
    assert demo.distinct == 2
    zuid = next(row for label, row in demo.choices if label.startswith("Driehoeksoefening Zuid"))
    assert zuid is None
    spokesman = by_question["Wie voert namens de overheid het woord over de blokkade?"]
    assert [row is None for _, row in spokesman.choices] == [False, False, True]


def test_combined_agenda_merges_the_same_point_from_several_exercises() -> None:
    c = _combined()
    me = [a for a in c.agenda if a.question.startswith("Wie vraagt ME-bijstand")]
    assert len(me) == 1, "the same note (case and spacing aside) is one agenda item"
    assert len(me[0].exercises) == 3
    assert c.agenda[0] is me[0], "the point raised by most exercises comes first"
    questions = [a.question.casefold() for a in c.agenda]
    assert len(questions) == len(set(questions))


def test_each_exercise_keeps_its_own_report() -> None:
    from reportkit import report

    text = report(("noord", "oost", "zuid"), "md").decode()
    for title in ("Driehoeksoefening Noord", "Driehoeksoefening Oost", "Driehoeksoefening Zuid"):
        assert f"## Oefening: {title}" in text
    assert text.count("#### Aanloop (T+00:00 – T+03:00)") == 3
