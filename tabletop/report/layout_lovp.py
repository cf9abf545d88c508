"""The LOVP-facing parts of a report: each gezagsdilemma in full, and the agenda table."""

from __future__ import annotations

from collections.abc import Sequence

from tabletop.i18n import Translator
from tabletop.i18n.names import story_time
from tabletop.report.document import (
    Block,
    Cell,
    Fields,
    Heading,
    Inline,
    Paragraph,
    Span,
    Table,
    plain,
    span,
)
from tabletop.report.model import AgendaItem, DilemmaEntry

MAX_SOURCES = 4
"""Sources listed per agenda item; the dilemma section names every one."""


def agenda_table(t: Translator, items: Sequence[AgendaItem], many: bool = False) -> Table:
    """Nr · question · who takes it up · where it came from (· which exercises)."""
    rows = []
    for number, item in enumerate(items, start=1):
        row: list[Cell] = [(plain(str(number)),), (plain(item.question),),
                           tuple(plain(o) for o in item.owners)]
        if many:
            row.append(tuple(plain(x) for x in item.exercises))
        sources = list(item.sources)
        if len(sources) > MAX_SOURCES:
            hidden = len(sources) - MAX_SOURCES + 1
            sources = sources[:MAX_SOURCES - 1] + [t("rp.more_sources", n=hidden)]
        row.append(tuple(plain(span(s, "muted")) for s in sources))
        rows.append(tuple(row))
    header = [t("rp.col.nr"), t("rp.col.question"), t("rp.col.owner")]
    widths = [5, 49, 18, 28] if not many else [5, 39, 16, 18, 22]
    if many:
        header.append(t("rp.col.exercises"))
    header.append(t("rp.col.source"))
    return Table(tuple(header), tuple(rows), "agenda", tuple(widths))


def dilemma_blocks(number: int, d: DilemmaEntry, t: Translator, shift: int) -> list[Block]:
    bases: list[Inline] = []
    for b in d.bases:
        parts: list[object] = [f"{b.role}: " if b.role else ""]
        parts.append(b.basis if b.basis else span(t("rp.no_authority"), "muted"))
        if b.unverified:
            parts.append(span(t("tl.unverified"), "flag"))
        bases.append(plain(*parts))
    happened: list[Inline] = []
    for o in d.occurrences:
        parts = [span(story_time(o.t), "muted"), " "]
        if o.decision:
            parts += [o.decision, " → ", span(o.outcome or t("rp.not_taken"), "i")]
        else:
            parts.append(o.summary)
        happened.append(plain(*parts))
    pairs: list[tuple[str, Cell]] = []
    if d.situation:
        pairs.append((t("rp.f.situation"), (plain(d.situation),)))
    pairs.append((t("rp.f.roles"), (plain(", ".join(d.roles) or "—"),)))
    if any(b.basis for b in d.bases) or d.kind != "handmatig":
        pairs.append((t("rp.f.bases"), tuple(bases) or (plain(span(t("rp.no_basis"), "flag")),)))
    pairs.append((t("rp.f.happened"), tuple(happened)))
    if d.question:
        pairs.append((t("rp.f.lovp_question"), (plain(span(d.question, "b")),)))
    pairs.append((t("rp.f.owner"), (plain(d.owner),)))
    return [Heading(min(3 + shift, 6), plain(f"{number}. {d.title}")),
            Paragraph((Span(t(f"kind.{d.kind}.long"), "muted"),)),
            Fields(tuple(pairs))]
