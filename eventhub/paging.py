"""A page of a list that is not an SQLAlchemy pagination: what templates/_macros' `pagination` reads."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Page:
    """`items` of page `page` (from 1) of `total`, `per_page` at a time."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)

    def iter_pages(self):
        """The first two, the last two and two either side of this one; None where numbers are left out."""
        shown = sorted({1, 2, self.pages - 1, self.pages, *range(self.page - 2, self.page + 3)})
        last = 0
        for n in (n for n in shown if 1 <= n <= self.pages):
            if n > last + 1:
                yield None
            yield n
            last = n
