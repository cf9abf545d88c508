"""Text from a log appears literally, escaped, in every format: nothing becomes markup."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import docx
from markdown_it import MarkdownIt
from reportkit import report

HOSTILE = [
    "<script>alert(1)</script>",
    "<script>alert('advies')</script>",
    "[bold]rood[/bold]",
    "**x** _y_ `z` # kop | pijp [link](http://e.nl) &amp; \\ einde",
    "**vet** | pijp",
    "<b>Ad hoc</b> [red]melding[/red]",
    "Tekst met *sterretjes* en een ]haak[",
    "Dilemma met <em>html</em> en | pijpen | en [bold]markup[/bold]",
    "# Geen kop - geen lijst | a | b | 1. geen <img src=x onerror=alert(1)>",
    "Observatie ![plaatje](x.png) <!-- commentaar -->",
    "<script>alert('titel')</script> **Oefening** [bold]",
    "Regio | met <b>pijp</b>",
    "<i>Burgemeester</i> | **X**",
    "[red]Oefenleider[/red]",
]
LONG = ("Onafgebrokenwoordzonderspatiesdatheelerglangisendetabelnietmagbrekenofdeopmaakuit"
        "derichtingmagduwen_____eindevanhetwoord")


class _Text(HTMLParser):
    """The visible text of an HTML page, and every element that was opened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _visible(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_html_shows_hostile_text_literally() -> None:
    html = report(("vijandig",), "html").decode()
    page = _visible(html)
    visible = _flat("".join(page.text))
    for text in HOSTILE + [LONG]:
        assert text in visible, text
    assert "<script" not in html and "<img" not in html and "<!--" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not {"script", "img", "b", "i", "a"} & set(page.tags)
    assert "onerror" not in page.attrs
    assert "overflow-wrap: anywhere" in html


def _cells(html: str) -> list[int]:
    """The number of cells in each table row of rendered Markdown."""
    return [len(re.findall(r"<t[dh]>", row)) for row in re.findall(r"<tr>(.*?)</tr>", html,
                                                                   flags=re.S)]


def test_markdown_shows_hostile_text_literally_as_a_forge_renders_it() -> None:
    text = report(("vijandig",), "md").decode()
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    visible = _flat("".join(_visible(rendered).text))
    for item in HOSTILE + [LONG]:
        assert item in visible, item
    tags = set(_visible(rendered).tags)
    assert not {"script", "img", "a", "b", "i", "h4", "h5", "blockquote", "code", "ol"} & tags
    # emphasis and strong come only from the report's own markup, never from a log's text
    assert "<strong>vet</strong>" not in rendered and "<em>sterretjes</em>" not in rendered
    tables = re.findall(r"<table>.*?</table>", rendered, flags=re.S)
    assert len(tables) >= 4
    for table in tables:
        counts = _cells(table)
        assert len(set(counts)) == 1, f"a row lost or gained a cell: {counts}"


def test_markdown_escapes_line_starts_and_pipes() -> None:
    from tabletop.report.document import Span
    from tabletop.report.markdown import escape, inline

    assert escape("a | b") == "a \\| b"
    assert inline((Span("1. niet genummerd"),)) == "1\\. niet genummerd"
    assert inline((Span("- geen lijst"),)) == "\\- geen lijst"
    assert inline((Span("> geen citaat"),)) == "\\> geen citaat"
    assert inline((Span("=== geen kop"),)) == "\\=== geen kop"
    assert inline((Span(" vet ", "b"),)) == "**vet**"


def test_control_characters_and_broken_text_never_reach_a_format() -> None:
    from tabletop.report.api import render
    from tabletop.report.document import Document, Paragraph, plain

    doc = Document("t", "nl")
    doc.add(Paragraph(plain("bel\x07 \x1b[31mrood\x1b[0m \ud800 regel\neen\r\ntwee\x85")))
    for fmt in ("md", "html"):
        out = render(doc, fmt).decode("utf-8")
        assert "\x1b" not in out and "\x07" not in out and "\x85" not in out
        assert "regel een twee" in out
    word = docx.Document(io.BytesIO(render(doc, "docx")))
    assert "rood" in word.paragraphs[0].text


def test_docx_keeps_hostile_text_literal() -> None:
    word = docx.Document(io.BytesIO(report(("vijandig",), "docx")))
    text = "\n".join(p.text for p in word.paragraphs)
    for table in word.tables:
        for row in table.rows:
            text += "\n" + "\n".join(c.text for c in row.cells)
    for item in ("<script>alert(1)</script>", "[bold]rood[/bold]", "**vet** | pijp", LONG):
        assert item in text, item
