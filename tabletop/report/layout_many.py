"""Write the many-exercise report: overview, ranked dilemmas, regional difference, one agenda."""

from __future__ import annotations

from tabletop.i18n import Translator
from tabletop.i18n.words import long_date, plural
from tabletop.report.combine import exercise_labels
from tabletop.report.document import (
    Block,
    Cell,
    Document,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Table,
    plain,
    span,
)
from tabletop.report.layout import exercise_blocks
from tabletop.report.layout_lovp import agenda_table
from tabletop.report.model import CombinedReport, SharedDecision


def _overview(c: CombinedReport, t: Translator) -> Table:
    rows = []
    for label, r in zip(exercise_labels(c.exercises), c.exercises, strict=True):
        rows.append(((plain(label),), (plain(long_date(t, r.heading.date)),),
                     (plain(r.heading.scenario_title),),
                     (plain(r.outcome or span(t("tl.no_outcome"), "muted")),),
                     (plain(str(len(r.decisions))),), (plain(str(len(r.dilemmas))),),
                     (plain(str(len(r.agenda))),)))
    header = tuple(t(f"rp.col.{c}") for c in ("exercise", "date", "scenario", "outcome",
                                               "decisions", "dilemmas", "agenda"))
    return Table(header, tuple(rows), "overview", (21, 11, 18, 20, 10, 10, 10))


def _shared(s: SharedDecision, t: Translator) -> list[Block]:
    decided = sum(1 for _, row in s.choices if row is not None)
    note = (plural(t, "rp.many.distinct", s.distinct, total=decided) if s.distinct > 1
            else t("rp.many.same", total=decided))
    rows: list[tuple[Cell, ...]] = []
    for label, row in s.choices:
        if row is None:
            rows.append(((plain(label),), (plain(span(t("rp.not_taken"), "muted")),),
                         (plain("—"),), (plain("—"),), (plain("—"),)))
            continue
        who: list[Inline] = [plain(row.decided_by)]
        if row.default:
            who = [plain(span(t("rp.default_mark"), "warn"))]
        basis: Inline = plain(row.basis) if row.basis else plain(span(t("rp.no_basis"), "flag"))
        if row.basis_elsewhere:
            basis += (span(t("rp.basis_elsewhere", role=row.basis_elsewhere), "flag"),)
        rows.append(((plain(label),), (plain(span(row.chosen, "" if row.answered else "b")),),
                     tuple(who), (basis,), (plain(row.rationale or "—"),)))
    header = tuple(t(f"rp.col.{c}") for c in ("exercise", "decision", "by", "basis",
                                               "rationale"))
    return [Heading(3, plain(s.question)),
            Paragraph(plain(span(note, "flag" if s.distinct > 1 else "muted"))),
            Table(header, tuple(rows), "shared", (20, 26, 16, 20, 18))]


def combined_document(c: CombinedReport) -> Document:
    """One document: the comparison first, then every exercise's own report."""
    t = Translator(c.lang)
    n = len(c.exercises)
    doc = Document(t("rp.title.many", n=n), c.lang)
    scenarios = len({r.heading.scenario_id for r in c.exercises})
    recurring = sum(1 for d in c.dilemmas if len(d.exercises) > 1)
    differing = sum(1 for s in c.shared if s.distinct > 1)
    lead = [t("rp.many.lead", n=n, scenarios=plural(t, "rp.n.scenario", scenarios)),
            plural(t, "rp.many.recurring", recurring),
            plural(t, "rp.many.differing", differing, shared=len(c.shared)),
            plural(t, "rp.sum.agenda_many", len(c.agenda))]
    doc.add(Heading(1, plain(doc.title)), Paragraph(plain(" ".join(lead)), "lead"),
            _overview(c, t))
    doc.add(Heading(2, plain(t("rp.h.many_dilemmas"))))
    if c.dilemmas:
        rows = tuple(((plain(str(i)),), (plain(d.title),), (plain(t(f"kind.{d.kind}")),),
                      (plain(span(t("rp.many.count", k=len(d.exercises), n=n), "b")),),
                      tuple(plain(x) for x in d.exercises))
                     for i, d in enumerate(c.dilemmas, start=1))
        header = tuple(t(f"rp.col.{c}") for c in ("nr", "dilemma", "kind", "count",
                                                   "exercises"))
        doc.add(Paragraph(plain(t("rp.many.dilemmas_intro"))),
                Table(header, rows, "ranking", (4, 42, 12, 10, 32)))
    else:
        doc.add(Paragraph(plain(t("rp.sum.no_dilemmas")), "muted"))
    doc.add(Heading(2, plain(t("rp.h.shared"))))
    if c.shared:
        doc.add(Paragraph(plain(t("rp.many.shared_intro"))))
        for s in c.shared:
            doc.add(*_shared(s, t))
    else:
        doc.add(Paragraph(plain(t("rp.many.no_shared")), "muted"))
    doc.add(Heading(2, plain(t("rp.h.agenda_many"))))
    if c.agenda:
        doc.add(Paragraph(plain(t("rp.many.agenda_intro"))), agenda_table(t, c.agenda, True))
    else:
        doc.add(Paragraph(plain(t("rp.no_agenda")), "muted"))
    for label, r in zip(exercise_labels(c.exercises), c.exercises, strict=True):
        doc.add(PageBreak(), Heading(2, plain(t("rp.h.exercise", label=label))))
        doc.add(*exercise_blocks(r, shift=1)[1:])
    return doc
