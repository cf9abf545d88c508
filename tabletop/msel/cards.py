"""Printable inject cards: one card per inject for the players, and the facilitator's part
on pages of its own, for a session where the laptop fails.

Every text from the scenario goes through `html.escape`; the only markup made from it is
Markdown's **bold** and *italic*, applied after escaping. No links, no scripts.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import escape

from tabletop.i18n import Translator
from tabletop.i18n.names import Names
from tabletop.model.base import format_duration
from tabletop.model.loading import LoadedScenario
from tabletop.model.scenario import Inject
from tabletop.msel.cells import story_time

_CSS = """
:root { --ink: #111; --muted: #555; --line: #999; --accent: #1f3a5f; --warn: #8a1c1c; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans",
       sans-serif; color: var(--ink); margin: 0 auto; padding: 1.5rem; max-width: 60rem;
       line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0 0 .3rem; color: var(--accent); }
h2 { font-size: 1.15rem; margin: .2rem 0 .5rem; }
.muted { color: var(--muted); }
.cover { margin-bottom: 1.5rem; }
.card { border: 1.5px dashed var(--line); padding: .9rem 1.1rem; margin: 0 0 1rem;
        break-inside: avoid; page-break-inside: avoid; }
.card .head, .note .head { display: flex; gap: 1rem; flex-wrap: wrap; font-size: .9rem;
                           color: var(--muted); }
.card .nr, .note .nr { font-weight: bold; color: var(--accent); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem;
          margin: .3rem 0 .6rem; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
.text p { margin: 0 0 .5rem; }
.foot { font-size: .8rem; color: var(--muted); margin: .6rem 0 0; }
.facilitator { break-before: page; page-break-before: always; margin-top: 2rem; }
.facilitator > h1 { color: var(--warn); }
.banner { border: 2px solid var(--warn); color: var(--warn); font-weight: bold;
          padding: .4rem .7rem; margin: .3rem 0 1rem; }
.note { border-left: 4px solid var(--line); padding: .3rem 0 .3rem .9rem; margin: 0 0 1rem;
        break-inside: avoid; page-break-inside: avoid; }
.false-lead { color: var(--warn); font-weight: bold; }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .cover { break-after: avoid; }
  .screen-only { display: none; }
}
"""

_BOLD = re.compile(r"\*\*(\S(?:[^*\n]*?\S)?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(\S(?:[^*\n]*?\S)?)\*(?![*\w])")


_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _inline(text: str) -> str:
    out = escape(text)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _ITALIC.sub(r"<em>\1</em>", out)


def _markup(text: str) -> str:
    """Escaped text as paragraphs, with Markdown's **bold** and *italic* (nothing else).

    Lines of a paragraph are joined as Markdown joins them; a list item starts a new line.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines: list[str] = []
        for line in block.split("\n"):
            if lines and not _ITEM.match(line):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.strip())
        paragraphs.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return "".join(paragraphs)


class _Cards:
    def __init__(self, loaded: LoadedScenario, lang: str) -> None:
        self.loaded = loaded
        self.s = loaded.scenario
        self.names = Names(loaded, lang)
        self.t = Translator(lang)

    def when(self, inj: Inject) -> str:
        t = self.t
        if inj.at is not None:
            clock = self.s.start + timedelta(minutes=inj.at)
            with_date = clock.date() != self.s.start.date()
            shown = clock.strftime("%d-%m %H:%M" if with_date else "%H:%M")
            return f"{story_time(inj.at)} · {shown}"
        if inj.after is not None:
            event = inj.after.event
            name = (self.names.inject(event) if self.s.inject(event)
                    else self.names.decision(event))
            if inj.after.delay:
                return t("msel.card.after_delay", delay=format_duration(inj.after.delay),
                         event=name)
            return t("msel.card.after", event=name)
        if inj.when is not None:
            return t("msel.card.when", expr=str(inj.when))
        return t("msel.card.manual")

    def meta(self, rows: list[tuple[str, str]]) -> str:
        items = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in rows if v)
        return f'<dl class="meta">{items}</dl>' if items else ""

    def sender(self, inj: Inject) -> str:
        sender = inj.from_
        return self.names.role(sender) if sender in self.loaded.roles else self.names.fill(sender)

    def card(self, n: int, inj: Inject) -> str:
        t = self.t
        # What triggers an untimed inject is the facilitator's to know; the card gets a
        # blank for the time it is handed over.
        when = self.when(inj) if inj.at is not None else t("msel.card.blank_time")
        head = (f'<span class="nr">{n}</span><span class="time">{escape(when)}</span>'
                f'<span class="channel">{escape(inj.channel.value)}</span>')
        rows = [(t("msel.card.from"), escape(self.sender(inj))),
                (t("msel.card.to"), escape(self.names.roles(inj.to, short=False)))]
        if inj.reliability and inj.reliability.value != "onjuist":
            rows.append((t("msel.card.reliability"), escape(inj.reliability.value)))
        text = f'<div class="text">{_markup(self.names.fill(inj.text))}</div>' if inj.text else ""
        return (f'<article class="card" id="card-{escape(inj.id)}">\n'
                f'<div class="head">{head}</div>\n'
                f"<h2>{escape(self.names.fill(inj.title))}</h2>\n"
                f"{self.meta(rows)}\n{text}\n"
                f'<p class="foot">{escape(inj.id)}</p>\n</article>')

    def note(self, n: int, inj: Inject) -> str:
        t = self.t
        rows: list[tuple[str, str]] = []
        if inj.phase:
            rows.append((t("msel.card.phase"), escape(self.names.phase(inj.phase))))
        if inj.if_ is not None:
            rows.append((t("msel.card.guard"), escape(str(inj.if_))))
        notes = inj.facilitator
        if notes and notes.expect:
            rows.append((t("msel.card.expect"), f'<div class="text">'
                         f"{_markup(self.names.fill(notes.expect))}</div>"))
        if notes and notes.guidance:
            rows.append((t("msel.card.guidance"), f'<div class="text">'
                         f"{_markup(self.names.fill(notes.guidance))}</div>"))
        if inj.expect:
            due = inj.expect
            parts = [escape(self.names.fill(due.what))]
            if due.within is not None:
                parts.append(escape(t("msel.card.within", time=format_duration(due.within))))
            if due.every is not None:
                parts.append(escape(t("msel.card.every", time=format_duration(due.every))))
            if due.else_:
                parts.append(escape(t("msel.card.else", inject=self.names.inject(due.else_))))
            rows.append((t("msel.card.players_deliver"), "; ".join(parts)))
        if inj.reliability:
            value = escape(inj.reliability.value)
            if inj.reliability.value == "onjuist":
                value = f'<span class="false-lead">{escape(t("msel.card.false_lead"))}</span>'
            rows.append((t("msel.card.reliability"), value))
        if inj.objectives:
            titles = {o.id: o.title for o in self.s.objectives}
            rows.append((t("msel.card.objectives"),
                         escape("; ".join(f"{o}: {titles.get(o, '')}".rstrip(": ")
                                          for o in inj.objectives))))
        body = self.meta(rows) or f'<p class="muted">{escape(t("msel.card.no_notes"))}</p>'
        return (f'<article class="note">\n<div class="head"><span class="nr">{n}</span>'
                f'<span class="time">{escape(self.when(inj))}</span></div>\n'
                f"<h2>{escape(self.names.fill(inj.title))}</h2>\n{body}\n</article>")

    def page(self) -> str:
        t = self.t
        title = self.names.fill(self.s.title)
        start = self.s.start.strftime("%Y-%m-%d %H:%M")
        cards = "\n".join(self.card(n, inj) for n, inj in enumerate(self.s.injects, 1))
        notes = "\n".join(self.note(n, inj) for n, inj in enumerate(self.s.injects, 1))
        intro = (f'<div class="text">{_markup(self.names.fill(self.s.facilitator))}</div>'
                 if self.s.facilitator else "")
        return (
            f'<!DOCTYPE html>\n<html lang="{escape(self.t.lang)}">\n<head>\n'
            f'<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(t('msel.card.page_title', title=title))}</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n"
            f'<header class="cover">\n<h1>{escape(title)}</h1>\n'
            f'<p>{escape(t("msel.card.lead", n=len(self.s.injects), start=start))}</p>\n'
            f'<p class="muted">{escape(t("msel.card.how"))}</p>\n</header>\n'
            f'<section class="cards">\n{cards}\n</section>\n'
            f'<section class="facilitator">\n<h1>{escape(t("msel.card.facilitator"))}</h1>\n'
            f'<p class="banner">{escape(t("msel.card.not_for_players"))}</p>\n'
            f"{intro}\n{notes}\n</section>\n</body>\n</html>\n")


def cards_html(loaded: LoadedScenario, lang: str = "nl") -> str:
    """The cards page of a scenario: players' cards first, the facilitator's part after."""
    return _Cards(loaded, "en" if lang == "en" else "nl").page()
