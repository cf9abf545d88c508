"""What an event touches decides which `when` conditions are looked at again: a kind of
event the rule does not know must touch everything, so that no condition is left unchecked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tabletop.engine.clock import ANYTHING, touched_by
from tabletop.engine.exercise import Exercise
from tabletop.model.commands import RunUntil
from tabletop.model.events import Event, InjectDelivered, NoteAdded, PhaseChanged


@dataclass(frozen=True, slots=True)
class Unheard(Event):
    """A kind of event the engine's rule has never heard of."""

    what: str = ""


@dataclass(frozen=True, slots=True)
class LateDelivery(InjectDelivered):
    """A subclass of a known kind: it touches what its base touches."""


def test_known_kinds_touch_their_keys_and_unknown_ones_everything() -> None:
    assert touched_by(InjectDelivered(5, "melding", None, False, None)) == (("i", "melding"),)
    assert touched_by(PhaseChanged(5, "blokkade")) == (("phase",),)
    assert touched_by(NoteAdded(5, "facilitator", "tekst")) == ()
    assert touched_by(LateDelivery(5, "brief", None, False, None)) == (("i", "brief"),)
    assert touched_by(Unheard(5, "?")) == (ANYTHING,)
    assert touched_by(Unheard(6, "!")) == (ANYTHING,), "and again, once its rule is kept"


def test_the_schedule_hears_every_kind_that_may_touch_what_a_watcher_reads() -> None:
    from tabletop.engine.clock import unheard
    from tabletop.model.events import DecisionOpened, DecisionTaken, EffectApplied

    quiet = unheard({("s", "spanning"), ("i", "melding")})
    assert {DecisionOpened, NoteAdded, PhaseChanged, DecisionTaken} <= quiet
    assert not {EffectApplied, InjectDelivered} & quiet  # they touch what is read
    assert LateDelivery not in quiet and Unheard not in quiet  # unknown: may touch anything
    assert PhaseChanged not in unheard({("phase",)})


def test_a_watcher_on_a_delivery_and_one_on_the_phase_still_fire(make: Callable[..., Exercise]
                                                                 ) -> None:
    ex = make("""
        phases:
          - {id: aanloop, title: A}
          - {id: blokkade, title: B}
        injects:
          - {id: melding, at: 10m, from: X, to: [burgemeester], channel: melding, title: M}
          - {id: na, when: 'delivered("melding")', from: X, to: [om], channel: melding,
             title: N}
          - {id: fase, at: 20m, phase: blokkade, from: X, to: [om], channel: melding,
             title: F}
          - {id: in-blokkade, when: phase == "blokkade", from: X, to: [om],
             channel: melding, title: B}
    """)
    ex.apply(RunUntil(until=60))
    delivered = [(e.t, e.inject) for e in ex.events if isinstance(e, InjectDelivered)]
    assert delivered == [(10, "melding"), (10, "na"), (20, "fase"), (20, "in-blokkade")]
