"""A scenario file from an MSEL sheet: columns found by their headers, every bad cell named.

The importer reads what `export` writes and what planners write themselves: a sheet of
injects (Dutch or English headers, with common variants), and, in a workbook, sheets of
decisions, roles and the scenario's frame. What a sheet cannot say is left to the author
as comments in the YAML. The result is checked like any scenario before it is returned.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from tabletop.errors import Problem, display_path
from tabletop.i18n import Translator
from tabletop.model.base import VAR_PATTERN, format_duration, parse_duration
from tabletop.model.expressions import Expression, ExpressionError, parse_expression
from tabletop.model.loading import load_roles, parse_model, roles_for
from tabletop.model.scenario import Channel, Reliability, Scenario
from tabletop.msel.cells import (
    BadTrigger,
    NoTime,
    Trigger,
    cell_ref,
    clock_value,
    is_id,
    looks_relative,
    minutes_from_start,
    parse_trigger,
    relative_minutes,
    slug,
    split_list,
    story_time,
    text_of,
)
from tabletop.msel.columns import (
    DECISION_COLUMNS,
    INJECT_COLUMNS,
    ROLE_COLUMNS,
    SCENARIO_COLUMNS,
    SCENARIO_KINDS,
    Column,
    match_headers,
)
from tabletop.msel.reader import (
    MAX_BYTES,
    SHEET_COLUMNS,
    Table,
    Unreadable,
    companions,
    read_csv,
    read_workbook,
)
from tabletop.msel.yamlout import Flow, FlowMap, document

_SHEET_ORDER = {"scenario": 0, "roles": 1, "injects": 2, "decisions": 3}
_VAR = re.compile(VAR_PATTERN)
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
_PLACEHOLDER_START = datetime(2027, 1, 1, 0, 0)

CHANNEL_WORDS = {
    **{c.value: c.value for c in Channel},
    "sociale media": "sociale-media", "social media": "sociale-media", "social": "sociale-media",
    "twitter": "sociale-media", "x": "sociale-media", "news": "nieuws", "media": "nieuws",
    "pers": "nieuws", "press": "nieuws", "phone": "telefoon", "telephone": "telefoon",
    "call": "telefoon", "telefonisch": "telefoon", "e-mail": "email", "mail": "email",
    "courriel": "email", "meeting": "overleg", "vergadering": "overleg", "report": "rapport",
    "verslag": "rapport", "notification": "melding", "alert": "melding", "message": "melding",
    "bericht": "melding", "brief": "briefing",
}
YES_WORDS = {"ja", "yes", "true", "waar", "j", "y"}
NO_WORDS = {"nee", "no", "false", "onwaar", "n"}
TOGETHER_WORDS = {"allen": "all", "alle": "all", "all": "all", "samen": "all", "ja": "all",
                  "yes": "all", "ieder": "any", "any": "any", "een": "any", "één": "any",
                  "nee": "any", "no": "any"}
KIND_WORDS = {"advies": "advies", "zienswijze": "zienswijze", "bezwaar": "bezwaar",
              "advice": "advies", "view": "zienswijze", "opinion": "zienswijze",
              "objection": "bezwaar"}
UNVERIFIED_MARKS = ("[niet geverifieerd]", "[unverified]", "[ongeverifieerd]")
# `korpschef (zienswijze): Politiewet 2012 art. 56 lid 3`, `defensie (a, b): basis`, `om`
_ENTRY = re.compile(r"^(?P<who>[^(:]+?)\s*(?:\((?P<inside>[^()]*)\))?\s*(?::\s*(?P<basis>.*))?$")

RELIABILITY_WORDS = {
    **{r.value: r.value for r in Reliability},
    "confirmed": "bevestigd", "unconfirmed": "onbevestigd", "false": "onjuist",
    "incorrect": "onjuist", "wrong": "onjuist", "onwaar": "onjuist",
}


@dataclass(frozen=True)
class Where:
    """A cell (or a whole sheet, or the file) that a problem is about."""

    sheet: str | None
    key: str
    row: int = 0
    col: int = 0
    file: str | None = None
    """The file, when not the one imported (a companion CSV such as `x.besluiten.csv`)."""

    def text(self, file: str) -> str:
        file = self.file or file
        if self.row == 0:
            return file if self.sheet is None else f"{file}:{self.sheet}"
        ref = cell_ref(self.col, self.row) if self.col else str(self.row)
        return f"{file}:{ref}" if self.sheet is None else f"{file}:{self.sheet}!{ref}"

    def order(self) -> tuple[int, int, int]:
        return (_SHEET_ORDER.get(self.key, 9), self.row, self.col)


@dataclass
class ImportResult:
    """The YAML text of the scenario (None when the sheet has errors) and every problem."""

    yaml: str | None
    problems: list[Problem]
    injects: int = 0
    decisions: int = 0
    alongside: list[str] = field(default_factory=list)
    """The companion CSV files read beside a CSV of injects (decisions, roles, scenario)."""


@dataclass
class _Row:
    table: Table
    key: str
    number: int
    values: list[Any]
    index: dict[str, int]

    def has(self, col: str) -> bool:
        return col in self.index

    def raw(self, col: str) -> Any:
        i = self.index.get(col)
        return self.values[i] if i is not None and i < len(self.values) else None

    def text(self, col: str) -> str:
        return text_of(self.raw(col))

    def where(self, col: str | None = None) -> Where:
        column = self.index[col] + 1 if col is not None and col in self.index else 0
        return Where(self.table.sheet, self.key, self.number, column, self.table.file)

    def empty(self) -> bool:
        return all(text_of(v) == "" for v in self.values)


@dataclass
class _Pending:
    """An inject row whose time waits for the start (a clock time without T+)."""

    item: dict[str, Any]
    row: _Row
    clock: datetime | time | None
    rel: int | None


@dataclass
class _Importer:
    path: Path
    roles_dir: Path | None
    lang: str
    target: Path
    """The scenario file to be written: its folder decides the roles and the checks."""
    t: Translator = field(init=False)
    file: str = field(init=False)
    problems: list[tuple[Where, str]] = field(default_factory=list)
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    header_notes: list[str] = field(default_factory=list)
    alongside: list[str] = field(default_factory=list)
    """The companion CSV files read with a CSV of injects."""
    _rows: dict[tuple[str, str], _Row] = field(default_factory=dict)
    """The row of each inject and decision by (sheet key, id), to locate later problems."""

    def __post_init__(self) -> None:
        self.t = Translator(self.lang)
        self.file = display_path(self.path)

    # -- problems --------------------------------------------------------------------
    def bad(self, where: Where, key: str, **values: object) -> None:
        shown = {k: (v[:60] + "…" if k == "value" and isinstance(v, str) and len(v) > 61
                     else v) for k, v in values.items()}
        self.problems.append((where, self.t(key, **shown)))

    def note(self, section: str, ident: str, key: str, **values: object) -> None:
        self.notes.setdefault((section, ident), []).append(self.t(key, **values))

    def hint(self, word: str, choices: Iterable[str]) -> str:
        close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
        return self.t("msel.did_you_mean", name=close[0]) if close else ""

    # -- the run -----------------------------------------------------------------------
    def run(self) -> ImportResult:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return self.fail("msel.read.missing")
        except IsADirectoryError:
            return self.fail("msel.read.folder")
        except OSError as exc:
            return self.fail("msel.read.os", error=exc.strerror or str(exc))
        if len(data) > MAX_BYTES:
            return self.fail("msel.read.too_big", mib=MAX_BYTES // 1048576)
        try:
            if self.path.suffix.lower() == ".csv":
                tables = {"injects": read_csv(data)}
            else:
                tables = read_workbook(data)
        except Unreadable as exc:
            return self.fail(exc.key, **exc.values)
        if self.path.suffix.lower() == ".csv":
            for key, path in companions(self.path).items():
                shown = display_path(path)
                try:
                    more = path.read_bytes()
                    if len(more) > MAX_BYTES:
                        raise Unreadable("msel.read.too_big", mib=MAX_BYTES // 1048576)
                    tables[key] = read_csv(more, SHEET_COLUMNS[key])
                except OSError as exc:
                    return self.fail_in(shown, "msel.read.os",
                                        {"error": exc.strerror or str(exc)})
                except Unreadable as exc:
                    return self.fail_in(shown, exc.key, exc.values)
                tables[key].file = shown
                self.alongside.append(shown)
        result = self.build(tables)
        result.alongside = list(self.alongside)
        return result

    def fail(self, key: str, **values: object) -> ImportResult:
        return self.fail_in(self.file, key, values)

    def fail_in(self, file: str, key: str, values: Mapping[str, object]) -> ImportResult:
        return ImportResult(None, [Problem(file, 0, 0, self.t(key, **values))])

    def rows(self, tables: Mapping[str, Table], key: str,
             columns: tuple[Column, ...]) -> list[_Row]:
        table = tables.get(key)
        if table is None:
            return []
        index = match_headers(table.headers, columns)
        return [r for r in (_Row(table, key, n, v, index) for n, v in table.rows)
                if not r.empty()]

    def build(self, tables: Mapping[str, Table]) -> ImportResult:
        self.lib = load_roles(self.roles_dir or roles_for(self.target))
        injects_table = tables.get("injects")
        if injects_table is None:
            return self.fail("msel.no_injects_sheet")
        index = match_headers(injects_table.headers, INJECT_COLUMNS)
        if "text" not in index and "title" not in index:
            where = Where(injects_table.sheet, "injects", injects_table.header_row, 1)
            self.bad(where, "msel.no_text_column")
            return self.result(None)
        if not {"t", "clock", "time", "trigger"} & set(index):
            where = Where(injects_table.sheet, "injects", injects_table.header_row, 1)
            self.bad(where, "msel.no_time_column")
            return self.result(None)
        self.read_scenario(self.rows(tables, "scenario", SCENARIO_COLUMNS))
        self.read_roles(self.rows(tables, "roles", ROLE_COLUMNS), "roles" in tables)
        injects = self.read_injects(self.rows(tables, "injects", INJECT_COLUMNS))
        decisions = self.read_decisions(self.rows(tables, "decisions", DECISION_COLUMNS))
        self.check_events(injects, decisions)
        self.check_expressions(injects, decisions)
        self.placeholders(injects, decisions)
        if self.problems:
            return self.result(None)
        text = self.yaml(injects, decisions)
        return self.verify(text, len(injects), len(decisions))

    def result(self, text: str | None, injects: int = 0, decisions: int = 0) -> ImportResult:
        ordered = sorted(self.problems, key=lambda p: p[0].order())
        return ImportResult(text, [Problem(w.text(self.file), 0, 0, m) for w, m in ordered],
                            injects, decisions)

    # -- the Scenario sheet --------------------------------------------------------------
    def read_scenario(self, rows: list[_Row]) -> dict[str, Any]:
        meta: dict[str, Any] = {"parameters": {}, "phases": [], "objectives": [], "state": {},
                                "resources": {}, "local_domains": {}, "regions": {},
                                "areas": {}}
        area_regions: list[tuple[str, _Row]] = []
        kinds = {w: k for k, words in SCENARIO_KINDS.items() for w in words}
        for row in rows:
            word = row.text("kind").lower()
            kind = kinds.get(word)
            if kind is None:
                self.bad(row.where("kind"), "msel.scenario.kind", value=word,
                         hint=self.hint(word, kinds))
                continue
            ident, name, value = row.text("id"), row.text("name"), row.text("value")
            if kind == "id":
                ident = ident or value
                if not is_id(ident):
                    self.bad(row.where("id" if row.text("id") else "value"), "msel.no_id",
                             value=ident, example=slug(ident, "scenario"))
                    continue
                meta["id"] = ident
            elif kind in ("title", "summary", "facilitator"):
                meta[kind] = value or name
            elif kind == "start":
                meta["start"] = self.start_value(row)
            elif kind in ("end", "duration"):
                try:
                    meta[kind] = parse_duration(value)
                except ValueError:
                    self.bad(row.where("value"), "msel.no_duration", value=value)
            elif kind == "parameter":
                if not _VAR.match(ident):
                    self.bad(row.where("id"), "msel.no_var", value=ident)
                    continue
                meta["parameters"][ident] = FlowMap(label=name or ident, default=value)
            elif kind == "phase":
                pid = ident or slug(name, "fase")
                if not is_id(pid):
                    self.bad(row.where("id"), "msel.no_id", value=pid, example=slug(pid))
                    continue
                meta["phases"].append({"id": pid, "title": name or pid})
            elif kind == "objective":
                if not is_id(ident):
                    self.bad(row.where("id"), "msel.no_id", value=ident, example=slug(ident))
                    continue
                entry: dict[str, Any] = {"id": ident, "title": name or ident}
                if value:
                    entry["description"] = value
                meta["objectives"].append(entry)
            elif kind == "state":
                if not _VAR.match(ident):
                    self.bad(row.where("id"), "msel.no_var", value=ident)
                    continue
                initial = self.state_value(row)
                if initial is not None:
                    meta["state"][ident] = FlowMap(label=name or ident, initial=initial)
            elif kind == "resource":
                if not is_id(ident):
                    self.bad(row.where("id"), "msel.no_id", value=ident, example=slug(ident))
                    continue
                raw = row.raw("value")
                try:
                    capacity = int(text_of(raw))
                    if capacity < 0:
                        raise ValueError(capacity)
                except ValueError:
                    self.bad(row.where("value"), "msel.no_count", value=text_of(raw))
                    continue
                meta["resources"][ident] = FlowMap(label=name or ident, capacity=capacity)
            elif kind == "domain":
                if not is_id(ident):
                    self.bad(row.where("id"), "msel.no_id", value=ident, example=slug(ident))
                    continue
                dom: dict[str, Any] = {"label": name or ident}
                if value:
                    dom["description"] = value
                meta["local_domains"][ident] = FlowMap(dom) if not value else dom
            elif kind == "crisis":
                crisis = self.yes_no(row, "value")
                if crisis is not None:
                    meta["crisis"] = crisis
            elif kind in ("region", "area"):
                if not is_id(ident):
                    self.bad(row.where("id"), "msel.no_id", value=ident,
                             example=slug(ident or name))
                    continue
                section = "regions" if kind == "region" else "areas"
                if ident in meta[section]:
                    self.bad(row.where("id"), "msel.duplicate_id", value=ident)
                    continue
                meta[section][ident] = FlowMap(label=name or ident)
                if kind == "area" and value:
                    area_regions.append((ident, row))
        self.meta = meta
        self.given = {"areas": bool(meta["areas"]), "regions": bool(meta["regions"])}
        for ident, row in area_regions:  # regions may come after the areas that lie in them
            region = self.place("regions", row.text("value"), row.where("value"))
            if region is not None:
                meta["areas"][ident]["region"] = region
        return meta

    def yes_no(self, row: _Row, col: str) -> bool | None:
        """A yes/no cell (ja, nee, yes, no, true, false); None when empty or wrong."""
        text = row.text(col).lower()
        if not text:
            return None
        if text in YES_WORDS:
            return True
        if text in NO_WORDS:
            return False
        self.bad(row.where(col), "msel.no_yes_no", value=row.text(col))
        return None

    def place(self, section: str, word: str, where: Where) -> str | None:
        """The id of the area or region (`section`) a cell names, by id or label. When the
        scenario sheet names none of that kind, a new one is made (with a note); else an
        unknown one is an error with a suggestion."""
        known: dict[str, Any] = self.meta[section]
        for pid, spec in known.items():
            if word == pid or word.lower() == str(spec["label"]).lower():
                return pid
        if self.given[section]:
            key = "msel.no_area" if section == "areas" else "msel.no_region"
            self.bad(where, key, value=word, hint=self.hint(word, known))
            return None
        pid = word if is_id(word) else slug(word, section[:-1])
        while pid in known:
            pid += "-b"
        known[pid] = FlowMap(label=word)
        self.note(section, pid, "msel.note.place")
        return pid

    def area_list(self, row: _Row, col: str) -> list[str]:
        out: list[str] = []
        for word in split_list(row.text(col)):
            aid = self.place("areas", word, row.where(col))
            if aid is not None and aid not in out:
                out.append(aid)
        return out

    def start_value(self, row: _Row) -> datetime | None:
        raw = row.raw("value")
        if isinstance(raw, datetime):
            return raw if raw.tzinfo else raw.replace(tzinfo=_local_zone(raw))
        text = text_of(raw)
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text
                                            else text)
        except ValueError:
            self.bad(row.where("value"), "msel.no_start", value=text)
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=_local_zone(moment))

    def state_value(self, row: _Row) -> float | bool | None:
        raw = row.raw("value")
        text = text_of(raw).lower()
        if text in ("true", "ja", "yes", "waar"):
            return True
        if text in ("false", "nee", "no", "onwaar"):
            return False
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            self.bad(row.where("value"), "msel.no_initial", value=text_of(raw))
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.bad(row.where("value"), "msel.no_initial", value=text_of(raw))
            return None
        return int(number) if number.is_integer() else number

    # -- roles -----------------------------------------------------------------------------
    def read_roles(self, rows: list[_Row], has_sheet: bool) -> None:
        self.roles: list[str] = []
        """The ids of the roles from roles/ that take part, in order."""
        self.placements: dict[str, dict[str, Any]] = {}
        """Each of those as a `roles:` entry: `{role, as, area, region, name, short}`."""
        self.local_roles: list[dict[str, Any]] = []
        self.known: dict[str, str] = {}
        """Every way a role may be written (id, name, short; lower case) -> its id."""
        for rid, role in self.lib.roles.items():
            for word in (role.short, role.name, rid):
                self.known[word.lower()] = rid
        mandators: list[tuple[dict[str, Any], _Row]] = []
        for row in rows:
            rid, name = row.text("id"), row.text("name")
            rid = rid or (slug(name, "") if name else "")
            if not is_id(rid):
                self.bad(row.where("id"), "msel.no_id", value=rid, example=slug(rid or name))
                continue
            if rid in self.roles or any(r["id"] == rid for r in self.local_roles):
                self.bad(row.where("id"), "msel.duplicate_id", value=rid)
                continue
            origin = row.text("origin").lower()
            base = row.text("role")
            said_local = origin in ("scenario", "lokaal", "local")
            if said_local and base:
                self.bad(row.where("role"), "msel.local_with_library", value=base)
                continue
            local = said_local or (not origin and not base and rid not in self.lib.roles)
            if not local:
                self.library_role(row, rid, base or rid)
                continue
            if rid in self.lib.roles:
                self.bad(row.where("id"), "msel.local_is_library", value=rid)
                continue
            entry = self.local_role(row, rid, name)
            if entry is None:
                continue
            if row.text("acts_for"):
                mandators.append((entry, row))
            self.local_roles.append(entry)
            for word in (entry["short"], entry["name"], rid):
                self.known[word.lower()] = rid
        for entry, row in mandators:  # the mandator may come further down the sheet
            word = row.text("acts_for")
            target = self.role(word)
            if target is None:
                self.bad(row.where("acts_for"), "msel.no_role", value=word,
                         hint=self.hint(word.lower(), self.known))
                continue
            self.use_role(target)
            entry["acts_for"] = target
            for key in ("authority", "mandate", "powers"):  # after acts_for, as authors write
                if key in entry:
                    entry[key] = entry.pop(key)
        self.has_roles_sheet = has_sheet

    def library_role(self, row: _Row, rid: str, base: str) -> None:
        """A row of a role from roles/, perhaps placed (`as:`, area or region) and named."""
        if base not in self.lib.roles:
            self.bad(row.where("role" if row.text("role") else "id"), "msel.no_library_role",
                     value=base, folder=display_path(self.lib.folder),
                     hint=self.hint(base, self.lib.roles))
            return
        place = self.role_place(row)
        if place is None:
            return
        known = self.lib.roles[base]
        entry: dict[str, Any] = {"role": base}
        if rid != base:
            entry["as"] = rid
        entry.update(place)
        name, short = row.text("name"), row.text("short")
        if name and name != known.name:
            entry["name"] = name
        if short and short != known.short:
            if len(short) > 8:
                self.bad(row.where("short"), "msel.short_too_long", value=short)
                return
            entry["short"] = short
        self.roles.append(rid)
        self.placements[rid] = entry
        for word in (entry.get("short"), entry.get("name"), rid):
            if word:
                self.known[word.lower()] = rid

    def local_role(self, row: _Row, rid: str, name: str) -> dict[str, Any] | None:
        """A role of the scenario itself (`local_roles:`), with its gezag and mandate."""
        short = row.text("short") or "".join(w[0] for w in name.split())[:8].upper() or \
            rid[:8].upper()
        if len(short) > 8:
            self.bad(row.where("short"), "msel.short_too_long", value=short)
            return None
        place = self.role_place(row)
        if place is None:
            return None
        entry: dict[str, Any] = {"id": rid, "name": name or rid, "short": short}
        if row.text("description"):
            entry["description"] = row.text("description")
        entry.update(place)
        entry["authority"] = self.domain_lines(row, "authority")
        mandate = self.domain_lines(row, "mandate")
        if row.text("acts_for") and entry["authority"]:
            self.bad(row.where("authority"), "msel.mandataris_authority")
            return None
        if mandate and not row.text("acts_for"):
            self.bad(row.where("mandate"), "msel.mandate_needs_acts_for")
            return None
        if mandate:
            entry["mandate"] = mandate
        entry["powers"] = Flow()
        return entry

    def domain_lines(self, row: _Row, col: str) -> list[dict[str, Any]]:
        """`domain: basis` lines of a Gezag or Mandaat cell (a bad domain is an error)."""
        domains = set(self.lib.domains) | set(self.meta["local_domains"])
        out: list[dict[str, Any]] = []
        for line in row.text(col).split("\n"):
            if not line.strip():
                continue
            domain, sep, basis = line.partition(":")
            domain = domain.strip()
            if not sep or domain not in domains:
                self.bad(row.where(col), "msel.no_domain", value=domain,
                         hint=self.hint(domain, domains))
                continue
            out.append({"domain": domain, "basis": basis.strip()})
        return out

    def role_place(self, row: _Row) -> dict[str, str] | None:
        """The area or region a role row names ({} for none); None after a problem."""
        area, region = row.text("area"), row.text("region")
        if area and region:
            self.bad(row.where("region"), "msel.area_and_region")
            return None
        out: dict[str, str] = {}
        for key, word, section in (("area", area, "areas"), ("region", region, "regions")):
            if word:
                pid = self.place(section, word, row.where(key))
                if pid is None:
                    return None
                out[key] = pid
        return out

    def role(self, word: str) -> str | None:
        """The role id a cell's word stands for (id, name or short, any case)."""
        if word in self.known.values():
            return word
        return self.known.get(word.lower())

    def use_role(self, rid: str) -> None:
        if rid in self.lib.roles and rid not in self.roles and rid not in [
                r["id"] for r in self.local_roles]:
            self.roles.append(rid)

    def role_list(self, row: _Row, col: str) -> list[str] | None:
        out: list[str] = []
        ok = True
        for word in split_list(row.text(col)):
            rid = self.role(word)
            if rid is None:
                names = sorted({*self.known.values()} | {
                    w for w in self.known if " " not in w})
                self.bad(row.where(col), "msel.no_role", value=word,
                         hint=self.hint(word.lower(), names))
                ok = False
                continue
            self.use_role(rid)
            if rid not in out:
                out.append(rid)
        return out if ok else None

    # -- injects ---------------------------------------------------------------------------
    def read_injects(self, rows: list[_Row]) -> list[dict[str, Any]]:
        pending: list[_Pending] = []
        phases = self.meta["phases"]
        objectives = self.meta["objectives"]
        self.phase_given = bool(phases)
        self.objectives_given = bool(objectives)
        seen: dict[str, _Row] = {}
        for n, row in enumerate(rows, 1):
            item: dict[str, Any] = {}
            ident = row.text("id")
            if ident and not is_id(ident):
                self.bad(row.where("id"), "msel.no_id", value=ident, example=slug(ident))
                continue
            if not ident:
                ident = f"inject-{n}"
                while ident in seen:
                    ident += "-b"
            if ident in seen:
                self.bad(row.where("id"), "msel.duplicate_inject", value=ident,
                         row=seen[ident].number)
                continue
            seen[ident] = row
            self._rows[("injects", ident)] = row
            item["id"] = ident
            timing = self.inject_time(row)
            if timing is None:
                continue
            trigger, rel, clock = timing
            if trigger.after is not None:
                event, delay = trigger.after
                item["after"] = FlowMap(event=event, delay=format_duration(delay)) if delay \
                    else FlowMap(event=event)
            elif trigger.when is not None:
                item["when"] = trigger.when
            elif trigger.manual:
                item["manual"] = True
            if trigger.guard is not None:
                item["if"] = trigger.guard
            self.inject_body(row, item, ident)
            pending.append(_Pending(item, row, clock, rel if rel is not None else trigger.at))
        self.resolve_start(pending)
        out: list[dict[str, Any]] = []
        for p in pending:
            minutes = p.rel
            if p.clock is not None and self.start is not None:
                try:
                    from_clock = minutes_from_start(p.clock, self.start)
                except NoTime:
                    self.bad(p.row.where(self.clock_col(p.row)), "msel.before_start",
                             value=text_of(p.clock), start=self.start.strftime("%H:%M"))
                    continue
                if minutes is not None and minutes != from_clock:
                    self.bad(p.row.where(self.clock_col(p.row)), "msel.times_differ",
                             clock=text_of(p.clock), t=story_time(minutes))
                    continue
                minutes = from_clock
            if minutes is not None:
                ordered = {"id": p.item["id"], "at": format_duration(minutes)}
                ordered.update((k, v) for k, v in p.item.items() if k != "id")
                out.append(ordered)
            else:
                out.append(p.item)
        return out

    def clock_col(self, row: _Row) -> str:
        return "clock" if row.text("clock") else "time"

    def inject_time(self, row: _Row) -> tuple[Trigger, int | None, datetime | time | None] | None:
        rel: int | None = None
        clock: datetime | time | None = None
        ok = True
        for col in ("t", "time", "clock"):
            raw = row.raw(col)
            if text_of(raw) == "":
                continue
            relative = col == "t" or (col == "time" and looks_relative(raw))
            try:
                if relative:
                    rel = relative_minutes(raw) if rel is None else rel
                else:
                    clock = clock_value(raw) if clock is None else clock
            except NoTime:
                self.bad(row.where(col), "msel.no_time", value=text_of(raw))
                ok = False
        try:
            trigger = parse_trigger(row.text("trigger"))
        except BadTrigger as exc:
            self.bad(row.where("trigger"), "msel.no_trigger", value=str(exc))
            return None
        if not ok:
            return None
        has_time = rel is not None or clock is not None or trigger.at is not None
        other = trigger.after is not None or trigger.when is not None or trigger.manual
        if trigger.on is not None:
            self.bad(row.where("trigger"), "msel.on_for_decisions", value=trigger.on)
            return None
        if has_time and other:
            self.bad(row.where("trigger"), "msel.time_and_trigger")
            return None
        if not has_time and not other:
            where = next((c for c in ("t", "time", "clock", "trigger") if row.has(c)), None)
            self.bad(row.where(where), "msel.missing_time")
            return None
        return trigger, rel, clock

    def resolve_start(self, pending: list[_Pending]) -> None:
        start = self.meta.get("start")
        both = [p for p in pending if p.clock is not None and p.rel is not None]
        if start is None and "start" not in self.meta and both:
            # T+ and a clock time on one row say when T+0 is
            first = both[0]
            clock = first.clock
            if isinstance(clock, datetime):
                moment = clock if clock.tzinfo else clock.replace(tzinfo=_local_zone(clock))
            else:
                assert clock is not None
                naive = datetime.combine(_PLACEHOLDER_START.date(), clock)
                moment = naive.replace(tzinfo=_local_zone(naive))
                self.header_notes.append(self.t("msel.note.start_date"))
            start = moment - timedelta(minutes=first.rel or 0)
        if start is None and "start" not in self.meta:
            clocks = [p.clock for p in pending if p.clock is not None]
            dated = [c for c in clocks if isinstance(c, datetime)]
            if dated:
                earliest = min(dated)
                start = earliest if earliest.tzinfo else earliest.replace(
                    tzinfo=_local_zone(earliest))
                self.header_notes.append(self.t("msel.note.start_first"))
            elif clocks:
                first_time = min(c for c in clocks if isinstance(c, time))
                naive = datetime.combine(_PLACEHOLDER_START.date(), first_time)
                start = naive.replace(tzinfo=_local_zone(naive))
                self.header_notes.append(self.t("msel.note.start_date"))
            else:
                naive = _PLACEHOLDER_START
                start = naive.replace(tzinfo=_local_zone(naive))
                self.header_notes.append(self.t("msel.note.start_unknown"))
        self.start: datetime | None = start

    def inject_body(self, row: _Row, item: dict[str, Any], ident: str) -> None:
        phase = row.text("phase")
        if phase:
            pid = self.phase(row, phase)
            if pid is not None:
                item["phase"] = pid
        sender = row.text("from")
        # With a roles sheet (an exported workbook), a role sender is written as its id and
        # a name is free text ("Koninklijke Marechaussee" as a voice, not the kmar role).
        rid = (sender if sender in self.known.values() else None) if self.has_roles_sheet \
            else (self.role(sender) if sender else None)
        if rid is not None:
            self.use_role(rid)
        item["from"] = rid or sender
        to = self.role_list(row, "to")
        item["to"] = Flow(to or [])
        channel = row.text("channel").lower()
        if channel:
            value = CHANNEL_WORDS.get(channel)
            if value is None:
                self.bad(row.where("channel"), "msel.no_channel", value=row.text("channel"),
                         known=", ".join(c.value for c in Channel),
                         hint=self.hint(channel, CHANNEL_WORDS))
            item["channel"] = value or "melding"
        else:
            item["channel"] = "melding"
            self.note("injects", ident, "msel.note.channel")
        title, text = row.text("title"), row.text("text")
        if row.has("title") and not title:
            self.bad(row.where("title"), "msel.empty_title")
        elif not title and not text:
            self.bad(row.where("text"), "msel.empty_text")
        elif not title:
            first = text.split("\n", 1)[0].strip()
            title = first if len(first) <= 80 else first[:77].rsplit(" ", 1)[0] + "…"
            self.note("injects", ident, "msel.note.title")
        item["title"] = title
        if text:
            item["text"] = text
        expect, guidance = row.text("expect"), row.text("guidance")
        if expect or guidance:
            notes: dict[str, str] = {}
            if expect:
                notes["expect"] = expect
            if guidance:
                notes["guidance"] = guidance
            item["facilitator"] = notes
        objectives = self.objective_list(row)
        if objectives:
            item["objectives"] = Flow(objectives)
        reliability = row.text("reliability").lower()
        if reliability:
            value = RELIABILITY_WORDS.get(reliability)
            if value is None:
                self.bad(row.where("reliability"), "msel.no_reliability",
                         value=row.text("reliability"),
                         known=", ".join(r.value for r in Reliability),
                         hint=self.hint(reliability, RELIABILITY_WORDS))
            else:
                item["reliability"] = value
        areas = self.area_list(row, "area")
        if areas:
            item["area"] = areas[0] if len(areas) == 1 else Flow(areas)
        if row.text("classification"):
            item["classification"] = row.text("classification")
        if row.text("need_to_know"):
            allowed = self.role_list(row, "need_to_know")
            if allowed:
                item["need_to_know"] = Flow(allowed)

    def phase(self, row: _Row, word: str) -> str | None:
        phases: list[dict[str, Any]] = self.meta["phases"]
        for p in phases:
            if word == p["id"] or word.lower() == str(p["title"]).lower():
                return str(p["id"])
        if self.phase_given:
            self.bad(row.where("phase"), "msel.no_phase", value=word,
                     hint=self.hint(word, [p["id"] for p in phases]))
            return None
        pid = word if is_id(word) else slug(word, "fase")
        while any(p["id"] == pid for p in phases):
            pid += "-b"
        phases.append({"id": pid, "title": word})
        return pid

    def objective_list(self, row: _Row) -> list[str]:
        objectives: list[dict[str, Any]] = self.meta["objectives"]
        out: list[str] = []
        for word in split_list(row.text("objectives")):
            match = next((o["id"] for o in objectives if word == o["id"]), None)
            if match is None and self.objectives_given:
                self.bad(row.where("objectives"), "msel.no_objective", value=word,
                         hint=self.hint(word, [o["id"] for o in objectives]))
                continue
            if match is None:
                if not is_id(word):
                    self.bad(row.where("objectives"), "msel.no_id", value=word,
                             example=slug(word))
                    continue
                objectives.append({"id": word, "title": word})
                self.note("objectives", word, "msel.note.objective")
                match = word
            if match not in out:
                out.append(match)
        return out

    # -- decisions -------------------------------------------------------------------------
    def read_decisions(self, rows: list[_Row]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen: dict[str, _Row] = {}
        domains = set(self.lib.domains) | set(self.meta["local_domains"])
        for n, row in enumerate(rows, 1):
            ident = row.text("id") or f"besluit-{n}"
            if not is_id(ident):
                self.bad(row.where("id"), "msel.no_id", value=ident, example=slug(ident))
                continue
            if ident in seen:
                self.bad(row.where("id"), "msel.duplicate_decision", value=ident,
                         row=seen[ident].number)
                continue
            seen[ident] = row
            self._rows[("decisions", ident)] = row
            item: dict[str, Any] = {"id": ident}
            try:
                trigger = parse_trigger(row.text("trigger"))
            except BadTrigger as exc:
                self.bad(row.where("trigger"), "msel.no_trigger", value=str(exc))
                continue
            if trigger.manual:
                self.bad(row.where("trigger"), "msel.decision_manual")
                continue
            if trigger.on is not None:
                item["on"] = trigger.on
            elif trigger.at is not None:
                item["at"] = format_duration(trigger.at)
            elif trigger.after is not None:
                event, delay = trigger.after
                item["after"] = FlowMap(event=event, delay=format_duration(delay)) if delay \
                    else FlowMap(event=event)
            elif trigger.when is not None:
                item["when"] = trigger.when
            else:
                self.bad(row.where("trigger"), "msel.decision_no_trigger")
                continue
            if trigger.guard is not None:
                item["if"] = trigger.guard
            question = row.text("question")
            if not question:
                self.bad(row.where("question"), "msel.empty_question")
                continue
            item["question"] = question
            if row.text("context"):
                item["context"] = row.text("context")
            framings = list(dict.fromkeys(split_list(row.text("domain")))) or [""]
            unknown = [d for d in framings if d not in domains]
            for domain in unknown:
                self.bad(row.where("domain"), "msel.no_domain", value=domain,
                         hint=self.hint(domain, domains))
            if unknown:
                continue
            if len(framings) == 1:
                item["domain"] = framings[0]
            else:  # candidate framings: whose decision it is depends on what it is for
                item["domains"] = Flow(framings)
            if not self.gezag(row, item):
                continue
            if row.text("forum"):
                item["forum"] = row.text("forum")
            deadline = row.text("deadline")
            if deadline:
                try:
                    item["deadline"] = format_duration(relative_minutes(deadline))
                except NoTime:
                    self.bad(row.where("deadline"), "msel.no_duration", value=deadline)
                    continue
            options = self.options(row, ident)
            if options is None:
                continue
            if not self.consent_options(row, item, options):
                continue
            default = next((o.pop("_default") for o in options if "_default" in o), None)
            if options:
                # gezag model v2: without a default, a decision lapses at its deadline
                if default is not None:
                    item["default"] = default
                item["options"] = options
                self.note("decisions", ident, "msel.note.options")
            out.append(item)
        return out

    def gezag(self, row: _Row, item: dict[str, Any]) -> bool:
        """Area, crisis, owners, together, consult, consent and rests_on of a decision row
        into `item`; False after a problem (each said at its cell)."""
        before = len(self.problems)
        areas = self.area_list(row, "area")
        if areas:
            item["area"] = areas[0] if len(areas) == 1 else Flow(areas)
        crisis = self.yes_no(row, "crisis")
        if crisis is not None:
            item["crisis"] = crisis
        owners = self.role_list(row, "owner")
        if owners is None:
            return False
        if owners:
            item["owner"] = owners[0] if len(owners) == 1 else Flow(owners)
        word = row.text("together").lower()
        if word:
            together = TOGETHER_WORDS.get(word)
            if together is None:
                self.bad(row.where("together"), "msel.no_together", value=row.text("together"))
                return False
            if together == "all":
                item["together"] = "all"
        consult = self.consult(row)
        if consult is None:
            return False
        if consult:
            formal = any(isinstance(c, dict) for c in consult)
            item["consult"] = consult if formal else Flow(consult)
        consent = self.consent(row)
        if consent is None:
            return False
        if consent:
            item["consent"] = consent
        rests_on: list[str] = []
        for word in split_list(row.text("rests_on")):
            if not is_id(word):
                self.bad(row.where("rests_on"), "msel.no_id", value=word, example=slug(word))
                return False
            if word not in rests_on:
                rests_on.append(word)
        if rests_on:
            item["rests_on"] = Flow(rests_on)  # checked against the injects, when all are read
        return len(self.problems) == before

    def entries(self, row: _Row, col: str
                ) -> list[tuple[str, str | None, str | None, bool]] | None:
        """The lines of a Raadplegen or Instemming cell: (role, inside the brackets, basis,
        unverified). Plain roles may share a line (`politie, om`); a line with a basis or
        brackets is one entry: `korpschef (zienswijze): Politiewet 2012 art. 56 lid 3`."""
        out: list[tuple[str, str | None, str | None, bool]] = []
        ok = True
        for raw in row.text(col).split("\n"):
            line = raw.strip().lstrip("-•*").strip()
            if not line:
                continue
            if not any(c in line for c in "(:["):
                out += [(word, None, None, False) for word in split_list(line)]
                continue
            unverified = False
            for mark in UNVERIFIED_MARKS:
                if line.lower().endswith(mark):
                    line, unverified = line[: -len(mark)].rstrip(), True
            match = _ENTRY.match(line)
            if match is None or not match["who"].strip():
                self.bad(row.where(col), "msel.no_entry", value=line)
                ok = False
                continue
            basis = (match["basis"] or "").strip() or None
            out.append((match["who"].strip(), match["inside"], basis, unverified))
        return out if ok else None

    def entry_role(self, row: _Row, col: str, word: str) -> str | None:
        rid = self.role(word)
        if rid is None:
            names = sorted({*self.known.values()} | {w for w in self.known if " " not in w})
            self.bad(row.where(col), "msel.no_role", value=word,
                     hint=self.hint(word.lower(), names))
            return None
        self.use_role(rid)
        return rid

    def consult(self, row: _Row) -> list[Any] | None:
        """Consultees: plain ids, or `{role, kind, basis}` for a formal voice."""
        entries = self.entries(row, "consult")
        if entries is None:
            return None
        out: list[Any] = []
        ok = True
        for who, inside, basis, unverified in entries:
            rid = self.entry_role(row, "consult", who)
            kind = None
            if inside is not None and inside.strip():
                kind = KIND_WORDS.get(inside.strip().lower())
                if kind is None:
                    self.bad(row.where("consult"), "msel.no_kind", value=inside.strip(),
                             hint=self.hint(inside.strip().lower(), KIND_WORDS))
                    ok = False
                    continue
            if rid is None:
                ok = False
                continue
            if rid in [c if isinstance(c, str) else c["role"] for c in out]:
                continue
            if kind is None and basis is None and not unverified:
                out.append(rid)
                continue
            entry: dict[str, Any] = {"role": rid}
            if kind is not None:
                entry["kind"] = kind
            if basis is not None:
                entry["basis"] = basis
            if unverified:
                entry["unverified"] = True
            out.append(entry)
        return out if ok else None

    def consent(self, row: _Row) -> list[dict[str, Any]] | None:
        """Roles that must agree: `{role, basis, options}`; a basis is required."""
        entries = self.entries(row, "consent")
        if entries is None:
            return None
        out: list[dict[str, Any]] = []
        ok = True
        for who, inside, basis, unverified in entries:
            rid = self.entry_role(row, "consent", who)
            if rid is None:
                ok = False
                continue
            if basis is None:
                self.bad(row.where("consent"), "msel.consent_no_basis", value=who)
                ok = False
                continue
            entry: dict[str, Any] = {"role": rid, "basis": basis}
            options = split_list(inside or "")
            if options:
                entry["options"] = Flow(dict.fromkeys(options))
            if unverified:
                entry["unverified"] = True
            out.append(entry)
        return out if ok else None

    def consent_options(self, row: _Row, item: dict[str, Any],
                        options: list[dict[str, Any]]) -> bool:
        """Each option a consent names is one of the decision's."""
        ids = [o["id"] for o in options]
        ok = True
        for entry in item.get("consent", []):
            for oid in entry.get("options", []):
                if oid not in ids:
                    self.bad(row.where("consent"), "msel.no_option", value=oid,
                             decision=item["id"], hint=self.hint(oid, ids))
                    ok = False
        return ok

    def options(self, row: _Row, ident: str) -> list[dict[str, Any]] | None:
        out: list[dict[str, Any]] = []
        marks = (" [standaard]", " [default]", " (standaard)", " (default)")
        defaults = 0
        for line in row.text("options").split("\n"):
            line = line.strip().lstrip("-•*").strip()
            if not line:
                continue
            is_default = False
            for mark in marks:
                if line.lower().endswith(mark):
                    line, is_default = line[: -len(mark)].rstrip(), True
            head, sep, rest = line.partition(":")
            if sep and is_id(head.strip()) and rest.strip():
                oid, label = head.strip(), rest.strip()
            else:
                oid, label = slug(line, "optie"), line
            while any(o["id"] == oid for o in out):
                oid += "-b"
            entry: dict[str, Any] = {"id": oid, "label": label}
            if is_default:
                defaults += 1
                entry["_default"] = oid
            out.append(entry)
        if defaults > 1:
            self.bad(row.where("options"), "msel.two_defaults")
            return None
        return out

    # -- references across rows ------------------------------------------------------------
    def check_events(self, injects: list[dict[str, Any]],
                     decisions: list[dict[str, Any]]) -> None:
        inject_ids = {i["id"] for i in injects}
        events = inject_ids | {d["id"] for d in decisions}
        rows = self._rows
        for d in decisions:
            if d["id"] in inject_ids:
                self.bad(rows[("decisions", d["id"])].where("id"), "msel.decision_is_inject",
                         value=d["id"])
        for d in decisions:
            for iid in d.get("rests_on", []):
                if iid not in inject_ids:
                    self.bad(rows[("decisions", d["id"])].where("rests_on"), "msel.no_inject",
                             value=iid, hint=self.hint(iid, inject_ids))
        for section, items in (("injects", injects), ("decisions", decisions)):
            for item in items:
                event = item.get("on") or (item.get("after") or {}).get("event")
                if event and event not in events:
                    self.bad(rows[(section, item["id"])].where("trigger"), "msel.no_event",
                             value=event, hint=self.hint(event, events))

        follows: dict[tuple[str, str], str] = {}
        section_of = {i["id"]: "injects" for i in injects} | {
            d["id"]: "decisions" for d in decisions}
        for section, items in (("injects", injects), ("decisions", decisions)):
            for item in items:
                target = item.get("on") or (item.get("after") or {}).get("event")
                if isinstance(target, str) and target in events:
                    follows[(section, item["id"])] = target
        reported: set[str] = set()
        for start in follows:
            chain = [start[1]]
            node = start
            while node in follows:
                nxt = follows[node]
                if nxt in chain:
                    loop = chain[chain.index(nxt):] + [nxt]
                    if not reported & set(loop):
                        reported |= set(loop)
                        self.bad(rows[start].where("trigger"), "msel.cycle",
                                 loop=" -> ".join(loop))
                    break
                chain.append(nxt)
                node = (section_of[nxt], nxt)

    def check_expressions(self, injects: list[dict[str, Any]],
                          decisions: list[dict[str, Any]]) -> None:
        state: dict[str, Any] = self.meta["state"]
        given = set(state)
        injects_ids = {i["id"] for i in injects}
        options = {d["id"]: [o["id"] for o in d.get("options", [])] for d in decisions}
        roles = set(self.roles) | {r["id"] for r in self.local_roles} | set(self.lib.roles)
        for section, items in (("injects", injects), ("decisions", decisions)):
            for item in items:
                for key in ("when", "if"):
                    if key not in item:
                        continue
                    where = self._rows[(section, item["id"])].where("trigger")
                    try:
                        expr: Expression = parse_expression(item[key])
                    except ExpressionError as exc:
                        self.bad(where, "msel.no_expression", value=item[key], error=str(exc))
                        continue
                    for ref in expr.references:
                        if ref.kind == "state" and ref.name not in state and \
                                ref.name not in ("t", "phase"):
                            hint = self.hint(ref.name, given)
                            if hint:
                                self.bad(where, "msel.unknown_name", value=ref.name, hint=hint)
                            else:
                                state[ref.name] = FlowMap(label=ref.name, initial=0)
                                self.note("state", ref.name, "msel.note.state")
                        elif ref.kind == "resource" and ref.name.replace("_", "-") not in \
                                self.meta["resources"]:
                            self.bad(where, "msel.unknown_resource", value=ref.name)
                        elif ref.kind == "inject" and ref.name not in injects_ids:
                            self.bad(where, "msel.no_event", value=ref.name,
                                     hint=self.hint(ref.name, injects_ids))
                        elif ref.kind == "decision" and ref.name not in options:
                            self.bad(where, "msel.no_event", value=ref.name,
                                     hint=self.hint(ref.name, options))
                        elif ref.kind == "role" and ref.name not in roles:
                            self.bad(where, "msel.no_role", value=ref.name,
                                     hint=self.hint(ref.name, roles))
                        elif ref.kind == "option":
                            dec, _, opt = ref.name.partition("/")
                            if options.get(dec) and opt not in options[dec]:
                                self.bad(where, "msel.no_option", value=opt, decision=dec,
                                         hint=self.hint(opt, options[dec]))

    def placeholders(self, injects: list[dict[str, Any]],
                     decisions: list[dict[str, Any]]) -> None:
        """`{name}` in a text names a parameter; unknown ones are made, stray braces kept."""
        params: dict[str, Any] = self.meta["parameters"]

        def fix(text: str) -> str:
            try:
                list(string.Formatter().parse(text))
                names = _PLACEHOLDER.findall(text)
            except ValueError:
                names = None
            if names is None or any(not _VAR.match(n) and n not in params for n in names):
                return text.replace("{", "{{").replace("}", "}}")
            for name in names:
                if name not in params:
                    params[name] = FlowMap(label=name, default="")
                    self.note("parameters", name, "msel.note.parameter")
            return text

        for item in injects:
            for key in ("from", "title", "text"):
                if key in item:
                    item[key] = fix(item[key])
            for key in ("expect", "guidance"):
                if key in item.get("facilitator", {}):
                    item["facilitator"][key] = fix(item["facilitator"][key])
        for item in decisions:
            for key in ("question", "context"):
                if key in item:
                    item[key] = fix(item[key])
            for option in item.get("options", []):
                option["label"] = fix(option["label"])
        if "summary" in self.meta:
            self.meta["summary"] = fix(self.meta["summary"])
        if "title" in self.meta:
            self.meta["title"] = fix(self.meta["title"])

    # -- writing and checking ----------------------------------------------------------------
    def yaml(self, injects: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> str:
        m = self.meta
        ident = m.get("id") or slug(self.path.stem, "scenario")
        title = m.get("title") or self.path.stem
        assert self.start is not None
        sections: list[tuple[str, Any]] = [
            ("format", 2 if self.uses_v2(injects, decisions) else 1), ("id", ident),
            ("title", title)]
        for key in ("summary", "facilitator"):
            if m.get(key):
                sections.append((key, m[key]))
        if m.get("duration") is not None:
            sections.append(("duration", format_duration(m["duration"])))
        sections.append(("start", self.start.isoformat()))
        if m.get("end") is not None:
            sections.append(("end", format_duration(m["end"])))
        if "crisis" in m:
            sections.append(("crisis", m["crisis"]))
        for key in ("regions", "areas"):
            if m[key]:
                sections.append((key, m[key]))
        entries = [self.placements.get(rid, {"role": rid}) for rid in self.roles]
        if all(len(e) == 1 for e in entries):
            sections.append(("roles", Flow(self.roles)))
        else:
            sections.append(("roles", [e["role"] if len(e) == 1 else _short_map(e)
                                       for e in entries]))
        for key in ("local_domains",):
            if m[key]:
                sections.append((key, m[key]))
        if self.local_roles:
            sections.append(("local_roles", self.local_roles))
        for key in ("parameters", "state", "resources", "objectives", "phases"):
            if m[key]:
                sections.append((key, m[key]))
        sections.append(("injects", injects))
        if decisions:
            sections.append(("decisions", decisions))
        header = [self.t("msel.note.header", file=self.path.name),
                  self.t("msel.note.missing"), *self.header_notes]
        return document(header, sections, self.notes)

    def uses_v2(self, injects: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> bool:
        """Whether the scenario needs `format: 2` (a key of gezag model version 2)."""
        m = self.meta
        if m["areas"] or m["regions"] or "crisis" in m:
            return True
        if any(len(e) > 1 for e in self.placements.values()):
            return True
        if any(k in r for r in self.local_roles for k in ("area", "region", "acts_for",
                                                           "mandate")):
            return True
        if any(k in i for i in injects for k in ("area", "classification", "need_to_know")):
            return True
        for d in decisions:
            if any(k in d for k in ("domains", "area", "crisis", "together", "consent",
                                    "rests_on")):
                return True
            if isinstance(d.get("owner"), list) or any(
                    isinstance(c, dict) for c in d.get("consult", [])):
                return True
        return False

    def verify(self, text: str, n_injects: int, n_decisions: int) -> ImportResult:
        """Check the YAML as `tabletop validate` would; a problem left is reported too."""
        from tabletop.model.checks import check_scenario

        shown = display_path(self.target)
        scenario, raw, problems = parse_model(text.encode("utf-8"), Scenario, shown)
        if scenario is not None:
            problems = check_scenario(scenario, raw, self.lib, self.target, shown)
        errors = [p for p in problems if p.is_error]
        if errors:  # what the cells could not show: said of the sheet as a whole
            return ImportResult(None, [Problem(self.file, 0, 0, self.t(
                "msel.made_invalid", message=p.message)) for p in errors], n_injects,
                n_decisions)
        return ImportResult(text, [p for p in problems if not p.is_error], n_injects,
                            n_decisions)


def _short_map(entry: dict[str, Any]) -> dict[str, Any]:
    """A mapping on one line when it fits there (`{role: burgemeester, area: x}`)."""
    line = ", ".join(f"{k}: {v}" for k, v in entry.items())
    return FlowMap(entry) if len(line) <= 80 else entry


def _local_zone(moment: datetime) -> timezone:
    """Dutch time (CET/CEST) for a moment the sheet gives without an offset."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        offset = moment.replace(tzinfo=ZoneInfo("Europe/Amsterdam")).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):  # no time zone database: winter time
        offset = None
    return timezone(offset if offset is not None else timedelta(hours=1))


def import_sheet(path: Path, roles: Path | None = None, lang: str = "nl",
                 target: Path | None = None) -> ImportResult:
    """Read an MSEL (`.xlsx` or `.csv`) into scenario YAML, or say what is wrong, where.

    `target` is where the YAML will be written (default: beside the sheet); the roles
    folder is found from there, as `tabletop validate` would find it.
    """
    return _Importer(path, roles, lang, target or path.with_suffix(".yaml")).run()
