"""The report model of one exercise: what the builder reads out of a log."""

from __future__ import annotations

from reportkit import logs

from tabletop.report.build import build_exercise
from tabletop.report.model import ExerciseReport


def _build(name: str, lang: str = "nl", anonymise: bool = False) -> ExerciseReport:
    (x,) = logs(name)
    return build_exercise(x.journal, x.loaded, lang, anonymise)


def test_decisions_record_basis_advice_capacity_and_defaults() -> None:
    r = _build("oost")
    rows = {d.decision_id: d for d in r.decisions}
    demo = rows["demonstratie"]
    assert demo.decided_by == "Burgemeester" and demo.forum == "driehoek"
    assert demo.basis and "Wet openbare manifestaties art. 5" in demo.basis
    assert [(a.role, a.dissent) for a in demo.advice] == [
        ("Politiechef regionale eenheid", True), ("Officier van justitie / hoofdofficier", False)]
    assert len(demo.rejected) == 2
    ont = rows["ontruimen"]
    assert ont.basis_elsewhere == "Burgemeester", "the minister used the mayor's power"
    (cap,) = ont.capacity
    assert (cap.claimed, cap.requested, cap.free_after, cap.returns_t) == (1, 2, 0, 320)
    assert rows["woordvoering"].answered and rows["woordvoering"].basis is None
    built = _build("zuid")
    zuid = {d.decision_id: d for d in built.decisions}
    # `default: none`: at the deadline nobody decided, so nothing was decided (lapsed)
    assert "demonstratie" not in zuid and "vervolging" not in zuid
    assert [p.question for p in built.lapsed] == [
        "Hoe gaat u om met de aangekondigde zitblokkade?",
        "Welke vervolgingslijn kiest u voor de vastgeketende activisten?"]
    assert not zuid["ontruimen"].default


def test_open_decisions_objectives_questions() -> None:
    r = _build("zuid")
    assert [p.question for p in r.pending] == [
        "Wie voert namens de overheid het woord over de blokkade?"]
    assert [(o.objective_id, o.exercised) for o in r.objectives] == [
        ("od1", True), ("od2", True), ("od3", False)]
    answered = {(q.phase, q.number): q for q in _build("noord").questions}
    assert answered[("Aanloop", 1)].answers[0].by == "Burgemeester"
    assert answered[("Blokkade op het spoor", 1)].answers[0].by.startswith("Officier")


def test_dilemmas_have_bases_questions_and_owners() -> None:
    r = _build("oost")
    kinds = [d.kind for d in r.dilemmas]
    assert kinds[:3] == ["authored", "authored", "handmatig"], "people's dilemmas come first"
    d1 = next(d for d in r.dilemmas if d.key == "authored:d1-blokkade")
    assert any(b.unverified for b in d1.bases)
    assert d1.question.startswith("Welke ruimte geeft de Wet openbare manifestaties")
    assert d1.owner == "Regioburgemeesters"
    bevoegd = next(d for d in r.dilemmas if d.kind == "bevoegdheid")
    assert "Minister van Justitie en Veiligheid besloot" in bevoegd.situation
    assert bevoegd.owner == "Minister van Justitie en Veiligheid"


def test_agenda_is_deduplicated_and_names_who_takes_it_up() -> None:
    r = _build("noord")
    questions = [a.question for a in r.agenda]
    assert len(questions) == len(set(questions))
    note = next(a for a in r.agenda if a.question.startswith("Wie vraagt ME-bijstand"))
    assert note.owners == ("nog toe te wijzen",)
    spokes = next(a for a in r.agenda if a.question.startswith("Een landelijke afspraak"))
    assert spokes.owners == ("Regioburgemeesters",)


def test_state_series_follow_the_log() -> None:
    r = _build("oost")
    series = {s.var: s for s in r.series}
    assert series["spanning"].points == ((0, 1.0), (60, 2.0), (200, 3.0))
    assert series["me-pelotons"].capacity and series["me-pelotons"].points[0] == (0, 3.0)
    assert series["noodverordening"].boolean


def test_anonymise_and_english() -> None:
    r = _build("noord", "en", anonymise=True)
    assert all(p.person == "" for p in r.heading.participants)
    assert r.heading.facilitator == ""
    assert r.lang == "en"
