"""The events' own `__init__` (`events._slot_init`): what the dataclass's would do."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from tabletop.model.events import EVENT_TYPES, DecisionTaken, DilemmaSurfaced, InjectDelivered


def _sample(cls: type) -> dict[str, object]:
    """A value for each field without a default (what the type says roughly: any will do)."""
    return {f.name: f"v-{f.name}" for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}


@pytest.mark.parametrize("cls", list(EVENT_TYPES.values()), ids=list(EVENT_TYPES))
def test_every_event_takes_its_fields_in_order_with_their_defaults(cls: type) -> None:
    fields = dataclasses.fields(cls)
    params = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in params] == [f.name for f in fields]
    event = cls(**_sample(cls))
    for f in fields:
        if f.default is not dataclasses.MISSING:
            assert getattr(event, f.name) == f.default
        elif f.default_factory is not dataclasses.MISSING:
            assert getattr(event, f.name) == f.default_factory()
    positional = cls(*[getattr(event, f.name) for f in fields])
    assert positional == event and positional.to_dict() == event.to_dict()


def test_a_default_dict_is_each_events_own() -> None:
    one = DecisionTaken(1, "d", "a", "politie")
    two = DecisionTaken(2, "d", "a", "politie")
    assert one.advice == {} and one.advice is not two.advice


def test_events_stay_frozen() -> None:
    event = InjectDelivered(5, "i1", None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.t = 6  # type: ignore[misc]
    assert dataclasses.replace(event, t=6).t == 6 and event.t == 5


def test_wrong_arguments_are_refused_as_by_a_dataclass() -> None:
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'kind'"):
        DilemmaSurfaced(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        InjectDelivered(1, "i1", None, colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values for argument 't'"):
        InjectDelivered(1, "i1", None, t=2)  # type: ignore[misc]
