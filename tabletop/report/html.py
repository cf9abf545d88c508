"""Render a report document as one self-contained HTML file: inline CSS and SVG, A4 print.

Every text from a log or scenario goes through `html.escape`; nothing is ever inserted as
markup. Long words wrap (`overflow-wrap: anywhere`) instead of widening a table.
"""

from __future__ import annotations

from html import escape

from tabletop.i18n import Translator
from tabletop.i18n.names import story_time
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
    Table,
)
from tabletop.report.svg import chart

CSS = """
@page { size: A4; margin: 15mm 14mm 16mm; }
:root { --ink: #1b1f24; --muted: #5b6470; --accent: #154273; --line: #cfd6de;
  --head: #eaf0f6; --warn: #7a4100; --warn-bg: #fff0d4; --flag: #8a1c1c; --flag-bg: #fde7e7; }
* { box-sizing: border-box; }
html { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans",
  sans-serif; font-size: 10pt; line-height: 1.45; color: var(--ink); }
body { margin: 0; background: #eef0f3; }
main { max-width: 200mm; margin: 8mm auto; padding: 12mm 13mm 16mm; background: #fff;
  box-shadow: 0 1px 5px rgba(0, 0, 0, .15); }
h1, h2, h3, h4, h5, h6 { color: var(--accent); line-height: 1.25; break-after: avoid; }
h1 { font-size: 19pt; margin: 0 0 4mm; padding-bottom: 2mm;
  border-bottom: 3px solid var(--accent); }
h2 { font-size: 13.5pt; margin: 8mm 0 2.5mm; padding-bottom: 1mm;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; }
h4, h5, h6 { font-size: 10pt; margin: 4mm 0 1mm; }
p { margin: 1.5mm 0 2.5mm; }
p.lead { font-size: 10.5pt; }
p.muted, .muted { color: var(--muted); }
h1, h2, h3, h4, h5, h6, p, li, dd, td, th, figcaption { overflow-wrap: anywhere; }
ul, ol { margin: 1mm 0 3mm; padding-left: 6mm; }
li { margin: .6mm 0; }
.tag { display: inline-block; max-width: 100%; margin-left: .8mm; padding: 0 1.1mm;
  border-radius: 2px; font-size: 7.5pt; font-weight: 600; line-height: 1.45;
  overflow-wrap: break-word; vertical-align: 1px; }
.line > .tag:first-child, td > .tag:first-child { margin-left: 0; }
.tag.warn { color: var(--warn); background: var(--warn-bg); border: 1px solid #eec27a; }
.tag.flag { color: var(--flag); background: var(--flag-bg); border: 1px solid #efb1b1; }
dl.fields { display: grid; grid-template-columns: 36mm minmax(0, 1fr); gap: .8mm 4mm;
  margin: 2mm 0 4mm; }
dl.fields dt { font-weight: 600; color: var(--muted); }
dl.fields dd { margin: 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 4mm;
  font-size: 8.5pt; line-height: 1.35; }
th, td { border: 1px solid var(--line); padding: 1.1mm 1.3mm; text-align: left;
  vertical-align: top; }
th { background: var(--head); color: var(--accent); font-weight: 600;
  overflow-wrap: normal; }
tbody tr:nth-child(even) td { background: #f8fafc; }
td .line + .line { margin-top: .8mm; }
table.t-decisions { font-size: 7.5pt; }
table.t-decisions td:first-child, table.t-expectations td:first-child { white-space: nowrap; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm 7mm; margin: 2mm 0; }
figure.chart { margin: 0; break-inside: avoid; }
figure.chart figcaption { font-size: 8.5pt; font-weight: 600; margin-bottom: .5mm; }
figure.chart svg { display: block; width: 100%; height: auto; }
svg .grid { stroke: #dde3ea; stroke-width: 1; }
svg .phase { stroke: #8d99a6; stroke-width: 1; stroke-dasharray: 3 3; }
svg .line { fill: none; stroke: #01689b; stroke-width: 2; }
svg .dot { fill: #01689b; }
svg text { font-family: inherit; font-size: 10px; fill: #5b6470; }
svg .value { font-weight: 700; fill: #154273; }
svg .phase-no { font-weight: 700; fill: #5b6470; }
p.legend { font-size: 8.5pt; }
.pagebreak { break-before: page; height: 0; }
@media print {
  html { font-size: 9.5pt; }
  body { background: #fff; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  thead { display: table-header-group; }
  tr, figure, dl.fields, li { break-inside: avoid; }
}
@media screen and (max-width: 700px) {
  main { margin: 0; padding: 5mm; }
  .charts { grid-template-columns: 1fr; }
  dl.fields { grid-template-columns: 1fr; }
}
"""

_STYLE = {"b": ("<strong>", "</strong>"), "i": ("<em>", "</em>"),
          "muted": ('<span class="muted">', "</span>"),
          "warn": ('<span class="tag warn">', "</span>"),
          "flag": ('<span class="tag flag">', "</span>")}


def inline(spans: Inline) -> str:
    out = []
    for s in spans:
        text = escape(s.text)
        if s.style in ("warn", "flag"):
            text = text.strip()
        opening, closing = _STYLE.get(s.style, ("", ""))
        out.append(f"{opening}{text}{closing}")
    return "".join(out).strip()


def _lines(cell: Cell) -> str:
    texts = [inline(line) for line in cell]
    texts = [t for t in texts if t]
    if len(texts) == 1:
        return texts[0]
    return "".join(f'<div class="line">{t}</div>' for t in texts)


def _table(table: Table) -> str:
    cls = f' class="t-{escape(table.kind)}"' if table.kind else ""
    cols = ""
    if table.widths and len(table.widths) == len(table.header):
        cols = "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in table.widths) + \
            "</colgroup>"
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in table.header)
    rows = "".join("<tr>" + "".join(f"<td>{_lines(c)}</td>" for c in row) + "</tr>\n"
                   for row in table.rows)
    return f"<table{cls}>{cols}<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody></table>"


def _charts(charts: Charts, t: Translator) -> str:
    figures = []
    for s in charts.series:
        svg = chart(s, charts.phases, t("rp.yes"), t("rp.no"))
        figures.append(f'<figure class="chart"><figcaption>{escape(s.label)}</figcaption>'
                       f"{svg}</figure>")
    legend = ""
    if charts.phases:
        items = "; ".join(f"{n} {escape(title)} ({story_time(start)})"
                          for n, (start, title) in enumerate(charts.phases, start=1))
        legend = f'<p class="legend muted">{escape(t("rp.chart.phases"))}: {items}</p>'
    return '<div class="charts">\n' + "\n".join(figures) + "\n</div>\n" + legend


def block(b: Block, t: Translator) -> str:
    if isinstance(b, Heading):
        return f"<h{b.level}>{inline(b.text)}</h{b.level}>"
    if isinstance(b, Paragraph):
        cls = f' class="{b.role}"' if b.role else ""
        return f"<p{cls}>{inline(b.text)}</p>"
    if isinstance(b, Bullets):
        tag = "ol" if b.numbered else "ul"
        items = "".join(f"<li>{inline(item)}</li>\n" for item in b.items)
        return f"<{tag}>\n{items}</{tag}>"
    if isinstance(b, Fields):
        rows = "".join(f"<dt>{escape(label)}</dt><dd>{_lines(value)}</dd>\n"
                       for label, value in b.pairs)
        return f'<dl class="fields">\n{rows}</dl>'
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Charts):
        return _charts(b, t)
    if isinstance(b, PageBreak):
        return '<div class="pagebreak"></div>'
    raise TypeError(f"cannot render {type(b).__name__}")  # pragma: no cover


def render_html(doc: Document) -> str:
    t = Translator(doc.lang)
    body = "\n".join(block(b, t) for b in doc.blocks)
    return (f'<!DOCTYPE html>\n<html lang="{escape(t.lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="tabletop report">\n'
            f"<title>{escape(doc.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f"<main>\n{body}\n</main>\n</body>\n</html>\n")
