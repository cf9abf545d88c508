"""Read the tables of a workbook or a CSV file: each sheet's header row and data rows."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabletop.msel.cells import from_csv, text_of
from tabletop.msel.columns import (
    DECISION_COLUMNS,
    INJECT_COLUMNS,
    ROLE_COLUMNS,
    SCENARIO_COLUMNS,
    SHEET_NAMES,
    Column,
    match_headers,
    normal,
)

MAX_BYTES = 32 * 1024 * 1024
"""Largest file read; a workbook of 1,000 injects is well under 1 MiB."""

MAX_ROWS = 20_000


@dataclass
class Table:
    """One sheet: where its header row is, the headers, and its rows with their numbers."""

    sheet: str | None
    """The sheet's name in a workbook; None for a CSV file."""
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    """(1-based row number in the sheet, cell values) for every row below the header."""
    file: str | None = None
    """The file it was read from, when that is not the file imported (a companion CSV)."""


class Unreadable(Exception):
    """A file that is no workbook or CSV this module can read; the message says why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _header_row(rows: list[list[Any]], columns: tuple[Column, ...]) -> int:
    """The 0-based index of the header row: the first of the first ten rows naming two
    known columns (planners often put a title above the table), else the first row."""
    for index, row in enumerate(rows[:10]):
        if len(match_headers([text_of(v) for v in row], columns)) >= 2:
            return index
    return 0


def _table(sheet: str | None, rows: list[list[Any]], columns: tuple[Column, ...]) -> Table:
    start = _header_row(rows, columns)
    headers = [text_of(v) for v in rows[start]] if rows else []
    table = Table(sheet, start + 1, headers)
    for offset, row in enumerate(rows[start + 1:], start + 2):
        table.rows.append((offset, list(row)))
    return table


COMPANIONS = ("decisions", "roles", "scenario")
"""The sheets a CSV export writes beside the CSV of the injects, one file each."""


def companion_path(csv_path: Path, key: str, lang: str) -> Path:
    """`intro.csv` -> `intro.besluiten.csv` (Dutch) or `intro.decisions.csv` (English)."""
    name = str(SHEET_NAMES[key]["en" if lang == "en" else "nl"]).lower()
    return csv_path.with_name(f"{csv_path.stem}.{name}.csv")


def companions(csv_path: Path) -> dict[str, Path]:
    """The companion files beside a CSV of injects that exist, by sheet key (either
    language's name, or a common variant: `intro.besluiten.csv`, `intro.roles.csv`)."""
    found: dict[str, Path] = {}
    for key in COMPANIONS:
        spec = SHEET_NAMES[key]
        for alias in (spec["nl"], spec["en"], *spec["aliases"]):
            path = csv_path.with_name(f"{csv_path.stem}.{normal(str(alias))}.csv")
            if path.is_file():
                found[key] = path
                break
    return found


def read_csv(data: bytes, columns: tuple[Column, ...] = INJECT_COLUMNS) -> Table:
    """The table of a CSV file (UTF-8, with or without BOM, else Windows-1252)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise Unreadable("msel.read.binary")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = [[from_csv(cell) for cell in row]
                for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise Unreadable("msel.read.csv", error=str(exc)) from None
    if len(rows) > MAX_ROWS:
        raise Unreadable("msel.read.rows", n=MAX_ROWS)
    return _table(None, rows, columns)


SHEET_COLUMNS = {"injects": INJECT_COLUMNS, "decisions": DECISION_COLUMNS,
                 "roles": ROLE_COLUMNS, "scenario": SCENARIO_COLUMNS}


def read_workbook(data: bytes) -> dict[str, Table]:
    """The known sheets of a workbook by key (`injects`, `decisions`, `roles`, `scenario`).

    A sheet is known by its name (Dutch, English or a common variant); without a sheet
    named as injects, the first sheet is taken for the injects.
    """
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Unreadable("msel.read.not_xlsx")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file; all mean "unreadable"
        raise Unreadable("msel.read.not_xlsx") from None
    try:
        names = {normal(name): name for name in wb.sheetnames}
        found: dict[str, str] = {}
        for key, spec in SHEET_NAMES.items():
            for alias in (spec["nl"], spec["en"], *spec["aliases"]):
                if normal(str(alias)) in names:
                    found[key] = names[normal(str(alias))]
                    break
        if "injects" not in found and wb.sheetnames:
            found["injects"] = wb.sheetnames[0]
        columns = SHEET_COLUMNS
        tables: dict[str, Table] = {}
        for key, name in found.items():
            rows: list[list[Any]] = []
            try:
                for row in wb[name].iter_rows(values_only=True):
                    rows.append(list(row))
                    if len(rows) > MAX_ROWS:
                        raise Unreadable("msel.read.rows", n=MAX_ROWS)
            except Unreadable:
                raise
            except Exception:  # a damaged sheet inside a readable archive
                raise Unreadable("msel.read.not_xlsx") from None
            tables[key] = _table(name, rows, columns[key])
        return tables
    finally:
        wb.close()
