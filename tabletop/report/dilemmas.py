"""The gezagsdilemma's of one exercise in words, and the LOVP agenda that follows from them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from tabletop.i18n import words
from tabletop.i18n.names import Names, story_time
from tabletop.model.events import DilemmaSurfaced, NoteAdded
from tabletop.report.document import clean
from tabletop.report.model import (
    AgendaItem,
    BasisItem,
    DecisionRow,
    DilemmaEntry,
    Occurrence,
)
from tabletop.report.owners import follow_up

DETECTED = ("bevoegdheid", "overlap", "schaarste", "termijn", "advies")
"""Kinds the engine detects, in the order the report lists them (after authored and
hand-flagged dilemmas): who holds gezag first, dissenting advice last."""


def _lower_first(text: str) -> str:
    """`Handhaving openbare orde` → `handhaving openbare orde` (not for `NAVO-SOFA`)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def domain_name(domain: str | None, names: Names) -> str:
    spec = names.loaded.domains.get(domain) if (names.loaded and domain) else None
    return _lower_first(spec.label) if spec else (domain or "")


def _role_list(role_ids: Sequence[str], names: Names) -> str:
    parts = [names.role(r) for r in role_ids]
    return words.listing(names.t, parts) or names.t("tl.nobody")


def _words(e: DilemmaSurfaced, n: Names) -> tuple[str, str, str]:
    """(title, situation, LOVP question) for a dilemma the engine detected."""
    t = n.t
    d = e.detail
    decision = n.decision(e.decision)
    kind = e.kind
    values: dict[str, object] = {"decision": decision}
    if kind == "bevoegdheid":
        values |= {"by": n.role(d.get("decided_by")), "domain": domain_name(d.get("domain"), n),
                   "holders": _role_list(d.get("holders") or [], n)}
    elif kind == "overlap":
        values |= {"domain": domain_name(d.get("domain"), n),
                   "holders": _role_list(list(e.roles), n)}
    elif kind == "advies":
        chosen = n.option(e.decision or "", d.get("chosen"))
        dissent = "; ".join(t("rp.advised", role=n.role(r), option=n.option(e.decision or "", o))
                            for r, o in (d.get("advice") or {}).items())
        values |= {"by": n.role(e.roles[0] if e.roles else None), "chosen": chosen,
                   "dissent": dissent}
    elif kind == "schaarste":
        resources = ", ".join(_lower_first(n.resource(r)) for r in d.get("resources") or [])
        values |= {"resource": resources, "needed": d.get("needed"), "free": d.get("free"),
                   "other": n.decision(d.get("with_decision"))}
        if d.get("reason") != "short":
            kind = "schaarste.twice"
    elif kind == "termijn":
        deadline = d.get("deadline_t")
        values |= {"default": n.option(e.decision or "", d.get("default")),
                   "deadline": story_time(deadline) if deadline is not None else "—"}
    elif kind == "handmatig":
        return clean(e.text), "", t("rp.dk.handmatig.question", text=clean(e.text))
    else:
        return e.kind, "", ""
    return (t(f"rp.dk.{kind}.title", **values), t(f"rp.dk.{kind}.situation", **values),
            t(f"rp.dk.{kind}.question", **values))


def _key(e: DilemmaSurfaced) -> str:
    if e.kind == "authored":
        return f"authored:{e.dilemma}"
    if e.kind == "handmatig":
        return "handmatig:" + normalise(e.text)
    reason = (e.detail or {}).get("reason", "")
    return f"{e.kind}:{e.decision or ''}:{reason}"


def normalise(text: str) -> str:
    """A comparison key for agenda deduplication: case, spacing, end punctuation ignored."""
    return re.sub(r"[\s.?!:;,]+$", "", clean(text).casefold())


def dilemma_entries(events: Sequence[DilemmaSurfaced], decisions: dict[str, DecisionRow],
                    names: Names, action_owners: dict[str, str | None]) -> list[DilemmaEntry]:
    """One entry per distinct dilemma: the scenario's and the facilitator's first, in the
    order they surfaced, then those the engine detected, by kind."""
    n = names
    entries: dict[str, DilemmaEntry] = {}
    for e in events:
        key = _key(e)
        row = decisions.get(e.decision or "")
        outcome = None
        if row is not None:
            who = n.t("tl.default") if row.default else row.decided_by
            outcome = f"{row.chosen} ({who})"
        if e.kind == "authored":
            spec = n.s.dilemma(e.dilemma) if (n.s and e.dilemma) else None
            title = spec.title if spec else (e.dilemma or "")
            situation = n.fill(spec.situation) if spec else ""
            question = n.fill(spec.question) if spec else ""
            summary = n.t("rp.surfaced_by", what=n.decision(e.decision)) if e.decision else ""
            bases = tuple(BasisItem(None, b.basis, b.unverified) for b in (spec.bases if spec
                                                                          else []))
        else:
            title, situation, question = _words(e, n)
            summary = situation or n.t("rp.dk.handmatig.situation")
            bases = tuple(BasisItem(n.role(b.get("role")) if b.get("role") else None,
                                    b.get("basis"), bool(b.get("unverified")))
                          for b in e.bases)
        occurrence = Occurrence(e.t, n.decision(e.decision) if e.decision else None, outcome,
                                summary)
        roles = tuple(n.role(r) for r in e.roles)
        if key in entries:
            old = entries[key]
            merged = tuple(dict.fromkeys(old.roles + roles))
            entries[key] = replace(old, roles=merged, occurrences=old.occurrences + (occurrence,))
            continue
        first = action_owners.get(e.decision or "") or (e.roles[0] if e.roles else None)
        entries[key] = DilemmaEntry(key, e.kind, clean(title), clean(situation), roles, bases,
                                    (occurrence,), clean(question), follow_up(first, n))
    order = {kind: rank for rank, kind in enumerate(DETECTED, start=1)}
    return sorted(entries.values(), key=lambda d: order.get(d.kind, 0))


def agenda(dilemmas: Sequence[DilemmaEntry], notes: Sequence[NoteAdded],
           names: Names) -> list[AgendaItem]:
    """LOVP-flagged notes and dilemma questions, deduplicated.

    Points people wrote (notes for the LOVP, the scenario's own dilemma questions) come
    first, in the order they arose; then the questions behind dilemmas the engine detected.
    """
    timed: list[tuple[int, int, int, AgendaItem]] = []
    for index, note in enumerate(notes):
        if note.lovp and clean(note.text):
            source = names.t("rp.source.note", who=names.role(note.by), time=story_time(note.t))
            owner = follow_up(note.owner or note.by, names)
            timed.append((0, note.t, index, AgendaItem(clean(note.text), (owner,), (source,))))
    for index, entry in enumerate(dilemmas):
        if entry.question:
            source = names.t("rp.source.dilemma", title=entry.title)
            rank = 1 if entry.kind in DETECTED else 0
            when = entry.occurrences[0].t if rank == 0 else 0
            timed.append((rank, when, len(notes) + index,
                          AgendaItem(entry.question, (entry.owner,), (source,))))
    timed.sort(key=lambda item: item[:3])
    return merge_agenda([item[3] for item in timed])


def merge_agenda(items: Sequence[AgendaItem]) -> list[AgendaItem]:
    """Fold items with the same question together, keeping the first one's place."""
    merged: dict[str, AgendaItem] = {}
    for item in items:
        key = normalise(item.question)
        if key in merged:
            old = merged[key]
            merged[key] = replace(
                old, owners=tuple(dict.fromkeys(old.owners + item.owners)),
                sources=tuple(dict.fromkeys(old.sources + item.sources)),
                exercises=tuple(dict.fromkeys(old.exercises + item.exercises)))
        else:
            merged[key] = item
    return list(merged.values())
