"""Target against actual of one indicator, year by year, as a server-side SVG (reports/charts.py's style):
a column per year for the actual figure, a dash across it for the target; a year without events has no
column, a year without a target no dash."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..reports.charts import COLOURS, MUTED, TITLE_H, _frame, _open, axis, thousands

ACTUAL, TARGET = COLOURS[0], COLOURS[4]


def target_chart(points: Sequence[tuple[int, float | None, int | None]], *, title: str, description: str,
                 chart_id: str, legend: tuple[str, str], width: int = 480, height: int = 240) -> str:
    """`points`: (year, target, actual) in order; `legend`: the words for (actual, target)."""
    parts = _open(chart_id, title, description, width, height)
    left, right, top, bottom = 52, 12, TITLE_H + 22, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max([v for _y, t, a in points for v in (t, a) if v is not None] or [0])
    scale = axis(highest or 1)
    _frame(parts, scale, left, top, plot_w, plot_h, thousands)
    scale_top = scale[0]
    slot = plot_w / max(len(points), 1)
    for index, (year, target, actual) in enumerate(points):
        x = left + index * slot
        words = f"{year}: {legend[0]} {thousands(actual) if actual is not None else '–'}, " \
                f"{legend[1]} {thousands(target) if target is not None else '–'}"
        parts.append(f"<g><title>{escape(words)}</title>")
        if actual is not None:
            bar_h = plot_h * actual / scale_top
            parts.append(f'<rect x="{x + slot * 0.2:.1f}" y="{top + plot_h - bar_h:.1f}" '
                         f'width="{slot * 0.6:.1f}" '
                         f'height="{bar_h:.1f}" fill="{ACTUAL}"/>')
        if target is not None:
            y = top + plot_h - plot_h * target / scale_top
            parts.append(f'<line x1="{x + slot * 0.1:.1f}" y1="{y:.1f}" '
                         f'x2="{x + slot * 0.9:.1f}" y2="{y:.1f}" '
                         f'stroke="{TARGET}" stroke-width="3"/>')
        parts.append("</g>")
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{top + plot_h + 16:.1f}" text-anchor="middle" '
                     f'fill="{MUTED}">{year}</text>')
    # the legend under the title: a square for the columns, a dash for the targets
    parts.append(f'<rect x="8" y="{TITLE_H + 2}" width="10" height="10" fill="{ACTUAL}"/>'
                 f'<text x="22" y="{TITLE_H + 11}" fill="#222222">{escape(legend[0])}</text>')
    second = 40 + len(legend[0]) * 6.6
    parts.append(f'<line x1="{second:.1f}" y1="{TITLE_H + 7}" x2="{second + 14:.1f}" y2="{TITLE_H + 7}" '
                 f'stroke="{TARGET}" stroke-width="3"/>'
                 f'<text x="{second + 18:.1f}" y="{TITLE_H + 11}" fill="#222222">{escape(legend[1])}</text>')
    parts.append("</svg>")
    return "".join(parts)
