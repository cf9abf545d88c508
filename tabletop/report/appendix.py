"""The appendix: each state variable and resource over story time, as charts and a table."""

from __future__ import annotations

from tabletop.i18n import Translator
from tabletop.i18n.names import story_time
from tabletop.i18n.words import value
from tabletop.report.document import Charts, Inline, Series, Table, plain, span
from tabletop.report.model import ExerciseReport, StateSeries

MAX_STEPS = 8
"""Changes listed in full in the table; longer histories show the first and last ones."""


def _label(s: StateSeries, t: Translator) -> str:
    return t("rp.free_capacity", resource=s.label) if s.capacity else s.label


def _course(s: StateSeries, t: Translator) -> Inline:
    steps = [f"{story_time(at)} {value(t, v, s.boolean, s.unit)}" for at, v in s.points[1:]]
    if not steps:
        return plain(span(t("rp.unchanged"), "muted"))
    if len(steps) > MAX_STEPS:
        half = MAX_STEPS // 2
        hidden = len(steps) - 2 * half
        steps = steps[:half] + [t("rp.more_changes", n=hidden)] + steps[-half:]
    return plain(" · ".join(steps))


def appendix(r: ExerciseReport, t: Translator) -> Charts:
    """Charts of every series (HTML) with the same data as a compact table (Markdown, docx)."""
    rows = []
    for s in r.series:
        values = [v for _, v in s.points]

        def fmt(v: float, s: StateSeries = s) -> str:
            return value(t, v, s.boolean, s.unit)

        rows.append(((plain(_label(s, t)),), (plain(fmt(values[0])),), (_course(s, t),),
                     (plain(fmt(values[-1])),), (plain(fmt(min(values))),),
                     (plain(fmt(max(values))),)))
    header = tuple(t(f"rp.col.{c}") for c in ("variable", "start", "course", "end", "lowest",
                                               "highest"))
    table = Table(header, tuple(rows), "state", (24, 8, 44, 8, 8, 8))
    series = tuple(Series(_label(s, t), s.unit, s.points, r.end_t, s.low, s.high, s.boolean)
                   for s in r.series)
    return Charts(series, tuple(r.phase_starts), table)
