"""`tabletop msel export`: the workbook a planner opens (sheets, headers, rows, frozen
headers, sized columns), the CSV, and no cell that a spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from mselkit import SCENARIOS, cli
from openpyxl import load_workbook

from tabletop.model.loading import load_scenario
from tabletop.msel.importer import import_sheet


def test_the_introduction_as_a_workbook(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "intro.xlsx"
    code, _, err = cli(capsys, "msel", "export", str(SCENARIOS / "introductie.yaml"),
                       "-o", str(target))
    assert code == 0, err
    assert "10 injects, 3 besluiten" in err
    wb = load_workbook(target)
    assert wb.sheetnames == ["Injects", "Besluiten", "Rollen", "Scenario"]
    ws = wb["Injects"]
    headers = [c.value for c in ws[1]]
    assert headers == ["Nr", "Tijd (T+)", "Kloktijd", "Fase", "Trigger", "Van", "Aan",
                       "Kanaal", "Titel", "Tekst", "Verwachte actie", "Aanwijzing oefenleider",
                       "Oefendoelen", "Betrouwbaarheid", "Id"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["J"].width == 60  # the text column is wide
    assert ws.max_row == 11  # the header and ten injects
    first = {h: c.value for h, c in zip(headers, ws[2], strict=True)}
    assert first["Nr"] == 1 and first["Tijd (T+)"] == "T+00:00"
    assert first["Kloktijd"] == "06:00" and first["Fase"] == "aanloop"
    assert first["Van"] == "Oefenleiding" and first["Aan"] == "burgemeester, politie, om, defensie"
    assert first["Id"] == "startsituatie" and first["Betrouwbaarheid"] == "bevestigd"
    assert first["Tekst"].startswith("**Dinsdag, 06:00.**")
    rows = {r[14].value: [c.value for c in r] for r in ws.iter_rows(min_row=2)}
    assert rows["capaciteitsbeeld"][1:3] == ["T+00:15", "06:15"]
    assert rows["burgemeester-belt"][1:5] == [None, None, None, "handmatig"]
    assert rows["reactie-vredesplatform"][4] == "na aanpak-sit-in + 15m"
    decisions = wb["Besluiten"]
    assert [c.value for c in decisions[1]][:3] == ["Id", "Trigger", "Vraag"]
    dec = {h.value: c.value for h, c in zip(decisions[1], decisions[2], strict=True)}
    assert dec["Trigger"] == "bij verzoek-defensie" and dec["Eigenaar"] == "burgemeester"
    assert dec["Raadplegen"] == "politie, om, defensie" and dec["Termijn"] == "45m"
    options = dec["Opties"].splitlines()
    assert options[0].startswith("voorschriften-overkant: Voorschriften")
    # the default is the power-free 'geen-besluit' (a lapse enacts no power; issue 13)
    assert [o for o in options if o.endswith("[standaard]")] == [options[-1]]
    assert options[-1].startswith("geen-besluit: ")
    roles = wb["Rollen"]
    assert [r[0].value for r in roles.iter_rows(min_row=2)] == [
        "burgemeester", "politie", "om", "defensie"]
    kinds = [r[0].value for r in wb["Scenario"].iter_rows(min_row=2)]
    assert kinds[:3] == ["id", "titel", "start"] and "fase" in kinds and "toestand" in kinds


def test_english_headers_and_trigger_words(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "intro.xlsx"
    assert cli(capsys, "msel", "export", str(SCENARIOS / "introductie.yaml"), "-o",
               str(target), "--lang", "en")[0] == 0
    wb = load_workbook(target)
    assert wb.sheetnames == ["Injects", "Decisions", "Roles", "Scenario"]
    headers = [c.value for c in wb["Injects"][1]]
    assert headers[:3] == ["No.", "Time (T+)", "Clock time"] and "Expected action" in headers
    triggers = [r[4].value for r in wb["Injects"].iter_rows(min_row=2)]
    assert "manual" in triggers and "after aanpak-sit-in + 15m" in triggers


def test_csv_holds_the_injects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "intro.csv"
    assert cli(capsys, "msel", "export", str(SCENARIOS / "introductie.yaml"), "-o",
               str(target))[0] == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nr", "Tijd (T+)", "Kloktijd"] and len(rows) == 11


HOSTILE = ["=HYPERLINK(\"http://x.invalid\",\"klik\")", "+31 6 1234", "-2 graden",
           "@SUM(A1:A2)", "'=al gequote", "'t Hoofdkwartier"]


def _scenario_with(values: list[str], write: Callable[[str, str], Path]) -> Path:
    body = "".join(
        f"  - id: i{n}\n    at: {n}m\n    from: {json.dumps(v)}\n    to: [politie]\n"
        f"    channel: melding\n    title: {json.dumps(v)}\n    text: {json.dumps(v)}\n"
        for n, v in enumerate(values))
    return write("format: 1\nid: t\ntitle: T\nstart: 2027-03-14T06:00:00+01:00\n"
                 "roles: [politie]\ninjects:\n" + body, "hostile.yaml")


def test_no_cell_becomes_a_formula(tmp_path: Path, write: Callable[[str, str], Path],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    source = _scenario_with(HOSTILE, write)
    xlsx, csv_path = tmp_path / "h.xlsx", tmp_path / "h.csv"
    assert cli(capsys, "msel", "export", str(source), "-o", str(xlsx))[0] == 0
    assert cli(capsys, "msel", "export", str(source), "-o", str(csv_path))[0] == 0
    sheet_xml = zipfile.ZipFile(xlsx).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    ws = load_workbook(xlsx)["Injects"]
    titles = [r[8] for r in ws.iter_rows(min_row=2)]
    assert [c.value for c in titles] == HOSTILE and all(c.data_type == "s" for c in titles)
    # In the CSV a spreadsheet would run =, +, - and @: they are quoted with an apostrophe.
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    title_cells = [r[8] for r in rows[1:]]
    assert title_cells[:4] == ["'" + v for v in HOSTILE[:4]]
    assert title_cells[5] == "'t Hoofdkwartier"  # a Dutch 't is left alone
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)
    # ... and the importer gives back exactly what the scenario said.
    for sheet in (xlsx, csv_path):
        result = import_sheet(sheet, target=tmp_path / f"back-{sheet.suffix[1:]}.yaml")
        assert result.yaml is not None, [str(p) for p in result.problems]
        back = tmp_path / f"back-{sheet.suffix[1:]}.yaml"
        back.write_text(result.yaml, encoding="utf-8")
        injects = load_scenario(back).scenario.injects
        assert [i.title for i in injects] == HOSTILE
        assert [i.from_ for i in injects] == HOSTILE


def test_export_refuses_a_wrong_suffix(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "msel", "export", str(SCENARIOS / "introductie.yaml"),
                       "-o", str(tmp_path / "x.ods"))
    assert code == 2 and "kies .xlsx of .csv" in err


def test_export_of_a_broken_scenario_is_located(write: Callable[[str, str], Path],
                                                capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    bad = write("format: 1\nid: t\ntitle: T\nstart: nope\n", "bad.yaml")
    code, out, _ = cli(capsys, "msel", "export", str(bad), "-o", str(tmp_path / "x.xlsx"))
    assert code == 1 and "bad.yaml:4:" in out
