"""The importer on sheets nobody planned: any CSV or workbook of injects either becomes a
scenario that validates or gets problems that name the file (and the cell); never a
traceback. The YAML writer gives every string back exactly."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tabletop.model.loading import load_scenario
from tabletop.model.yamlsafe import load_yaml
from tabletop.msel.importer import import_sheet
from tabletop.msel.yamlout import document, unicode_breaks

HEADERS = ["Nr", "Tijd (T+)", "Kloktijd", "Tijd", "Time", "Fase", "Trigger", "Van", "From",
           "Aan", "To", "Kanaal", "Titel", "Title", "Tekst", "Bericht", "Inject",
           "Verwachte actie", "Aanwijzing oefenleider", "Oefendoelen", "Betrouwbaarheid", "Id",
           "Gebied", "Area", "Rubricering", "Need-to-know", "Need to know", "Opmerking", ""]
MEANINGFUL = ["", "T+00:15", "00:30", "09:30", "2027-03-14 06:00", "1h30m", "45", "abc",
              "-5", "T+-1", "politie", "burgemeester, om", "BM", "burgemeestr", "Meldkamer",
              "telefoon", "fax", "bevestigd", "onjuist", "od1", "aanloop", "Bij de poort",
              "handmatig", "na i1 + 15m", "na i2", "wanneer spanning >= 3", "als t > 10",
              "zodra (", "op T+01:00", "bij i1", "i1", "i2", "I 3", "{gemeente}", "{{", "}",
              "{0}", "=1+1", "+31", "@x", "'t Hof", "1e3", "0o17", "yes", "null", "~",
              "tekst\nmet\n\nregels", "  spaties  ", "#kop", "- lijst", "a: b", "\"quote\"",
              "noorderzijl", "Gemeente Noorderzijl", "noorderzijl, westerhaven", "stg-geheim",
              "politie, om", "burgemeester"]
TEXT = st.characters(codec="utf-8")  # a file cannot hold lone surrogates
CELL = st.one_of(st.sampled_from(MEANINGFUL), st.sampled_from(MEANINGFUL[:30]),
                 st.text(TEXT, max_size=30), st.integers(-5, 3000))
# Mostly sheets with a time and a text column (so that many import), some with anything.
USEFUL = st.tuples(st.sampled_from(["Tijd (T+)", "Kloktijd", "Tijd", "Trigger"]),
                   st.sampled_from(["Titel", "Tekst", "Bericht"]),
                   st.lists(st.sampled_from(HEADERS), max_size=6)).map(
    lambda t: [t[0], t[1], *t[2]])
SHEET = st.tuples(
    st.one_of(USEFUL, USEFUL, st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8)),
    st.lists(st.lists(CELL, max_size=9), max_size=8),
)
LOCATED = re.compile(r"^(?P<file>.+?)(?::(?:[A-Za-z]+!)?[A-Z]{1,3}\d+|:[A-Za-z]+)?$")


def _check(path: Path) -> None:
    target = path.with_suffix(".yaml")
    result = import_sheet(path, target=target)
    if result.yaml is None:
        assert result.problems, "no scenario and no problem"
        for problem in result.problems:
            assert problem.file.startswith(str(path)), problem
            assert "klopt niet" not in problem.message, f"not caught at a cell: {problem}"
        return
    target.write_text(result.yaml, encoding="utf-8")
    load_scenario(target)  # raises ScenarioProblems if the YAML does not validate


def examples(n: int) -> settings:
    """Hypothesis settings for `n` examples (the importer is slow, no deadline)."""
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# The two costliest properties run a third of their examples by default and all of them in
# their `_long` twins with `-m slow` (CI runs both).
@examples(50)
@given(SHEET)
def test_any_csv_imports_or_is_located(sheet: tuple[list[str], list[list[object]]]) -> None:
    _csv_imports_or_is_located(sheet)


@pytest.mark.slow
@examples(150)
@given(SHEET)
def test_any_csv_imports_or_is_located_long(
        sheet: tuple[list[str], list[list[object]]]) -> None:
    _csv_imports_or_is_located(sheet)


def _csv_imports_or_is_located(sheet: tuple[list[str], list[list[object]]]) -> None:
    headers, rows = sheet
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        _check(path)


_XLSX_SAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl refuses these


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHEET)
def test_any_workbook_imports_or_is_located(
        sheet: tuple[list[str], list[list[object]]]) -> None:
    headers, rows = sheet
    wb = Workbook()
    ws = wb.active
    ws.title = "Injects"
    for row in [headers, *rows]:
        ws.append([_XLSX_SAFE.sub("", v) if isinstance(v, str) else v for v in row])  # type: ignore[attr-defined]  # openpyxl types a row as object
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        wb.save(path)
        _check(path)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_every_string_comes_back_from_the_yaml(text: str) -> None:
    from tabletop.model.text import clean_text

    value = unicode_breaks(clean_text(text))
    doc = document(["kop"], [("title", value), ("injects", [{"id": "a", "text": value}])], {})
    data, problems = load_yaml(doc.encode("utf-8"), "x.yaml")
    assert problems == [] and data["title"] == value and data["injects"][0]["text"] == value


NO_BRACES = st.text(alphabet=st.characters(blacklist_characters="{}\x00",
                                           codec="utf-8"), max_size=80)
ROW = st.tuples(st.sampled_from(["T+00:00", "T+00:15", "01:30", "2h", "90", "1d6h"]),
                st.one_of(NO_BRACES.map(lambda t: t[:20]), st.sampled_from(["BM", "NOS"])),
                st.sampled_from(["politie", "burgemeester, om", "BM", ""]),
                st.sampled_from(["telefoon", "email", "E-mail", "nieuws", ""]),
                NO_BRACES.map(lambda t: t[:40]), NO_BRACES)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROW, min_size=1, max_size=6))
def test_planned_sheets_with_any_text_come_back_exactly(rows: list[tuple[str, ...]]) -> None:
    from tabletop.msel.cells import from_csv, text_of

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Id", "Tijd (T+)", "Van", "Aan", "Kanaal", "Titel", "Tekst"])
    writer.writerows([f"i{n}", *row] for n, row in enumerate(rows))
    cell = [[text_of(from_csv(v)) for v in row] for row in rows]  # what a sheet shows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        result = import_sheet(path, target=path.with_suffix(".yaml"))
        if not all(c[4] for c in cell):  # an empty title is an error in its cell
            assert result.yaml is None
            assert {p.file.rsplit(":", 1)[1][0] for p in result.problems} == {"F"}
            return
        assert result.yaml is not None, [str(p) for p in result.problems]
        path.with_suffix(".yaml").write_text(result.yaml, encoding="utf-8")
        injects = load_scenario(path.with_suffix(".yaml")).scenario.injects
    assert [i.title for i in injects] == [c[4] for c in cell]
    assert [i.text for i in injects] == [c[5] for c in cell]
    # a sender that names no role stays the sheet's text; "BM" is the burgemeester's short
    assert [i.from_ for i in injects] == [{"BM": "burgemeester"}.get(c[1], c[1]) for c in cell]


# -- format 2: the decisions, roles and scenario sheets, cell by cell ------------------------
F2_CELLS = {
    "place": ["", "noorderzijl", "Gemeente Noorderzijl", "westerhaven", "groningen",
              "noordrzijl", "a b", "noorderzijl, westerhaven", "=1"],
    "role": ["", "politie", "burgemeester, om", "bm-nz", "BM-NZ", "bm-nz, om", "burgemeestr",
             "gcc", "defensie", "Politie"],
    "entry": ["", "politie", "politie, om", "om (zienswijze): Politiewet 2012 art. 56",
              "om (advies)", "om: grondslag", "defensie (a): Politiewet art. 57",
              "defensie (x): basis", "defensie", "om (zienswijz): x", "om (a (b)): c",
              "om: b [niet geverifieerd]", "(: ", "politie\nom (bezwaar): b", "[x]"],
    "yes": ["", "ja", "nee", "yes", "no", "misschien", "true", "1"],
    "together": ["", "allen", "all", "ieder", "any", "soms"],
    "domain": ["", "openbare-orde", "openbare-orde, strafrechtelijke-handhaving", "orde",
               "crisiscommunicatie"],
    "text": ["", "x", "a: b", "{gemeente}", "=2+2", "ambtsbericht", "i1, i2", "I 3"],
    "rid": ["gcc", "bm-nz", "politie", "om", "", "Bm Nz"],
    "did": ["d1", "d2", "", "D 3"],
    "trigger": ["bij i1", "op T+00:10", "na i2 + 5m", "", "bij x"],
    "question": ["Wat nu?", ""],
    "origin": ["", "scenario", "bibliotheek"],
    "inject": ["i1", "i2", "i1, i2", "", "i3"],
    "options": ["", "a: A\nb: B [standaard]", "x: X", "A\nB"],
}
F2_GOOD = {"place": ["", "noorderzijl", "Gemeente Noorderzijl"],
           "role": ["", "politie", "burgemeester, om", "defensie"],
           "entry": ["", "politie, om", "om (zienswijze): Politiewet 2012 art. 56",
                     "defensie (a): Politiewet art. 57", "om: b [niet geverifieerd]"],
           "yes": ["", "ja", "nee"], "together": ["", "allen", "ieder"],
           "domain": ["openbare-orde", "openbare-orde, strafrechtelijke-handhaving", ""],
           "text": ["", "x", "{gemeente}", "=2+2"], "rid": ["gcc", "bm-nz", ""],
           "did": ["d1", "d2"], "trigger": ["bij i1", "op T+00:10", "na i2 + 5m"],
           "question": ["Wat nu?"], "origin": ["", "scenario"], "inject": ["i1", "", "i1, i2"],
           "options": ["", "a: A\nb: B [standaard]", "a: A"],
           "lib": ["", "burgemeester"], "one": ["", "bm-nz"],
           "auth": ["", "crisiscommunicatie: Mandaatbesluit"]}
F2_CELLS |= {"lib": ["", "burgemeester", "politie", "burgmeester", "gcc"],
             "one": ["", "bm-nz", "burgemeester", "gcc", "niemand"],
             "auth": ["", "crisiscommunicatie: Mandaatbesluit", "orde: x", "zonder dubbelepunt"]}
F2_ROLES = ["Id", "Bibliotheekrol", "Naam", "Afkorting", "Herkomst", "Gebied", "Regio",
            "Namens", "Gezag", "Mandaat"]
F2_ROLE_CELLS = ["rid", "lib", "text", "text", "origin", "place", "place", "one", "auth",
                 "auth"]
F2_DECISIONS = ["Id", "Trigger", "Vraag", "Domein", "Gebied", "Crisis", "Eigenaar", "Samen",
                "Raadplegen", "Instemming", "Rust op", "Opties"]
F2_DECISION_CELLS = ["did", "trigger", "question", "domain", "place", "yes", "role",
                     "together", "entry", "entry", "inject", "options"]


def _cells(kinds: list[str]) -> st.SearchStrategy[list[object]]:
    free = {"text", "entry", "question", "options"}  # any text, now and then

    def cell(kind: str) -> st.SearchStrategy[object]:
        # mostly the good values (so that whole sheets import and validate), often a bad one
        good = st.sampled_from(F2_GOOD[kind])
        options = [good, good, good, good, st.sampled_from(F2_CELLS[kind])]
        return st.one_of(*options, st.text(TEXT, max_size=12)) if kind in free else \
            st.one_of(*options)

    return st.tuples(*(cell(k) for k in kinds)).map(list)


F2_SHEETS = st.tuples(
    st.lists(_cells(F2_ROLE_CELLS), max_size=4),
    st.lists(_cells(F2_DECISION_CELLS), max_size=3),
    st.lists(st.tuples(st.sampled_from(["gebied", "regio", "crisis", "gebied", "region"]),
                       st.sampled_from(["noorderzijl", "westerhaven", "groningen", "", "a b"]),
                       st.sampled_from(F2_CELLS["text"]),
                       st.sampled_from(F2_CELLS["place"] + F2_CELLS["yes"])).map(list),
             max_size=4),
    st.lists(st.tuples(st.sampled_from(["0m", "T+00:30"]),
                       st.sampled_from(F2_CELLS["role"]),
                       st.sampled_from(F2_CELLS["place"]),
                       st.sampled_from(["", "stg-geheim", "x y"]),
                       st.sampled_from(F2_CELLS["role"]), st.just("T")).map(list),
             min_size=1, max_size=3),
)


@examples(20)
@given(F2_SHEETS)
def test_any_format_2_workbook_imports_or_is_located(
        sheets: tuple[list[list[object]], ...]) -> None:
    _format_2_workbook_imports_or_is_located(sheets)


@pytest.mark.slow
@examples(60)
@given(F2_SHEETS)
def test_any_format_2_workbook_imports_or_is_located_long(
        sheets: tuple[list[list[object]], ...]) -> None:
    _format_2_workbook_imports_or_is_located(sheets)


def _format_2_workbook_imports_or_is_located(sheets: tuple[list[list[object]], ...]) -> None:
    roles, decisions, scenario, injects = sheets
    injects = [[f"i{n}", *row] for n, row in enumerate(injects, 1)]

    def clean(rows: list[list[object]]) -> list[list[object]]:
        return [[_XLSX_SAFE.sub("", v) if isinstance(v, str) else v for v in r] for r in rows]

    wb = Workbook()
    wb.remove(wb.active)
    for name, header, rows in (
            ("Scenario", ["Soort", "Id", "Naam", "Waarde"], scenario),
            ("Rollen", F2_ROLES, roles),
            ("Injects", ["Id", "Tijd (T+)", "Aan", "Gebied", "Rubricering", "Need-to-know",
                         "Titel"], injects),
            ("Besluiten", F2_DECISIONS, decisions)):
        ws = wb.create_sheet(name)
        first: list[object] = list(header)
        for row in clean([first, *rows]):
            ws.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f2.xlsx"
        wb.save(path)
        _check(path)
