"""The importer on sheets nobody planned: any CSV or workbook of injects either becomes a
scenario that validates or gets problems that name the file (and the cell); never a
traceback. The YAML writer gives every string back exactly."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

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
           "Opmerking", ""]
MEANINGFUL = ["", "T+00:15", "00:30", "09:30", "2027-03-14 06:00", "1h30m", "45", "abc",
              "-5", "T+-1", "politie", "burgemeester, om", "BM", "burgemeestr", "Meldkamer",
              "telefoon", "fax", "bevestigd", "onjuist", "od1", "aanloop", "Bij de poort",
              "handmatig", "na i1 + 15m", "na i2", "wanneer spanning >= 3", "als t > 10",
              "zodra (", "op T+01:00", "bij i1", "i1", "i2", "I 3", "{gemeente}", "{{", "}",
              "{0}", "=1+1", "+31", "@x", "'t Hof", "1e3", "0o17", "yes", "null", "~",
              "tekst\nmet\n\nregels", "  spaties  ", "#kop", "- lijst", "a: b", "\"quote\""]
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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHEET)
def test_any_csv_imports_or_is_located(sheet: tuple[list[str], list[list[object]]]) -> None:
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
