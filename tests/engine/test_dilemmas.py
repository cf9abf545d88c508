"""The dilemmas the engine surfaces by itself (bevoegdheid, overlap, advies, schaarste,
termijn) beside authored and hand-flagged ones, each with its roles and legal bases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.model.commands import Decide, Flag, RunUntil
from tabletop.model.events import (
    CapacityChanged,
    DecisionOpened,
    DecisionTaken,
    DilemmaSurfaced,
)

Make = Callable[..., Exercise]
Trace = Callable[[Any], list[tuple[int, str, Any]]]


def dilemmas(ex: Exercise) -> list[DilemmaSurfaced]:
    return [e for e in ex.events if isinstance(e, DilemmaSurfaced)]


# -- bevoegdheid: the voorzitter-vr holds openbare orde only while `bovenlokaal` --------------
BOVENLOKAAL = """
    state:
      bovenlokaal: {label: Bovenlokaal, initial: false}
    decisions:
      - id: eerst
        at: 10m
        question: Q
        domain: openbare-orde
        options: [{id: a, label: A}]
      - id: opschalen
        at: 20m
        question: Q
        domain: crisisbeheersing
        owner: burgemeester
        options: [{id: grip4, label: GRIP 4, power: opperbevel,
                   effects: [{set: {bovenlokaal: true}}]}]
      - id: daarna
        after: {event: opschalen, delay: 10m}
        question: Q
        domain: openbare-orde
        options: [{id: a, label: A}]
"""


def test_bevoegdheid_follows_the_shift_of_gezag_under_bovenlokaal(
        make: Make, trace: Trace) -> None:
    ex = make(BOVENLOKAAL, roles_line="roles: [burgemeester, voorzitter-vr, politie]")
    assert trace(ex.apply(RunUntil(until=10))) == [(10, "decision_opened", "eerst")]
    assert isinstance(opened := ex.events[-1], DecisionOpened)
    assert opened.owner == "burgemeester"
    assert ex.snapshot().gezag["openbare-orde"] == ("burgemeester",)
    assert trace(ex.apply(Decide(decision="eerst", option="a", by="voorzitter-vr"))) == [
        (10, "decision", "eerst:a"),
        (10, "dilemma", "bevoegdheid:eerst"),
    ]
    first = dilemmas(ex)[-1]
    assert first.roles == ("voorzitter-vr", "burgemeester")
    assert first.detail == {"domain": "openbare-orde", "decided_by": "voorzitter-vr",
                            "holders": ["burgemeester"]}
    assert [b["role"] for b in first.bases] == ["voorzitter-vr", "burgemeester"]
    assert "art. 39" in first.bases[0]["basis"]

    ex.apply(RunUntil(until=20))
    ex.apply(Decide(decision="opschalen", option="grip4", by="burgemeester"))
    assert ex.snapshot().gezag["openbare-orde"] == ("voorzitter-vr",)
    # the legal basis invoked is that of the deciding role's own power
    grip4 = next(e for e in ex.events
                 if isinstance(e, DecisionTaken) and e.decision == "opschalen")
    assert grip4.basis is not None and "art. 39" not in grip4.basis
    assert trace(ex.apply(RunUntil(until=30))) == [(30, "decision_opened", "daarna")]
    assert isinstance(opened := ex.events[-1], DecisionOpened)
    assert opened.owner == "voorzitter-vr"
    assert trace(ex.apply(Decide(decision="daarna", option="a", by="burgemeester"))) == [
        (30, "decision", "daarna:a"),
        (30, "dilemma", "bevoegdheid:daarna"),
    ]
    assert dilemmas(ex)[-1].detail["holders"] == ["voorzitter-vr"]


def test_the_holder_deciding_surfaces_nothing(make: Make, trace: Trace) -> None:
    ex = make(BOVENLOKAAL, roles_line="roles: [burgemeester, voorzitter-vr, politie]")
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="eerst", option="a", by="burgemeester"))) == [
        (10, "decision", "eerst:a")]


# -- overlap -------------------------------------------------------------------------------
OVERLAP = """
    local_domains:
      spoor: {label: Spoor}
    local_roles:
      - {id: prorail, name: ProRail, short: PR, authority: [{domain: spoor, basis: Spoorwegwet}]}
      - {id: defensie-lokaal, name: Defensie, short: DEF,
         authority: [{domain: spoor, basis: Oorlogswet art. 1, when: oorlog,
                      unverified: true}]}
    state:
      oorlog: {label: Oorlog, initial: true}
    decisions:
      - {id: samen, at: 10m, question: Q, domain: spoor, options: [{id: a, label: A}]}
      - {id: later, at: 20m, question: Q, domain: spoor,
         options: [{id: a, label: A, effects: [{set: {oorlog: false}}]}]}
      - {id: straks, at: 30m, question: Q, domain: spoor, owner: prorail,
         options: [{id: a, label: A, effects: [{set: {oorlog: true}}]}]}
"""


def test_overlap_when_two_roles_hold_the_domain_at_opening(make: Make, trace: Trace) -> None:
    ex = make(OVERLAP, roles_line="roles: []")
    assert trace(ex.apply(RunUntil(until=10))) == [(10, "decision_opened", "samen"),
                                       (10, "dilemma", "overlap:samen")]
    event = dilemmas(ex)[0]
    assert event.roles == ("prorail", "defensie-lokaal")
    assert event.detail == {"domain": "spoor", "moment": "opened"}
    assert [(b["role"], b["basis"], b["unverified"]) for b in event.bases] == [
        ("prorail", "Spoorwegwet", False), ("defensie-lokaal", "Oorlogswet art. 1", True)]
    # taken by a holder: no second overlap for the same decision
    assert trace(ex.apply(Decide(decision="samen", option="a", by="prorail"))) == [
        (10, "decision", "samen:a")]


def test_overlap_that_arises_while_a_decision_is_open(make: Make, trace: Trace) -> None:
    ex = make(OVERLAP.replace("initial: true", "initial: false"), roles_line="roles: []")
    assert trace(ex.apply(RunUntil(until=30))) == [(10, "decision_opened", "samen"),
                                       (20, "decision_opened", "later"),
                                       (30, "decision_opened", "straks")]
    # sets oorlog: two holders from now on
    ex.apply(Decide(decision="straks", option="a", by="prorail"))
    assert trace(ex.apply(Decide(decision="samen", option="a", by="prorail"))) == [
        (30, "decision", "samen:a"), (30, "dilemma", "overlap:samen")]
    assert dilemmas(ex)[-1].detail == {"domain": "spoor", "moment": "taken"}


# -- advies --------------------------------------------------------------------------------
ADVIES = """
    decisions:
      - id: aanpak
        at: 10m
        question: Q
        domain: openbare-orde
        owner: burgemeester
        consult: [politie, om]
        options: [{id: ontruimen, label: O}, {id: gedogen, label: G}]
"""


def test_advies_when_a_consulted_role_advised_another_option(make: Make, trace: Trace) -> None:
    ex = make(ADVIES)
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="aanpak", option="gedogen", by="burgemeester",
                                 advice={"politie": "ontruimen", "om": "gedogen"}))) == [
        (10, "decision", "aanpak:gedogen"), (10, "dilemma", "advies:aanpak")]
    event = dilemmas(ex)[0]
    assert event.roles == ("burgemeester", "politie")
    assert event.detail == {"chosen": "gedogen", "advice": {"politie": "ontruimen"}}


@pytest.mark.parametrize("advice", [{}, {"politie": "gedogen", "om": "gedogen"},
                                    {"politie": "iets anders"}])
def test_no_advies_when_advice_agrees_or_is_not_an_option(
        make: Make, trace: Trace, advice: dict[str, str]) -> None:
    ex = make(ADVIES)
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="aanpak", option="gedogen", by="burgemeester",
                                 advice=advice))) == [
        (10, "decision", "aanpak:gedogen")]


# -- schaarste -----------------------------------------------------------------------------
SCHAARSTE = """
    resources:
      me: {label: ME, capacity: 3}
    decisions:
      - {id: haven, at: 10m, question: Q, domain: openbare-orde, owner: burgemeester,
         options: [{id: inzet, label: I, uses: {me: 2}, for: 1h}, {id: niet, label: N}]}
      - {id: stad, at: 20m, question: Q, domain: strafrechtelijke-handhaving, owner: om,
         options: [{id: inzet, label: I, uses: {me: 2}, for: 1h}, {id: niet, label: N}]}
"""


def test_schaarste_when_two_open_decisions_claim_the_same_capacity(
        make: Make, trace: Trace) -> None:
    ex = make(SCHAARSTE)
    assert trace(ex.apply(RunUntil(until=20))) == [(10, "decision_opened", "haven"),
                                       (20, "decision_opened", "stad"),
                                       (20, "dilemma", "schaarste:stad")]
    event = dilemmas(ex)[0]
    assert event.roles == ("om", "burgemeester")
    assert event.detail == {"resources": ["me"], "with_decision": "haven",
                            "reason": "claimed twice"}


def test_schaarste_when_an_option_needs_more_than_is_free(make: Make, trace: Trace) -> None:
    ex = make(SCHAARSTE)
    ex.apply(RunUntil(until=10))
    ex.apply(Decide(decision="haven", option="inzet", by="burgemeester"))
    ex.apply(RunUntil(until=20))
    assert trace(ex.apply(Decide(decision="stad", option="inzet", by="om"))) == [
        (20, "decision", "stad:inzet"),
        (20, "capacity", "me-1"),
        (20, "dilemma", "schaarste:stad"),
    ]
    short = dilemmas(ex)[-1]
    assert short.detail == {"resources": ["me"], "needed": 2, "free": 1, "reason": "short",
                            "option": "inzet"}
    capacity = [e for e in ex.events if isinstance(e, CapacityChanged)][-1]
    assert (capacity.change, capacity.level, capacity.requested) == (-1, 0, 2)
    # only what was taken comes back
    assert trace(ex.apply(RunUntil(until=200))) == [
        (70, "capacity", "me+2"), (80, "capacity", "me+1")]
    assert ex.snapshot().capacity == {"me": (3, 3)}


def test_schaarste_with_nothing_free_claims_nothing(make: Make, trace: Trace) -> None:
    ex = make(SCHAARSTE.replace("capacity: 3", "capacity: 0").replace(
        "uses: {me: 2}", "uses: {me: 0}"))
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="haven", option="inzet", by="burgemeester"))) == [
        (10, "decision", "haven:inzet"), (10, "capacity", "me+0")]


# -- termijn -------------------------------------------------------------------------------
def test_termijn_when_the_deadline_applies_the_default(make: Make, trace: Trace) -> None:
    ex = make("""
        decisions:
          - {id: d, at: 10m, question: Q, domain: openbare-orde, owner: burgemeester,
             consult: [politie], deadline: 15m, default: b,
             options: [{id: a, label: A}, {id: b, label: B}]}
    """)
    assert trace(ex.apply(RunUntil(until=100))) == [
        (10, "decision_opened", "d"), (25, "decision", "d:b"),
                                        (25, "dilemma", "termijn:d")]
    event = dilemmas(ex)[0]
    assert event.roles == ("burgemeester", "politie")
    assert event.detail == {"deadline_t": 25, "default": "b"}


# -- authored and hand-flagged ----------------------------------------------------------------
AUTHORED = """
    dilemmas:
      - id: konvooi
        title: Konvooi versus demonstratierecht
        roles: [burgemeester, om]
        bases: [Wom art. 2, {basis: NAVO-SOFA art. VII, unverified: true}]
    decisions:
      - {id: een, at: 10m, question: Q, domain: openbare-orde,
         options: [{id: a, label: A, effects: [{surface: konvooi}]}]}
      - {id: twee, at: 20m, question: Q, domain: openbare-orde,
         options: [{id: a, label: A, effects: [{surface: konvooi}]}]}
"""


def test_an_authored_dilemma_surfaces_once(make: Make, trace: Trace) -> None:
    ex = make(AUTHORED)
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="een", option="a", by="burgemeester"))) == [
        (10, "decision", "een:a"), (10, "dilemma", "authored:konvooi")]
    event = dilemmas(ex)[0]
    assert (event.decision, event.roles, event.detail) == (
        "een", ("burgemeester", "om"), {"source": "een/a"})
    assert event.bases == ({"role": None, "basis": "Wom art. 2", "unverified": False},
                           {"role": None, "basis": "NAVO-SOFA art. VII", "unverified": True})
    ex.apply(RunUntil(until=20))
    assert trace(ex.apply(Decide(decision="twee", option="a", by="burgemeester"))) == [
        (20, "decision", "twee:a")]
    with pytest.raises(ExerciseError, match="^dilemma 'konvooi' has already surfaced$"):
        ex.apply(Flag(dilemma="konvooi"))


def test_the_facilitator_flags_dilemmas_by_hand(make: Make, trace: Trace) -> None:
    ex = make(AUTHORED)
    ex.apply(RunUntil(until=5))
    assert trace(ex.apply(Flag(dilemma="konvooi"))) == [(5, "dilemma", "authored:konvooi")]
    assert dilemmas(ex)[0].detail == {"source": "facilitator"}
    assert trace(ex.apply(Flag(text="Wie vraagt de KMar?", roles=("burgemeester", "om")))) == [
        (5, "dilemma", "handmatig:Wie vraagt de KMar?")]
    assert dilemmas(ex)[-1].roles == ("burgemeester", "om")
    ex.apply(RunUntil(until=10))
    assert trace(ex.apply(Decide(decision="een", option="a", by="burgemeester"))) == [
        (10, "decision", "een:a")]


@pytest.mark.parametrize(("args", "message"), [
    ({"dilemma": "onbekend"}, "no dilemma 'onbekend' in this scenario"),
    ({"text": "  "}, "describe the dilemma"),
    ({"text": "Iets", "roles": ("burgemeester", "koning")}, "no role 'koning' in this scenario"),
])
def test_flagging_refuses_with_the_reason(make: Make, args: dict[str, Any],
                                          message: str) -> None:
    ex = make(AUTHORED)
    with pytest.raises(ExerciseError) as info:
        ex.apply(Flag(**args))
    assert info.value.render("en") == message
    assert dilemmas(ex) == []


def test_the_snapshot_lists_surfaced_dilemmas(make: Make) -> None:
    ex = make(AUTHORED)
    ex.apply(RunUntil(until=10))
    ex.apply(Decide(decision="een", option="a", by="burgemeester"))
    assert [d.dilemma for d in ex.snapshot().dilemmas] == ["konvooi"]
