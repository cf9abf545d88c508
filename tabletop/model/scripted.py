"""The scripted-decisions file of `tabletop run` and `resume --decisions`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag, TypeAdapter, ValidationError

from tabletop.errors import Problem, ScenarioProblems, display_path
from tabletop.model.base import Duration, Id, StrictModel
from tabletop.model.loading import LoadedScenario, read_bytes
from tabletop.model.locate import position, suggest, validation_problems
from tabletop.model.yamlsafe import LocList, load_yaml


class _Entry(StrictModel):
    at: Duration | None = None
    """Story time; without it, as soon as it can happen."""
    by: str = "facilitator"


class DecisionEntry(_Entry):
    decision: Id
    option: Id | None = None
    answer: str = ""
    """The answer to an open decision (no options)."""
    advice: dict[str, str] = {}
    rationale: str = ""
    forum: str = ""
    action_owner: str | None = None
    framing: Id | None = None
    """The framing chosen, for a decision with `domains:`."""
    consent: dict[str, bool] = {}
    """Answers of the consenting roles: `{defensie: true}`."""
    positions: dict[str, str] = {}
    """Joint owners' positions: `{om: afzetten, burgemeester: afzetten}`."""


class NoteEntry(_Entry):
    note: str
    lovp: bool = False
    question: str | None = None
    owner: str | None = None
    """The role that should take the point up at the LOVP."""


class ReleaseEntry(_Entry):
    release: Id


class MetEntry(_Entry):
    met: Id


class SkipEntry(_Entry):
    skip: Id


class ObservationEntry(_Entry):
    observation: str
    by: str = "observator"
    inject: Id | None = None
    rating: Literal["P", "S", "M", "U"] | None = None


class AdHocEntry(_Entry):
    adhoc: str
    """The title of an ad-hoc inject."""
    text: str = ""
    to: list[Id] = []


class FlagEntry(_Entry):
    flag: str
    """An authored dilemma id, or a description of a dilemma flagged by hand."""
    roles: list[Id] = []


class EndEntry(_Entry):
    end: Literal[True]


ENTRY_KEYS = ("decision", "note", "release", "met", "skip", "observation", "adhoc", "flag",
              "end")


def _entry_key(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((k for k in ENTRY_KEYS if k in value), None)
    return next((k for k in ENTRY_KEYS if hasattr(value, k)), None)


Entry = Annotated[
    Annotated[DecisionEntry, Tag("decision")]
    | Annotated[NoteEntry, Tag("note")]
    | Annotated[ReleaseEntry, Tag("release")]
    | Annotated[MetEntry, Tag("met")]
    | Annotated[SkipEntry, Tag("skip")]
    | Annotated[ObservationEntry, Tag("observation")]
    | Annotated[AdHocEntry, Tag("adhoc")]
    | Annotated[FlagEntry, Tag("flag")]
    | Annotated[EndEntry, Tag("end")],
    Discriminator(
        _entry_key,
        custom_error_type="entry_kind",
        custom_error_message="an entry starts with one of: " + ", ".join(ENTRY_KEYS),
    ),
]

_ADAPTER = TypeAdapter(list[Entry])


@dataclass(frozen=True)
class ScriptEntry:
    """One scripted action and where it stands in its file."""

    entry: Any
    file: str
    line: int
    col: int

    def problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, self.col, message)


_ENTRY_MODELS: dict[str, type[StrictModel]] = {
    "decision": DecisionEntry, "note": NoteEntry, "release": ReleaseEntry, "met": MetEntry,
    "skip": SkipEntry, "observation": ObservationEntry, "adhoc": AdHocEntry, "flag": FlagEntry,
    "end": EndEntry,
}


class _Errors:
    """One pydantic error, shaped like the ValidationError `validation_problems` reads."""

    def __init__(self, error: Any) -> None:
        self._error = error

    def errors(self, include_url: bool = False) -> list[Any]:
        return [self._error]


def _entry_problems(exc: ValidationError, raw: Any, shown: str) -> list[Problem]:
    """Located problems of a decisions file. Why: pydantic puts the union's tag (`decision`,
    `note`, ...) into each error's location, where it reads as the key of the same name."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        root: type[StrictModel] = StrictModel
        if len(loc) >= 2 and loc[1] in _ENTRY_MODELS:
            root = _ENTRY_MODELS[str(loc[1])]
            error = {**error, "loc": (loc[0], *loc[2:])}
        problems += validation_problems(_Errors(error), raw, root, shown)  # type: ignore[arg-type]
    return problems


def load_script(path: Path, loaded: LoadedScenario) -> list[ScriptEntry]:
    """Read and check a decisions file against a scenario; raise ScenarioProblems."""
    shown = display_path(path)
    data, problems = read_bytes(path, shown)
    if data is None:
        raise ScenarioProblems(problems)
    raw, problems = load_yaml(data, shown)
    if problems:
        raise ScenarioProblems(problems)
    if raw is None:
        return []
    if not isinstance(raw, LocList):
        line, col = getattr(raw, "pos", (1, 1))
        raise ScenarioProblems([Problem(shown, line, col,
                                        "expected a list of entries (- decision: ...)")])
    try:
        entries = _ADAPTER.validate_python(raw)
    except ValidationError as exc:
        raise ScenarioProblems(_entry_problems(exc, raw, shown)) from None
    out = [ScriptEntry(e, shown, *raw.item_pos[i]) for i, e in enumerate(entries)]
    problems = _check(out, raw, loaded, shown)
    if problems:
        raise ScenarioProblems(problems)
    return out


def _check(entries: list[ScriptEntry], raw: Any, loaded: LoadedScenario,
           shown: str) -> list[Problem]:
    s = loaded.scenario
    roles = set(loaded.roles) | {"facilitator", "observator"}
    injects = [i.id for i in s.injects]
    problems: list[Problem] = []
    seen: dict[str, int] = {}

    def add(i: int, key: str, message: str) -> None:
        line, col = position(raw, (i, key))
        problems.append(Problem(shown, line, col, message))

    for i, item in enumerate(entries):
        e = item.entry
        if isinstance(e, DecisionEntry):
            dec = s.decision(e.decision)
            if dec is None:
                add(i, "decision", f"unknown decision '{e.decision}'"
                    f"{suggest(e.decision, [d.id for d in s.decisions])}")
                continue
            # a refused consent or split owners leave the decision open for a later entry
            if e.decision in seen and not (dec.consent or dec.joint):
                add(i, "decision", f"decision '{e.decision}' is already scripted at line "
                    f"{seen[e.decision]}")
            seen[e.decision] = item.line
            ids = [o.id for o in dec.options]
            if dec.options and e.option is None:
                add(i, "decision", f"decision '{e.decision}' needs an option ({', '.join(ids)})")
            elif e.option is not None and e.option not in ids:
                hint = suggest(e.option, ids) if ids else " (it is an open question: answer:)"
                add(i, "option", f"decision '{e.decision}' has no option '{e.option}'{hint}")
            elif not dec.options and not e.answer.strip():
                add(i, "decision", f"decision '{e.decision}' is an open question: give answer:")
            for role in e.advice:
                if role not in roles:
                    add(i, "advice", f"unknown role '{role}' in advice{suggest(role, roles)}")
        if isinstance(e, NoteEntry) and e.owner is not None and e.owner not in loaded.roles:
            add(i, "owner", f"unknown role '{e.owner}'{suggest(e.owner, loaded.roles)}")
        if e.by not in roles:
            add(i, "by", f"unknown role '{e.by}'{suggest(e.by, roles)}")
        for key in ("release", "met", "skip", "inject"):
            ident = getattr(e, key, None)
            if isinstance(ident, str) and ident not in injects:
                add(i, key, f"unknown inject '{ident}'{suggest(ident, injects)}")
        if isinstance(e, MetEntry):
            inj = s.inject(e.met)
            if inj is not None and inj.expect is None:
                add(i, "met", f"inject '{e.met}' expects nothing; there is nothing to meet")
    return problems
