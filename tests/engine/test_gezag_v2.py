"""The nine automatic dilemma kinds of the gezag model version 2, each firing and, as
important, not firing; consent, joint positions, framings, lapses, mandate, places and
need to know as the engine plays them (`../shared/design/gezag-model.md`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.model.commands import Decide, RunUntil
from tabletop.model.events import (
    DecisionBlocked,
    DecisionLapsed,
    DecisionTaken,
    DilemmaSurfaced,
    EffectApplied,
    event_from_dict,
)

Make = Callable[..., Exercise]


def decide(ex: Exercise, decision: str, option: str | None = None, **kw: Any) -> list[Any]:
    return ex.apply(Decide(decision=decision, option=option, **kw))


def run_until(ex: Exercise, t: int) -> list[Any]:
    return ex.apply(RunUntil(until=t))


def kinds(ex: Exercise) -> list[str]:
    return [e.kind for e in ex.events if isinstance(e, DilemmaSurfaced)]


def surfaced(ex: Exercise, kind: str) -> DilemmaSurfaced:
    return next(e for e in ex.events if isinstance(e, DilemmaSurfaced) and e.kind == kind)


def taken(ex: Exercise, decision: str) -> DecisionTaken:
    return next(e for e in ex.events if isinstance(e, DecisionTaken) and e.decision == decision)


def v2(make: Make, body: str, roles: str, **kw: Any) -> Exercise:
    return make(body, roles_line=f"roles: {roles}", fmt=2, **kw)


# -- bevoegdheid and advies: the sole holder, informal and formal voices ----------------------
SOLE = """
    decisions:
      - id: aanpak
        at: 10m
        question: Q
        domain: openbare-orde
        owner: burgemeester
        consult:
          - politie
          - {role: om, kind: zienswijze, basis: Politiewet 2012 art. 13 lid 2}
        options: [{id: ontruimen, label: O}, {id: gedogen, label: G}]
"""


def test_a_sole_holder_overruling_an_informal_consultee_raises_no_dilemma(make: Make) -> None:
    ex = v2(make, SOLE, "[burgemeester, politie, om]")
    run_until(ex, 10)
    decide(ex, "aanpak", "gedogen", by="burgemeester",
              advice={"politie": "ontruimen", "om": "gedogen"})
    assert kinds(ex) == []
    assert taken(ex, "aanpak").advice["politie"] == "ontruimen"  # recorded all the same


def test_advies_when_a_formal_voice_differs_or_is_not_heard(make: Make) -> None:
    ex = v2(make, SOLE, "[burgemeester, politie, om]")
    run_until(ex, 10)
    decide(ex, "aanpak", "gedogen", by="burgemeester", advice={"om": "ontruimen"})
    event = surfaced(ex, "advies")
    assert event.detail["advice"] == {"om": "ontruimen"} and event.detail["not_heard"] == []
    assert {"role": "om", "basis": "Politiewet 2012 art. 13 lid 2", "unverified": False,
            "kind": "zienswijze"} in event.bases
    ex2 = v2(make, SOLE, "[burgemeester, politie, om]")
    run_until(ex2, 10)
    decide(ex2, "aanpak", "gedogen", by="burgemeester", advice={"politie": "gedogen"})
    assert surfaced(ex2, "advies").detail["not_heard"] == ["om"]


# -- bevoegdheid under Wvr art. 39: crisis only ---------------------------------------------
SCALE_UP = """
    state:
      bovenlokaal: {label: Bovenlokaal, initial: true}
    decisions:
      - {id: crisisbesluit, at: 10m, question: Q, domain: openbare-orde,
         options: [{id: a, label: A}]}
      - {id: voetbalwedstrijd, at: 10m, question: Q, domain: openbare-orde, crisis: false,
         options: [{id: a, label: A}]}
"""


def test_a_crisis_decision_after_scale_up_taken_by_the_burgemeester_is_bevoegdheid(
        make: Make) -> None:
    ex = v2(make, SCALE_UP, "[burgemeester, voorzitter-vr]")
    run_until(ex, 10)
    assert ex.open_decision("crisisbesluit").owner == "voorzitter-vr"  # type: ignore[union-attr]
    decide(ex, "crisisbesluit", "a", by="burgemeester")
    event = surfaced(ex, "bevoegdheid")
    assert event.detail == {"domain": "openbare-orde", "decided_by": "burgemeester",
                            "holders": ["voorzitter-vr"]}
    assert any("art. 39" in (b["basis"] or "") for b in event.bases)


def test_a_regular_decision_after_scale_up_stays_with_the_burgemeester(make: Make) -> None:
    ex = v2(make, SCALE_UP, "[burgemeester, voorzitter-vr]")
    run_until(ex, 10)
    assert ex.open_decision("voetbalwedstrijd").owner == "burgemeester"  # type: ignore[union-attr]
    decide(ex, "voetbalwedstrijd", "a", by="burgemeester")
    assert kinds(ex) == []


# -- mandate: the NCTV decides in the minister's name -----------------------------------------
MANDATE = """
    decisions:
      - id: dreigingsniveau
        at: 10m
        question: Q
        domain: nationale-veiligheid
        owner: nctv
        consult: [minister-jenv]
        options: [{id: verhogen, label: V}, {id: handhaven, label: H}]
"""


def test_a_mandataris_deciding_for_the_minister_raises_no_dilemma(make: Make) -> None:
    ex = v2(make, MANDATE, "[nctv, minister-jenv]")
    run_until(ex, 10)
    assert ex.world.holders("nationale-veiligheid") == ["minister-jenv"]  # the NCTV holds none
    decide(ex, "dreigingsniveau", "verhogen", by="nctv", advice={"minister-jenv": "verhogen"})
    assert kinds(ex) == []  # no bevoegdheid, and no overlap between mandataris and mandator
    assert taken(ex, "dreigingsniveau").on_behalf_of == "minister-jenv"


def test_a_mandataris_without_its_mandator_has_no_gezag(make: Make) -> None:
    ex = v2(make, MANDATE.replace("consult: [minister-jenv]", "consult: []"), "[nctv]")
    run_until(ex, 10)
    decide(ex, "dreigingsniveau", "verhogen", by="nctv")
    assert kinds(ex) == ["bevoegdheid"]


# -- instemming: consent is a veto ----------------------------------------------------------
CONSENT = """
    resources:
      kmar: {label: KMar, capacity: 4}
    state:
      ingezet: {label: Ingezet, initial: false}
    decisions:
      - id: militaire-bijstand
        at: 10m
        question: Q
        domain: militaire-bijstand
        owner: minister-jenv
        consent:
          - role: defensie
            basis: Politiewet 2012 art. 57 lid 3
            options: [bijstand-verlenen]
        options:
          - {id: bijstand-verlenen, label: B, power: kmar-bijstand-verlenen,
             uses: {kmar: 2}, effects: [{set: {ingezet: true}}]}
          - {id: afwijzen, label: A}
"""


def test_a_refused_consent_surfaces_instemming_and_the_option_is_not_taken(make: Make) -> None:
    ex = v2(make, CONSENT, "[minister-jenv, defensie]")
    run_until(ex, 10)
    decide(ex, "militaire-bijstand", "bijstand-verlenen", by="minister-jenv",
              consent={"defensie": False})
    blocked = [e for e in ex.events if isinstance(e, DecisionBlocked)]
    assert [(b.reason, b.option, b.consent) for b in blocked] == [
        ("instemming", "bijstand-verlenen", {"defensie": False})]
    event = surfaced(ex, "instemming")
    assert event.roles == ("minister-jenv", "defensie")
    assert event.detail == {"option": "bijstand-verlenen", "refused": ["defensie"],
                            "missing": []}
    assert {"role": "defensie", "basis": "Politiewet 2012 art. 57 lid 3",
            "unverified": False} in event.bases
    # nothing applied, nothing claimed, the decision still open for another option
    assert ex.world.state["ingezet"] is False and ex.snapshot().capacity["kmar"] == (4, 4)
    assert ex.is_open("militaire-bijstand")
    decide(ex, "militaire-bijstand", "afwijzen", by="minister-jenv")
    assert taken(ex, "militaire-bijstand").option == "afwijzen"
    assert kinds(ex) == ["instemming"]


def test_consent_given_is_recorded_and_raises_nothing(make: Make) -> None:
    ex = v2(make, CONSENT, "[minister-jenv, defensie]")
    run_until(ex, 10)
    decide(ex, "militaire-bijstand", "bijstand-verlenen", by="minister-jenv",
              consent={"defensie": True})
    assert kinds(ex) == [] and taken(ex, "militaire-bijstand").consent == {"defensie": True}
    assert ex.world.state["ingezet"] is True


def test_a_missing_consent_surfaces_instemming(make: Make) -> None:
    ex = v2(make, CONSENT, "[minister-jenv, defensie]")
    run_until(ex, 10)
    decide(ex, "militaire-bijstand", "bijstand-verlenen", by="minister-jenv")
    assert surfaced(ex, "instemming").detail["missing"] == ["defensie"]


def test_consent_of_a_role_the_decision_does_not_ask_is_an_error(make: Make) -> None:
    ex = v2(make, CONSENT, "[minister-jenv, defensie]")
    run_until(ex, 10)
    with pytest.raises(ExerciseError, match="asks no consent of 'minister-jenv'"):
        decide(ex, "militaire-bijstand", "afwijzen", by="minister-jenv",
                  consent={"minister-jenv": True})


# -- termijn: when nobody decides, nothing is decided --------------------------------------
LAPSE = """
    resources:
      me: {label: ME, capacity: 4}
    state:
      spanning: {label: Spanning, initial: 1}
    decisions:
      - {id: noodbevel, at: 10m, question: Q, domain: openbare-orde, owner: burgemeester,
         deadline: 30m, default: none,
         options: [{id: afzetten, label: A, power: noodbevel, uses: {me: 2},
                    effects: [{add: {spanning: 2}}]},
                   {id: niets, label: N}]}
      - {id: gevolg, after: {event: noodbevel, delay: 5m}, question: Q, domain: openbare-orde,
         if: 'decided("noodbevel") == none', options: [{id: a, label: A}]}
      - {id: met-standaard, at: 10m, question: Q, domain: openbare-orde, owner: burgemeester,
         deadline: 30m, default: niets,
         options: [{id: afzetten, label: A, power: noodbevel}, {id: niets, label: N}]}
"""


def test_a_lapse_without_default_applies_nothing_and_surfaces_termijn(make: Make) -> None:
    ex = v2(make, LAPSE, "[burgemeester]")
    run_until(ex, 100)
    lapsed = [e for e in ex.events if isinstance(e, DecisionLapsed)]
    assert [(e.t, e.decision, e.deadline_t) for e in lapsed] == [(40, "noodbevel", 40)]
    assert not any(isinstance(e, DecisionTaken) and e.decision == "noodbevel"
                   for e in ex.events)
    assert not [e for e in ex.events if isinstance(e, EffectApplied)]
    assert ex.snapshot().capacity["me"] == (4, 4)
    termijn = [e for e in ex.events if isinstance(e, DilemmaSurfaced) and e.kind == "termijn"]
    assert [(e.decision, e.detail["lapsed"]) for e in termijn] == [
        ("noodbevel", True), ("met-standaard", False)]
    # `decided()` reads none for a lapsed decision; what follows it still comes
    assert ex.world.decided("noodbevel") is None and ex.is_open("gevolg")
    # a power-free default is applied (and still recorded as termijn)
    assert taken(ex, "met-standaard").default and taken(ex, "met-standaard").option == "niets"


def test_a_decision_taken_in_time_raises_no_termijn(make: Make) -> None:
    ex = v2(make, LAPSE, "[burgemeester]")
    run_until(ex, 10)
    decide(ex, "noodbevel", "niets", by="burgemeester")
    decide(ex, "met-standaard", "niets", by="burgemeester")
    run_until(ex, 100)
    assert "termijn" not in kinds(ex)


# -- informatie: need to know --------------------------------------------------------------
CLASSIFIED = """
    injects:
      - {id: briefing, at: 5m, from: nctv, to: [burgemeester], channel: briefing,
         title: Dreiging, text: Geheim, classification: stg-geheim,
         need_to_know: [burgemeester]}
    decisions:
      - {id: evenement, at: 10m, question: Q, domain: strafrechtelijke-handhaving, owner: om,
         consult: [burgemeester], rests_on: [briefing], options: [{id: a, label: A}]}
      - {id: afgelasten, at: 10m, question: Q, domain: openbare-orde, owner: burgemeester,
         rests_on: [briefing], options: [{id: a, label: A}]}
"""


def test_a_classified_briefing_the_decider_may_not_see_is_informatie(make: Make) -> None:
    ex = v2(make, CLASSIFIED, "[burgemeester, om, nctv]")
    run_until(ex, 10)
    decide(ex, "evenement", "a", by="om")
    event = surfaced(ex, "informatie")
    assert event.roles == ("om",) and event.detail["unseen"] == {"om": ["briefing"]}
    decide(ex, "afgelasten", "a", by="burgemeester")  # the burgemeester may see it
    assert kinds(ex) == ["informatie"]


# -- overlap: places -----------------------------------------------------------------------
AREAS = """
    areas:
      noorderzijl: {label: Noorderzijl, region: groningen}
      westerhaven: {label: Westerhaven, region: groningen}
    regions:
      groningen: {label: Groningen}
    decisions:
      - {id: grensgebied, at: 10m, question: Q, domain: openbare-orde,
         area: [noorderzijl, westerhaven], consult: [bm-westerhaven],
         options: [{id: a, label: A}]}
      - {id: alleen-noord, at: 10m, question: Q, domain: openbare-orde, area: noorderzijl,
         consult: [bm-westerhaven], options: [{id: a, label: A}]}
"""
PLACED = ("[{role: burgemeester, as: bm-noorderzijl, area: noorderzijl}, "
          "{role: burgemeester, as: bm-westerhaven, area: westerhaven}]")


def test_two_burgemeesters_over_two_areas_is_overlap(make: Make) -> None:
    ex = v2(make, AREAS, PLACED)
    run_until(ex, 10)
    event = surfaced(ex, "overlap")
    assert event.decision == "grensgebied"
    assert event.roles == ("bm-noorderzijl", "bm-westerhaven")
    assert [e.decision for e in ex.events if isinstance(e, DilemmaSurfaced)] == ["grensgebied"]
    # one area: only its burgemeester holds; the other deciding there lacks gezag
    assert ex.open_decision("alleen-noord").owner == "bm-noorderzijl"  # type: ignore[union-attr]
    decide(ex, "alleen-noord", "a", by="bm-westerhaven")
    assert surfaced(ex, "bevoegdheid").detail["holders"] == ["bm-noorderzijl"]


# -- verdeeld: deciding together -----------------------------------------------------------
JOINT = """
    decisions:
      - id: driehoek
        at: 10m
        question: Q
        domains: [openbare-orde, strafrechtelijke-handhaving]
        owner: [om, burgemeester]
        together: all
        options: [{id: afzetten, label: A}, {id: onderzoeken, label: O}]
"""


def test_a_joint_decision_that_splits_is_verdeeld_and_stays_open(make: Make) -> None:
    ex = v2(make, JOINT, "[burgemeester, om]")
    run_until(ex, 10)
    decide(ex, "driehoek", "afzetten", by="burgemeester",
              positions={"om": "onderzoeken", "burgemeester": "afzetten"})
    assert ex.is_open("driehoek")
    event = surfaced(ex, "verdeeld")
    assert event.roles == ("om", "burgemeester")
    assert event.detail["positions"] == {"om": "onderzoeken", "burgemeester": "afzetten"}
    # the facilitator records the outcome the table settled on
    decide(ex, "driehoek", "onderzoeken", by="facilitator",
              positions={"om": "onderzoeken", "burgemeester": "afzetten"})
    assert taken(ex, "driehoek").positions == {"om": "onderzoeken", "burgemeester": "afzetten"}


def test_a_joint_decision_the_owners_agree_on_is_taken_without_dilemma(make: Make) -> None:
    ex = v2(make, JOINT, "[burgemeester, om]")
    run_until(ex, 10)
    decide(ex, "driehoek", "afzetten", by="burgemeester", framing="openbare-orde",
              positions={"om": "afzetten", "burgemeester": "afzetten"})
    # doel surfaced when it opened (two framings, two holders); no overlap, no verdeeld
    assert kinds(ex) == ["doel"]
    assert taken(ex, "driehoek").framing == "openbare-orde"
    with pytest.raises(ExerciseError, match="agree on 'afzetten', not 'onderzoeken'"):
        ex2 = v2(make, JOINT, "[burgemeester, om]")
        run_until(ex2, 10)
        decide(ex2, "driehoek", "onderzoeken", by="om",
                   positions={"om": "afzetten", "burgemeester": "afzetten"})


# -- doel: purpose decides gezag -------------------------------------------------------------
PURPOSE = """
    decisions:
      - id: bewaking-depot
        at: 10m
        question: Q
        domains: [openbare-orde, strafrechtelijke-handhaving]
        options: [{id: afzetten, label: A}]
      - id: zelfde-houder
        at: 10m
        question: Q
        domains: [openbare-orde, noodbevoegdheden]
        options: [{id: a, label: A}]
"""


def test_a_decision_framed_by_purpose_surfaces_doel_and_records_the_framing(
        make: Make) -> None:
    ex = v2(make, PURPOSE, "[burgemeester, om]")
    run_until(ex, 10)
    assert kinds(ex) == ["doel"]  # the second's candidates have the same holder: no doel
    event = surfaced(ex, "doel")
    assert event.detail["framings"] == {"openbare-orde": ["burgemeester"],
                                        "strafrechtelijke-handhaving": ["om"]}
    decide(ex, "bewaking-depot", "afzetten", by="om", framing="strafrechtelijke-handhaving")
    assert taken(ex, "bewaking-depot").framing == "strafrechtelijke-handhaving"
    assert kinds(ex) == ["doel"]  # framed so, the OvJ holds it: no bevoegdheid
    with pytest.raises(ExerciseError, match="cannot be framed as 'beheer-politie'"):
        decide(ex, "zelfde-houder", "a", by="burgemeester", framing="beheer-politie")


# -- schaarste: a real claim conflict only ----------------------------------------------------
CLAIMS = """
    resources:
      me: {label: ME, capacity: 4}
    decisions:
      - {id: een, at: 10m, question: Q, domain: openbare-orde, options: [
          {id: a, label: A, uses: {me: 2}}]}
      - {id: twee, at: 20m, question: Q, domain: openbare-orde, options: [
          {id: a, label: A, uses: {me: 2}}]}
      - {id: drie, at: 30m, question: Q, domain: openbare-orde, options: [
          {id: a, label: A, uses: {me: 1}}]}
"""


def test_two_open_claims_that_fit_raise_no_schaarste_and_one_that_does_not_does(
        make: Make) -> None:
    ex = v2(make, CLAIMS, "[burgemeester]")
    run_until(ex, 30)
    # 2 + 2 fit in 4; 2 + 1 and 2 + 1 fit as well
    assert kinds(ex) == []
    ex2 = v2(make, CLAIMS.replace("capacity: 4", "capacity: 3"), "[burgemeester]")
    run_until(ex2, 20)
    assert surfaced(ex2, "schaarste").detail["with_decision"] == "een"


# -- effects on injects --------------------------------------------------------------------
def test_an_inject_changes_the_world_when_it_arrives(make: Make) -> None:
    ex = v2(make, """
        state:
          bovenlokaal: {label: Bovenlokaal, initial: false}
        injects:
          - {id: rbt, at: 10m, from: Meldkamer, to: [burgemeester], channel: melding,
             title: RBT bijeen, effects: [{set: {bovenlokaal: true}}]}
    """, "[burgemeester, voorzitter-vr]")
    run_until(ex, 10)
    assert ex.world.state["bovenlokaal"] is True
    assert ex.world.holders("openbare-orde") == ["voorzitter-vr"]
    assert [e.source for e in ex.events if isinstance(e, EffectApplied)] == ["inject:rbt"]


# -- the events keep their JSON form ---------------------------------------------------------
def test_the_new_events_round_trip_and_old_decision_lines_still_read() -> None:
    for event in (DecisionLapsed(40, "d", "burgemeester", 40),
                  DecisionBlocked(10, "d", "a", "bm", "instemming", None, {"defensie": False}),
                  DecisionTaken(10, "d", "a", "bm", framing="openbare-orde",
                                consent={"defensie": True}, positions={"om": "a"},
                                on_behalf_of="minister-jenv")):
        assert event_from_dict(event.to_dict()) == event
    old = {"t": 5, "type": "decision", "decision": "d", "option": "a", "by": "bm"}
    assert event_from_dict(old) == DecisionTaken(5, "d", "a", "bm")


# -- batch: the random policy answers framings, consent and positions; simulate's signal ------
def test_the_random_policy_chooses_framings_consent_and_positions(
        scenario: Callable[..., Any]) -> None:
    from tabletop.engine.simulate import simulate

    both = CONSENT + "\n".join(JOINT.splitlines()[2:]) + "\n"
    loaded = scenario(both, "roles: [burgemeester, om, minister-jenv, defensie]", 2)
    summary = simulate(loaded, 60, "random", seed=3)
    shares = summary.kind_shares
    assert set(shares) == {"bevoegdheid", "overlap", "doel", "advies", "instemming",
                           "verdeeld", "informatie", "schaarste", "termijn"}
    assert shares["doel"] > 0.9  # structural: both framings always have different holders
    assert 0 < shares["verdeeld"] < 1 and 0 < shares["instemming"] < 1
    per = summary.per_decision
    assert "instemming" in per["militaire-bijstand"].get("afwijzen", {}) or \
        "instemming" in per["militaire-bijstand"].get("(open)", {}) or \
        "instemming" in per["militaire-bijstand"].get("bijstand-verlenen", {})
    data = summary.to_dict()
    assert data["kind_shares"] == shares and data["per_decision"] == per
    again = simulate(loaded, 60, "random", seed=3)
    assert again.to_dict()["per_decision"] == per  # deterministic for a seed
