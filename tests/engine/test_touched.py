"""What an event touches decides which `when` conditions are looked at again: a kind of
event the rule does not know must touch everything, so that no condition is left unchecked."""

from __future__ import annotations

from dataclasses import dataclass

from tabletop.engine.clock import ANYTHING, touched_by
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
