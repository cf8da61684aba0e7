"""Choosing a font size at which a text fits its box, measured with the PDF's own font.

Names on a badge must never overflow: a long Vietnamese name shrinks, and wraps between words. The
widths come from the same TrueType file the PDF embeds (DejaVu Sans), read with Pillow (which
WeasyPrint requires), so the choice does not rest on a guess of the average letter width.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import ImageFont

_UNITS = 1000  # measure at 1000 px: widths in thousandths of an em

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Box:
    """Where a text goes: its width and height in points, a ladder of sizes (pt) from large to small."""

    width: float
    height: float
    sizes: tuple[float, ...]
    line_height: float = 1.15  # the CSS line-height of the text, as a factor of its size


@cache
def _font(path: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, _UNITS, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=50_000)  # names share their words: Nguyễn, Thị, Văn …
def _word_width(path: str, word: str) -> float:
    """The advance width of `word` in ems."""
    return _font(path).getlength(word) / _UNITS


def lines_needed(text: str, font_path: Path | str, size: float, width: float) -> tuple[int, bool]:
    """(lines, whole words fit) when `text` at `size` pt is wrapped greedily between words in `width` pt.

    A word wider than the line is broken anywhere (CSS `overflow-wrap: anywhere`); it then counts
    for as many lines as it fills, and the second value is False.
    """
    path = str(font_path)
    space = _word_width(path, " ") * size
    lines, used, words_fit = 0, 0.0, True
    for word in text.split():
        w = _word_width(path, word) * size
        if w > width:
            words_fit = False
            pieces = int(w // width) + 1
            lines += pieces if used == 0 else pieces + 1
            used = w - (pieces - 1) * width
            continue
        if lines and used + space + w <= width:
            used += space + w
        else:
            lines += 1
            used = w
    return max(lines, 1), words_fit


def fitting_size(text: str, font_path: Path | str, box: Box) -> float:
    """The largest size of the box's ladder at which `text` fits its box without breaking a word;
    else the largest at which it fits at all; else the smallest size."""
    fallback = None
    for size in box.sizes:
        lines, words_fit = lines_needed(text, font_path, size, box.width)
        if lines * size * box.line_height <= box.height:
            if words_fit:
                return size
            fallback = fallback or size
    return fallback or box.sizes[-1]
