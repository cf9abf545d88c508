"""`tabletop msel import`: planners' sheets with Dutch or English headers become scenarios
that validate; every bad cell is named like `FILE.xlsx:Injects!C7: message`, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from mselkit import SCENARIOS, cli, write_csv, write_xlsx

from tabletop.model.loading import load_scenario
from tabletop.msel.importer import import_sheet

DUTCH = [
    ["Oefening Dalwijk: MSEL"],  # a title row above the table, as planners make them
    ["Tijd", "Van", "Aan", "Medium", "Onderwerp", "Bericht", "Verwachte reactie"],
    ["08:00", "Meldkamer", "Politie, Burgemeester", "telefoon", "Eerste melding",
     "Een groep blokkeert de poort.", "De politie maakt een beeld."],
    ["08:20", "NOS", "BM", "nieuws", "Live-uitzending", "De NOS meldt de blokkade.", ""],
    ["T+01:00", "Burgemeester", "OvJ", "e-mail", "Vraag aan het OM",
     "Wat doet het OM met de blokkeerders?", ""],
]

ENGLISH = [
    ["Time", "From", "To", "Method", "Subject", "Message", "Expected player action", "Notes"],
    ["09:30", "Newsdesk", "Burgemeester", "news", "Breaking", "A convoy is stuck.", "",
     "Hold back"],
    ["10:15", "Police", "burgemeester; om", "phone", "Capacity", "Two platoons.", "A plan", ""],
]


def _import(capsys: pytest.CaptureFixture[str], sheet: Path, *more: str) -> tuple[int, str]:
    code, out, err = cli(capsys, "msel", "import", str(sheet), *more)
    return code, out + err


def test_a_dutch_sheet_becomes_a_scenario_that_validates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_xlsx(tmp_path / "dalwijk.xlsx", {"Blad1": DUTCH})
    code, text = _import(capsys, sheet)
    assert code == 0, text
    target = tmp_path / "dalwijk.yaml"
    assert "3 injects, 0 besluiten" in text
    code, _, err = cli(capsys, "validate", str(target))
    assert code == 0, err
    s = load_scenario(target).scenario
    assert [(i.at, i.from_, i.to, i.channel.value, i.title) for i in s.injects] == [
        (0, "Meldkamer", ["politie", "burgemeester"], "telefoon", "Eerste melding"),
        (20, "NOS", ["burgemeester"], "nieuws", "Live-uitzending"),
        (60, "burgemeester", ["om"], "email", "Vraag aan het OM"),
    ]
    assert s.injects[0].facilitator is not None
    assert s.injects[0].facilitator.expect == "De politie maakt een beeld."
    assert s.start.strftime("%H:%M") == "08:00"
    yaml_text = target.read_text(encoding="utf-8")
    assert "# start: niet op het blad" in yaml_text  # the placeholder date is said aloud
    assert "verwachtingen van de spelers" in yaml_text  # what a sheet cannot say


def test_an_english_csv_becomes_a_scenario(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "convoy.csv", ENGLISH)
    target = tmp_path / "out" / "convoy.yaml"
    target.parent.mkdir()
    code, text = _import(capsys, sheet, "-o", str(target), "--lang", "en")
    assert code == 0, text
    assert "wrote" in text and "2 injects" in text
    s = load_scenario(target).scenario
    assert [i.to for i in s.injects] == [["burgemeester"], ["burgemeester", "om"]]
    assert [i.at for i in s.injects] == [0, 45]
    assert s.injects[1].from_ == "Police"  # no role's id, name or short: a free sender
    assert s.injects[0].facilitator and s.injects[0].facilitator.guidance == "Hold back"


def test_a_semicolon_csv_with_relative_times(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["T+", "Van", "Aan", "Titel", "Tekst"],
            ["0:00", "Oefenleiding", "politie", "Start", "Het begint."],
            ["1h30m", "Oefenleiding", "politie", "Later", "Verder."],
            ["90", "Oefenleiding", "politie", "Even later", "Nog verder."]]
    sheet = write_csv(tmp_path / "rel.csv", rows, delimiter=";")
    code, text = _import(capsys, sheet)
    assert code == 0, text
    s = load_scenario(tmp_path / "rel.yaml").scenario
    assert [i.at for i in s.injects] == [0, 90, 90]
    assert "# kanaal: niet op het blad" in (tmp_path / "rel.yaml").read_text(encoding="utf-8")


def _bad(tmp_path: Path, capsys: pytest.CaptureFixture[str], row: list[str],
         *more: str) -> str:
    header = ["Id", "Tijd (T+)", "Van", "Aan", "Titel", "Tekst"]
    good = ["eerste", "T+00:00", "Oefenleiding", "politie", "Start", "Tekst"]
    rows = [header, good, ["tweede", "T+00:10", "NOS", "politie", "B", "C"],
            ["derde", "T+00:20", "NOS", "politie", "C", "D"],
            ["vierde", "T+00:30", "NOS", "politie", "D", "E"],
            ["vijfde", "T+00:40", "NOS", "politie", "E", "F"], row]
    sheet = write_xlsx(tmp_path / "plan.xlsx", {"Injects": rows})
    code, text = _import(capsys, sheet, *more)
    assert code == 1, text
    assert not (tmp_path / "plan.yaml").exists()  # nothing written
    return text


def test_no_time_is_located_in_the_cell(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    text = _bad(tmp_path, capsys, ["zesde", "abc", "NOS", "politie", "F", "G"], "--lang", "en")
    assert 'plan.xlsx:Injects!B7: "abc" is no time' in text
    text = _bad(tmp_path, capsys, ["zesde", "", "NOS", "politie", "F", "G"])
    assert "plan.xlsx:Injects!B7: geen tijd" in text


def test_unknown_role_says_did_you_mean(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    text = _bad(tmp_path, capsys, ["zesde", "T+01:00", "NOS", "politie, burgemeestr", "F", "G"])
    assert "plan.xlsx:Injects!D7: \"burgemeestr\" is geen rol (bedoelt u 'burgemeester'?)" \
        in text


def test_empty_title_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _bad(tmp_path, capsys, ["zesde", "T+01:00", "NOS", "politie", "", "G"], "--lang",
                "en")
    assert "plan.xlsx:Injects!E7: empty title" in text


def test_duplicate_id_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _bad(tmp_path, capsys, ["derde", "T+01:00", "NOS", "politie", "F", "G"])
    assert "plan.xlsx:Injects!A7: de id \"derde\" heeft ook de inject in rij 4" in text


def test_every_problem_at_once_in_sheet_order(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["Tijd (T+)", "Aan", "Titel", "Kanaal"],
            ["later", "politie", "A", "telefoon"],
            ["T+00:10", "politei", "B", "fax"],
            ["T+00:20", "politie", "", "email"]]
    sheet = write_xlsx(tmp_path / "veel.xlsx", {"Injects": rows})
    code, text = _import(capsys, sheet)
    assert code == 1
    lines = [line for line in text.splitlines() if line.startswith("veel.xlsx")
             or "veel.xlsx:" in line]
    cells = [line.split(":", 2)[1] for line in lines]
    assert cells == ["Injects!A2", "Injects!B3", "Injects!D3", "Injects!C4"], text
    assert "3 problemen" not in text and "4 problemen; niets geschreven" in text


def test_a_clock_time_that_disagrees_with_t_plus(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["Tijd (T+)", "Kloktijd", "Aan", "Titel"],
            ["T+00:00", "06:00", "politie", "A"],
            ["T+00:10", "06:20", "politie", "B"]]
    text = _import(capsys, write_xlsx(tmp_path / "k.xlsx", {"Injects": rows}), "--lang", "en")[1]
    assert "k.xlsx:Injects!B3: the clock time 06:20 is not T+00:10 after the start" in text


def test_triggers_and_unknown_events(tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["Id", "Trigger", "Aan", "Titel"],
            ["a", "op T+00:05", "politie", "A"],
            ["b", "na a + 15m", "politie", "B"],
            ["c", "handmatig", "politie", "C"],
            ["d", "na e", "politie", "D"],
            ["e", "wanneer spanning >= 3\nals not delivered(\"c\")", "politie", "E"]]
    code, text = _import(capsys, write_xlsx(tmp_path / "t.xlsx", {"Injects": rows}))
    assert code == 0, text
    s = load_scenario(tmp_path / "t.yaml").scenario
    assert s.injects[0].at == 5
    assert s.injects[1].after is not None and s.injects[1].after.delay == 15
    assert s.injects[2].manual and str(s.injects[4].when) == "spanning >= 3"
    assert "spanning" in s.state  # named in a trigger: declared, with a comment
    rows.append(["f", "na onbekend", "politie", "F"])
    rows.append(["g", "zodra spanning >>= 3", "politie", "G"])
    code, text = _import(capsys, write_xlsx(tmp_path / "t2.xlsx", {"Injects": rows}))
    assert code == 1
    assert 't2.xlsx:Injects!B7: "onbekend" is geen inject of besluit van dit blad' in text
    assert 't2.xlsx:Injects!B8: "spanning >>= 3" is geen uitdrukking' in text


def test_decisions_roles_and_scenario_sheets(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    sheets = {
        "Scenario": [["Soort", "Id", "Naam", "Waarde"],
                     ["id", "blokkade", "", ""], ["titel", "", "", "Blokkade bij de haven"],
                     ["start", "", "", "2027-05-01T07:00:00+02:00"],
                     ["fase", "aanloop", "Aanloop", ""]],
        "Rollen": [["Id", "Naam", "Afkorting", "Herkomst", "Gezag"],
                   ["burgemeester", "Burgemeester", "BM", "bibliotheek", ""],
                   ["havenmeester", "Havenmeester", "HM", "scenario", ""]],
        "Injects": [["Id", "Tijd", "Fase", "Van", "Aan", "Titel"],
                    ["melding", "07:30", "Aanloop", "havenmeester", "BM, Havenmeester",
                     "Blokkade gemeld"]],
        "Besluiten": [["Id", "Trigger", "Vraag", "Domein", "Eigenaar", "Raadplegen", "Termijn",
                       "Opties"],
                      ["aanpak", "bij melding", "Wat doet u?", "openbare-orde", "BM",
                       "havenmeester", "30m", "ontruimen: Ontruimen\nGedogen [standaard]"]],
    }
    code, text = _import(capsys, write_xlsx(tmp_path / "haven.xlsx", sheets))
    assert code == 0, text
    loaded = load_scenario(tmp_path / "haven.yaml")
    s = loaded.scenario
    assert (s.id, s.title, s.injects[0].at, s.injects[0].phase) == (
        "blokkade", "Blokkade bij de haven", 30, "aanloop")
    assert s.roles == ["burgemeester"] and [r.id for r in s.local_roles] == ["havenmeester"]
    dec = s.decisions[0]
    assert (dec.on, dec.owner, dec.consult, dec.deadline) == (
        "melding", "burgemeester", ["havenmeester"], 30)
    assert [o.id for o in dec.options] == ["ontruimen", "gedogen"] and dec.default == "gedogen"
    assert "effecten, capaciteit" in (tmp_path / "haven.yaml").read_text(encoding="utf-8")


def test_a_bad_domain_and_a_bad_owner(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    sheets = {
        "Injects": [["Id", "Tijd (T+)", "Aan", "Titel"], ["a", "0m", "politie", "A"]],
        "Decisions": [["Id", "Trigger", "Question", "Domain", "Owner"],
                      ["x", "on a", "Q?", "openbare-orden", "politie"],
                      ["y", "on a", "Q?", "openbare-orde", "burgemeestr"],
                      ["z", "", "Q?", "openbare-orde", ""]],
    }
    code, text = _import(capsys, write_xlsx(tmp_path / "d.xlsx", sheets), "--lang", "en")
    assert code == 1
    assert "d.xlsx:Decisions!D2: \"openbare-orden\" is no authority domain (did you mean " \
           "'openbare-orde'?)" in text
    assert "d.xlsx:Decisions!E3: \"burgemeestr\" is no role (did you mean 'burgemeester'?)" \
        in text
    assert "d.xlsx:Decisions!B4: no trigger" in text


@pytest.mark.parametrize(("name", "data", "message"), [
    ("x.xlsx", b"not a zip", "geen Excel-werkmap"),
    ("x.csv", b"\x00\x01\x02", "dit is geen tekst"),
    ("x.csv", b"Wie,Wat\nik,iets\n", "geen kolom voor de tekst"),
    ("x.csv", b"Titel,Aan\nA,politie\n", "geen kolom voor de tijd"),
])
def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                          data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, text = _import(capsys, path)
    assert code == 1 and message in text


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = write_csv(tmp_path / "a.csv", [["Tijd (T+)", "Aan", "Titel"], ["0m", "om", "A"]])
    assert _import(capsys, tmp_path / "a.ods")[0] == 2
    assert _import(capsys, sheet)[0] == 0
    code, text = _import(capsys, sheet)
    assert code == 2 and "bestaat al" in text  # never overwritten without --force
    assert _import(capsys, sheet, "--force")[0] == 0
    assert _import(capsys, sheet, "-o", str(sheet))[0] == 2
    assert _import(capsys, tmp_path / "missing.csv")[0] == 1


def test_the_result_api_names_problems_without_a_traceback(tmp_path: Path) -> None:
    result = import_sheet(SCENARIOS / "README.md")
    assert result.yaml is None and result.problems


def test_an_after_cycle_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["Id", "Trigger", "Aan", "Titel"], ["a", "na b", "politie", "A"],
            ["b", "na a + 5m", "politie", "B"]]
    code, text = _import(capsys, write_xlsx(tmp_path / "c.xlsx", {"Injects": rows}), "--lang",
                         "en")
    assert code == 1 and "c.xlsx:Injects!B2: 'after'/'on' cycle: a -> b -> a" in text


def test_braces_name_parameters_or_stay_literal(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["Tijd (T+)", "Aan", "Titel", "Tekst"],
            ["0m", "politie", "Brand in {gemeente}", "Een { losse accolade"]]
    code, text = _import(capsys, write_xlsx(tmp_path / "p.xlsx", {"Injects": rows}))
    assert code == 0, text
    s = load_scenario(tmp_path / "p.yaml").scenario
    assert "gemeente" in s.parameters  # named in a text: made, with a comment to fill it in
    assert s.injects[0].text == "Een {{ losse accolade"  # shown as "Een { losse accolade"
    assert "genoemd in een tekst van het blad" in (tmp_path / "p.yaml").read_text("utf-8")
