"""Translations of a scenario's texts: an overlay file beside the scenario, applied by id.

A scenario is written in Dutch. `vertalingen/<stem>.<lang>.yaml` in the scenario's folder
(for `scenarios/introductie.yaml` in English: `scenarios/vertalingen/introductie.en.yaml`)
maps the ids of the scenario's parts to translated texts: titles, texts, questions, option
labels, facilitator notes. Only text changes: ids, triggers, effects and numbers stay those of
the scenario, so the engine, the journal's hash and a replay are the same in any language.
The folder is not a scenario folder (`*.yaml` globs of `scenarios/` do not see it).

    translates: introductie          # the scenario's id
    lang: en
    scenario: {title: ..., summary: ..., facilitator: ...}
    injects:
      startsituatie: {title: ..., text: ..., facilitator: {expect: ..., guidance: ...}}
    decisions:
      aanpak-sit-in:
        question: ...
        options: {verbodszone: {label: ...}}

Every id must exist in the scenario: an unknown one is a located error with the nearest id.
A part the file leaves out keeps its Dutch text. A phase's questions must be as many as the
scenario's, because notes refer to them by position. Legal bases are not translated: the
decision log records them as the scenario writes them, and a log re-simulates to the same
events whatever the language it was played in.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import Field

from tabletop.errors import Msg, Problem, ScenarioProblems, display_path
from tabletop.i18n import LANGS
from tabletop.model.base import Id, StrictModel
from tabletop.model.locate import position
from tabletop.model.scenario import Scenario

if TYPE_CHECKING:
    from tabletop.model.loading import LoadedScenario

M = TypeVar("M", bound=StrictModel)

TRANSLATIONS_DIR = "vertalingen"
"""The folder beside a scenario that holds its translation files."""


class _Label(StrictModel):
    label: str | None = None


class _Objective(StrictModel):
    title: str | None = None
    description: str | None = None


class _Phase(StrictModel):
    title: str | None = None
    questions: list[str] | None = None


class _Facilitator(StrictModel):
    expect: str | None = None
    guidance: str | None = None


class _Expect(StrictModel):
    what: str | None = None


class _Inject(StrictModel):
    title: str | None = None
    text: str | None = None
    from_: str | None = Field(default=None, alias="from")
    """A free-text sender ("Meldkamer"); a role id sender is never translated."""
    facilitator: _Facilitator | None = None
    expect: _Expect | None = None

    model_config = StrictModel.model_config | {"populate_by_name": True}


class _Option(StrictModel):
    label: str | None = None
    description: str | None = None


class _Decision(StrictModel):
    question: str | None = None
    context: str | None = None
    forum: str | None = None
    options: dict[Id, _Option] = {}


class _Dilemma(StrictModel):
    title: str | None = None
    situation: str | None = None
    question: str | None = None
    # No `bases`: a surfaced dilemma records its legal bases in the decision log as written in
    # the scenario, and a log must re-simulate to the same events in any language. Legal
    # citations stay in Dutch (the names of Dutch laws).


class _Outcome(StrictModel):
    title: str | None = None
    description: str | None = None


class _Material(StrictModel):
    title: str | None = None


class _Scenario(StrictModel):
    title: str | None = None
    summary: str | None = None
    facilitator: str | None = None


class Translation(StrictModel):
    """A translation file: the scenario it translates, its language, and texts by id."""

    translates: Id
    """The id of the scenario this file translates."""
    lang: str
    scenario: _Scenario | None = None
    parameters: dict[str, _Label] = {}
    state: dict[str, _Label] = {}
    resources: dict[Id, _Label] = {}
    objectives: dict[Id, _Objective] = {}
    phases: dict[Id, _Phase] = {}
    injects: dict[Id, _Inject] = {}
    decisions: dict[Id, _Decision] = {}
    dilemmas: dict[Id, _Dilemma] = {}
    outcomes: dict[Id, _Outcome] = {}
    materials: dict[str, _Material] = {}
    """Keyed by the material's path, as written in the scenario."""


def translation_path(scenario_path: Path, lang: str) -> Path:
    """Where the `lang` translation of a scenario file lives (whether or not it exists)."""
    return scenario_path.parent / TRANSLATIONS_DIR / f"{scenario_path.stem}.{lang}.yaml"


def _set(model: M, **values: Any) -> M:
    """A copy of a pydantic model with the given fields replaced; None values are skipped."""
    update = {k: v for k, v in values.items() if v is not None}
    return model.model_copy(update=update) if update else model


class _Applier:
    """Applies one translation to one scenario, collecting located problems."""

    def __init__(self, raw: Any, shown: str, lang: str) -> None:
        self.raw = raw
        self.shown = shown
        self.lang = lang
        self.problems: list[Problem] = []

    def add(self, path: tuple[Any, ...], key: str, *, at_key: bool = True, **values: Any) -> None:
        line, col = position(self.raw, path, at_key=at_key)
        self.problems.append(Problem(self.shown, line, col, Msg(key, **values)))

    def known(self, section: str, given: Iterable[str], ids: Iterable[str],
              prefix: tuple[Any, ...] = ()) -> None:
        """Every id the file names in a section exists in the scenario."""
        choices = list(ids)
        for gid in given:
            if gid not in choices:
                close = difflib.get_close_matches(gid, choices, n=1, cutoff=0.6)
                hint = Msg("tr.hint", id=close[0]) if close else ""
                self.add(prefix + (section, gid), "tr.unknown_id", what=section, id=gid,
                         hint=hint)

    def same_length(self, path: tuple[Any, ...], given: list[str] | None,
                    original: list[Any]) -> None:
        if given is not None and len(given) != len(original):
            self.add(path, "tr.length", at_key=False, given=len(given), expected=len(original))


def apply_translation(scenario: Scenario, translation: Translation, raw: Any = None,
                      shown: str = "", lang: str = "nl") -> tuple[Scenario, list[Problem]]:
    """The scenario with the translation's texts, and the problems found (unknown ids, lists
    of the wrong length, a file for another scenario). `raw` (the parsed YAML with positions)
    locates the problems; `lang` is the language of the messages. With problems, the
    scenario is returned unchanged."""
    a = _Applier(raw, shown, lang)
    t = translation
    s = scenario
    if t.translates != s.id:
        a.add(("translates",), "tr.other_scenario", at_key=False, given=t.translates, id=s.id)
        return s, a.problems
    a.known("parameters", t.parameters, s.parameters)
    a.known("state", t.state, s.state)
    a.known("resources", t.resources, s.resources)
    a.known("objectives", t.objectives, [o.id for o in s.objectives])
    a.known("phases", t.phases, [p.id for p in s.phases])
    a.known("injects", t.injects, [i.id for i in s.injects])
    a.known("decisions", t.decisions, [d.id for d in s.decisions])
    a.known("dilemmas", t.dilemmas, [d.id for d in s.dilemmas])
    a.known("outcomes", t.outcomes, [o.id for o in s.outcomes])
    a.known("materials", t.materials, [m.path for m in s.materials])
    for did, dt in t.decisions.items():
        decision = s.decision(did)
        if decision is not None:
            a.known("options", dt.options, [o.id for o in decision.options], ("decisions", did))
    for pid, pt in t.phases.items():
        phase = next((p for p in s.phases if p.id == pid), None)
        if phase is not None:
            a.same_length(("phases", pid, "questions"), pt.questions, phase.questions)
    if a.problems:
        return s, a.problems

    top = t.scenario or _Scenario()
    injects: list[Any] = []
    for inj in s.injects:
        it = t.injects.get(inj.id)
        if it is None:
            injects.append(inj)
            continue
        notes = inj.facilitator
        if it.facilitator is not None and notes is not None:
            notes = _set(notes, expect=it.facilitator.expect, guidance=it.facilitator.guidance)
        expect = inj.expect
        if it.expect is not None and expect is not None:
            expect = _set(expect, what=it.expect.what)
        sender = it.from_ if it.from_ is not None and inj.from_ not in s.all_role_ids else None
        injects.append(_set(inj, title=it.title, text=it.text, from_=sender,
                            facilitator=notes, expect=expect))
    decisions: list[Any] = []
    for dec in s.decisions:
        text = t.decisions.get(dec.id)
        if text is None:
            decisions.append(dec)
            continue
        opts = text.options
        options = [_set(o, label=opts[o.id].label, description=opts[o.id].description)
                   if o.id in opts else o for o in dec.options]
        decisions.append(_set(dec, question=text.question, context=text.context,
                              forum=text.forum, options=options))

    def relabel(items: Mapping[str, Any], texts: Mapping[str, _Label]) -> dict[str, Any]:
        return {k: _set(v, label=texts[k].label) if k in texts else v for k, v in items.items()}

    result = _set(
        s,
        title=top.title, summary=top.summary, facilitator=top.facilitator,
        parameters=relabel(s.parameters, t.parameters),
        state=relabel(s.state, t.state),
        resources=relabel(s.resources, t.resources),
        objectives=[_set(o, title=t.objectives[o.id].title,
                         description=t.objectives[o.id].description)
                    if o.id in t.objectives else o for o in s.objectives],
        phases=[_set(p, title=t.phases[p.id].title, questions=t.phases[p.id].questions)
                if p.id in t.phases else p for p in s.phases],
        injects=injects,
        decisions=decisions,
        dilemmas=[_set(d, title=t.dilemmas[d.id].title, situation=t.dilemmas[d.id].situation,
                       question=t.dilemmas[d.id].question)
                  if d.id in t.dilemmas else d for d in s.dilemmas],
        outcomes=[_set(o, title=t.outcomes[o.id].title, description=t.outcomes[o.id].description)
                  if o.id in t.outcomes else o for o in s.outcomes],
        materials=[_set(m, title=t.materials[m.path].title) if m.path in t.materials else m
                   for m in s.materials],
    )
    return result, []


def load_translation(path: Path, scenario: Scenario, lang: str = "nl") -> Scenario:
    """The scenario with the translation file at `path` applied; ScenarioProblems (located,
    in `lang`) when the file is not valid or names what the scenario does not have."""
    from tabletop.model.loading import parse_model, read_bytes

    shown = display_path(path)
    data, problems = read_bytes(path, shown)
    if data is None:
        raise ScenarioProblems(problems)
    translation, raw, problems = parse_model(data, Translation, shown)
    if translation is None:
        raise ScenarioProblems(problems)
    if translation.lang not in LANGS:
        line, col = position(raw, ("lang",))
        raise ScenarioProblems([Problem(shown, line, col, Msg(
            "tr.lang", given=translation.lang, langs=", ".join(LANGS)))])
    result, problems = apply_translation(scenario, translation, raw, shown, lang)
    if problems:
        raise ScenarioProblems(problems)
    return result


def translated(loaded: LoadedScenario, lang: str) -> LoadedScenario:
    """`loaded` (a LoadedScenario) with its texts in `lang` where a translation file beside
    the scenario provides them; unchanged for Dutch or without a file. The content hash is
    the scenario's own: a translation changes no behaviour. Raises ScenarioProblems for a
    translation file with errors (messages in `lang`)."""
    if lang == "nl":
        return loaded
    path = translation_path(loaded.path, lang)
    if not path.is_file():
        return loaded
    return dataclasses.replace(loaded, scenario=load_translation(path, loaded.scenario, lang))
