"""Decision paths: taken, defaulted at the deadline, open questions, advice, beeld, simulated
owners, capacity claims; and the refusals a facilitator sees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.model.commands import Decide, RunUntil
from tabletop.model.events import DecisionOpened, DecisionTaken

Make = Callable[..., Exercise]
Trace = Callable[[Any], list[tuple[int, str, Any]]]

AANPAK = """
    state:
      spanning: {label: S, initial: 1, min: 0, max: 5}
    resources:
      me: {label: ME, capacity: 3}
    injects:
      - {id: melding, at: 10m, from: X, to: [burgemeester], channel: melding, title: M}
      - {id: na, after: {event: aanpak, delay: 5m}, from: X, to: [burgemeester],
         channel: melding, title: N}
    decisions:
      - id: aanpak
        on: melding
        question: Wat doet u?
        domain: openbare-orde
        owner: burgemeester
        consult: [politie, om]
        forum: driehoek
        deadline: 30m
        default: wachten
        options:
          - id: ontruimen
            label: Ontruimen
            power: demonstratie-beeindigen
            uses: {me: 2}
            for: 1h
            effects: [{add: {spanning: 2}}]
          - {id: wachten, label: Wachten}
      - id: woordvoering
        at: 20m
        question: Wie voert het woord?
        domain: crisiscommunicatie
"""


def taken(ex: Exercise, decision: str) -> DecisionTaken:
    return next(e for e in ex.events if isinstance(e, DecisionTaken) and e.decision == decision)


def test_a_decision_opens_with_owner_consult_and_deadline(make: Make, trace: Trace) -> None:
    ex = make(AANPAK)
    assert trace(ex.apply(RunUntil(until=10))) == [(10, "inject", "melding"),
                                       (10, "decision_opened", "aanpak")]
    opened = ex.events[-1]
    assert isinstance(opened, DecisionOpened)
    assert (opened.owner, opened.deadline_t, opened.consult, opened.holders,
            opened.simulated) == ("burgemeester", 40, ("politie", "om"), ("burgemeester",), False)
    view = ex.snapshot().open_decisions
    assert [(v.decision, v.owner, v.deadline_t, v.disputed) for v in view] == [
        ("aanpak", "burgemeester", 40, False)]


def test_taking_a_decision_records_who_what_why_and_the_beeld(make: Make, trace: Trace) -> None:
    ex = make(AANPAK)
    ex.apply(RunUntil(until=15))
    events = ex.apply(Decide(decision="aanpak", option="ontruimen", by="burgemeester",
                             advice={"politie": "ontruimen", "om": "ontruimen"},
                             rationale="Doorgang weegt zwaarder", forum="GBT",
                             action_owner="politie"))
    assert trace(events) == [
        (15, "decision", "aanpak:ontruimen"),
        (15, "capacity", "me-2"),
        (15, "effect", "aanpak/ontruimen"),
    ]
    event = taken(ex, "aanpak")
    assert (event.by, event.advice, event.rationale, event.forum, event.default,
            event.simulated, event.action_owner) == (
        "burgemeester", {"politie": "ontruimen", "om": "ontruimen"},
        "Doorgang weegt zwaarder", "GBT", False, False, "politie")
    power = ex.world.roles["burgemeester"].power("demonstratie-beeindigen")
    assert power is not None
    assert (event.basis, event.basis_unverified, event.basis_of) == (
        f"{power.label}: {power.basis}", power.unverified, "burgemeester")
    # the beeld is the state as it stood before the option's effects
    assert event.beeld == {"state": {"spanning": 1}, "capacity": {"me": 3}}
    assert ex.snapshot().state == {"spanning": 3}
    assert trace(ex.apply(RunUntil(until=200))) == [(20, "decision_opened", "woordvoering"),
                                        (20, "inject", "na"),
                                        (75, "capacity", "me+2")]


def test_the_forum_defaults_to_the_scenarios(make: Make) -> None:
    ex = make(AANPAK)
    ex.apply(RunUntil(until=10))
    ex.apply(Decide(decision="aanpak", option="wachten", by="burgemeester"))
    assert taken(ex, "aanpak").forum == "driehoek"
    assert taken(ex, "aanpak").basis is None


def test_the_deadline_applies_the_default(make: Make, trace: Trace) -> None:
    ex = make(AANPAK)
    assert trace(ex.apply(RunUntil(until=60))) == [
        (10, "inject", "melding"),
        (10, "decision_opened", "aanpak"),
        (20, "decision_opened", "woordvoering"),
        (40, "decision", "aanpak:wachten"),
        (40, "dilemma", "termijn:aanpak"),
        (45, "inject", "na"),
    ]
    event = taken(ex, "aanpak")
    assert (event.by, event.default, event.simulated) == (None, True, False)
    with pytest.raises(ExerciseError, match=r"^decision 'aanpak' was already taken \(minute 60\)$"):
        ex.apply(Decide(decision="aanpak", option="ontruimen", by="burgemeester"))


def test_an_open_decision_is_answered_in_text(make: Make, trace: Trace) -> None:
    ex = make(AANPAK)
    ex.apply(RunUntil(until=20))
    assert trace(ex.apply(Decide(decision="woordvoering", by="burgemeester",
                                 answer="De burgemeester.",
                                 advice={"om": "Samen met de NCTV"}))) == [
        (20, "decision", "woordvoering:De burgemeester."),
    ]
    event = taken(ex, "woordvoering")
    assert (event.option, event.answer, event.advice) == (
        None, "De burgemeester.", {"om": "Samen met de NCTV"})
    assert ex.world.decided("woordvoering") == "answered"
    assert ex.is_open("woordvoering") is False


def test_an_open_decision_without_a_deadline_stays_open(make: Make) -> None:
    ex = make(AANPAK)
    ex.apply(RunUntil(until=2000))
    assert ex.is_open("woordvoering")
    assert [v.decision for v in ex.snapshot().open_decisions] == ["woordvoering"]


def test_text_advice_on_an_open_decision_surfaces_no_advies_dilemma(make: Make) -> None:
    ex = make(AANPAK)
    ex.apply(RunUntil(until=20))
    ex.apply(Decide(decision="woordvoering", by="burgemeester", answer="BM",
                    advice={"om": "wachten"}))
    assert [e for e in ex.events if e.type == "dilemma"] == []


@pytest.mark.parametrize(("call", "message"), [
    (lambda ex: ex.apply(Decide(decision="onbekend", option="x", by="burgemeester")),
     "no decision 'onbekend' in this scenario"),
    (lambda ex: ex.apply(Decide(decision="woordvoering", by="burgemeester", answer="x")),
     "decision 'woordvoering' has not opened yet (minute 10)"),
    (lambda ex: ex.apply(Decide(decision="aanpak", by="burgemeester")),
     "decision 'aanpak' needs an option (ontruimen, wachten)"),
    (lambda ex: ex.apply(Decide(decision="aanpak", option="ontruime", by="burgemeester")),
     "decision 'aanpak' has no option 'ontruime' (options: ontruimen, wachten)"),
    (lambda ex: ex.apply(Decide(decision="aanpak", option="wachten", by="burgemeestr")),
     "'burgemeestr' is no role of this scenario and no staff (facilitator, observator)"),
    (lambda ex: ex.apply(Decide(decision="aanpak", option="wachten", by="burgemeester",
                                advice={"nctv": "wachten"})),
     "no role 'nctv' in this scenario"),
])
def test_decide_refuses_with_the_reason(make: Make, call: Callable[[Exercise], Any],
                                        message: str) -> None:
    ex = make(AANPAK)
    ex.apply(RunUntil(until=10))
    before = list(ex.events)
    with pytest.raises(ExerciseError) as info:
        call(ex)
    assert str(info.value) == message
    assert ex.events == before
    assert ex.is_open("aanpak")


def test_open_questions_refuse_options_and_empty_answers(make: Make) -> None:
    ex = make(AANPAK)
    ex.apply(RunUntil(until=20))
    with pytest.raises(ExerciseError, match="^decision 'woordvoering' is an open question: "
                                            "give an answer in text, not an option$"):
        ex.apply(Decide(decision="woordvoering", option="ja", by="burgemeester"))
    with pytest.raises(ExerciseError, match="^decision 'woordvoering' is an open question: "
                                            "the answer is empty$"):
        ex.apply(Decide(decision="woordvoering", by="burgemeester", answer="  "))


def test_the_facilitator_may_decide_for_anyone(make: Make) -> None:
    ex = make(AANPAK)
    ex.apply(RunUntil(until=10))
    ex.apply(Decide(decision="aanpak", option="wachten", by="facilitator"))
    assert taken(ex, "aanpak").by == "facilitator"


# -- capacity ------------------------------------------------------------------------------
def test_a_claim_returns_after_for_and_expressions_see_free_capacity(
        make: Make, trace: Trace) -> None:
    ex = make("""
        resources:
          me: {label: ME, capacity: 3}
        injects:
          - {id: krap, when: res.me < 2, from: X, to: [burgemeester], channel: melding,
             title: K}
          - {id: ruim, when: 'delivered("krap") and res.me == 3', from: X,
             to: [burgemeester], channel: melding, title: R}
        decisions:
          - id: inzet
            at: 0m
            question: Q
            domain: openbare-orde
            options:
              - {id: ja, label: Ja, uses: {me: 2}, for: 90m}
              - {id: altijd, label: Altijd, uses: {me: 2}}
    """)
    ex.apply(RunUntil(until=5))
    assert trace(ex.apply(Decide(decision="inzet", option="ja", by="burgemeester"))) == [
        (5, "decision", "inzet:ja"),
        (5, "capacity", "me-2"),
        (5, "inject", "krap"),
    ]
    assert ex.snapshot().capacity == {"me": (1, 3)}
    assert trace(ex.apply(RunUntil(until=1000))) == [
        (95, "capacity", "me+2"), (95, "inject", "ruim")]
    assert ex.snapshot().capacity == {"me": (3, 3)}


def test_a_claim_without_for_never_returns(make: Make, trace: Trace) -> None:
    ex = make("""
        resources:
          me: {label: ME, capacity: 3}
        decisions:
          - {id: inzet, at: 0m, question: Q, domain: openbare-orde,
             options: [{id: altijd, label: Altijd, uses: {me: 2}}]}
    """)
    ex.apply(RunUntil(until=0))
    ex.apply(Decide(decision="inzet", option="altijd", by="burgemeester"))
    assert trace(ex.apply(RunUntil(until=5000))) == []
    assert ex.snapshot().capacity == {"me": (1, 3)}


# -- simulated owners ----------------------------------------------------------------------
SIMULATED = """
    decisions:
      - id: spoor
        at: 10m
        question: Q
        domain: strafrechtelijke-handhaving
        owner: om
        deadline: DEADLINE
        default: nee
        auto: ja
        AUTO_DELAY
        options: [{id: ja, label: Ja}, {id: nee, label: Nee}, {id: later, label: Later}]
"""


def simulated(deadline: str, auto_delay: str = "") -> str:
    return SIMULATED.replace("DEADLINE", deadline).replace(
        "AUTO_DELAY", f"auto_delay: {auto_delay}" if auto_delay else "")


def test_a_role_nobody_plays_takes_its_auto_choice_after_the_default_delay(
        make: Make, trace: Trace) -> None:
    ex = make(simulated("1h"), participants={"burgemeester", "politie"})
    assert trace(ex.apply(RunUntil(until=200))) == [(10, "decision_opened", "spoor"),
                                        (20, "decision", "spoor:ja")]
    opened = next(e for e in ex.events if isinstance(e, DecisionOpened))
    event = taken(ex, "spoor")
    assert opened.simulated is True
    assert (event.by, event.simulated, event.default) == ("om", True, False)
    assert ex.snapshot().open_decisions == ()


def test_auto_delay_is_the_scenarios(make: Make, trace: Trace) -> None:
    ex = make(simulated("1h", "25m"), participants={"burgemeester"})
    assert trace(ex.apply(RunUntil(until=200))) == [(10, "decision_opened", "spoor"),
                                        (35, "decision", "spoor:ja")]


@pytest.mark.parametrize("auto_delay", ["1h", "2h"])
def test_a_deadline_that_comes_first_wins_over_the_auto_delay(
        make: Make, trace: Trace, auto_delay: str) -> None:
    ex = make(simulated("1h", auto_delay), participants={"burgemeester"})
    assert trace(ex.apply(RunUntil(until=500))) == [(10, "decision_opened", "spoor"),
                                        (70, "decision", "spoor:nee"),
                                        (70, "dilemma", "termijn:spoor")]
    assert taken(ex, "spoor").default is True


def test_without_auto_the_engine_takes_the_default(make: Make, trace: Trace) -> None:
    ex = make(simulated("1h").replace("auto: ja", ""), participants={"burgemeester"})
    assert trace(ex.apply(RunUntil(until=200))) == [(10, "decision_opened", "spoor"),
                                        (20, "decision", "spoor:nee")]
    assert taken(ex, "spoor").simulated is True


def test_a_person_may_still_take_a_simulated_decision_first(make: Make, trace: Trace) -> None:
    ex = make(simulated("1h"), participants={"burgemeester"})
    ex.apply(RunUntil(until=12))
    assert trace(ex.apply(Decide(decision="spoor", option="later", by="burgemeester"))) == [
        (12, "decision", "spoor:later"), (12, "dilemma", "bevoegdheid:spoor")]
    assert trace(ex.apply(RunUntil(until=200))) == []


def test_the_owner_follows_gezag_when_the_decision_names_none(make: Make) -> None:
    ex = make("""
        decisions:
          - {id: d, at: 0m, question: Q, domain: strafrechtelijke-handhaving,
             options: [{id: a, label: A}]}
          - {id: e, at: 0m, question: Q, domain: militaire-operaties,
             options: [{id: a, label: A}]}
    """)
    ex.apply(RunUntil(until=0))
    owners = {e.decision: (e.owner, e.holders, e.simulated) for e in ex.events
              if isinstance(e, DecisionOpened)}
    assert owners == {"d": ("om", ("om",), False), "e": (None, (), False)}
