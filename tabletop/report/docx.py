"""Render a report document as a Word file (python-docx): real headings, lists and tables.

A secretariat edits and sends Word documents, so the decisions table and the agenda are
Word tables (with a repeating header row), not pasted text.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from tabletop.report.document import (
    Block,
    Bullets,
    Cell,
    Charts,
    Document,
    Fields,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Span,
    Table,
)

MUTED = RGBColor(0x5B, 0x64, 0x70)
WARN = RGBColor(0x7A, 0x41, 0x00)
FLAG = RGBColor(0x8A, 0x1C, 0x1C)
ACCENT = RGBColor(0x15, 0x42, 0x73)
TEXT_WIDTH_MM = 182


CORE_PROPERTY_MAX = 255
"""python-docx's limit on a core property's length."""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _runs(par: DocxParagraph, spans: Inline, size: float | None = None) -> None:
    for index, s in enumerate(spans):
        text = s.text
        if s.style in ("warn", "flag"):
            text = ("" if index == 0 else " ") + f"[{text.strip()}]"
        if not text:
            continue
        run = par.add_run(text)
        run.bold = s.style in ("b", "warn") or None
        run.italic = s.style in ("i", "flag") or None
        if s.style == "muted":
            run.font.color.rgb = MUTED
        elif s.style == "warn":
            run.font.color.rgb = WARN
        elif s.style == "flag":
            run.font.color.rgb = FLAG
        if size:
            run.font.size = Pt(size)


def _fill(cell: _Cell, lines: Cell, size: float, bold: bool = False) -> None:
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        par = first if index == 0 else cell.add_paragraph()
        par.paragraph_format.space_after = Pt(1)
        _runs(par, line, size)
        if bold:
            for run in par.runs:
                run.bold = True


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _shade(cell: _Cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _table(doc, table: Table) -> None:  # type: ignore[no-untyped-def]
    size = 7.5 if table.kind == "decisions" else 8.5
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = table.widths if len(table.widths) == len(table.header) else \
        (100 // len(table.header),) * len(table.header)
    for index, label in enumerate(table.header):
        cell = grid.rows[0].cells[index]
        _fill(cell, ((Span(label),),), size, bold=True)
        _shade(cell, "EAF0F6")
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for index, value in enumerate(row):
            _fill(cells[index], value, size)
    for row in grid.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Mm(TEXT_WIDTH_MM * widths[index] / 100)
    doc.add_paragraph()


def _fields(doc, fields: Fields) -> None:  # type: ignore[no-untyped-def]
    grid = doc.add_table(rows=0, cols=2)
    for label, value in fields.pairs:
        cells = grid.add_row().cells
        _fill(cells[0], ((Span(label + ":"),),), 9.5, bold=True)
        _fill(cells[1], value, 9.5)
        cells[0].width = Mm(40)
        cells[1].width = Mm(TEXT_WIDTH_MM - 40)
    doc.add_paragraph()


def _block(doc, b: Block) -> None:  # type: ignore[no-untyped-def]
    if isinstance(b, Heading):
        _runs(doc.add_heading("", level=min(b.level, 9)), b.text)
    elif isinstance(b, Paragraph):
        par = doc.add_paragraph()
        _runs(par, b.text, 11 if b.role == "lead" else None)
        if b.role == "muted":
            for run in par.runs:
                run.font.color.rgb = MUTED
    elif isinstance(b, Bullets):
        style = "List Number" if b.numbered else "List Bullet"
        for item in b.items:
            _runs(doc.add_paragraph(style=style), item)
    elif isinstance(b, Fields):
        _fields(doc, b)
    elif isinstance(b, Table):
        _table(doc, b)
    elif isinstance(b, Charts):
        if b.table is not None:
            _table(doc, b.table)
    elif isinstance(b, PageBreak):
        doc.add_page_break()


def _keep_style_ids(word) -> None:  # type: ignore[no-untyped-def]
    """Look each style up once per document. Why: python-docx resolves a style given by name
    (every heading, list item and table) by scanning all of the template's styles to see
    whether it is the default, a third of a report's render. The answer depends only on the
    name and the kind, and no style is added, removed or made the default while a report is
    written, so the document part keeps it (the same method, on this document only)."""
    part = word.part
    find = part.get_style_id
    kept: dict[tuple[object, object], object] = {}

    def get_style_id(style_or_name, style_type):  # type: ignore[no-untyped-def]
        if not isinstance(style_or_name, str):
            return find(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in kept:
            kept[key] = find(style_or_name, style_type)
        return kept[key]

    part.get_style_id = get_style_id


def render_docx(doc: Document) -> bytes:
    """The document as .docx bytes (A4, 14 mm margins)."""
    word = new_docx()
    _keep_style_ids(word)
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(14))
    normal = word.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)
    for level in range(1, 5):
        word.styles[f"Heading {level}"].font.color.rgb = ACCENT
    # python-docx refuses a core property over 255 characters; the document keeps the title
    # whole in its heading, the property gets it clipped.
    word.core_properties.title = _clip(doc.title, CORE_PROPERTY_MAX)
    word.core_properties.language = doc.lang
    for b in doc.blocks:
        _block(word, b)
    out = BytesIO()
    word.save(out)
    return out.getvalue()
