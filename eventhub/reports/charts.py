"""Charts drawn on the server as SVG: pure functions from data to an SVG string.

No JavaScript and no CDN: the same SVG goes into the dashboard (inline) and the printed report (as
an image). Each chart is accessible: `role="img"` with a <title> and a <desc> that say what it shows,
and each bar or point has a <title> with its label and value (a tooltip, and read by screen readers).
Every text is escaped here; labels come from organizers (session titles, contest names).
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable, Sequence
from html import escape

FONT = "DejaVu Sans, Arial, sans-serif"
COLOURS = ("#1565c0", "#2e7d32", "#c62828", "#6a1b9a", "#ef6c00", "#00838f")
AXIS, GRID, MUTED = "#555555", "#e0e0e0", "#666666"
TITLE_H = 26  # room for the visible title at the top
CHAR_PX = 6.6  # rough width of one character at 11px in the font above: enough to leave room
LABEL_PX = 7.0  # the same, generously, for the bars' labels (capitals, wide letters): never cut off
LINE_H = 13  # a label's line height at 11px

Item = tuple[str, int | float]


def thousands(value: int | float) -> str:
    """1234567 → "1.234.567" (Vietnamese grouping), whatever the language: charts carry numbers only."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")
    return f"{int(value):,}".replace(",", ".")


def nice_step(value: float, count: int = 5) -> float:
    """The smallest step of 1, 2 or 5 × 10^k (at least 1: charts count things) that reaches `value`
    in at most `count` intervals."""
    if value <= 0:
        return 1
    raw = value / count
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for step in (1, 2, 5, 10):
        if raw <= step * power:
            return max(step * power, 1)
    return 10 * power  # pragma: no cover - the loop always returns


def axis(value: float, count: int = 5) -> tuple[float, float]:
    """(top, step) of an axis from 0 that holds `value`: whole numbers, round steps."""
    step = nice_step(value, count)
    return max(math.ceil(value / step), 1) * step, step


def ticks(top: float, step: float) -> list[float]:
    """0, step, 2 step, … up to `top`."""
    return [step * i for i in range(round(top / step) + 1)]


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _safe_id(chart_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"


def shorten(label: str, limit: int) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: max(limit - 1, 1)].rstrip() + "…"


def wrap(label: str, width: int, max_lines: int = 3) -> list[str]:
    """The label in lines of at most `width` characters, broken between words (a word longer than a
    line is cut); beyond `max_lines` the last line ends with "…" (the full text is in the bar's <title>
    and, in the printed report, in its tables)."""
    words, lines, line = " ".join(str(label).split()).split(" "), [], ""
    for word in words:
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:width])
            word = word[width:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = shorten(lines[-1] + " …", width) if len(lines[-1]) + 2 > width else lines[-1] + " …"
    return lines


def _open(chart_id: str, title: str, description: str, width: float, height: float) -> list[str]:
    cid = _safe_id(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" id="{cid}" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family="{_attr(FONT)}" font-size="11">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#ffffff"/>',
        f'<text x="8" y="16" font-size="13" font-weight="bold" fill="#222222">{escape(title)}</text>',
    ]


def _empty(parts: list[str], width: float, height: float, empty_text: str) -> str:
    parts.append(f'<text x="{width / 2:g}" y="{height / 2:g}" text-anchor="middle" fill="{MUTED}" '
                 f'font-size="13">{escape(empty_text)}</text></svg>')
    return "".join(parts)


def bar_chart(items: Sequence[Item], *, title: str, description: str, chart_id: str = "bars",
              width: int = 640, bar_height: int = 22, colour: str = COLOURS[0],
              empty_text: str = "–", fmt: Callable = thousands) -> str:
    """Horizontal bars, one per (label, value), in the given order; for long labels (sessions).

    Labels are written in full, on up to three lines in a column of up to 45% of the width (a label
    longer than that ends with "…" and is whole in the bar's <title>)."""
    longest = max((len(" ".join(str(label).split())) for label, _v in items), default=0)
    line_chars = max(min(longest, int(width * 0.45 / LABEL_PX)), 8)
    left = 12 + line_chars * LABEL_PX
    right, top, bottom = 56, TITLE_H + 4, 24
    wrapped = [wrap(label, line_chars) for label, _v in items]
    rows = [max(bar_height, len(lines) * LINE_H + 6) for lines in wrapped]
    height = top + bottom + (sum(row + 6 for row in rows) if items else bar_height + 6)
    parts = _open(chart_id, title, description, width, height)
    if not items:
        return _empty(parts, width, height, empty_text)
    scale_top, step = axis(max(value for _label, value in items))
    plot = width - left - right
    for tick in ticks(scale_top, step):
        x = left + plot * tick / scale_top
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="{GRID}"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                     f'fill="{MUTED}">{fmt(tick)}</text>')
    y = top + 3
    for (label, value), lines, row in zip(items, wrapped, rows, strict=True):
        length = plot * value / scale_top
        bar_y = y + (row - bar_height) / 2
        first = y + row / 2 - (len(lines) - 1) * LINE_H / 2 + 4
        parts.append(f'<g><title>{escape(str(label))}: {fmt(value)}</title>')
        spans = "".join(f'<tspan x="{left - 6:.1f}" dy="{0 if n == 0 else LINE_H}">{escape(text)}</tspan>'
                        for n, text in enumerate(lines))
        parts.append(f'<text x="{left - 6:.1f}" y="{first:.1f}" text-anchor="end" '
                     f'fill="#222222">{spans}</text>')
        parts.append(f'<rect x="{left:.1f}" y="{bar_y:.1f}" width="{max(length, 0):.1f}" '
                     f'height="{bar_height}" fill="{_attr(colour)}"/>')
        parts.append(f'<text x="{left + length + 4:.1f}" y="{bar_y + bar_height * 0.68:.1f}" '
                     f'fill="#222222">{fmt(value)}</text></g>')
        y += row + 6
    parts.append(f'<line x1="{left:.1f}" y1="{top}" x2="{left:.1f}" y2="{height - bottom}" stroke="{AXIS}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _label_step(count: int, plot_width: float, label_px: float) -> int:
    """Show every n-th label on the x axis, so that labels do not overlap."""
    return max(1, math.ceil(count * label_px / max(plot_width, 1)))


def _frame(parts: list[str], scale: tuple[float, float], left: float, top: float, plot_w: float,
           plot_h: float, fmt: Callable) -> None:
    scale_top, step = scale
    for tick in ticks(scale_top, step):
        y = top + plot_h - plot_h * tick / scale_top
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'fill="{MUTED}">{fmt(tick)}</text>')
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base:.1f}" x2="{left + plot_w:.1f}" y2="{base:.1f}" '
                 f'stroke="{AXIS}"/>')


def column_chart(items: Sequence[Item], *, title: str, description: str, chart_id: str = "columns",
                 width: int = 640, height: int = 260, colour: str = COLOURS[1], empty_text: str = "–",
                 fmt: Callable = thousands) -> str:
    """Vertical columns over ordered categories (days, hours, events), labels under the axis."""
    parts = _open(chart_id, title, description, width, height)
    if not items:
        return _empty(parts, width, height, empty_text)
    left, right, top, bottom = 52, 12, TITLE_H + 8, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = axis(max(value for _label, value in items))
    scale_top = scale[0]
    _frame(parts, scale, left, top, plot_w, plot_h, fmt)
    slot = plot_w / len(items)
    step = _label_step(len(items), plot_w, max(len(str(label)) for label, _v in items) * CHAR_PX + 8)
    for index, (label, value) in enumerate(items):
        bar_h = plot_h * value / scale_top
        x = left + index * slot + slot * 0.15
        parts.append(f'<g><title>{escape(str(label))}: {fmt(value)}</title>'
                     f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{bar_h:.1f}" fill="{_attr(colour)}"/></g>')
        if index % step == 0:
            parts.append(f'<text x="{left + (index + 0.5) * slot:.1f}" y="{top + plot_h + 16:.1f}" '
                         f'text-anchor="middle" fill="{MUTED}">{escape(shorten(label, 16))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(items: Sequence[Item], *, title: str, description: str, chart_id: str = "line",
               width: int = 640, height: int = 260, colour: str = COLOURS[0], empty_text: str = "–",
               fmt: Callable = thousands) -> str:
    """A line through ordered points (time), with a dot per point; one point draws a dot."""
    parts = _open(chart_id, title, description, width, height)
    if not items:
        return _empty(parts, width, height, empty_text)
    left, right, top, bottom = 52, 40, TITLE_H + 8, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = axis(max(value for _label, value in items))
    scale_top = scale[0]
    _frame(parts, scale, left, top, plot_w, plot_h, fmt)
    gap = plot_w / max(len(items) - 1, 1)
    points = [(left + (index * gap if len(items) > 1 else plot_w / 2),
               top + plot_h - plot_h * value / scale_top) for index, (_l, value) in enumerate(items)]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{_attr(colour)}" stroke-width="2"/>')
    step = _label_step(len(items), plot_w, max(len(str(label)) for label, _v in items) * CHAR_PX + 8)
    for index, ((label, value), (x, y)) in enumerate(zip(items, points, strict=True)):
        parts.append(f'<g><title>{escape(str(label))}: {fmt(value)}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{_attr(colour)}"/></g>')
        if index % step == 0:
            parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16:.1f}" text-anchor="middle" '
                         f'fill="{MUTED}">{escape(shorten(label, 16))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    """The SVG as a `data:` URI, for an <img> in the printed report (the PDF fetcher allows data:)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
