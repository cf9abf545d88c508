"""Typed events of an exercise: what the engine emits, the journal writes, the UI renders.

Events are small frozen dataclasses (fast to make in batch runs); `to_dict` and
`event_from_dict` give their JSON form, which is the journal's line payload.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from tabletop.errors import KeyedValueError


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at story minute `t`."""

    t: int
    type: ClassVar[str] = "event"
    participant_visible: ClassVar[bool] = False
    """Whether the participant view may show this kind of event at all."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass is made the dataclass way, by its own `__init__`, whatever `__new__`
        its base was given (see `_fast_new`, which gives the event classes theirs)."""
        super(Event, cls).__init_subclass__(**kwargs)  # (zero-argument super: not in slots)
        cls.__new__ = _plain_new  # type: ignore[method-assign]

    def __reduce__(self) -> tuple[Callable[..., Event], tuple[Any, ...]]:
        """Pickled and copied as its class and its fields (its `__new__` takes them)."""
        return type(self), tuple(getattr(self, f.name) for f in dataclasses.fields(self))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"t": self.t, "type": self.type}
        names = _NAMES.get(type(self))
        if names is None:
            names = _NAMES[type(self)] = tuple(
                f.name for f in dataclasses.fields(self) if f.name != "t")
        for name in names:
            value = getattr(self, name)
            data[name] = dict(value) if isinstance(value, dict) else (
                list(value) if isinstance(value, tuple) else value)
        return data


def _plain_new(cls: type, *_args: Any, **_kwargs: Any) -> Any:
    """An instance to be given its fields by its `__init__` (the arguments are its)."""
    return object.__new__(cls)


_NAMES: dict[type, tuple[str, ...]] = {}
"""Per event class, its fields but `t`, in order (what `to_dict` writes after t and type)."""


@dataclass(frozen=True, slots=True)
class InjectDelivered(Event):
    """An inject reached the players."""

    inject: str
    phase: str | None
    released: bool = False
    """Delivered by the facilitator (a manual inject, or one sent ahead of its time)."""
    by: str | None = None
    """Who caused it when not its own trigger: `facilitator`, a decision, a contingency."""
    type: ClassVar[str] = "inject"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class InjectSkipped(Event):
    """An inject did not reach the players: its guard was false, or the facilitator skipped it."""

    inject: str
    reason: str
    """`guard` or `facilitator`."""
    why: str = ""
    """The facilitator's reason for skipping it."""
    by: str | None = None
    """Who skipped it (a skip by hand)."""
    type: ClassVar[str] = "inject_skipped"


@dataclass(frozen=True, slots=True)
class AdHocInject(Event):
    """A message the facilitator wrote during the exercise."""

    title: str
    text: str
    sender: str = "facilitator"
    to: tuple[str, ...] = ()
    channel: str = "melding"
    type: ClassVar[str] = "adhoc_inject"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class PhaseChanged(Event):
    phase: str
    type: ClassVar[str] = "phase"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class DecisionOpened(Event):
    """A decision point opened: who owns it, who holds gezag now, until when."""

    decision: str
    owner: str | None
    deadline_t: int | None
    consult: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    """Participating roles holding gezag over the decision's domain at this moment."""
    simulated: bool = False
    """The owner is played by the engine."""
    consent: tuple[str, ...] = ()
    """Roles whose instemming some option needs (gezag model v2)."""
    type: ClassVar[str] = "decision_opened"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class DecisionTaken(Event):
    """A decision was taken (by a person, the engine, or a deadline's default)."""

    decision: str
    option: str | None
    by: str | None
    advice: dict[str, str] = field(default_factory=dict)
    rationale: str = ""
    forum: str = ""
    default: bool = False
    """The deadline passed and the default option was applied."""
    simulated: bool = False
    """Taken by the engine for a role nobody plays."""
    answer: str = ""
    """The answer to an open decision (no options)."""
    basis: str | None = None
    """The legal basis invoked: the basis of the power the option names."""
    basis_unverified: bool = False
    action_owner: str | None = None
    """Actiehouder: who follows the decision up."""
    beeld: dict[str, Any] = field(default_factory=dict)
    """State and free capacity as they stood when the decision was taken."""
    basis_of: str | None = None
    """The role whose power `basis` is (the decider's, else the decision's owner's)."""
    framing: str | None = None
    """For a decision with candidate `domains:`: the framing (domain) the table chose."""
    consent: dict[str, bool] = field(default_factory=dict)
    """Answers of the consenting roles (instemming)."""
    positions: dict[str, str] = field(default_factory=dict)
    """Joint owners' positions (`together: all`)."""
    on_behalf_of: str | None = None
    """A mandataris decided in the name of this role (`acts_for`)."""
    type: ClassVar[str] = "decision"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class DecisionLapsed(Event):
    """A deadline passed with nobody deciding and no (power-free) default: nothing was
    decided, nothing applied, no capacity claimed (`vervallen`)."""

    decision: str
    owner: str | None = None
    deadline_t: int | None = None
    type: ClassVar[str] = "decision_lapsed"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class DecisionBlocked(Event):
    """Someone tried to take a decision and it was not taken: a required consent was
    refused (`instemming`), or joint owners disagreed (`verdeeld`). The decision stays
    open. A command: replay carries it out again with the same arguments."""

    decision: str
    option: str | None
    by: str | None
    reason: str
    """`instemming` or `verdeeld`."""
    framing: str | None = None
    consent: dict[str, bool] = field(default_factory=dict)
    positions: dict[str, str] = field(default_factory=dict)
    advice: dict[str, str] = field(default_factory=dict)
    rationale: str = ""
    forum: str = ""
    type: ClassVar[str] = "decision_blocked"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class EffectApplied(Event):
    """State variables changed."""

    source: str
    """`decision/option`, `rule:<id>` or `facilitator`."""
    changes: dict[str, list[Any]]
    """{variable: [old, new]}."""
    type: ClassVar[str] = "effect"


@dataclass(frozen=True, slots=True)
class CapacityChanged(Event):
    """Capacity was claimed or came back."""

    resource: str
    change: int
    """Negative for a claim, positive for a return."""
    level: int
    """Free capacity after the change."""
    source: str
    requested: int = 0
    """For a claim: how much the option asked for (more than `-change` when short)."""
    type: ClassVar[str] = "capacity"


@dataclass(frozen=True, slots=True)
class DilemmaSurfaced(Event):
    """A gezagsdilemma surfaced: authored, detected by the engine, or flagged by hand."""

    kind: str
    """authored, bevoegdheid, overlap, doel, advies, instemming, verdeeld, informatie,
    schaarste, termijn or handmatig."""
    dilemma: str | None = None
    decision: str | None = None
    roles: tuple[str, ...] = ()
    bases: tuple[dict[str, Any], ...] = ()
    """({role, basis, unverified}) for the roles in tension."""
    detail: dict[str, Any] = field(default_factory=dict)
    """Kind-specific facts: resource and shortfall, dissenting advice, the decider."""
    text: str = ""
    """For a dilemma flagged by hand: the facilitator's description."""
    type: ClassVar[str] = "dilemma"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class ExpectationChanged(Event):
    """An inject's expectation was marked met, or its time passed unmet."""

    inject: str
    status: str
    """`met` or `missed`."""
    by: str | None = None
    type: ClassVar[str] = "expectation"


@dataclass(frozen=True, slots=True)
class NoteAdded(Event):
    """A note: a discussion answer, an observation of the facilitator, a point for the LOVP."""

    by: str
    text: str
    lovp: bool = False
    question: str | None = None
    """`phase-id/N` when the note answers the phase's N-th discussion question (1-based)."""
    owner: str | None = None
    """The role that should take the point up (for the LOVP agenda)."""
    type: ClassVar[str] = "note"


@dataclass(frozen=True, slots=True)
class ObservationAdded(Event):
    """An evaluator's observation, with an optional HSEEP rating (P, S, M, U)."""

    by: str
    text: str
    inject: str | None = None
    rating: str | None = None
    type: ClassVar[str] = "observation"


@dataclass(frozen=True, slots=True)
class ExerciseEnded(Event):
    outcome: str | None
    state: dict[str, Any]
    by: str | None = None
    """`facilitator` when ended by hand."""
    type: ClassVar[str] = "end"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class StateAdjusted(Event):
    """State variables set by hand, with the reason."""

    changes: dict[str, list[Any]]
    """{variable: [old, new]}."""
    reason: str
    by: str
    type: ClassVar[str] = "adjusted"


@dataclass(frozen=True, slots=True)
class DeadlineExtended(Event):
    """An open decision was given more time."""

    decision: str
    deadline_t: int
    """The new deadline (story minute)."""
    by: str
    type: ClassVar[str] = "deadline_extended"
    participant_visible: ClassVar[bool] = True


@dataclass(frozen=True, slots=True)
class ClockSet(Event):
    """The story clock runs at `factor` story minutes per real second (0: paused, stepped)."""

    factor: float
    by: str
    type: ClassVar[str] = "clock"
    participant_visible: ClassVar[bool] = True


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (InjectDelivered, InjectSkipped, AdHocInject, PhaseChanged, DecisionOpened,
                DecisionTaken, DecisionLapsed, DecisionBlocked, EffectApplied, CapacityChanged,
                DilemmaSurfaced, ExpectationChanged, NoteAdded, ObservationAdded, ExerciseEnded,
                StateAdjusted, DeadlineExtended, ClockSet)
}


_FROM_FACTORY = "    if {name} is _MISSING:\n        {name} = _f_{name}()\n"
"""The line of a generated `__new__` that makes a field's default (Python, not a message)."""


def _fast_new(cls: type[Event]) -> None:
    """Give a frozen event class a `__new__` that makes its events with plain slot
    assignments, with the signature, defaults and refusals (missing, unknown or repeated
    arguments: TypeError) of the `__init__` the dataclass wrote. (`cls` is the class asked
    for: a subclass has its own `__new__`, see `Event.__init_subclass__`.)

    Why: a frozen dataclass sets each field through `object.__setattr__`, and the engine
    makes an event for everything that happens. The event is made as an instance of a
    writable twin of its class (a subclass that adds no slots and keeps Python's own
    `__setattr__`), where each field is one store into its slot, and is then given its
    own class (the same layout): from then on it is frozen, as the dataclass made it, and
    assigning a field raises `FrozenInstanceError`."""
    fields = dataclasses.fields(cls)
    twin = type(cls.__name__, (cls,), {"__slots__": (), "__setattr__": object.__setattr__,
                                       "__delattr__": object.__delattr__,
                                       "__qualname__": f"{cls.__qualname__}.<writable>"})
    scope: dict[str, Any] = {"_MISSING": dataclasses.MISSING, "_own": cls, "_twin": twin,
                             "_new": object.__new__}
    params: list[str] = []
    body: list[str] = []
    for f in fields:
        if f.default is not dataclasses.MISSING:
            scope[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"_f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            body.append(_FROM_FACTORY.format(name=f.name))
        else:
            params.append(f.name)
    body += [f"    self.{f.name} = {f.name}\n" for f in fields]
    exec(f"def __new__(cls, {', '.join(params)}):\n"
         f"    self = _new(_twin)\n{''.join(body)}    self.__class__ = _own\n    return self\n",
         scope)
    WRITABLE[cls] = twin
    made = scope["__new__"]
    made.__qualname__ = f"{cls.__qualname__}.__new__"
    made.__doc__ = cls.__init__.__doc__
    cls.__new__ = made  # type: ignore[method-assign]
    cls.__init__ = object.__init__  # type: ignore[assignment,method-assign]


WRITABLE: dict[type[Event], type[Event]] = {}
"""Per event class, its writable twin (see `_fast_new`): what a validator that makes an
instance without arguments and then sets its fields (pydantic) is given instead."""

for _cls in EVENT_TYPES.values():
    _fast_new(_cls)
del _cls


def _defaults(cls: type[Event]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return out


FIELD_DEFAULTS: dict[str, dict[str, Any]] = {
    name: _defaults(cls) for name, cls in EVENT_TYPES.items()}
"""Per event type, the fields that have defaults: what a newer program may add."""

_TUPLE_FIELDS = {
    cls: {f.name for f in dataclasses.fields(cls) if str(f.type).startswith("tuple")}
    for cls in EVENT_TYPES.values()
}
_FIELD_NAMES = {cls: {f.name for f in dataclasses.fields(cls)} for cls in EVENT_TYPES.values()}


class EventFormatError(KeyedValueError):
    """A dict that is not a valid event."""


def event_from_dict(data: dict[str, Any]) -> Event:
    """The event a `to_dict` (or journal line) describes; extra keys are ignored."""
    kind = data.get("type")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise EventFormatError("jr.event_unknown", type=repr(kind))
    names = _FIELD_NAMES[cls]
    tuples = _TUPLE_FIELDS[cls]
    kwargs = {k: (tuple(v) if k in tuples and isinstance(v, list) else v)
              for k, v in data.items() if k in names}
    if "bases" in kwargs:
        kwargs["bases"] = tuple(dict(b) for b in kwargs["bases"])
    try:
        return cls(**kwargs)  # type: ignore[arg-type]  # checked by the dataclass itself
    except TypeError as exc:
        raise EventFormatError("jr.event_fields", type=str(kind), detail=str(exc)) from None
