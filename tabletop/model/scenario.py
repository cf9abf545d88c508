"""The scenario format: state, resources, phases, injects, decisions, dilemmas, rules, outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Literal, Protocol, TypeVar

from pydantic import Discriminator, Field, Tag, model_validator

from tabletop.model.base import Basis, Duration, Expr, Id, StrictModel, VarId
from tabletop.model.role import Domain, Role


class Channel(str, Enum):
    """How an inject reaches the players."""

    briefing = "briefing"
    melding = "melding"
    nieuws = "nieuws"
    sociale_media = "sociale-media"
    telefoon = "telefoon"
    email = "email"
    overleg = "overleg"
    rapport = "rapport"


class Reliability(str, Enum):
    """How true an inject is; `onjuist` (a false lead) is known only to the facilitator."""

    bevestigd = "bevestigd"
    onbevestigd = "onbevestigd"
    onjuist = "onjuist"


class StateVar(StrictModel):
    """A state variable: a number or a boolean that effects change and expressions read."""

    label: str
    initial: float | bool
    """Value at minute 0; `true`/`false` make the variable a boolean."""
    min: float | None = None
    """Lowest value; every change is clamped to it."""
    max: float | None = None
    """Highest value; every change is clamped to it."""
    unit: str = ""
    key: bool = False
    """Show this variable in the exercise screen's header."""

    @model_validator(mode="after")
    def _bounds(self) -> StateVar:
        if isinstance(self.initial, bool):
            if self.min is not None or self.max is not None:
                raise ValueError("a boolean variable has no min or max")
        elif self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        elif (self.min is not None and self.initial < self.min) or (
            self.max is not None and self.initial > self.max
        ):
            raise ValueError(f"initial ({self.initial:g}) lies outside min..max")
        return self

    @property
    def is_bool(self) -> bool:
        return isinstance(self.initial, bool)


class Resource(StrictModel):
    """Scarce capacity (ME-pelotons, motorrijders): one simpy Container."""

    label: str
    capacity: int = Field(ge=0)


class Objective(StrictModel):
    """An oefendoel: what the exercise should let the players practise."""

    id: Id
    title: str
    description: str = ""


class Parameter(StrictModel):
    """A set-up value (gemeente, eenheid), used in texts as `{name}`."""

    label: str
    default: str = ""


class Phase(StrictModel):
    """A phase of the story (aanloop, escalatie, nafase)."""

    id: Id
    title: str
    questions: list[str] = []
    """Discussion questions the facilitator puts to the table in this phase."""


class Material(StrictModel):
    """A file for the facilitator, relative to the scenario file."""

    title: str
    path: str


class FacilitatorNotes(StrictModel):
    """The facilitator-only part of an inject; never shown to participants."""

    expect: str = ""
    """The player action the inject should provoke."""
    guidance: str = ""
    """How to play it: what to say, what to hold back."""


class Expectation(StrictModel):
    """Something the players must deliver (a situation report, a press line)."""

    what: str
    within: Duration | None = None
    """Time from delivery; without it, 'as soon as possible' (no contingency)."""
    else_: Id | None = Field(default=None, alias="else")
    """A (usually manual) inject delivered when `within` passes unmet."""
    every: Duration | None = None
    """Recurring: due again every so long (an hourly situation report)."""

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _else_needs_within(self) -> Expectation:
        if self.else_ is not None and self.within is None:
            raise ValueError("'else' needs 'within': when would the contingency follow?")
        if self.every is not None and self.every <= 0:
            raise ValueError("'every' must be longer than 0m")
        return self


class After(StrictModel):
    """Trigger relative to another inject's delivery or decision's taking."""

    event: Id
    delay: Duration = 0


class Inject(StrictModel):
    """A message, report or news item that reaches the players."""

    id: Id
    at: Duration | None = None
    """Trigger: minutes from the start."""
    after: After | None = None
    """Trigger: a delay after another inject or a decision."""
    when: Expr | None = None
    """Trigger: the first moment the expression holds."""
    manual: bool = False
    """No trigger of its own: scheduled by an effect or released by the facilitator."""
    if_: Expr | None = Field(default=None, alias="if")
    """Guard: skipped when false at the trigger's moment."""
    phase: Id | None = None
    """Delivering the inject moves the story into this phase."""
    from_: str = Field(alias="from")
    """Sender: a role id, or free text ("NOS", "Meldkamer")."""
    to: list[Id] = []
    """Recipients (role ids)."""
    channel: Channel
    title: str
    text: str = ""
    """Markdown shown to the participants."""
    facilitator: FacilitatorNotes | None = None
    objectives: list[Id] = []
    expect: Expectation | None = None
    reliability: Reliability | None = None
    tags: list[str] = []
    relates: list[Id] = []
    attachments: list[str] = []
    """Files (relative to the scenario) the UI can open."""

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _one_trigger(self) -> Inject:
        given = [k for k in ("at", "after", "when") if getattr(self, k) is not None]
        if self.manual:
            given.append("manual")
        if not given:
            raise ValueError("no trigger: give 'at', 'after' or 'when', or 'manual: true'")
        if len(given) > 1:
            raise ValueError(f"more than one trigger ({', '.join(given)}); keep one")
        return self


class SetEffect(StrictModel):
    set: dict[str, float | bool]
    """Give variables a value (clamped to min/max)."""


class AddEffect(StrictModel):
    add: dict[str, float]
    """Change numeric variables by an amount (clamped to min/max)."""


class ScheduleSpec(StrictModel):
    inject: Id
    delay: Duration = 0


class ScheduleEffect(StrictModel):
    schedule: ScheduleSpec
    """Deliver an inject after a delay."""


class SurfaceEffect(StrictModel):
    surface: Id
    """Surface an authored dilemma."""


class PhaseEffect(StrictModel):
    phase: Id
    """Move the story into a phase."""


class EndEffect(StrictModel):
    end: Id
    """End the story with an outcome."""


EFFECT_KEYS = ("set", "add", "schedule", "surface", "phase", "end")


def _effect_key(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = [k for k in value if k in EFFECT_KEYS]
        return keys[0] if len(keys) == 1 else None
    return next((k for k in EFFECT_KEYS if hasattr(value, k)), None)


Effect = Annotated[
    Annotated[SetEffect, Tag("set")]
    | Annotated[AddEffect, Tag("add")]
    | Annotated[ScheduleEffect, Tag("schedule")]
    | Annotated[SurfaceEffect, Tag("surface")]
    | Annotated[PhaseEffect, Tag("phase")]
    | Annotated[EndEffect, Tag("end")],
    Discriminator(
        _effect_key,
        custom_error_type="effect_kind",
        custom_error_message="an effect is one of set, add, schedule, surface, phase, end",
    ),
]


class Option(StrictModel):
    """One answer to a decision, with the capacity it claims and what follows."""

    id: Id
    label: str
    description: str = ""
    power: Id | None = None
    """A power of the deciding role: its legal basis is logged as invoked."""
    uses: dict[Id, int] = {}
    """Capacity claimed per resource."""
    for_: Duration | None = Field(default=None, alias="for")
    """How long the capacity stays claimed; without it, it does not return."""
    effects: list[Effect] = []

    model_config = StrictModel.model_config | {"populate_by_name": True}


class Decision(StrictModel):
    """A decision point: a question for a role, with options, a deadline and a default."""

    id: Id
    on: Id | None = None
    """Trigger: arises when this inject is delivered (or this decision taken)."""
    at: Duration | None = None
    after: After | None = None
    when: Expr | None = None
    if_: Expr | None = Field(default=None, alias="if")
    """Guard: the decision does not arise when false at its trigger's moment."""
    question: str
    context: str = ""
    """What is known (Markdown): the *beeld* the decision rests on."""
    domain: Id
    owner: Id | None = None
    """The deciding role; without it, whoever holds gezag over the domain when it opens."""
    consult: list[Id] = []
    """Roles whose advice is recorded beside the decision."""
    forum: str = ""
    """Where it is normally taken: driehoek, GBT, RBT, ICCb, MCCb, LOVP, bilateraal, ..."""
    deadline: Duration | None = None
    """Time from opening; then the default is applied. Without it, open until taken."""
    default: Id | None = None
    auto: Id | None = None
    """The likely choice when the engine plays the owner (else the default)."""
    auto_delay: Duration = 10
    """How long the engine takes to decide for a role nobody plays."""
    objectives: list[Id] = []
    options: list[Option] = []
    """Without options the decision is an open question, answered in text."""

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="after")
    def _consistent(self) -> Decision:
        given = [k for k in ("on", "at", "after", "when") if getattr(self, k) is not None]
        if not given:
            raise ValueError("no trigger: give 'on', 'at', 'after' or 'when'")
        if len(given) > 1:
            raise ValueError(f"more than one trigger ({', '.join(given)}); keep one")
        ids = [o.id for o in self.options]
        if self.options and self.deadline is not None and self.default is None:
            raise ValueError("a deadline needs a 'default' option to apply when it passes")
        if not self.options and (self.default or self.auto):
            raise ValueError("an open decision (no options) has no 'default' or 'auto'")
        for key in ("default", "auto"):
            value = getattr(self, key)
            if value is not None and value not in ids:
                raise ValueError(f"{key} '{value}' is not one of the options "
                                 f"({', '.join(ids)})")
        return self

    @property
    def is_open(self) -> bool:
        """An open question: no options, the answer is text."""
        return not self.options

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Dilemma(StrictModel):
    """An authored gezagsdilemma: roles in tension, their legal bases, the LOVP question."""

    id: Id
    title: str
    situation: str = ""
    roles: list[Id] = []
    bases: list[Basis] = []
    question: str = ""
    """The question this dilemma puts to the next LOVP."""


class Rule(StrictModel):
    """World dynamics: effects that apply every so often while a condition holds."""

    id: Id | None = None
    every: Duration = Field(ge=1)
    if_: Expr | None = Field(default=None, alias="if")
    effects: list[Effect]

    model_config = StrictModel.model_config | {"populate_by_name": True}


class Outcome(StrictModel):
    """A named end of the story."""

    id: Id
    title: str
    description: str = ""
    when: Expr | None = None
    """Ends the story the first moment it holds (or, with `final`, is checked at the end)."""
    final: bool = False
    """Only checked when the story reaches `end`."""


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def _by_id(owner: StrictModel, key: str, items: Sequence[_T]) -> dict[str, _T]:
    """`items` by id (the first of a duplicated id, as a scan would find), built once.

    Why: the engine and the UI look injects and decisions up per event; a scan is linear in
    the scenario's size. The mapping lives in the instance's `__dict__` beside the fields
    (pydantic compares, dumps and validates fields only) and is rebuilt when the list it was
    built from is no longer the one the model holds (after `model_copy(update=...)`).
    """
    cached = owner.__dict__.get(key)
    if cached is None or cached[0] is not items:
        index: dict[str, _T] = {}
        for item in items:
            index.setdefault(item.id, item)
        cached = (items, index)
        owner.__dict__[key] = cached
    return cached[1]


class Scenario(StrictModel):
    """A scenario file."""

    format: Literal[1]
    """Format version; always 1."""
    id: Id
    title: str
    summary: str = ""
    facilitator: str = ""
    """The facilitator's introduction (Markdown): purpose, learning goals, who, duration."""
    duration: Duration | None = None
    """Real time a session takes."""
    start: datetime
    """Wall-clock time of minute 0 of the story, with offset."""
    end: Duration | None = None
    """The story ends here at the latest."""
    roles: list[Id] = []
    """Roles from `roles/` that take part."""
    local_roles: list[Role] = []
    local_domains: dict[Id, Domain] = {}
    parameters: dict[VarId, Parameter] = {}
    state: dict[VarId, StateVar] = {}
    resources: dict[Id, Resource] = {}
    objectives: list[Objective] = []
    phases: list[Phase] = []
    injects: list[Inject] = []
    decisions: list[Decision] = []
    dilemmas: list[Dilemma] = []
    rules: list[Rule] = []
    outcomes: list[Outcome] = []
    materials: list[Material] = []

    @property
    def all_role_ids(self) -> list[str]:
        return list(self.roles) + [r.id for r in self.local_roles]

    def inject(self, inject_id: str) -> Inject | None:
        return _by_id(self, "_injects_by_id", self.injects).get(inject_id)

    def decision(self, decision_id: str) -> Decision | None:
        return _by_id(self, "_decisions_by_id", self.decisions).get(decision_id)

    def dilemma(self, dilemma_id: str) -> Dilemma | None:
        return _by_id(self, "_dilemmas_by_id", self.dilemmas).get(dilemma_id)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return _by_id(self, "_outcomes_by_id", self.outcomes).get(outcome_id)
