"""Write one exercise's report as prose, lists and tables (the document every renderer reads)."""

from __future__ import annotations

from tabletop.i18n import Translator
from tabletop.i18n.names import story_time
from tabletop.i18n.words import duration, join, long_date, long_moment, plural
from tabletop.report.appendix import appendix
from tabletop.report.document import (
    Block,
    Bullets,
    Cell,
    Document,
    Fields,
    Heading,
    Inline,
    Paragraph,
    Table,
    plain,
    span,
)
from tabletop.report.layout_lovp import agenda_table, dilemma_blocks
from tabletop.report.model import DecisionRow, ExerciseReport

KINDS = ("authored", "bevoegdheid", "overlap", "advies", "schaarste", "termijn", "handmatig")


def _h(level: int, shift: int, text: object, anchor: str = "") -> Heading:
    return Heading(min(level + shift, 6), plain(text), anchor)


def _facts(r: ExerciseReport, t: Translator) -> Fields:
    h = r.heading
    people: list[Inline] = [plain(f"{p.role}: {p.person}" if p.person else p.role)
                            for p in h.participants]
    pairs: list[tuple[str, tuple[Inline, ...]]] = [
        (t("rp.f.exercise"), (plain(h.title),)),
        (t("rp.f.scenario"), (plain(h.scenario_title, span(f" ({h.scenario_id})", "muted")),)),
        (t("rp.f.date"), (plain(long_date(t, h.date)),)),
    ]
    if h.region:
        pairs.append((t("rp.f.region"), (plain(h.region),)))
    if h.facilitator:
        pairs.append((t("rp.f.facilitator"), (plain(h.facilitator),)))
    pairs.append((t("rp.f.participants"), tuple(people) or (plain("—"),)))
    pairs.append((t("rp.f.story"), (plain(t("rp.story_start", start=long_moment(
        t, h.story_start))),)))
    pairs.append((t("rp.f.log"), (plain(t("rp.log_line", name=h.log_name, lines=h.log_lines,
                                             hash=h.last_hash[:12])),)))
    if h.signer:  # so the secretariat can check the log it receives (`tabletop verify`)
        pairs.append((t("rp.f.seal"), (plain(t("rp.seal_line", fingerprint=h.signer,
                                                 hash=h.last_hash)),)))
    return Fields(tuple(pairs))


def summary_sentences(r: ExerciseReport, t: Translator) -> list[str]:
    h = r.heading
    region = t("rp.sum.in_region", region=h.region) if h.region else ""
    out = [t("rp.sum.played", date=long_date(t, h.date), scenario=h.scenario_title,
             region=region),
           t("rp.sum.span", duration=duration(t, r.end_t),
             phases=plural(t, "rp.n.phase", len(r.phases)))]
    taken = len(r.decisions)
    defaults = sum(1 for d in r.decisions if d.default)
    extra = plural(t, "rp.sum.defaults", defaults) if defaults else ""
    out.append(plural(t, "rp.sum.decisions", taken, extra=extra))
    if r.pending:
        out.append(plural(t, "rp.sum.pending", len(r.pending)))
    if r.dilemmas:
        counts = [plural(t, f"rp.sum.kind.{k}", n) for k in KINDS
                  if (n := sum(1 for d in r.dilemmas if d.kind == k))]
        out.append(plural(t, "rp.sum.dilemmas", len(r.dilemmas), kinds=join(t, counts)))
    else:
        out.append(t("rp.sum.no_dilemmas"))
    if r.objectives:
        done = sum(1 for o in r.objectives if o.exercised)
        out.append(t("rp.sum.objectives", done=done, total=len(r.objectives)))
    if r.outcome:
        out.append(t("rp.sum.outcome", outcome=r.outcome))
    else:
        out.append(t("rp.sum.no_outcome"))
    if r.ended_by_hand:
        out.append(t("rp.sum.ended_by_hand"))
    out.append(plural(t, "rp.sum.agenda", len(r.agenda)))
    return out


def _course(r: ExerciseReport, t: Translator, shift: int) -> list[Block]:
    blocks: list[Block] = []
    for phase in r.phases:
        title = t("rp.course.phase", title=phase.title, start=story_time(phase.start_t),
                  end=story_time(phase.end_t))
        blocks.append(_h(3, shift, title))
        items = []
        for item in phase.items:
            parts: list[object] = [span(story_time(item.t), "muted"), " ",
                                   span(t(f"rp.course.{item.kind}"), "b"), " "]
            if item.kind in ("decision", "default"):
                parts += [item.subject, " → ", span(item.detail, "i")]
                parts.append(f" ({item.who})" if item.who else "")
            elif item.kind == "dilemma" and item.detail:
                parts += [item.subject, span(" " + t("rp.course.at", what=item.detail), "muted")]
            else:
                parts.append(item.subject)
                if item.detail:
                    parts.append(span(f" ({item.detail})" if item.kind != "adhoc"
                                      else f": {item.detail}", "muted"))
            items.append(plain(*parts))
        blocks.append(Bullets(tuple(items)) if items else Paragraph(
            plain(t("rp.course.quiet")), "muted"))
    return blocks


def _decision_row(d: DecisionRow, t: Translator) -> tuple[Cell, ...]:
    chosen: list[Inline] = [plain(span(d.question, "muted")),
                            plain(span(d.chosen, "" if d.answered else "b"))]
    if d.rejected:
        chosen.append(plain(span(t("rp.rejected", options="; ".join(d.rejected)), "muted")))
    who: list[Inline] = []
    if d.default:
        who.append(plain(span(t("rp.default_mark"), "warn")))
        who.append(plain(t("rp.owner_is", owner=d.owner)))
    else:
        who.append(plain(d.decided_by))
    if d.simulated:
        who.append(plain(span(t("tl.simulated"), "muted")))
    if d.forum:
        who.append(plain(span(t("rp.in_forum", forum=d.forum), "muted")))
    if d.action_owner:
        who.append(plain(span(t("rp.action_owner", who=d.action_owner), "muted")))
    basis: list[Inline] = []
    if d.basis:
        basis.append(plain(d.basis))
        if d.basis_unverified:
            basis.append(plain(span(t("tl.unverified"), "flag")))
    else:
        basis.append(plain(span(t("rp.no_basis"), "flag")))
    if d.basis_elsewhere:
        basis.append(plain(span(t("rp.basis_elsewhere", role=d.basis_elsewhere), "flag")))
    advice: list[Inline] = [
        plain(f"{a.role}: ", span(a.text, "i"), span(t("rp.dissent"), "flag") if a.dissent
              else "") for a in d.advice] or [plain("—")]
    capacity: list[Inline] = []
    for c in d.capacity:
        text = t("rp.cap.claimed", resource=c.resource, n=c.claimed, free=c.free_after)
        parts: list[object] = [text]
        if c.returns_t is not None:
            parts.append(span(", " + t("rp.cap.back", time=story_time(c.returns_t)), "muted"))
        if c.requested > c.claimed:
            parts.append(span(t("rp.cap.short", requested=c.requested), "flag"))
        capacity.append(plain(*parts))
    return ((plain(story_time(d.t)),), tuple(chosen), tuple(who), tuple(basis),
            tuple(advice), (plain(d.rationale or "—"),), tuple(capacity) or (plain("—"),))


def _decisions(r: ExerciseReport, t: Translator, shift: int) -> list[Block]:
    blocks: list[Block] = [_h(2, shift, t("rp.h.decisions"), "besluiten")]
    if not r.decisions:
        blocks.append(Paragraph(plain(t("rp.no_decisions")), "muted"))
    else:
        blocks.append(Paragraph(plain(t("rp.decisions_intro"))))
        header = tuple(t(f"rp.col.{c}") for c in ("time", "decision", "by", "basis", "advice",
                                                   "rationale", "capacity"))
        blocks.append(Table(header, tuple(_decision_row(d, t) for d in r.decisions),
                            "decisions", (8, 19, 15, 14, 16, 17, 11)))
    if r.pending:
        blocks.append(Paragraph(plain(span(t("rp.pending_intro"), "b"))))
        blocks.append(Bullets(tuple(plain(
            span(story_time(p.t), "muted"), " ", p.question, " ",
            span(t("rp.pending_owner", owner=p.owner), "muted")) for p in r.pending)))
    return blocks


def _objectives(r: ExerciseReport, t: Translator, shift: int) -> list[Block]:
    blocks: list[Block] = [_h(2, shift, t("rp.h.objectives"), "oefendoelen")]
    if r.objectives:
        rows = tuple(((plain(o.title),),
                      (plain(t("rp.yes")) if o.exercised else plain(span(t("rp.no"), "warn")),),
                      tuple(plain(v) for v in o.via) or (plain(span(t("rp.not_exercised"),
                                                                    "muted")),))
                     for o in r.objectives)
        header = (t("rp.col.objective"), t("rp.col.exercised"), t("rp.col.via"))
        blocks.append(Table(header, rows, "objectives", (34, 12, 54)))
    else:
        blocks.append(Paragraph(plain(t("rp.no_objectives")), "muted"))
    if r.expectations:
        blocks.append(_h(3, shift, t("rp.h.expectations")))
        expected = tuple(((plain(story_time(x.t)),), (plain(x.inject),),
                          (plain(x.what or "—"),),
                          (plain(t("tl.met")) if x.status == "met"
                           else plain(span(t("tl.missed"), "warn")),), (plain(x.by or "—"),))
                         for x in r.expectations)
        columns = tuple(t(f"rp.col.{c}") for c in ("time", "inject", "expected", "status", "by"))
        blocks.append(Table(columns, expected, "expectations", (8, 32, 30, 14, 16)))
    if r.observations:
        blocks.append(_h(3, shift, t("rp.h.observations")))
        items = []
        for o in r.observations:
            parts: list[object] = [span(story_time(o.t), "muted"), " ", span(o.by, "b"), ": ",
                                   o.text]
            if o.rating:
                parts.append(span(t("rp.rating", rating=o.rating,
                                    meaning=t(f"rp.rating.{o.rating}")), "muted"))
            if o.inject:
                parts.append(span(" " + t("rp.course.at", what=o.inject), "muted"))
            items.append(plain(*parts))
        blocks.append(Bullets(tuple(items)))
    return blocks


def _questions(r: ExerciseReport, t: Translator, shift: int) -> list[Block]:
    blocks: list[Block] = [_h(2, shift, t("rp.h.questions"), "discussievragen")]
    if not r.questions:
        return blocks + [Paragraph(plain(t("rp.no_questions")), "muted")]
    phase = None
    for q in r.questions:
        if q.phase != phase:
            phase = q.phase
            blocks.append(_h(3, shift, q.phase))
        blocks.append(Paragraph(plain(span(f"{q.number}. {q.text}", "b"))))
        if q.answers:
            blocks.append(Bullets(tuple(plain(
                span(a.by, "b"), span(f" ({story_time(a.t)})", "muted"), ": ", a.text,
                span(t("tl.lovp"), "flag") if a.lovp else "") for a in q.answers)))
        else:
            key = "rp.unanswered" if q.reached else "rp.phase_not_reached"
            blocks.append(Paragraph(plain(t(key)), "muted"))
    return blocks


def exercise_blocks(r: ExerciseReport, shift: int = 0) -> list[Block]:
    """Every section of one exercise's report; `shift` lowers the headings (many-report)."""
    t = Translator(r.lang)
    title = t("rp.title.one", title=r.heading.title) if not shift else r.heading.title
    blocks: list[Block] = [_h(1, shift, title), _facts(r, t),
                           _h(2, shift, t("rp.h.summary"), "samenvatting"),
                           Paragraph(plain(" ".join(summary_sentences(r, t))), "lead")]
    if r.scenario_summary:
        blocks.append(Paragraph(plain(span(t("rp.scenario_label"), "b"), " ",
                                      r.scenario_summary), "muted"))
    blocks.append(_h(2, shift, t("rp.h.course"), "verloop"))
    blocks += _course(r, t, shift)
    blocks += _decisions(r, t, shift)
    blocks += _objectives(r, t, shift)
    blocks += _questions(r, t, shift)
    blocks.append(_h(2, shift, t("rp.h.dilemmas"), "dilemmas"))
    if r.dilemmas:
        for number, d in enumerate(r.dilemmas, start=1):
            blocks += dilemma_blocks(number, d, t, shift)
    else:
        blocks.append(Paragraph(plain(t("rp.sum.no_dilemmas")), "muted"))
    blocks.append(_h(2, shift, t("rp.h.agenda"), "lovp"))
    if r.agenda:
        blocks.append(Paragraph(plain(t("rp.agenda_intro"))))
        blocks.append(agenda_table(t, r.agenda))
    else:
        blocks.append(Paragraph(plain(t("rp.no_agenda")), "muted"))
    blocks.append(_h(2, shift, t("rp.h.appendix"), "bijlage"))
    blocks.append(appendix(r, t))
    return blocks


def exercise_document(r: ExerciseReport) -> Document:
    t = Translator(r.lang)
    doc = Document(t("rp.title.one", title=r.heading.title), r.lang)
    doc.add(*exercise_blocks(r))
    return doc
