"""Facilitator actions (release, skip, ad hoc, expectations, notes, observations, end), the
clock calls, outcomes, and the refusals a facilitator reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.model.commands import (
    AdHoc,
    End,
    MarkMet,
    Note,
    Observe,
    Release,
    RunUntil,
    Skip,
    Step,
)
from tabletop.model.events import (
    AdHocInject,
    ExerciseEnded,
    ExpectationChanged,
    InjectDelivered,
    InjectSkipped,
    NoteAdded,
    ObservationAdded,
)

Make = Callable[..., Exercise]
Trace = Callable[[Any], list[tuple[int, str, Any]]]

FACILITATED = """
    phases:
      - {id: aanloop, title: Aanloop, questions: [Wie besluit?, Op welke grond?]}
      - {id: nafase, title: Nafase}
    injects:
      - id: sitrap
        at: 10m
        from: X
        to: [politie]
        channel: melding
        title: Sitrap gevraagd
        expect: {what: Een situatierapport, within: 1h, else: rappel}
      - {id: rappel, manual: true, from: burgemeester, to: [politie], channel: telefoon,
         title: Rappel}
      - {id: verzekeraar, manual: true, phase: nafase, from: Verzekeraar, to: [burgemeester],
         channel: telefoon, title: De verzekeraar belt}
      - id: uurlijks
        at: 2h
        from: NCC
        to: [burgemeester]
        channel: email
        title: Elk uur een sitrap
        expect: {what: Een sitrap aan het NCC, every: 1h}
      - {id: later, at: 5h, from: X, to: [om], channel: melding, title: Later}
      - {id: na-later, after: {event: later}, from: X, to: [om], channel: melding, title: NL}
"""


def test_release_delivers_a_manual_inject_now(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    ex.apply(RunUntil(until=30))
    assert trace(ex.apply(Release(inject="verzekeraar"))) == [(30, "phase", "nafase"),
                                                (30, "inject", "verzekeraar")]
    event = ex.events[-1]
    assert isinstance(event, InjectDelivered)
    assert (event.released, event.by, event.phase) == (True, "facilitator", "nafase")


def test_release_ahead_of_time_then_the_trigger_does_nothing(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    ex.apply(RunUntil(until=60))
    ex.apply(MarkMet(inject="sitrap"))
    assert trace(ex.apply(Release(inject="later"))) == [
        (60, "inject", "later"), (60, "inject", "na-later")]
    assert ("later", 300) not in [(e.inject, e.t) for e in ex.events
                                  if isinstance(e, InjectDelivered)]
    assert [t for t in trace(ex.apply(RunUntil(until=400))) if t[2] in ("later", "na-later")] == []


def test_skip_keeps_an_inject_and_what_follows_it_from_the_players(
        make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    assert trace(ex.apply(Skip(inject="later"))) == [(0, "inject_skipped", "later")]
    assert isinstance(skipped := ex.events[-1], InjectSkipped)
    assert skipped.reason == "facilitator"
    assert [t for t in trace(ex.apply(RunUntil(until=400))) if "later" in str(t[2])] == []


def test_adhoc_delivers_free_text(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    ex.apply(RunUntil(until=15))
    assert trace(ex.apply(AdHoc(title="Telefoon", text="De krant belt", to=("burgemeester",)))) == [
        (15, "adhoc_inject", "Telefoon")]
    event = ex.events[-1]
    assert isinstance(event, AdHocInject)
    assert (event.text, event.sender, event.to, event.channel) == (
        "De krant belt", "facilitator", ("burgemeester",), "melding")


def test_an_unmet_expectation_releases_its_contingency(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    assert trace(ex.apply(RunUntil(until=70))) == [
        (10, "inject", "sitrap"),
        (70, "expectation", "sitrap:missed"),
        (70, "inject", "rappel"),
    ]
    assert isinstance(sent := ex.events[-1], InjectDelivered)
    assert sent.by == "contingency:sitrap"


def test_a_met_expectation_keeps_the_contingency_back(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    ex.apply(RunUntil(until=40))
    assert trace(ex.apply(MarkMet(inject="sitrap", by="politie"))) == [
        (40, "expectation", "sitrap:met")]
    assert isinstance(met := ex.events[-1], ExpectationChanged) and met.by == "politie"
    assert ex.world.met("sitrap")
    assert trace(ex.apply(RunUntil(until=119))) == []
    with pytest.raises(ExerciseError, match="^the expectation of 'sitrap' was already met$"):
        ex.apply(MarkMet(inject="sitrap"))


def test_a_recurring_expectation_is_due_every_period(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    ex.apply(RunUntil(until=60))
    ex.apply(MarkMet(inject="sitrap"))
    assert trace(ex.apply(RunUntil(until=190))) == [(120, "inject", "uurlijks"),
                                        (180, "expectation", "uurlijks:missed")]
    assert trace(ex.apply(MarkMet(inject="uurlijks"))) == [(190, "expectation", "uurlijks:met")]
    assert trace(ex.apply(RunUntil(until=299))) == []             # met within its second hour
    assert trace(ex.apply(RunUntil(until=300))) == [(300, "inject", "later"),
                                        (300, "expectation", "uurlijks:missed"),
                                        (300, "inject", "na-later")]
    assert trace(ex.apply(MarkMet(inject="uurlijks"))) == [(300, "expectation", "uurlijks:met")]
    assert trace(ex.apply(MarkMet(inject="uurlijks"))) == [(300, "expectation", "uurlijks:met")]
    assert [t for t in trace(ex.apply(RunUntil(until=420))) if t[1] == "expectation"] == [
        (420, "expectation", "uurlijks:missed")]


@pytest.mark.parametrize(("action", "message"), [
    (lambda ex: ex.apply(Release(inject="onbekend")), "no inject 'onbekend' in this scenario"),
    (lambda ex: ex.apply(Release(inject="sitrap")), "inject 'sitrap' was already delivered"),
    (lambda ex: ex.apply(Skip(inject="sitrap")),
     "inject 'sitrap' was already delivered or skipped"),
    (lambda ex: ex.apply(Skip(inject="zzz")), "no inject 'zzz' in this scenario"),
    (lambda ex: ex.apply(AdHoc(title=" ", text="tekst")), "an ad-hoc inject needs a title"),
    (lambda ex: ex.apply(MarkMet(inject="later")), "inject 'later' expects nothing"),
    (lambda ex: ex.apply(MarkMet(inject="uurlijks")),
     "inject 'uurlijks' has not been delivered yet"),
    (lambda ex: ex.apply(Note(text="")), "the note is empty"),
    (lambda ex: ex.apply(Note(text="x", question="aanloop/3")),
     "no discussion question 'aanloop/3' (write phase/N)"),
    (lambda ex: ex.apply(Note(text="x", question="aanloop")),
     "no discussion question 'aanloop' (write phase/N)"),
    (lambda ex: ex.apply(Note(text="x", question="nergens/1")),
     "no discussion question 'nergens/1' (write phase/N)"),
    (lambda ex: ex.apply(Observe(text=" ")), "the observation is empty"),
    (lambda ex: ex.apply(Observe(text="Goed", inject="zzz")), "no inject 'zzz' in this scenario"),
    (lambda ex: ex.apply(RunUntil(until=5)),
     "the story is already at minute 20; it cannot go back to 5"),
])
def test_refusals_say_why_and_change_nothing(make: Make, action: Callable[[Exercise], Any],
                                             message: str) -> None:
    ex = make(FACILITATED)
    ex.apply(RunUntil(until=20))
    before = list(ex.events)
    with pytest.raises(ExerciseError) as info:
        action(ex)
    assert str(info.value) == message
    assert ex.events == before


def test_notes_and_observations(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    ex.apply(RunUntil(until=20))
    assert trace(ex.apply(Note(text="Wie vraagt bijstand?", lovp=True, question="aanloop/2"))) == [
        (20, "note", "Wie vraagt bijstand?")]
    note = ex.events[-1]
    assert isinstance(note, NoteAdded)
    assert (note.by, note.lovp, note.question) == ("facilitator", True, "aanloop/2")
    assert trace(ex.apply(Observe(text="Beeld niet gedeeld", inject="sitrap", rating="M"))) == [
        (20, "observation", "Beeld niet gedeeld")]
    obs = ex.events[-1]
    assert isinstance(obs, ObservationAdded)
    assert (obs.by, obs.inject, obs.rating) == ("observator", "sitrap", "M")
    for rating in ("P", "S", "U", None):
        ex.apply(Observe(text="x", rating=rating))


def test_end_by_hand_and_nothing_after_it(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    ex.apply(RunUntil(until=20))
    assert trace(ex.apply(End())) == [(20, "end", None)]
    assert isinstance(ex.events[-1], ExerciseEnded) and ex.events[-1].by == "facilitator"
    assert ex.snapshot().finished and ex.peek() is None
    for command in (Release(inject="rappel"), End()):
        with pytest.raises(ExerciseError, match="^the exercise has ended$"):
            ex.apply(command)
    assert ex.apply(Step()) == [] and ex.apply(RunUntil(until=ex.horizon)) == []
    # the hot wash: notes and observations are still taken after the end
    assert trace(ex.apply(Note(text="Hot wash: de driehoek wil eerder opschalen"))) == [
        (20, "note", "Hot wash: de driehoek wil eerder opschalen")]
    assert [e.type for e in ex.apply(Observe(text="Goed overleg", rating="S"))] == [
        "observation"]


@pytest.mark.parametrize("rating", ["X", "p"])
def test_a_rating_outside_hseep_is_refused_when_the_command_is_made(rating: str) -> None:
    with pytest.raises(ValidationError, match="'P', 'S', 'M' or 'U'"):
        Observe.model_validate({"text": "Goed", "rating": rating})


def test_step_stops_at_each_moment_something_happens(make: Make, trace: Trace) -> None:
    ex = make(FACILITATED)
    assert ex.peek() == 10
    assert trace(ex.apply(Step())) == [(10, "inject", "sitrap")]
    assert trace(ex.apply(Step())) == [
        (70, "expectation", "sitrap:missed"), (70, "inject", "rappel")]
    assert ex.snapshot().next_t == 120
    assert trace(ex.apply(Step())) == [(120, "inject", "uurlijks")]


# -- outcomes ------------------------------------------------------------------------------
OUTCOMES = """
    end: 3h
    state:
      spanning: {label: S, initial: 1, min: 0, max: 5}
    rules:
      - {id: op, every: 1h, effects: [{add: {spanning: 1}}]}
    outcomes:
      - {id: ontsporing, when: spanning >= LIMIT, title: Ontsporing}
      - {id: beheerst, final: true, when: spanning <= 2, title: Beheerst}
      - {id: onrustig, final: true, when: spanning <= 4, title: Onrustig}
"""


def test_an_outcome_with_when_ends_the_story_the_moment_it_holds(
        make: Make, trace: Trace) -> None:
    ex = make(OUTCOMES.replace("LIMIT", "3"))
    assert trace(ex.apply(RunUntil(until=ex.horizon))) == [
        (60, "effect", "rule:op"), (120, "effect", "rule:op"),
                               (120, "end", "ontsporing")]
    assert ex.snapshot().outcome == "ontsporing"
    assert isinstance(end := ex.events[-1], ExerciseEnded) and end.state == {"spanning": 3}


def test_final_outcomes_are_checked_in_order_at_the_end(make: Make, trace: Trace) -> None:
    ex = make(OUTCOMES.replace("LIMIT", "9"))
    assert trace(ex.apply(RunUntil(until=ex.horizon))) == [
        (60, "effect", "rule:op"), (120, "effect", "rule:op"),
                               (180, "effect", "rule:op"), (180, "end", "onrustig")]


def test_without_a_final_that_holds_the_story_ends_without_outcome(
        make: Make, trace: Trace) -> None:
    ex = make(OUTCOMES.replace("LIMIT", "9").replace("end: 3h", "end: 5h"))
    assert trace(ex.apply(RunUntil(until=ex.horizon)))[-1] == (300, "end", None)
