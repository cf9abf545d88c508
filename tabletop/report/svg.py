"""Inline SVG step charts of a series over story time (no scripts, no external assets)."""

from __future__ import annotations

from html import escape

from tabletop.i18n.names import story_time
from tabletop.i18n.words import number
from tabletop.report.document import Series

W, H = 360, 136
LEFT, RIGHT, TOP, BOTTOM = 46, 318, 16, 106


def _f(x: float) -> str:
    return f"{x:.1f}"


def _range(s: Series) -> tuple[float, float]:
    if s.boolean:
        return 0.0, 1.0
    values = [v for _, v in s.points]
    low = s.low if s.low is not None else min(values)
    high = s.high if s.high is not None else max(values)
    if high <= low:
        low, high = low - 1, high + 1
    return low, high


def _label(v: float, s: Series, yes: str, no: str) -> str:
    if s.boolean:
        return yes if v else no
    return number(v) + (s.unit if s.unit in ("%", "‰", "°") else "")


def chart(s: Series, phases: tuple[tuple[int, str], ...], yes: str, no: str) -> str:
    """One step chart: value axis left, phase starts as dashed lines numbered 1, 2, …"""
    end = max(s.end_t, s.points[-1][0], 1)
    low, high = _range(s)

    def x(t: int) -> float:
        return LEFT + (RIGHT - LEFT) * t / end

    def y(v: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * (v - low) / (high - low)

    title = escape(s.label)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
             f'aria-label="{title}">', f"<title>{title}</title>"]
    middle = (low + high) / 2
    whole = all(float(v).is_integer() for _, v in s.points)
    ticks = [low, high] if s.boolean or (whole and not middle.is_integer()) else [
        low, middle, high]
    for v in ticks:
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{_f(y(v))}" x2="{RIGHT}" '
                     f'y2="{_f(y(v))}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 4}" y="{_f(y(v) + 3)}" '
                     f'text-anchor="end">{escape(_label(v, s, yes, no))}</text>')
    for index, (start, _) in enumerate(phases, start=1):
        if 0 <= start <= end:
            px = _f(x(start))
            parts.append(f'<line class="phase" x1="{px}" y1="{TOP - 6}" x2="{px}" '
                         f'y2="{BOTTOM}"/>')
            parts.append(f'<text class="phase-no" x="{_f(x(start) + 2)}" y="{TOP - 1}">'
                         f"{index}</text>")
    path = [f"M{_f(x(s.points[0][0]))} {_f(y(s.points[0][1]))}"]
    for t, v in s.points[1:]:
        path.append(f"H{_f(x(t))}V{_f(y(v))}")
    path.append(f"H{_f(x(end))}")
    parts.append(f'<path class="line" d="{"".join(path)}"/>')
    for t, v in s.points[1:]:
        parts.append(f'<circle class="dot" cx="{_f(x(t))}" cy="{_f(y(v))}" r="2.2"/>')
    last = s.points[-1][1]
    parts.append(f'<text class="value" x="{RIGHT + 5}" y="{_f(y(last) + 3.5)}">'
                 f"{escape(_label(last, s, yes, no))}</text>")
    parts.append(f'<text class="axis" x="{LEFT}" y="{BOTTOM + 15}" '
                 f'text-anchor="middle">{story_time(0)}</text>')
    parts.append(f'<text class="axis" x="{RIGHT}" y="{BOTTOM + 15}" '
                 f'text-anchor="middle">{story_time(end)}</text>')
    parts.append("</svg>")
    return "".join(parts)
