"""Many exercises side by side: dilemmas ranked, shared decision points compared, one agenda."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tabletop.report.dilemmas import merge_agenda, normalise
from tabletop.report.model import (
    AgendaItem,
    CombinedReport,
    DecisionRow,
    ExerciseReport,
    RankedDilemma,
    SharedDecision,
)


def exercise_labels(reports: Sequence[ExerciseReport]) -> list[str]:
    """Each exercise's name, made unique with its log's file name where two look alike."""
    labels = [r.label for r in reports]
    return [f"{label} · {r.heading.log_name}" if labels.count(label) > 1 else label
            for label, r in zip(labels, reports, strict=True)]


def _choice(row: DecisionRow) -> str:
    return row.option_id or "answer:" + normalise(row.chosen)


def combine(reports: Sequence[ExerciseReport], lang: str = "nl") -> CombinedReport:
    """The many-exercise view; each exercise's own report stays available in `exercises`."""
    labels = exercise_labels(reports)
    seen: dict[tuple[str, str], RankedDilemma] = {}
    for label, r in zip(labels, reports, strict=True):
        for d in r.dilemmas:
            key = (r.heading.scenario_id, d.key)
            if key in seen:
                old = seen[key]
                if label not in old.exercises:
                    seen[key] = replace(old, exercises=old.exercises + (label,))
            else:
                seen[key] = RankedDilemma(d.title, d.kind, (label,), d.question)
    ranked = sorted(seen.values(), key=lambda d: -len(d.exercises))

    shared: list[SharedDecision] = []
    order: list[tuple[str, str]] = []
    rows: dict[tuple[str, str], dict[str, DecisionRow]] = {}
    for label, r in zip(labels, reports, strict=True):
        for row in r.decisions:
            key = (r.heading.scenario_id, row.decision_id)
            if key not in rows:
                rows[key] = {}
                order.append(key)
            rows[key][label] = row
    for key in order:
        taken = rows[key]
        if len(taken) < 2:
            continue
        players = [(label, taken.get(label)) for label, r in zip(labels, reports, strict=True)
                   if r.heading.scenario_id == key[0]]
        first = next(iter(taken.values()))
        distinct = len({_choice(row) for row in taken.values()})
        shared.append(SharedDecision(first.question, tuple(players), distinct))

    items: list[AgendaItem] = []
    for label, r in zip(labels, reports, strict=True):
        items += [replace(item, exercises=(label,)) for item in r.agenda]
    agenda = merge_agenda(items)
    agenda.sort(key=lambda item: -len(item.exercises))
    return CombinedReport(lang, list(reports), ranked, shared, agenda)
