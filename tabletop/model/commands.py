"""The command language: everything any actor can do to an exercise, as one typed union.

A command is what somebody (a role or a staff member: `by`) asked for, and where the request
came from (`origin`: the facilitator's console, a scripted decisions file, a batch policy,
later a seat). `Exercise.apply(command)` is the only way to change an exercise; the journal
writes each applied command as a `command` line before the events it caused, and replay,
verify, resume and fork feed those commands back.

Each command has two spellings that load into the same model:

- the journal's, by field name with `kind` (`{"kind": "release", "inject": "x"}`);
- the YAML spelling of scripted decisions files, where the key that names the kind carries
  its main argument (`release: x`, `note: tekst`, `decision: d` with `option:`), as those
  files have always been written.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    model_validator,
)

from tabletop.model.base import Id, parse_duration

STAFF = ("facilitator", "observator")
"""Who may act besides the scenario's roles: the oefenleider and an evaluator."""

ORIGIN_PATTERN = r"^(facilitator|script|policy|seat:[a-z0-9][a-z0-9-]*)$"
RATINGS = ("P", "S", "M", "U")

Origin = Annotated[str, Field(pattern=ORIGIN_PATTERN, max_length=90)]
Text = Annotated[str, Field(max_length=20_000)]
Who = Annotated[str, Field(min_length=1, max_length=80)]
MAX_MINUTES = 10_000_000
"""About nineteen years of story time: beyond it a time is a typo, not a plan."""
Minutes = Annotated[int, BeforeValidator(parse_duration), Field(ge=0, le=MAX_MINUTES)]
"""Story minutes, written as a number or a duration (`2h`, `1d6h`)."""


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True,
                              validate_by_alias=True)

    by: Who = "facilitator"
    """Who does it: a role of the scenario, or staff (facilitator, observator)."""
    origin: Origin = "facilitator"
    """Where the command came from: facilitator, script, policy or seat:ROLE."""


class Step(_Command):
    """Play the next moment at which something happens."""

    kind: Literal["step"] = "step"
    step: Literal[True] = True


class RunUntil(_Command):
    """Play everything up to and including story minute `until`."""

    kind: Literal["run_until"] = "run_until"
    until: Minutes


class SetClock(_Command):
    """Run the story clock at `factor` story minutes per real second; 0 pauses it."""

    kind: Literal["clock"] = "clock"
    factor: float = Field(ge=0, le=1440, validation_alias=AliasChoices("factor", "clock"))


class Release(_Command):
    """Deliver an inject now: a manual one, or one ahead of its trigger."""

    kind: Literal["release"] = "release"
    inject: Id = Field(validation_alias=AliasChoices("inject", "release"))


class Skip(_Command):
    """Keep an inject from the players: its trigger will do nothing."""

    kind: Literal["skip"] = "skip"
    inject: Id = Field(validation_alias=AliasChoices("inject", "skip"))
    reason: Text = ""


class AdHoc(_Command):
    """Deliver a message the facilitator writes now."""

    kind: Literal["adhoc"] = "adhoc"
    title: Text = Field(validation_alias=AliasChoices("title", "adhoc"))
    text: Text = ""
    sender: Who = "facilitator"
    to: tuple[Id, ...] = ()
    channel: Id = "melding"


class MarkMet(_Command):
    """Mark an inject's expectation met (its contingency will not follow)."""

    kind: Literal["met"] = "met"
    inject: Id = Field(validation_alias=AliasChoices("inject", "met"))


class Decide(_Command):
    """Take an open decision: an option, or for an open question an answer in text."""

    kind: Literal["decide"] = "decide"
    decision: Id
    option: Id | None = None
    answer: Text = ""
    advice: dict[Who, Text] = Field(default_factory=dict)
    """What each consulted role advised: an option id, or for an open question a text."""
    rationale: Text = ""
    forum: Text = ""
    action_owner: Who | None = None
    """Who carries the decision out, when that is not the decider."""
    framing: Id | None = None
    """For a decision with candidate `domains:`: the purpose the table chose."""
    consent: dict[Who, bool] = Field(default_factory=dict)
    """The answers of the roles whose consent the option needs."""
    positions: dict[Who, Id] = Field(default_factory=dict)
    """The owners' positions in a joint decision (`together: all`)."""


class ExtendDeadline(_Command):
    """Give an open decision more time."""

    kind: Literal["extend"] = "extend"
    decision: Id = Field(validation_alias=AliasChoices("decision", "extend"))
    minutes: Minutes = Field(gt=0)


class Voice(BaseModel):
    """A role's voice on an open decision it does not take alone: advice (a consulted
    role: an option id or, for an open question, a text), consent (instemming: `yes` or
    `no`) or a position (an owner of a joint decision: an option id)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    decision: Id
    value: str = Field(min_length=1, max_length=20_000)
    kind: Literal["advice", "consent", "position"] = "advice"


class Note(_Command):
    """A note: for the LOVP agenda (with the role to take it up), or answering a question."""

    kind: Literal["note"] = "note"
    text: Text = Field(validation_alias=AliasChoices("text", "note"))
    lovp: bool = False
    question: str | None = Field(default=None, max_length=120)
    """A discussion question as `phase/N`."""
    owner: Who | None = None
    """The role that should take the point up at the LOVP."""
    voice: Voice | None = None
    """What a seat's note says about an open decision, as data: the facilitator's decision
    card is prefilled from it, also after a resume (the engine records only the text)."""


class Observe(_Command):
    """An evaluator's observation with an optional HSEEP rating (P, S, M, U)."""

    kind: Literal["observe"] = "observe"
    by: Who = "observator"
    text: Text = Field(validation_alias=AliasChoices("text", "observation"))
    inject: Id | None = None
    rating: Literal["P", "S", "M", "U"] | None = None


class Flag(_Command):
    """Mark a dilemma by hand: an authored one (`dilemma`), or one described in `text`."""

    kind: Literal["flag"] = "flag"
    dilemma: Id | None = None
    text: Text = ""
    roles: tuple[Id, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _yaml_spelling(cls, data: Any) -> Any:
        """`flag: TEXT` in a decisions file: the loader, which knows the scenario, turns a
        text that names an authored dilemma into `dilemma:`."""
        if isinstance(data, dict) and "flag" in data:
            data = {k: v for k, v in data.items() if k != "flag"} | {"text": data["flag"]}
        return data


class Adjust(_Command):
    """Set state variables by hand, with the reason (logged)."""

    kind: Literal["adjust"] = "adjust"
    changes: dict[str, float | bool] = Field(
        validation_alias=AliasChoices("changes", "adjust"), min_length=1)
    reason: Text = Field(min_length=1)


class End(_Command):
    """End the exercise now, without an outcome."""

    kind: Literal["end"] = "end"
    end: Literal[True] = True


COMMAND_TYPES: tuple[type[_Command], ...] = (
    Step, RunUntil, SetClock, Release, Skip, AdHoc, MarkMet, Decide, ExtendDeadline, Note,
    Observe, Flag, Adjust, End)

KINDS: dict[str, type[_Command]] = {
    c.model_fields["kind"].default: c for c in COMMAND_TYPES}

YAML_KEYS: dict[str, str] = {
    "decision": "decide", "note": "note", "release": "release", "met": "met",
    "skip": "skip", "observation": "observe", "adhoc": "adhoc", "flag": "flag",
    "end": "end", "step": "step", "until": "run_until", "clock": "clock",
    "adjust": "adjust", "extend": "extend",
}
"""The key that names a command in the YAML spelling, and the kind it names."""

TIME_KINDS = frozenset({"step", "run_until"})
"""Commands that only move the story clock."""


def command_kind(value: Any) -> str | None:
    """The kind of a raw command: its `kind`, else the first key of the YAML spelling.

    `extend:` is looked for before `decision:`, which an extension does not carry in YAML.
    """
    if isinstance(value, BaseModel):
        return getattr(value, "kind", None)
    if not isinstance(value, dict):
        return None
    kind = value.get("kind")
    if isinstance(kind, str):
        return kind if kind in KINDS else None
    if "extend" in value:
        return "extend"
    return next((YAML_KEYS[k] for k in YAML_KEYS if k in value), None)


Command = Annotated[
    Annotated[Step, Tag("step")]
    | Annotated[RunUntil, Tag("run_until")]
    | Annotated[SetClock, Tag("clock")]
    | Annotated[Release, Tag("release")]
    | Annotated[Skip, Tag("skip")]
    | Annotated[AdHoc, Tag("adhoc")]
    | Annotated[MarkMet, Tag("met")]
    | Annotated[Decide, Tag("decide")]
    | Annotated[ExtendDeadline, Tag("extend")]
    | Annotated[Note, Tag("note")]
    | Annotated[Observe, Tag("observe")]
    | Annotated[Flag, Tag("flag")]
    | Annotated[Adjust, Tag("adjust")]
    | Annotated[End, Tag("end")],
    Discriminator(
        command_kind,
        custom_error_type="command_kind",
        custom_error_message="an entry starts with one of: " + ", ".join(YAML_KEYS),
    ),
]

COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)


def command_to_dict(command: _Command) -> dict[str, Any]:
    """The journal's spelling: `kind` and every field that differs from its default."""
    data = command.model_dump(mode="json", exclude_defaults=True)
    return {"kind": command.kind, **data}  # type: ignore[attr-defined]


def command_from_dict(data: Any) -> Command:
    """A command from its journal spelling (raises pydantic's ValidationError)."""
    return COMMAND_ADAPTER.validate_python(data)


def without_origin(command: _Command) -> dict[str, Any]:
    """What a command asks for, whoever sent it (for matching a script against a log)."""
    data = command_to_dict(command)
    data.pop("origin", None)
    return data
