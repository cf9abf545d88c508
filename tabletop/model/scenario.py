"""The scenario format: state, resources, phases, injects, decisions, dilemmas, rules, outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Literal, Protocol, TypeVar

from pydantic import Discriminator, Field, Tag, model_validator

from tabletop.errors import KeyedValueError
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
                raise KeyedValueError("load.var.bool_bounds")
        elif self.min is not None and self.max is not None and self.min > self.max:
            raise KeyedValueError("load.var.min_above_max", min=f"{self.min:g}",
                                  max=f"{self.max:g}")
        elif (self.min is not None and self.initial < self.min) or (
            self.max is not None and self.initial > self.max
        ):
            raise KeyedValueError("load.var.initial_outside", initial=f"{self.initial:g}")
        return self

    @property
    def is_bool(self) -> bool:
        return isinstance(self.initial, bool)


class Resource(StrictModel):
    """Scarce capacity (ME-pelotons, motorrijders): a count of what is free, in each run."""

    label: str
    capacity: int = Field(ge=0)


class Region(StrictModel):
    """A veiligheidsregio or politie-eenheid: roles placed in it hold authority in its areas."""

    label: str


class Area(StrictModel):
    """A place (a gemeente): roles placed in it hold their authority there only."""

    label: str
    region: Id | None = None
    """The region the area lies in."""


class RolePlacement(StrictModel):
    """A role from `roles/` placed in an area or region, under an id of its own."""

    role: Id
    """Which roles/ file it is."""
    as_: Id | None = Field(default=None, alias="as")
    """The id it is named by everywhere else (default: the role id)."""
    area: Id | None = None
    region: Id | None = None
    name: str | None = None
    """Its name in this scenario, e.g. `Burgemeester van Noorderzijl`."""
    short: str | None = Field(default=None, max_length=8)

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @property
    def id(self) -> str:
        return self.as_ or self.role

    @model_validator(mode="after")
    def _one_place(self) -> RolePlacement:
        if self.area is not None and self.region is not None:
            raise KeyedValueError("load.place.both")
        return self


def _id_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


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
            raise KeyedValueError("load.expect.else_within")
        if self.every is not None and self.every <= 0:
            raise KeyedValueError("load.expect.every")
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
    area: Id | list[Id] | None = None
    """The area (or areas) the inject concerns."""
    classification: str | None = None
    """A classification label (`stg-geheim`), shown with the inject."""
    need_to_know: list[Id] | None = None
    """Who may see the text (default: `to`); the shared screen shows only the title."""
    effects: list[Effect] = []
    """Effects applied when the inject is delivered (as an option's)."""

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @property
    def areas(self) -> list[str]:
        return _id_list(self.area)

    @property
    def restricted(self) -> bool:
        """Its text may be shown only to those with need to know."""
        return self.classification is not None or self.need_to_know is not None

    def may_see(self, role_id: str) -> bool:
        """Whether a role may see the text (need to know; default: the recipients)."""
        allowed = self.need_to_know if self.need_to_know is not None else self.to
        return not allowed or role_id in allowed

    @model_validator(mode="after")
    def _one_trigger(self) -> Inject:
        given = [k for k in ("at", "after", "when") if getattr(self, k) is not None]
        if self.manual:
            given.append("manual")
        if not given:
            raise KeyedValueError("load.inject.no_trigger")
        if len(given) > 1:
            raise KeyedValueError("load.trigger.many", triggers=", ".join(given))
        return self


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


class ConsultEntry(StrictModel):
    """A formal voice: advice, a zienswijze or a bezwaar the law requires to be heard."""

    role: Id
    kind: Literal["advies", "zienswijze", "bezwaar"] | None = None
    """Formal when given: differing from it, or not hearing it, surfaces `advies`."""
    basis: str | None = None
    unverified: bool = False


class ConsentEntry(StrictModel):
    """Instemming: the role must agree, or the option cannot be taken."""

    role: Id
    basis: str
    """E.g. `Politiewet 2012 art. 57 lid 3 (in overeenstemming met ...)`."""
    options: list[Id] = []
    """Which options need it; default all."""
    unverified: bool = False

    def needed_for(self, option_id: str) -> bool:
        return not self.options or option_id in self.options


NO_DEFAULT = "none"
"""`default: none`: at the deadline the decision lapses."""


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
    domain: Id | None = None
    """The authority domain (or give `domains:`); with `domains:`, the first of them."""
    domains: list[Id] = []
    """Candidate framings: whose decision it is depends on what it is for."""
    area: Id | list[Id] | None = None
    """The area (or areas) it concerns; without it, every area."""
    crisis: bool | None = None
    """It concerns the rampenbestrijding or crisisbeheersing (default: the scenario's)."""
    owner: Id | list[Id] | None = None
    """The deciding role (or roles, jointly); without it, whoever holds gezag when it opens."""
    together: Literal["all", "any"] = "any"
    """For joint owners: `all` must agree (positions recorded), `any` one decides."""
    consult: list[Id | ConsultEntry] = []
    """Roles whose advice is recorded; `{role:, kind:, basis:}` for a formal voice."""
    consent: list[ConsentEntry] = []
    """Roles that must agree (instemming) before an option needing it can be taken."""
    rests_on: list[Id] = []
    """Injects the decision is based on (checked against need to know)."""
    forum: str = ""
    """Where it is normally taken: driehoek, GBT, RBT, ICCb, MCCb, LOVP, bilateraal, ..."""
    deadline: Duration | None = None
    """Time from opening; then the default applies, or (without one) the decision lapses."""
    default: Id | None = None
    """A power-free option applied at the deadline; `none` (or no default): it lapses."""
    auto: Id | None = None
    """The likely choice when the engine plays the owner (else the default)."""
    auto_delay: Duration = 10
    """How long the engine takes to decide for a role nobody plays."""
    objectives: list[Id] = []
    options: list[Option] = []
    """Without options the decision is an open question, answered in text."""

    model_config = StrictModel.model_config | {"populate_by_name": True}

    @model_validator(mode="before")
    @classmethod
    def _one_framing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            domain, domains = data.get("domain"), data.get("domains")
            # (a dumped model carries both, `domain` being the first framing: that is fine)
            if domain is not None and domains and not (
                    isinstance(domains, list) and domains[0] == domain):
                raise KeyedValueError("load.decision.domain_both")
            if domain is None and not domains:
                raise KeyedValueError("load.decision.no_domain")
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Decision:
        given = [k for k in ("on", "at", "after", "when") if getattr(self, k) is not None]
        if not given:
            raise KeyedValueError("load.decision.no_trigger")
        if len(given) > 1:
            raise KeyedValueError("load.trigger.many", triggers=", ".join(given))
        if self.domain is None:
            if not self.domains:
                raise KeyedValueError("load.decision.domains_empty")
            object.__setattr__(self, "domain", self.domains[0])
        ids = [o.id for o in self.options]
        if not self.options and ((self.default and self.default != NO_DEFAULT) or self.auto):
            raise KeyedValueError("load.decision.open_default")
        for key in ("default", "auto"):
            value = getattr(self, key)
            if key == "default" and value == NO_DEFAULT:
                continue
            if value is not None and value not in ids:
                raise KeyedValueError("load.decision.not_an_option", key=key, value=str(value),
                                      options=", ".join(ids))
        return self

    @property
    def is_open(self) -> bool:
        """An open question: no options, the answer is text."""
        return not self.options

    @property
    def framings(self) -> list[str]:
        """The candidate domains: `domains`, or the one `domain`."""
        return list(self.domains) or [self.domain or ""]

    @property
    def areas(self) -> list[str]:
        return _id_list(self.area)

    @property
    def owners(self) -> list[str]:
        return _id_list(self.owner)

    @property
    def first_owner(self) -> str | None:
        return self.owners[0] if self.owners else None

    @property
    def joint(self) -> bool:
        """Owners who must all agree (`together: all`)."""
        return self.together == "all" and len(self.owners) > 1

    @property
    def consult_ids(self) -> list[str]:
        return [c if isinstance(c, str) else c.role for c in self.consult]

    @property
    def formal_voices(self) -> list[ConsultEntry]:
        """Consult entries with a `kind`: legally required voices."""
        return [c for c in self.consult if not isinstance(c, str) and c.kind is not None]

    @property
    def default_option(self) -> str | None:
        """The option applied at the deadline; None: the decision lapses."""
        return None if self.default in (None, NO_DEFAULT) else self.default

    def consents_for(self, option_id: str) -> list[ConsentEntry]:
        return [c for c in self.consent if c.needed_for(option_id)]

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

    format: Literal[1, 2]
    """Format version: 1, or 2 for the keys of the gezag model version 2."""
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
    roles: list[Id | RolePlacement] = []
    """Roles from `roles/` that take part; `{role:, as:, area:, region:}` places one."""
    crisis: bool = True
    """Decisions concern the rampenbestrijding or crisisbeheersing unless they say otherwise."""
    areas: dict[Id, Area] = {}
    """Places (gemeenten); without them the scenario has one place."""
    regions: dict[Id, Region] = {}
    """Veiligheidsregio's and politie-eenheden areas lie in."""
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
    def placements(self) -> list[RolePlacement]:
        """Every entry of `roles:` as a placement (a plain id is placed nowhere)."""
        return [RolePlacement(role=r) if isinstance(r, str) else r for r in self.roles]

    @property
    def role_ids(self) -> list[str]:
        """The ids the `roles:` entries are named by (`as:`, else the role id)."""
        return [r if isinstance(r, str) else r.id for r in self.roles]

    @property
    def all_role_ids(self) -> list[str]:
        return self.role_ids + [r.id for r in self.local_roles]

    def inject(self, inject_id: str) -> Inject | None:
        return _by_id(self, "_injects_by_id", self.injects).get(inject_id)

    def decision(self, decision_id: str) -> Decision | None:
        return _by_id(self, "_decisions_by_id", self.decisions).get(decision_id)

    def dilemma(self, dilemma_id: str) -> Dilemma | None:
        return _by_id(self, "_dilemmas_by_id", self.dilemmas).get(dilemma_id)

    def outcome(self, outcome_id: str) -> Outcome | None:
        return _by_id(self, "_outcomes_by_id", self.outcomes).get(outcome_id)
