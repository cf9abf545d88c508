"""Format 2 (gezag model version 2) in a sheet: areas and regions, roles placed in them,
candidate framings, joint owners, formal voices, consent with its legal basis, need to know
and what a decision rests on; every bad cell of those columns located, exit 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mselkit import SCENARIOS, cli, write_xlsx

from tabletop.model.loading import load_scenario
from tabletop.model.scenario import ConsultEntry

SCENARIO = [["Soort", "Id", "Naam", "Waarde"],
            ["id", "grens", "", ""], ["titel", "", "", "Twee gemeenten"],
            ["start", "", "", "2027-05-01T07:00:00+02:00"], ["crisis", "", "", "nee"],
            ["gebied", "noorderzijl", "Gemeente Noorderzijl", "groningen"],
            ["gebied", "westerhaven", "Gemeente Westerhaven", "Veiligheidsregio Groningen"],
            ["regio", "groningen", "Veiligheidsregio Groningen", ""]]
ROLES = [["Id", "Bibliotheekrol", "Naam", "Afkorting", "Herkomst", "Gebied", "Regio", "Namens",
          "Gezag", "Mandaat"],
         ["bm-noorderzijl", "burgemeester", "Burgemeester van Noorderzijl", "BM-NZ",
          "bibliotheek", "noorderzijl", "", "", "", ""],
         ["bm-westerhaven", "burgemeester", "", "", "bibliotheek", "Gemeente Westerhaven", "",
          "", "", ""],
         ["om", "", "", "", "bibliotheek", "", "", "", "", ""],
         ["politie", "politie", "Politiechef Noord", "", "", "", "", "", "", ""],
         ["defensie", "defensie", "", "", "", "", "", "", "", ""],
         ["voorzitter-vr", "voorzitter-vr", "", "", "", "", "groningen", "", "", ""],
         ["gcc", "", "Gemeentelijk crisiscoördinator", "GCC", "scenario", "noorderzijl", "",
          "BM-NZ", "", "crisiscommunicatie: Mandaatbesluit burgemeester"]]
INJECTS = [["Id", "Tijd (T+)", "Van", "Aan", "Titel", "Tekst", "Gebied", "Rubricering",
            "Need-to-know"],
           ["ambtsbericht", "0m", "Meldkamer", "BM-NZ", "Dreiging", "Iets bij het depot.",
            "noorderzijl", "stg-geheim", "bm-noorderzijl, om"],
           ["melding", "30m", "politie", "bm-westerhaven, om", "Melding", "Een blokkade.",
            "noorderzijl, westerhaven", "", ""]]
DECISIONS = [["Id", "Trigger", "Vraag", "Domein", "Gebied", "Crisis", "Eigenaar", "Samen",
              "Raadplegen", "Instemming", "Rust op", "Opties"],
             ["bewaking", "bij ambtsbericht", "Wie bewaakt het depot?",
              "openbare-orde, strafrechtelijke-handhaving", "noorderzijl", "ja",
              "bm-noorderzijl, om", "allen",
              "politie\nvoorzitter-vr (zienswijze): Wet veiligheidsregio's art. 39 "
              "[niet geverifieerd]",
              "defensie (afzetten): Politiewet 2012 art. 57 lid 3 (in overeenstemming met de "
              "minister van Defensie)", "ambtsbericht",
              "afzetten: Afzetten\nafwachten: Afwachten"]]


def _sheets(**changes: tuple[int, str, Any]) -> dict[str, list[list[Any]]]:
    """The good workbook with one cell changed per sheet: sheet=(row, header, value)."""
    sheets = {"Scenario": SCENARIO, "Rollen": ROLES, "Injects": INJECTS,
              "Besluiten": DECISIONS}
    out = {name: [list(r) for r in rows] for name, rows in sheets.items()}
    for name, (row, header, value) in changes.items():
        rows = out[name]
        rows[row][rows[0].index(header)] = value
    return out


def _import(capsys: pytest.CaptureFixture[str], path: Path, *more: str) -> tuple[int, str]:
    code, out, err = cli(capsys, "msel", "import", str(path), *more)
    return code, out + err


def test_a_format_2_workbook_becomes_a_format_2_scenario(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _import(capsys, write_xlsx(tmp_path / "grens.xlsx", _sheets()))
    assert code == 0, text
    code, out, err = cli(capsys, "validate", str(tmp_path / "grens.yaml"))
    assert code == 0, out + err
    loaded = load_scenario(tmp_path / "grens.yaml")
    s = loaded.scenario
    assert s.format == 2 and s.crisis is False
    assert {k: (a.label, a.region) for k, a in s.areas.items()} == {
        "noorderzijl": ("Gemeente Noorderzijl", "groningen"),
        "westerhaven": ("Gemeente Westerhaven", "groningen")}  # a region named by its label
    placed = {p.id: (p.role, p.area, p.region, p.name, p.short) for p in s.placements}
    assert placed == {
        "bm-noorderzijl": ("burgemeester", "noorderzijl", None,
                           "Burgemeester van Noorderzijl", "BM-NZ"),
        "bm-westerhaven": ("burgemeester", "westerhaven", None, None, None),
        "om": ("om", None, None, None, None),
        "politie": ("politie", None, None, "Politiechef Noord", None),
        "defensie": ("defensie", None, None, None, None),
        "voorzitter-vr": ("voorzitter-vr", None, "groningen", None, None)}
    gcc = s.local_roles[0]
    assert (gcc.id, gcc.area, gcc.acts_for) == ("gcc", "noorderzijl", "bm-noorderzijl")
    assert [(m.domain, m.basis) for m in gcc.mandate] == [
        ("crisiscommunicatie", "Mandaatbesluit burgemeester")]
    first, second = s.injects
    assert (first.to, first.area, first.classification, first.need_to_know) == (
        ["bm-noorderzijl"], "noorderzijl", "stg-geheim", ["bm-noorderzijl", "om"])
    assert second.area == ["noorderzijl", "westerhaven"] and second.need_to_know is None
    d = s.decisions[0]
    assert d.framings == ["openbare-orde", "strafrechtelijke-handhaving"]
    assert (d.area, d.crisis, d.owner, d.together) == (
        "noorderzijl", True, ["bm-noorderzijl", "om"], "all")
    assert d.consult == ["politie", ConsultEntry(
        role="voorzitter-vr", kind="zienswijze", basis="Wet veiligheidsregio's art. 39",
        unverified=True)]
    assert [(c.role, c.options, c.basis) for c in d.consent] == [
        ("defensie", ["afzetten"], "Politiewet 2012 art. 57 lid 3 (in overeenstemming met de "
                                   "minister van Defensie)")]
    assert d.rests_on == ["ambtsbericht"]


def test_english_headers_and_words(tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    sheets = {
        "Roles": [["Id", "Library role", "Area"], ["bm-a", "burgemeester", "a"],
                  ["bm-b", "burgemeester", "b"]],
        "Injects": [["Id", "Time (T+)", "To", "Title", "Area", "Need to know"],
                    ["i", "0m", "bm-a", "News", "a", "bm-a"]],
        "Decisions": [["Id", "Trigger", "Question", "Domains", "Area", "Crisis", "Owners",
                       "Together", "Consult", "Consent", "Rests on"],
                      ["d", "on i", "Who closes the road?", "openbare-orde", "a, b", "no",
                       "bm-a, bm-b", "all", "bm-b (advice): Gemeentewet art. 1",
                       "om: Politiewet 2012 art. 12", "i"]],
    }
    code, text = _import(capsys, write_xlsx(tmp_path / "en.xlsx", sheets), "--lang", "en")
    assert code == 0, text
    s = load_scenario(tmp_path / "en.yaml").scenario
    assert s.format == 2 and list(s.areas) == ["a", "b"]  # named in the sheet: made
    assert "named in the sheet, not on the scenario sheet" in (
        tmp_path / "en.yaml").read_text(encoding="utf-8")
    d = s.decisions[0]
    assert (d.area, d.crisis, d.together, d.consent[0].role) == (["a", "b"], False, "all", "om")
    assert d.formal_voices[0].kind == "advies" and "om" in s.role_ids


BAD_CELLS = [
    ({"Injects": (1, "Gebied", "noordrzijl")},
     'grens.xlsx:Injects!G2: "noordrzijl" is geen gebied van het scenarioblad '
     "(bedoelt u 'noorderzijl'?)"),
    ({"Injects": (1, "Need-to-know", "bm-noorderzijll")},
     "grens.xlsx:Injects!I2: \"bm-noorderzijll\" is geen rol (bedoelt u 'bm-noorderzijl'?)"),
    ({"Rollen": (1, "Gebied", "westerhavn")},
     "grens.xlsx:Rollen!F2: \"westerhavn\" is geen gebied van het scenarioblad "
     "(bedoelt u 'westerhaven'?)"),
    ({"Rollen": (6, "Regio", "groninge")},
     "grens.xlsx:Rollen!G7: \"groninge\" is geen regio van het scenarioblad "
     "(bedoelt u 'groningen'?)"),
    ({"Rollen": (6, "Gebied", "noorderzijl")},
     "grens.xlsx:Rollen!G7: een rol staat in een gebied of in een regio, niet in beide"),
    ({"Rollen": (1, "Bibliotheekrol", "burgmeester")},
     "grens.xlsx:Rollen!B2: \"burgmeester\" is geen rol in roles (bedoelt u 'burgemeester'?)"),
    ({"Rollen": (7, "Bibliotheekrol", "burgemeester")},
     "grens.xlsx:Rollen!B8: \"burgemeester\": een rol van het scenario zelf (herkomst "
     "'scenario') heeft geen bibliotheekrol"),
    ({"Rollen": (7, "Namens", "bm-noordrzijl")},
     "grens.xlsx:Rollen!H8: \"bm-noordrzijl\" is geen rol (bedoelt u 'bm-noorderzijl'?)"),
    ({"Rollen": (7, "Mandaat", "crisiscommunikatie: x")},
     "grens.xlsx:Rollen!J8: \"crisiscommunikatie\" is geen gezagsdomein "
     "(bedoelt u 'crisiscommunicatie'?)"),
    ({"Rollen": (7, "Namens", "")},
     "grens.xlsx:Rollen!J8: een mandaat zonder Namens: namens wie besluit deze rol?"),
    ({"Rollen": (7, "Gezag", "crisiscommunicatie: Gemeentewet")},
     "grens.xlsx:Rollen!I8: een rol die namens een ander besluit (Namens) heeft geen eigen "
     "gezag"),
    ({"Rollen": (1, "Afkorting", "BURGEMEESTER")},
     "grens.xlsx:Rollen!D2: \"BURGEMEESTER\" is te lang voor een afkorting"),
    ({"Scenario": (5, "Waarde", "groningn")},
     "grens.xlsx:Scenario!D6: \"groningn\" is geen regio van het scenarioblad "
     "(bedoelt u 'groningen'?)"),
    ({"Scenario": (4, "Waarde", "misschien")},
     'grens.xlsx:Scenario!D5: "misschien" is geen ja of nee'),
    ({"Besluiten": (1, "Domein", "openbare-orde, strafrecht")},
     'grens.xlsx:Besluiten!D2: "strafrecht" is geen gezagsdomein'),
    ({"Besluiten": (1, "Gebied", "zuiderzijl")},
     'grens.xlsx:Besluiten!E2: "zuiderzijl" is geen gebied van het scenarioblad'),
    ({"Besluiten": (1, "Crisis", "soms")}, 'grens.xlsx:Besluiten!F2: "soms" is geen ja of nee'),
    ({"Besluiten": (1, "Eigenaar", "bm-noorderzijl, bm-westerhave")},
     "grens.xlsx:Besluiten!G2: \"bm-westerhave\" is geen rol (bedoelt u 'bm-westerhaven'?)"),
    ({"Besluiten": (1, "Samen", "misschien")},
     "grens.xlsx:Besluiten!H2: \"misschien\": schrijf 'allen'"),
    ({"Besluiten": (1, "Raadplegen", "voorzitter-vr (zienswijz): Wvr art. 39")},
     "grens.xlsx:Besluiten!I2: \"zienswijz\" is geen soort formele stem (advies, zienswijze, "
     "bezwaar) (bedoelt u 'zienswijze'?)"),
    ({"Besluiten": (1, "Raadplegen", "politi")},
     "grens.xlsx:Besluiten!I2: \"politi\" is geen rol (bedoelt u 'politie'?)"),
    ({"Besluiten": (1, "Raadplegen", "voorzitter-vr (zienswijze (x)): y")},
     "grens.xlsx:Besluiten!I2: \"voorzitter-vr (zienswijze (x)): y\" is geen regel als "
     "'rol (soort): grondslag'"),
    ({"Besluiten": (1, "Instemming", "defensie")},
     "grens.xlsx:Besluiten!J2: instemming van \"defensie\" zonder grondslag; schrijf "
     "'defensie: grondslag'"),
    ({"Besluiten": (1, "Instemming", "defensie (afzeten): Politiewet 2012 art. 57")},
     "grens.xlsx:Besluiten!J2: besluit 'bewaking' heeft geen optie 'afzeten' "
     "(bedoelt u 'afzetten'?)"),
    ({"Besluiten": (1, "Instemming", "defensi: Politiewet 2012 art. 57")},
     "grens.xlsx:Besluiten!J2: \"defensi\" is geen rol (bedoelt u 'defensie'?)"),
    ({"Besluiten": (1, "Rust op", "ambtsberich")},
     "grens.xlsx:Besluiten!K2: \"ambtsberich\" is geen inject van dit blad "
     "(bedoelt u 'ambtsbericht'?)"),
    ({"Besluiten": (1, "Rust op", "Het ambtsbericht")},
     "grens.xlsx:Besluiten!K2: \"Het ambtsbericht\" is geen id"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_CELLS)
def test_each_bad_cell_of_format_2_is_located(
        changes: dict[str, tuple[int, str, Any]], message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _import(capsys, write_xlsx(tmp_path / "grens.xlsx", _sheets(**changes)))
    assert code == 1, text
    assert message in text, text
    assert "klopt niet" not in text  # said at its cell, not of the sheet as a whole
    assert not (tmp_path / "grens.yaml").exists()


def test_a_bad_cell_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = _sheets(Besluiten=(1, "Instemming", "defensie"))
    code, text = _import(capsys, write_xlsx(tmp_path / "grens.xlsx", sheets), "--lang", "en")
    assert code == 1
    assert "grens.xlsx:Besluiten!J2: consent of \"defensie\" without a legal basis; write " \
           "'defensie: basis'" in text


# -- CSV: the injects' file, and the other sheets beside it -----------------------------
def test_csv_export_writes_the_other_sheets_beside_the_injects(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "intro.csv"
    code, _, err = cli(capsys, "msel", "export", str(SCENARIOS / "introductie.yaml"),
                       "-o", str(sheet))
    assert code == 0, err
    assert "ernaast geschreven:" in err and "intro.besluiten.csv" in err
    # the injects' file is the MSEL alone, as a tool that takes one table expects it
    assert sheet.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Nr,Tijd (T+)")
    code, out, err = cli(capsys, "msel", "import", str(sheet), "-o",
                         str(tmp_path / "intro.yaml"))
    assert code == 0, out + err
    assert "meegelezen:" in err and "intro.rollen.csv" in err
    # without the files beside it, the injects that follow a decision cannot come back
    for other in ("besluiten", "rollen", "scenario"):
        (tmp_path / f"intro.{other}.csv").unlink()
    code, out, err = cli(capsys, "msel", "import", str(sheet), "-o",
                         str(tmp_path / "alone.yaml"))
    assert code == 1
    assert '"aanpak-sit-in" is geen inject of besluit van dit blad' in out + err


def test_a_bad_cell_beside_the_csv_names_its_own_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "b.csv"
    code, _, err = cli(capsys, "msel", "export", str(SCENARIOS / "bewaken-onder-druk.yaml"),
                       "-o", str(sheet), "--lang", "en")
    assert code == 0, err
    assert sheet.read_text(encoding="utf-8-sig").splitlines()[0].endswith(
        "Area,Classification,Need to know,Id")
    roles = tmp_path / "b.roles.csv"
    roles.write_text(roles.read_text(encoding="utf-8-sig").replace(",maasmonde,", ",maasmond,",
                                                                   1), encoding="utf-8")
    code, out, err = cli(capsys, "msel", "import", str(sheet), "--lang", "en")
    assert code == 1
    assert "b.roles.csv:G4: \"maasmond\" is no area of the scenario sheet (did you mean " \
           "'maasmonde'?)" in out + err
