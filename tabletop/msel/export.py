"""A scenario as an MSEL: a workbook of injects, decisions, roles and the scenario's frame,
or a CSV of its injects. Every value is written as data, never as a formula."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from tabletop.model.base import format_duration
from tabletop.model.loading import LoadedScenario
from tabletop.model.scenario import ConsentEntry, ConsultEntry, Decision, Inject
from tabletop.model.text import clean_text
from tabletop.msel.cells import clock_text, csv_safe, story_time, trigger_text
from tabletop.msel.columns import (
    DECISION_COLUMNS,
    INJECT_COLUMNS,
    KIND_WORDS,
    ROLE_COLUMNS,
    SCENARIO_COLUMNS,
    SHEET_NAMES,
    V2_DECISION_COLUMNS,
    V2_INJECT_COLUMNS,
    V2_ROLE_COLUMNS,
    Column,
)

Cell = str | int | float


@dataclass
class Sheet:
    """One sheet: its name, columns and rows of cell values (text or numbers)."""

    key: str
    name: str
    columns: list[Column]
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def _default_mark(lang: str) -> str:
    return " [default]" if lang == "en" else " [standaard]"


def unverified_mark(lang: str) -> str:
    return " [unverified]" if lang == "en" else " [niet geverifieerd]"


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return ""
    return ("yes" if value else "no") if lang == "en" else ("ja" if value else "nee")


def together_word(together: str, lang: str) -> str:
    """`together: all` as a cell (`allen`, `all`); the default (`any`) is an empty cell."""
    return ("all" if lang == "en" else "allen") if together == "all" else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def consult_cell(dec: Decision, lang: str) -> str:
    """Plain consultees on one line (`politie, om`); formal voices one per line:
    `korpschef (zienswijze): Politiewet 2012 art. 56 lid 3`."""
    if all(isinstance(c, str) for c in dec.consult):
        return ", ".join(dec.consult_ids)
    lines = []
    for c in dec.consult:
        if isinstance(c, str):
            lines.append(c)
            continue
        lines.append(_entry_line(c, c.kind or "", lang))
    return "\n".join(lines)


def consent_cell(dec: Decision, lang: str) -> str:
    """One consent per line: `defensie (bijstand-verlenen): Politiewet 2012 art. 57 lid 3`;
    the options in brackets are those that need it (none: every option)."""
    return "\n".join(_entry_line(c, ", ".join(c.options), lang) for c in dec.consent)


def _entry_line(entry: ConsultEntry | ConsentEntry, inside: str, lang: str) -> str:
    line = entry.role + (f" ({inside})" if inside else "")
    if entry.basis:
        line += f": {_one_line(entry.basis)}"
    return line + (unverified_mark(lang) if entry.unverified else "")


def _guard(expr: Any) -> str | None:
    return str(expr) if expr is not None else None


def inject_trigger(inj: Inject, lang: str) -> str:
    return trigger_text(
        lang,
        after=(inj.after.event, inj.after.delay) if inj.after else None,
        when=str(inj.when) if inj.when is not None else None,
        manual=inj.manual, guard=_guard(inj.if_))


def decision_trigger(dec: Decision, lang: str) -> str:
    return trigger_text(
        lang,
        on=dec.on, at=dec.at,
        after=(dec.after.event, dec.after.delay) if dec.after else None,
        when=str(dec.when) if dec.when is not None else None, guard=_guard(dec.if_))


def _inject_sheet(loaded: LoadedScenario, lang: str) -> Sheet:
    s = loaded.scenario
    v2 = s.format == 2
    columns = [c for c in INJECT_COLUMNS
               if c.key != "time" and (v2 or c.key not in V2_INJECT_COLUMNS)]
    sheet = Sheet("injects", str(SHEET_NAMES["injects"][lang]), columns,
                  [c.header(lang) for c in columns])
    timed = [i.at for i in s.injects if i.at is not None]
    with_date = any((s.start + timedelta(minutes=t)).date() != s.start.date() for t in timed)
    for n, inj in enumerate(s.injects, 1):
        notes = inj.facilitator
        values: dict[str, Cell] = {
            "nr": n,
            "t": story_time(inj.at) if inj.at is not None else "",
            "clock": clock_text(s.start, inj.at, with_date) if inj.at is not None else "",
            "phase": inj.phase or "",
            "trigger": inject_trigger(inj, lang),
            "from": inj.from_,
            "to": ", ".join(inj.to),
            "channel": inj.channel.value,
            "title": inj.title,
            "text": inj.text.rstrip("\n"),
            "expect": notes.expect.rstrip("\n") if notes else "",
            "guidance": notes.guidance.rstrip("\n") if notes else "",
            "objectives": ", ".join(inj.objectives),
            "reliability": inj.reliability.value if inj.reliability else "",
            "area": ", ".join(inj.areas),
            "classification": inj.classification or "",
            "need_to_know": ", ".join(inj.need_to_know or []),
            "id": inj.id,
        }
        sheet.rows.append([values[c.key] for c in columns])
    return sheet


def _decision_sheet(loaded: LoadedScenario, lang: str) -> Sheet:
    v2 = loaded.scenario.format == 2
    columns = [c for c in DECISION_COLUMNS if v2 or c.key not in V2_DECISION_COLUMNS]
    sheet = Sheet("decisions", str(SHEET_NAMES["decisions"][lang]), columns,
                  [c.header(lang) for c in columns])
    for dec in loaded.scenario.decisions:
        options = "\n".join(
            f"{o.id}: {' '.join(o.label.split())}"
            + (_default_mark(lang) if o.id == dec.default else "") for o in dec.options)
        values: dict[str, Cell] = {
            "id": dec.id,
            "trigger": decision_trigger(dec, lang),
            "question": dec.question,
            "context": dec.context.rstrip("\n"),
            "domain": ", ".join(dec.framings),
            "area": ", ".join(dec.areas),
            "crisis": yes_no(dec.crisis, lang),
            "owner": ", ".join(dec.owners),
            "together": together_word(dec.together, lang),
            "consult": consult_cell(dec, lang),
            "consent": consent_cell(dec, lang),
            "rests_on": ", ".join(dec.rests_on),
            "forum": dec.forum,
            "deadline": format_duration(dec.deadline) if dec.deadline is not None else "",
            "options": options,
        }
        sheet.rows.append([values[c.key] for c in columns])
    return sheet


def _role_sheet(loaded: LoadedScenario, lang: str) -> Sheet:
    v2 = loaded.scenario.format == 2
    columns = [c for c in ROLE_COLUMNS if v2 or c.key not in V2_ROLE_COLUMNS]
    sheet = Sheet("roles", str(SHEET_NAMES["roles"][lang]), columns,
                  [c.header(lang) for c in columns])
    local = {r.id for r in loaded.scenario.local_roles}
    library = "library" if lang == "en" else "bibliotheek"
    for rid, role in loaded.roles.items():
        values: dict[str, Cell] = {
            "id": rid,
            "role": "" if rid in local else loaded.role_files.get(rid, rid),
            "name": role.name,
            "short": role.short,
            "description": role.description.rstrip("\n"),
            "origin": "scenario" if rid in local else library,
            "area": role.area or "",
            "region": role.region or "",
            "acts_for": role.acts_for or "",
            "authority": "\n".join(f"{a.domain}: {_one_line(a.basis)}"
                                   for a in role.authority),
            "mandate": "\n".join(f"{m.domain}: {_one_line(m.basis)}" for m in role.mandate),
        }
        sheet.rows.append([values[c.key] for c in columns])
    return sheet


def _scenario_sheet(loaded: LoadedScenario, lang: str) -> Sheet:
    s = loaded.scenario
    columns = list(SCENARIO_COLUMNS)
    sheet = Sheet("scenario", str(SHEET_NAMES["scenario"][lang]), columns,
                  [c.header(lang) for c in columns])
    word = KIND_WORDS["en" if lang == "en" else "nl"]

    def row(kind: str, ident: str = "", name: str = "", value: Cell = "") -> None:
        sheet.rows.append([word[kind], ident, name, value])

    row("id", s.id)
    row("title", value=s.title)
    row("start", value=s.start.isoformat())
    if s.format == 2 or not s.crisis:
        row("crisis", value=yes_no(s.crisis, lang))
    if s.end is not None:
        row("end", value=format_duration(s.end))
    if s.duration is not None:
        row("duration", value=format_duration(s.duration))
    if s.summary:
        row("summary", value=s.summary.rstrip("\n"))
    if s.facilitator:
        row("facilitator", value=s.facilitator.rstrip("\n"))
    for name, param in s.parameters.items():
        row("parameter", name, param.label, param.default)
    for phase in s.phases:
        row("phase", phase.id, phase.title)
    for obj in s.objectives:
        row("objective", obj.id, obj.title, obj.description.rstrip("\n"))
    for var, spec in s.state.items():
        initial = spec.initial
        shown: Cell = ("true" if initial else "false") if isinstance(initial, bool) else (
            int(initial) if float(initial).is_integer() else float(initial))
        row("state", var, spec.label, shown)
    for rid_, region in s.regions.items():
        row("region", rid_, region.label)
    for aid, area in s.areas.items():
        row("area", aid, area.label, area.region or "")
    for rid, res in s.resources.items():
        row("resource", rid, res.label, res.capacity)
    for did, dom in s.local_domains.items():
        row("domain", did, dom.label, dom.description.rstrip("\n"))
    return sheet


def build_sheets(loaded: LoadedScenario, lang: str = "nl") -> list[Sheet]:
    """The workbook's sheets: Injects, Besluiten, Rollen, Scenario (English names with en)."""
    lang = "en" if lang == "en" else "nl"
    return [_inject_sheet(loaded, lang), _decision_sheet(loaded, lang),
            _role_sheet(loaded, lang), _scenario_sheet(loaded, lang)]


_WRAP = {"text", "expect", "guidance", "context", "options", "description", "authority",
         "value", "trigger", "question", "title", "consult", "consent", "mandate"}
_FORMULA_START = ("=", "+", "-", "@")


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """The workbook: bold frozen headers, sized columns, wrapped long text, filters."""
    wb = Workbook()
    wb.remove(wb.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        for col, header in enumerate(sheet.headers, 1):
            cell = ws.cell(row=1, column=col)
            _put(cell, header)
            cell.font = header_font
            cell.fill = header_fill
        for r, values in enumerate(sheet.rows, 2):
            for col, (column, value) in enumerate(zip(sheet.columns, values, strict=True), 1):
                cell = ws.cell(row=r, column=col)
                _put(cell, value)
                cell.alignment = wrap if column.key in _WRAP else top
        for col, column in enumerate(sheet.columns, 1):
            ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = column.width
        ws.freeze_panes = "A2"
        if sheet.rows:
            ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _put(cell: Any, value: Cell) -> None:
    """A value into a cell as data: text stays text even when it starts with `=`."""
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would store "=..." as a formula otherwise
        if text.startswith(_FORMULA_START):
            cell.quotePrefix = True  # and a spreadsheet keeps it text when it is edited
    else:
        cell.value = value


def csv_text(sheet: Sheet) -> str:
    """One sheet as CSV; a cell that a spreadsheet would take for a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in sheet.headers])
    for values in sheet.rows:
        writer.writerow([csv_safe(clean_text(v)) if isinstance(v, str) else v for v in values])
    return out.getvalue()


def export(loaded: LoadedScenario, fmt: str, lang: str = "nl") -> bytes:
    """The MSEL of a scenario as `xlsx` (every sheet) or `csv` (the injects, UTF-8 with BOM;
    the other sheets are `csv_companions`)."""
    sheets = build_sheets(loaded, lang)
    if fmt == "csv":
        return csv_text(sheets[0]).encode("utf-8-sig")
    return xlsx_bytes(sheets)


def csv_companions(loaded: LoadedScenario, lang: str = "nl") -> list[tuple[str, bytes]]:
    """The sheets beside the injects as CSV files, by sheet key: decisions, roles, scenario.
    Written next to `FILE.csv` as `FILE.besluiten.csv` and so on; `import FILE.csv` reads
    them back, and a tool that takes one table of injects reads `FILE.csv` alone."""
    return [(sheet.key, csv_text(sheet).encode("utf-8-sig"))
            for sheet in build_sheets(loaded, lang)[1:]]
