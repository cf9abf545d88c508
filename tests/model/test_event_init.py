"""The events' own `__new__` (`events._fast_new`): what the dataclass's `__init__` would do;
and the events stay frozen, picklable and copyable."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

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


@pytest.mark.parametrize("cls", list(EVENT_TYPES.values()), ids=list(EVENT_TYPES))
def test_every_event_is_its_own_class_and_frozen_after_it_is_made(cls: type) -> None:
    event = cls(**_sample(cls))
    assert type(event) is cls
    name = dataclasses.fields(cls)[-1].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(event, name, "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(event, name)
    assert pickle.loads(pickle.dumps(event)) == event
    assert copy.copy(event) == event and copy.deepcopy(event) == event


def test_a_subclass_of_an_event_is_made_by_its_own_init() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Late(InjectDelivered):
        late: int = 0

    event = Late(5, "i1", None, late=3)
    assert (type(event), event.inject, event.late) == (Late, "i1", 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.late = 4  # type: ignore[misc]
