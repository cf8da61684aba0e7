"""Rectangles on the hall's grid: overlap, containment and shared edges. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h


def overlaps(a: Rect, b: Rect) -> bool:
    """The rectangles share an area of positive size (touching edges do not overlap)."""
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def contains(outer: Rect, inner: Rect) -> bool:
    return (outer.x <= inner.x and outer.y <= inner.y and inner.right <= outer.right
            and inner.bottom <= outer.bottom)


def _span(a0: int, a1: int, b0: int, b1: int) -> int:
    return min(a1, b1) - max(a0, b0)


def share_edge(a: Rect, b: Rect) -> bool:
    """The rectangles touch along a segment of positive length (a corner alone is not an edge)."""
    if overlaps(a, b):
        return False
    if a.right == b.x or b.right == a.x:
        return _span(a.y, a.bottom, b.y, b.bottom) > 0
    if a.bottom == b.y or b.bottom == a.y:
        return _span(a.x, a.right, b.x, b.right) > 0
    return False


def edge_neighbours(rects: Sequence[Rect]) -> list[set[int]]:
    """For each rectangle, the indexes of those sharing an edge with it (sweep on x, then y)."""
    neighbours: list[set[int]] = [set() for _ in rects]
    order = sorted(range(len(rects)), key=lambda i: rects[i].x)
    for position, i in enumerate(order):
        a = rects[i]
        for j in order[position + 1:]:
            b = rects[j]
            if b.x > a.right:
                break
            if share_edge(a, b):
                neighbours[i].add(j)
                neighbours[j].add(i)
    return neighbours


def first_overlap(rects: Sequence[Rect]) -> tuple[int, int] | None:
    """Two indexes of overlapping rectangles (the earlier pair first), or None."""
    order = sorted(range(len(rects)), key=lambda i: (rects[i].x, i))
    found: list[tuple[int, int]] = []
    for position, i in enumerate(order):
        a = rects[i]
        for j in order[position + 1:]:
            b = rects[j]
            if b.x >= a.right:
                break
            if overlaps(a, b):
                found.append((min(i, j), max(i, j)))
    return min(found, key=lambda pair: (pair[1], pair[0])) if found else None
