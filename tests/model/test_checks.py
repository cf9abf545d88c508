"""Semantic checks of a scenario (`tabletop.model.checks`): each problem is located at the
line and column of what is wrong, with the exact message an author reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tabletop.errors import ScenarioProblems
from tabletop.model.loading import RoleLibrary, load_scenario

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English

BASE = """\
format: 1
id: basis
title: Basis
start: 2027-03-14T06:00:00+01:00
end: 8h
roles: [burgemeester, politie, om]
parameters:
  gemeente: {label: Gemeente, default: Zeestad}
state:
  spanning: {label: Spanning, initial: 1, min: 0, max: 5}
  bovenlokaal: {label: Bovenlokaal, initial: false}
resources:
  me-pelotons: {label: ME, capacity: 3}
objectives:
  - {id: od1, title: Afstemmen}
phases:
  - {id: aanloop, title: Aanloop}
  - {id: blokkade, title: Blokkade}
injects:
  - id: melding
    at: 10m
    phase: aanloop
    from: Meldkamer
    to: [burgemeester, politie]
    channel: melding
    title: Melding in {gemeente}
    objectives: [od1]
    expect: {what: Sitrap, within: 1h, else: rappel}
  - id: rappel
    manual: true
    from: burgemeester
    to: [politie]
    channel: telefoon
    title: Rappel
  - id: blokkade
    after: {event: melding, delay: 1h}
    phase: blokkade
    from: Meldkamer
    to: [burgemeester, om]
    channel: melding
    title: Blokkade
  - id: escalatie
    when: spanning >= 3
    from: politie
    to: [burgemeester]
    channel: telefoon
    title: Escalatie
decisions:
  - id: aanpak
    on: blokkade
    question: Wat doet u?
    domain: openbare-orde
    owner: burgemeester
    consult: [politie, om]
    deadline: 30m
    default: wachten
    options:
      - id: ontruimen
        label: Ontruimen
        power: demonstratie-beeindigen
        uses: {me-pelotons: 2}
        for: 2h
        effects:
          - add: {spanning: 2}
          - surface: dilemma-een
      - id: wachten
        label: Wachten
        effects:
          - set: {bovenlokaal: true}
          - phase: blokkade
          - schedule: {inject: rappel, delay: 10m}
  - id: vervolging
    after: {event: aanpak, delay: 15m}
    question: Vervolgt u?
    domain: strafrechtelijke-handhaving
    options:
      - {id: ja, label: Ja, effects: [{end: klaar}]}
      - {id: nee, label: Nee}
dilemmas:
  - id: dilemma-een
    title: Een dilemma
    roles: [burgemeester, om]
rules:
  - {id: regel, every: 1h, if: spanning >= 4, effects: [{add: {spanning: -1}}]}
outcomes:
  - {id: klaar, title: Klaar}
  - {id: ontsporing, when: spanning >= 5, title: Ontsporing}
"""


def where(text: str, snippet: str, occurrence: int = 1, after: str = "") -> str:
    """`LINE:COL` of the `occurrence`-th appearance of `snippet` in `text` (after `after`)."""
    index = text.index(after) if after else -1
    for _ in range(occurrence):
        index = text.index(snippet, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{col}"


def at_id(text: str, ident: str) -> str:
    """`LINE:COL` of the value of `- id: IDENT`."""
    return where(text, ident, after=f"- id: {ident}")


@pytest.fixture
def check(tmp_path: Path, roles: RoleLibrary) -> Callable[[str], list[str]]:
    """Load a scenario text; its problems as `LINE:COL: [warning: ]message`."""
    def _check(text: str) -> list[str]:
        path = tmp_path / "s.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            problems = load_scenario(path, roles).warnings
        except ScenarioProblems as exc:
            problems = exc.problems
        return [f"{p.line}:{p.col}: {'' if p.is_error else 'warning: '}{p.message}"
                for p in problems]
    return _check


def edit(old: str, new: str, count: int = 1) -> str:
    assert BASE.count(old) >= count, old
    return BASE.replace(old, new, count)


def test_the_base_scenario_is_clean(check: Callable[[str], list[str]]) -> None:
    assert check(BASE) == []


# -- duplicates ----------------------------------------------------------------------------
def test_duplicate_ids(check: Callable[[str], list[str]]) -> None:
    text = edit("  - id: rappel\n", "  - id: melding\n")
    text = text.replace("else: rappel", "else: melding")
    text = text.replace("inject: rappel", "inject: melding")
    assert f"{where(text, 'melding', 4)}: duplicate inject id 'melding'" in check(text)


def test_duplicate_phase_and_objective_and_option_ids(check: Callable[[str], list[str]]) -> None:
    text = edit("  - {id: blokkade, title: Blokkade}", "  - {id: aanloop, title: Blokkade}")
    text = text.replace("phase: blokkade", "phase: aanloop")
    assert check(text) == [f"{where(text, 'aanloop', 2)}: duplicate phase id 'aanloop'"]
    text = edit("      - id: wachten\n", "      - id: ontruimen\n").replace(
        "default: wachten", "default: ontruimen")
    # the first 'ontruimen' invokes a power, so as a default it is an error of its own
    assert check(text) == [
        f"{where(text, 'ontruimen', 1, 'default: ')}: default 'ontruimen' invokes the power "
        "'demonstratie-beeindigen': when the deadline passes nobody decides; a default may "
        "not exercise a power (leave 'default' out or write 'default: none': the decision "
        "then lapses)",
        f"{where(text, 'ontruimen', 3)}: duplicate option id 'ontruimen' in decision 'aanpak'"]
    text = edit("  - {id: od1, title: Afstemmen}",
                "  - {id: od1, title: A}\n  - {id: od1, title: B}")
    assert check(text) == [f"{where(text, 'od1', 2)}: duplicate objective id 'od1'"]


def test_an_id_shared_by_an_inject_and_a_decision(check: Callable[[str], list[str]]) -> None:
    text = edit("  - id: vervolging\n", "  - id: melding\n")
    assert f"{where(text, 'melding', after='decisions:')}: 'melding' names both an inject " \
           "and a decision; `after` and `on` could not tell them apart" in check(text)


def test_a_role_listed_twice(check: Callable[[str], list[str]]) -> None:
    text = edit("roles: [burgemeester, politie, om]", "roles: [burgemeester, politie, om, politie]")
    assert check(text) == [f"{where(text, 'politie]')}: role 'politie' is listed twice"]
    assert where(text, "politie]") == "6:36"  # the repeat, not the first mention


# -- unknown references --------------------------------------------------------------------
@pytest.mark.parametrize(("old", "new", "snippet", "message"), [
    ("roles: [burgemeester, politie, om]", "roles: [burgemeester, politie, om, ncvt]", "ncvt",
     "unknown role 'ncvt' (did you mean 'nctv'?)"),
    ("to: [burgemeester, om]", "to: [burgemeester, oom]", "oom",
     "unknown role 'oom' (did you mean 'om'?)"),
    ("owner: burgemeester", "owner: burgemeestr", "burgemeestr",
     "unknown role 'burgemeestr' (did you mean 'burgemeester'?)"),
    ("consult: [politie, om]", "consult: [politie, omm]", "omm",
     "unknown role 'omm' (did you mean 'om'?)"),
    ("domain: openbare-orde", "domain: openbare-ord", "openbare-ord",
     "unknown domain 'openbare-ord' (did you mean 'openbare-orde'?)"),
    ("    after: {event: melding, delay: 1h}", "    after: {event: meldin, delay: 1h}", "meldin,",
     "unknown inject or decision 'meldin' (did you mean 'melding'?)"),
    ("    on: blokkade", "    on: blokade", "blokade",
     "unknown inject or decision 'blokade' (did you mean 'blokkade'?)"),
    ("else: rappel", "else: rapel", "rapel", "unknown inject 'rapel' (did you mean 'rappel'?)"),
    ("schedule: {inject: rappel", "schedule: {inject: rapel", "rapel",
     "unknown inject 'rapel' (did you mean 'rappel'?)"),
    ("surface: dilemma-een", "surface: dilema-een", "dilema-een",
     "unknown dilemma 'dilema-een' (did you mean 'dilemma-een'?)"),
    ("uses: {me-pelotons: 2}", "uses: {me-peloton: 2}", "me-peloton:",
     "unknown resource 'me-peloton' (did you mean 'me-pelotons'?)"),
    ("    phase: aanloop", "    phase: aanlop", "aanlop",
     "unknown phase 'aanlop' (did you mean 'aanloop'?)"),
    ("          - phase: blokkade", "          - phase: blokade", "blokade",
     "unknown phase 'blokade' (did you mean 'blokkade'?)"),
    ("effects: [{end: klaar}]", "effects: [{end: klar}]", "klar",
     "unknown outcome 'klar' (did you mean 'klaar'?)"),
    ("objectives: [od1]", "objectives: [od2]", "od2",
     "unknown objective 'od2' (did you mean 'od1'?)"),
    ("add: {spanning: 2}", "add: {spaning: 2}", "spaning",
     "unknown state variable 'spaning' (did you mean 'spanning'?)"),
    ("    roles: [burgemeester, om]", "    roles: [burgemeestr, om]", "burgemeestr",
     "unknown role 'burgemeestr' (did you mean 'burgemeester'?)"),
    ("power: demonstratie-beeindigen", "power: demonstratie-beeindige", "demonstratie-beeindige",
     "'demonstratie-beeindige' is not a power of burgemeester "
     "(did you mean 'demonstratie-beeindigen'?)"),
])
def test_unknown_references_are_located_with_a_suggestion(
        check: Callable[[str], list[str]], old: str, new: str, snippet: str,
        message: str) -> None:
    text = edit(old, new)
    assert f"{where(text, snippet)}: {message}" in check(text)


def test_effects_must_fit_the_variable(check: Callable[[str], list[str]]) -> None:
    text = edit("set: {bovenlokaal: true}", "set: {bovenlokaal: 3}")
    assert check(text) == [f"{where(text, '3}', after='bovenlokaal: 3')}: 'bovenlokaal' takes "
                           "true or false"]
    text = edit("add: {spanning: 2}", "add: {bovenlokaal: 2}")
    assert check(text) == [f"{where(text, '2}', after='add: {bovenlokaal')}: 'bovenlokaal' is "
                           "true/false: use set, not add"]


def test_unknown_parameter_in_a_text(check: Callable[[str], list[str]]) -> None:
    text = edit("title: Melding in {gemeente}", "title: Melding in {gemeent}")
    assert check(text) == [
        f"{where(text, 'gemeente:')}: warning: parameter 'gemeente' is never used",
        f"{where(text, 'Melding in')}: unknown parameter '{{gemeent}}' (did you mean "
        "'gemeente'?); write {{ for a brace",
    ]


def test_doubled_braces_are_literal(check: Callable[[str], list[str]]) -> None:
    text = edit("title: Rappel", "title: 'Rappel {{niet}} {gemeente}'")
    assert check(text) == []


# -- reachability and cycles ---------------------------------------------------------------
def test_an_after_cycle(check: Callable[[str], list[str]]) -> None:
    text = edit("    after: {event: melding, delay: 1h}", "    after: {event: vervolging}")
    assert check(text) == [
        f"{at_id(text, 'blokkade')}: warning: inject 'blokkade' can never fire: what it "
        "follows can never happen",
        f"{where(text, '{event: vervolging}')}: 'after'/'on' cycle: "
        "blokkade -> vervolging -> aanpak -> blokkade; none of them can ever happen",
        f"{at_id(text, 'aanpak')}: warning: decision 'aanpak' can never open: what it "
        "follows can never happen",
        f"{at_id(text, 'vervolging')}: warning: decision 'vervolging' can never open: "
        "what it follows can never happen",
    ]


STIL = ("  spanning: {label: Spanning, initial: 1, min: 0, max: 5}",
        "  spanning: {label: Spanning, initial: 1, min: 0, max: 5}\n"
        "  stil: {label: Stil, initial: 0}")


def test_a_when_that_nothing_changes_can_never_fire(check: Callable[[str], list[str]]) -> None:
    text = edit(*STIL).replace("    when: spanning >= 3", "    when: stil > 0")
    assert check(text) == [f"{at_id(text, 'escalatie')}: warning: inject 'escalatie' can "
                           "never fire: its 'when' is false at the start and nothing changes "
                           "what it reads"]


@pytest.mark.parametrize("expression", [
    "bovenlokaal and spanning >= 3",   # both changed by effects
    "stil > 0 or t > 60",              # the clock moves by itself
    'stil > 0 or phase == "blokkade"', # so does the phase
    "stil == 0",                       # true at the start
    "stil > 0 or res.me_pelotons < 1", # capacity is claimed by an option
    'stil > 0 or decided("aanpak") == "wachten"',
])
def test_a_when_that_can_become_true_is_not_warned(check: Callable[[str], list[str]],
                                                   expression: str) -> None:
    text = edit(*STIL).replace("    when: spanning >= 3", f"    when: '{expression}'")
    assert check(text) == []


def test_what_follows_a_dead_trigger_can_never_happen(check: Callable[[str], list[str]]) -> None:
    text = edit(*STIL).replace("    when: spanning >= 3", "    when: stil > 0").replace(
        "    on: blokkade", "    on: escalatie")
    assert check(text) == [
        f"{at_id(text, 'escalatie')}: warning: inject 'escalatie' can never fire: its "
        "'when' is false at the start and nothing changes what it reads",
        f"{at_id(text, 'aanpak')}: warning: decision 'aanpak' can never open: what it "
        "follows can never happen",
        f"{at_id(text, 'vervolging')}: warning: decision 'vervolging' can never open: "
        "what it follows can never happen",
    ]


def test_an_inject_after_the_end(check: Callable[[str], list[str]]) -> None:
    text = edit("    at: 10m", "    at: 9h")
    assert f"{where(text, '9h')}: warning: inject 'melding' comes after the end of the story " \
           "and never fires" in check(text)


# -- coverage ------------------------------------------------------------------------------
def test_a_decision_whose_domain_no_role_holds(check: Callable[[str], list[str]]) -> None:
    text = edit("domain: strafrechtelijke-handhaving", "domain: militaire-operaties")
    assert check(text) == [f"{where(text, 'militaire-operaties')}: warning: no role in this "
                           "scenario holds gezag over 'militaire-operaties'"]


def test_a_role_that_receives_nothing(check: Callable[[str], list[str]]) -> None:
    text = edit("roles: [burgemeester, politie, om]", "roles: [burgemeester, politie, om, nctv]")
    assert check(text) == [f"{where(text, 'nctv')}: warning: role 'nctv' takes part but "
                           "receives no inject and no decision"]


def test_a_dilemma_never_surfaced(check: Callable[[str], list[str]]) -> None:
    text = edit("          - surface: dilemma-een\n", "")
    assert check(text) == [f"{where(text, 'dilemma-een')}: warning: dilemma 'dilemma-een' is "
                           "never surfaced (no effect has surface: dilemma-een)"]


def test_capacity_beyond_the_resource(check: Callable[[str], list[str]]) -> None:
    text = edit("uses: {me-pelotons: 2}", "uses: {me-pelotons: 4}")
    assert check(text) == [f"{where(text, '4}')}: option 'ontruimen' claims 4 me-pelotons but "
                           "the capacity is 3"]


def test_for_without_uses(check: Callable[[str], list[str]]) -> None:
    text = edit("        uses: {me-pelotons: 2}\n", "")
    assert check(text) == [f"{where(text, '2h')}: warning: 'for' without 'uses': nothing "
                           "is claimed"]


def test_default_not_among_the_options(check: Callable[[str], list[str]]) -> None:
    text = edit("default: wachten", "default: wachte")
    assert check(text) == [f"{where(text, 'id: aanpak')}: decisions[aanpak]: "
                           "default 'wachte' is not one of the options (ontruimen, wachten)"]


def test_warnings_do_not_stop_a_scenario_loading(tmp_path: Path, roles: RoleLibrary) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(edit("          - surface: dilemma-een\n", ""), encoding="utf-8")
    loaded = load_scenario(path, roles)
    assert [p.severity for p in loaded.warnings] == ["warning"]


def test_an_option_compared_with_decided_must_exist(write, roles) -> None:  # type: ignore[no-untyped-def]
    from tabletop.errors import ScenarioProblems
    from tabletop.model.loading import load_scenario

    path = write("""\
        format: 1
        id: t
        title: T
        start: 2027-03-14T06:00:00+01:00
        roles: [burgemeester]
        injects:
          - {id: a, at: 10m, from: NOS, channel: nieuws, title: A, to: [burgemeester]}
          - {id: b, when: "decided('d') in ('ga', 'gaa')", from: NOS, channel: nieuws, title: B}
        decisions:
          - {id: d, on: a, question: Q, domain: openbare-orde, owner: burgemeester,
             options: [{id: ga, label: Ga}, {id: nee, label: Nee}]}
        """)
    try:
        load_scenario(path, roles)
    except ScenarioProblems as exc:
        assert [str(p).split(":", 1)[1] for p in exc.problems] == [
            "8:19: decision 'd' has no option 'gaa' (did you mean 'ga'?)"]
    else:
        raise AssertionError("the unknown option was not reported")


def test_loading_restores_the_garbage_collector_as_it_found_it() -> None:
    """The collector is paused while a scenario is built, never left off (or turned on)."""
    import gc

    from tabletop.model.loading import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a problem mid-load")
    assert gc.isenabled()


def test_lookups_by_id_follow_the_model_they_are_asked_of(tmp_path: Path,
                                                          roles: RoleLibrary) -> None:
    """Indexed lookups find what a scan found, also on a copy with other injects."""
    path = tmp_path / "basis.yaml"
    path.write_text(BASE, encoding="utf-8")
    scenario = load_scenario(path, roles).scenario
    first = scenario.injects[0]
    assert scenario.inject(first.id) is first
    assert scenario.inject("no-such-inject") is None
    assert scenario.decision(scenario.decisions[0].id) is scenario.decisions[0]
    renamed = first.model_copy(update={"id": "andere"})
    copy = scenario.model_copy(update={"injects": [renamed]})
    assert copy.inject("andere") is renamed
    assert copy.inject(first.id) is None
    assert scenario.inject(first.id) is first
    assert copy != scenario and scenario == load_scenario(path, roles).scenario
