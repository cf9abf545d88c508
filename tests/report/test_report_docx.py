"""The docx report opens in python-docx with real headings and real tables."""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from reportkit import report


def _open(*names: str) -> DocxDocument:
    return docx.Document(io.BytesIO(report(names, "docx")))


def test_docx_has_headings_and_tables() -> None:
    word = _open("oost")
    styled = [(p.style.name if p.style else "", p.text) for p in word.paragraphs]
    headings = [(style, text) for style, text in styled if style.startswith("Heading")]
    assert ("Heading 1", "Terugkoppeling oefening: Driehoeksoefening Oost") in headings
    names = [text for style, text in headings if style == "Heading 2"]
    assert names[:3] == ["Samenvatting", "Verloop per fase", "Besluiten"]
    assert "Voor het volgende LOVP" in names
    headers = [[c.text for c in t.rows[0].cells] for t in word.tables]
    decisions = headers.index(["Tijd", "Besluit", "Door", "Grondslag", "Advies", "Motivering",
                               "Capaciteit"])
    table = word.tables[decisions]
    assert len(table.rows) == 1 + 4
    assert "Ontruimen met de ME" in table.rows[3].cells[1].text
    assert "[bevoegdheid van Burgemeester, niet van wie besloot]" in table.rows[3].cells[3].text
    header_row = table.rows[0]._tr
    assert header_row.xpath("./w:trPr/w:tblHeader"), "the header row repeats on every page"
    agenda = word.tables[headers.index(["Nr.", "Vraag", "Op te pakken door", "Herkomst"])]
    assert len(agenda.rows) > 3
    # each named style as Word reads it (they are looked up once per document)
    assert {t.style.name for t in word.tables if t.style is not None} >= {"Table Grid"}
    assert {"List Bullet", "List Number"} & {style for style, _ in styled}
    assert sum(style == "Normal" for style, _ in styled) > 10


def test_docx_of_many_exercises_opens() -> None:
    word = _open("noord", "oost", "zuid")
    assert word.paragraphs[0].text == "Terugkoppeling van 3 oefeningen"
    assert len(word.tables) > 10
