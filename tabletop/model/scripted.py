"""The scripted-decisions file of `tabletop run` and `resume --decisions`.

A decisions file is a list of commands (`tabletop.model.commands`) in their YAML spelling,
each optionally with `at:`, the story time it waits for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import BaseModel, Discriminator, Tag, TypeAdapter, ValidationError, create_model

from tabletop.errors import Msg, Problem, ScenarioProblems, display_path
from tabletop.model.base import StrictModel
from tabletop.model.commands import (
    KINDS,
    STAFF,
    YAML_KEYS,
    Adjust,
    Command,
    Decide,
    ExtendDeadline,
    MarkMet,
    Minutes,
    Note,
    command_from_dict,
    command_kind,
)
from tabletop.model.loading import LoadedScenario, read_bytes
from tabletop.model.locate import position, suggest, validation_problems
from tabletop.model.yamlsafe import LocList, load_yaml


class _At(BaseModel):
    at: Minutes | None = None
    """Story time; without it, as soon as it can happen."""


def _scripted(command: type[BaseModel]) -> type[BaseModel]:
    """The command as a decisions file spells it: the same model, with `at:` beside it."""
    return create_model(f"Scripted{command.__name__}", __base__=(command, _At))


_SCRIPTED: dict[str, type[BaseModel]] = {kind: _scripted(cls) for kind, cls in KINDS.items()}

Entry: Any = Annotated[
    Union[tuple(Annotated[cls, Tag(kind)] for kind, cls in _SCRIPTED.items())],  # noqa: UP007
    Discriminator(
        command_kind,
        custom_error_type="entry_kind",
        custom_error_message="an entry starts with one of: " + ", ".join(YAML_KEYS),
    ),
]

_ADAPTER: TypeAdapter[list[Any]] = TypeAdapter(list[Entry])


@dataclass(frozen=True)
class ScriptEntry:
    """One scripted command, the story time it waits for, and where it stands in its file."""

    command: Command
    at: int | None
    file: str
    line: int
    col: int

    def problem(self, message: Msg) -> Problem:
        return Problem(self.file, self.line, self.col, message)


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
        root: type[BaseModel] = StrictModel
        if len(loc) >= 2 and loc[1] in _SCRIPTED:
            root = _SCRIPTED[str(loc[1])]
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
        raise ScenarioProblems([Problem(shown, line, col, Msg("load.script.not_list"))])
    try:
        entries = _ADAPTER.validate_python(raw)
    except ValidationError as exc:
        raise ScenarioProblems(_entry_problems(exc, raw, shown)) from None
    out = [ScriptEntry(_as_command(e, loaded), e.at, shown, *raw.item_pos[i])
           for i, e in enumerate(entries)]
    problems = _check(out, raw, loaded, shown)
    if problems:
        raise ScenarioProblems(problems)
    return out


def _as_command(entry: Any, loaded: LoadedScenario) -> Command:
    """The command itself (without `at:`), sent by the script; `flag:` resolved."""
    data = entry.model_dump(exclude={"at"}, exclude_defaults=True)
    data["kind"] = entry.kind
    data["origin"] = "script"
    if entry.kind == "flag" and entry.dilemma is None and loaded.scenario.dilemma(entry.text):
        data["dilemma"], data["text"] = entry.text, ""
    return command_from_dict(data)


def _check(entries: list[ScriptEntry], raw: Any, loaded: LoadedScenario,
           shown: str) -> list[Problem]:
    s = loaded.scenario
    roles = set(loaded.roles) | set(STAFF)
    injects = [i.id for i in s.injects]
    problems: list[Problem] = []
    seen: dict[str, int] = {}

    def add(i: int, key: str, message: Msg) -> None:
        line, col = position(raw, (i, key))
        problems.append(Problem(shown, line, col, message))

    for i, item in enumerate(entries):
        e = item.command
        if isinstance(e, Decide):
            dec = s.decision(e.decision)
            if dec is None:
                add(i, "decision", Msg("load.unknown_ref", what=Msg("load.what.decision"),
                                       value=e.decision,
                                       hint=suggest(e.decision, [d.id for d in s.decisions])))
                continue
            # a refused consent or split owners leave the decision open for a later entry
            if e.decision in seen and not (dec.consent or dec.joint):
                add(i, "decision", Msg("load.script.twice", decision=e.decision,
                                       line=seen[e.decision]))
            seen[e.decision] = item.line
            ids = [o.id for o in dec.options]
            if dec.options and e.option is None:
                add(i, "decision", Msg("load.script.needs_option", decision=e.decision,
                                       options=", ".join(ids)))
            elif e.option is not None and e.option not in ids:
                hint = suggest(e.option, ids) if ids else Msg("load.script.open_hint")
                add(i, "option", Msg("load.no_such_option", decision=e.decision,
                                     option=e.option, hint=hint))
            elif not dec.options and not e.answer.strip():
                add(i, "decision", Msg("load.script.give_answer", decision=e.decision))
            for key, group in (("advice", e.advice), ("consent", e.consent),
                               ("positions", e.positions)):
                for role in group:
                    if role not in roles:
                        add(i, key, Msg("load.script.unknown_role_in", role=role, key=key,
                                        hint=suggest(role, roles)))
        if isinstance(e, ExtendDeadline) and s.decision(e.decision) is None:
            add(i, "extend", Msg("load.unknown_ref", what=Msg("load.what.decision"),
                                 value=e.decision,
                                 hint=suggest(e.decision, [d.id for d in s.decisions])))
        if isinstance(e, Note) and e.owner is not None and e.owner not in loaded.roles:
            add(i, "owner", Msg("load.unknown_ref", what=Msg("load.what.role"), value=e.owner,
                                hint=suggest(e.owner, loaded.roles)))
        if e.by not in roles:
            add(i, "by", Msg("load.unknown_ref", what=Msg("load.what.role"), value=e.by,
                             hint=suggest(e.by, roles)))
        if isinstance(e, Adjust):
            for var in e.changes:
                if var not in s.state:
                    add(i, "adjust", Msg("load.unknown_ref",
                                         what=Msg("load.what.state_variable"), value=var,
                                         hint=suggest(var, s.state)))
        ident = getattr(e, "inject", None)
        if isinstance(ident, str) and ident not in injects:
            key = {"release": "release", "met": "met", "skip": "skip"}.get(e.kind, "inject")
            add(i, key, Msg("load.unknown_ref", what=Msg("load.what.inject"), value=ident,
                            hint=suggest(ident, injects)))
        if isinstance(e, MarkMet):
            inj = s.inject(e.inject)
            if inj is not None and inj.expect is None:
                add(i, "met", Msg("load.script.expects_nothing", inject=e.inject))
    return problems
