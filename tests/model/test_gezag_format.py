"""Format 2 (gezag model version 2): places, framings, mandate, consent, formal voices,
joint owners, lapses, need to know and inject effects load; bad references are located
errors in Dutch with "bedoelt u"; a default that invokes a power is refused."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tabletop.errors import ScenarioProblems
from tabletop.model.loading import LoadedScenario, RoleLibrary, load_scenario
from tabletop.model.scenario import ConsentEntry, ConsultEntry

HEAD = "format: 2\nid: t\ntitle: T\nstart: 2027-03-14T06:00:00+01:00\n"

FULL = """
areas:
  noorderzijl: {label: Gemeente Noorderzijl, region: groningen}
  westerhaven: {label: Gemeente Westerhaven, region: groningen}
regions:
  groningen: {label: Veiligheidsregio Groningen}
crisis: false
roles:
  - politie
  - om
  - defensie
  - korpschef
  - minister-jenv
  - nctv
  - {role: burgemeester, as: bm-noorderzijl, area: noorderzijl, name: Burgemeester van Noorderzijl}
  - {role: burgemeester, as: bm-westerhaven, area: westerhaven}
  - {role: voorzitter-vr, region: groningen}
local_roles:
  - {id: havenmeester, name: Havenmeester, short: HM, area: westerhaven}
state:
  bovenlokaal: {label: Bovenlokaal, initial: false}
injects:
  - id: ambtsbericht
    at: 10m
    from: nctv
    to: [bm-noorderzijl]
    channel: briefing
    title: Dreiging
    text: Geheim.
    area: noorderzijl
    classification: stg-geheim
    need_to_know: [bm-noorderzijl, om]
    effects: [{set: {bovenlokaal: true}}]
decisions:
  - id: bewaking-depot
    on: ambtsbericht
    question: Q
    domains: [openbare-orde, strafrechtelijke-handhaving]
    area: [noorderzijl, westerhaven]
    crisis: true
    owner: [om, bm-noorderzijl]
    together: all
    consult:
      - politie
      - {role: korpschef, kind: zienswijze, basis: Politiewet 2012 art. 56 lid 3}
    rests_on: [ambtsbericht]
    deadline: 1h
    default: none
    options:
      - {id: afzetten, label: Afzetten}
      - {id: niets, label: Niets}
  - id: militaire-bijstand
    at: 20m
    question: Q
    domain: militaire-bijstand
    owner: minister-jenv
    consent:
      - role: defensie
        basis: Politiewet 2012 art. 57 lid 3
        options: [bijstand-verlenen]
    deadline: 1h
    default: afwachten
    options:
      - {id: bijstand-verlenen, label: Bijstand, power: kmar-bijstand-verlenen}
      - {id: afwachten, label: Afwachten}
"""


@pytest.fixture
def load2(write: Callable[..., Path],
          roles: RoleLibrary) -> Callable[[str], LoadedScenario]:
    def _load(body: str) -> LoadedScenario:
        return load_scenario(write(HEAD + textwrap.dedent(body)), roles)
    return _load


def problems(load: Callable[[str], LoadedScenario], body: str) -> list[str]:
    with pytest.raises(ScenarioProblems) as info:
        load(body)
    return [f"{p.line}:{p.col}: {p.message}" for p in info.value.errors]


def test_every_key_of_the_contract_loads(load2: Callable[[str], LoadedScenario]) -> None:
    loaded = load2(FULL)
    s = loaded.scenario
    assert s.format == 2 and s.crisis is False
    assert s.areas["westerhaven"].region == "groningen"
    # placed roles are named by their `as:` id, carry their place, and keep their file
    bm = loaded.roles["bm-noorderzijl"]
    assert (bm.name, bm.area, bm.region) == ("Burgemeester van Noorderzijl", "noorderzijl", None)
    assert loaded.roles["bm-westerhaven"].name == "Burgemeester"
    assert loaded.roles["voorzitter-vr"].region == "groningen"
    assert loaded.role_files["bm-westerhaven"] == "burgemeester"
    assert loaded.roles["havenmeester"].area == "westerhaven"
    assert loaded.roles["nctv"].acts_for == "minister-jenv"
    assert loaded.roles["nctv"].authority == []
    inj = s.injects[0]
    assert inj.areas == ["noorderzijl"] and inj.restricted
    assert inj.may_see("om") and not inj.may_see("politie")
    d = s.decisions[0]
    assert d.framings == ["openbare-orde", "strafrechtelijke-handhaving"]
    assert d.domain == "openbare-orde"  # the first framing stands in for `domain`
    assert d.areas == ["noorderzijl", "westerhaven"] and d.crisis is True
    assert d.owners == ["om", "bm-noorderzijl"] and d.joint
    assert d.consult_ids == ["politie", "korpschef"]
    assert d.formal_voices == [ConsultEntry(role="korpschef", kind="zienswijze",
                                            basis="Politiewet 2012 art. 56 lid 3")]
    assert d.default_option is None and d.rests_on == ["ambtsbericht"]
    m = s.decisions[1]
    assert m.consents_for("bijstand-verlenen") == [ConsentEntry(
        role="defensie", basis="Politiewet 2012 art. 57 lid 3", options=["bijstand-verlenen"])]
    assert m.consents_for("afwachten") == []
    assert m.default_option == "afwachten"
    # the scenario cache stores the model as JSON: format 2 comes back the same
    from tabletop.model.scenario import Scenario

    assert Scenario.model_validate_json(s.model_dump_json(by_alias=True)) == s


def test_a_default_that_invokes_a_power_is_refused_and_says_why(
        load2: Callable[[str], LoadedScenario]) -> None:
    body = FULL.replace("default: afwachten", "default: bijstand-verlenen")
    line = body.count("\n", 0, body.index("default: bijstand-verlenen")) + HEAD.count("\n") + 1
    assert problems(load2, body) == [
        f"{line}:14: standaard 'bijstand-verlenen' oefent de bevoegdheid "
        "'kmar-bijstand-verlenen' uit: bij verstrijken van de termijn besluit niemand; een "
        "standaard mag geen bevoegdheid uitoefenen (laat 'default' weg of schrijf "
        "'default: none': het besluit vervalt dan)"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("- role: defensie", "- role: defensei",
     "onbekende rol 'defensei' (bedoelt u 'defensie'?)"),
    ("options: [bijstand-verlenen]", "options: [bijstand-verlenn]",
     "onbekende optie 'bijstand-verlenn' (bedoelt u 'bijstand-verlenen'?)"),
    ("rests_on: [ambtsbericht]", "rests_on: [ambtsbrecht]",
     "onbekende inject 'ambtsbrecht' (bedoelt u 'ambtsbericht'?)"),
    ("need_to_know: [bm-noorderzijl, om]", "need_to_know: [bm-noorderzyl, om]",
     "onbekende rol 'bm-noorderzyl' (bedoelt u 'bm-noorderzijl'?)"),
    ("area: [noorderzijl, westerhaven]", "area: [noorderzijl, westerhavn]",
     "onbekende gebied 'westerhavn' (bedoelt u 'westerhaven'?)"),
    ("{role: voorzitter-vr, region: groningen}", "{role: voorzitter-vr, region: groninge}",
     "onbekende regio 'groninge' (bedoelt u 'groningen'?)"),
])
def test_references_of_the_new_keys_are_checked(
        load2: Callable[[str], LoadedScenario], old: str, new: str, message: str) -> None:
    body = FULL.replace(old, new)
    assert old in FULL
    found = problems(load2, body)
    assert len(found) == 1 and found[0].endswith(message), found
    line = int(found[0].split(":")[0])
    assert new.split(":")[0].strip("- {") in (HEAD + textwrap.dedent(body)).splitlines()[
        line - 1]


def test_a_local_mandataris_must_name_a_mandator_that_takes_part(
        load2: Callable[[str], LoadedScenario]) -> None:
    body = FULL.replace(
        "  - {id: havenmeester, name: Havenmeester, short: HM, area: westerhaven}",
        "  - {id: havenmeester, name: Havenmeester, short: HM, acts_for: minister-jenvv,\n"
        "     mandate: [{domain: openbare-orde, basis: Mandaat}]}")
    assert problems(load2, body)[0].endswith(
        "onbekende rol 'minister-jenvv' (bedoelt u 'minister-jenv'?)")


def test_a_mandataris_holds_no_authority_of_its_own(
        load2: Callable[[str], LoadedScenario]) -> None:
    body = FULL.replace(
        "  - {id: havenmeester, name: Havenmeester, short: HM, area: westerhaven}",
        "  - {id: havenmeester, name: Havenmeester, short: HM, acts_for: minister-jenv,\n"
        "     authority: [{domain: openbare-orde, basis: Eigen}]}")
    assert any("heeft geen eigen gezag" in p for p in problems(load2, body))


def test_format_1_says_format_2_when_it_uses_a_new_key(
        write: Callable[..., Path], roles: RoleLibrary) -> None:
    text = (HEAD.replace("format: 2", "format: 1") + "roles: [burgemeester, om]\n"
            "decisions:\n  - {id: d, at: 1m, question: Q, domain: openbare-orde,\n"
            "     owner: [burgemeester, om], together: all, options: [{id: a, label: A}]}\n")
    with pytest.raises(ScenarioProblems) as info:
        load_scenario(write(text), roles)
    messages = [p.message for p in info.value.errors]
    assert "'owner: [...]' hoort bij formaat 2 (gezagsmodel versie 2): schrijf 'format: 2'" \
        in messages
    assert "'together' hoort bij formaat 2 (gezagsmodel versie 2): schrijf 'format: 2'" \
        in messages


def test_format_1_deadline_without_default_now_loads(
        scenario: Callable[[str], LoadedScenario]) -> None:
    loaded = scenario("""
        decisions:
          - {id: d, at: 1m, question: Q, domain: openbare-orde, deadline: 30m,
             options: [{id: a, label: A}]}
    """)
    assert loaded.scenario.decisions[0].default_option is None
