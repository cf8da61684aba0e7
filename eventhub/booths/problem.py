"""The booth assignment problem as plain data, its scoring and its hard rules. Pure.

Hard rules (api.md): one exhibitor per booth and day, one booth per exhibitor; the booth's size equals
the exhibitor's; locked placements stay; two exhibitors where one avoids the other are never on booths
sharing an edge on a day both exhibit. An exhibitor keeps one booth for all its days; a booth can hold
different exhibitors on different days (a startup showing on Monday only frees it for the others).

Objective, lexicographic: first the number placed, then the preference points. A preference of rank
r (1 = best) is worth MAX_PREFERENCES + 2 − r points (11 for the first, 2 for the tenth); a booth in a
zone whose sector is the exhibitor's counts as preferred, worth 1, when no listed preference matches.
Each placement is worth more than all preference points together, so no preferences can ever
outweigh placing one more exhibitor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..sectors import canonical_sector
from .geometry import Rect, edge_neighbours

MAX_PREFERENCES = 10
SECTOR_POINTS = 1


def rank_points(rank: int) -> int:
    """Points of the preference at `rank` (1-based): higher ranks are worth more."""
    return MAX_PREFERENCES + 2 - rank


def same_sector(a: str | None, b: str | None) -> bool:
    """The same sector, whatever the case or the spelling (a zone may keep the old "smartcity")."""
    if not (a and b):
        return False
    return str(canonical_sector(a)).strip().casefold() == str(canonical_sector(b)).strip().casefold()


@dataclass(frozen=True)
class BoothSpec:
    code: str
    zone: str
    rect: Rect
    size: str


@dataclass(frozen=True)
class ExhibitorSpec:
    id: int
    size: str
    preferences: tuple[str, ...] = ()
    sector: str | None = None
    avoid: frozenset[int] = frozenset()
    days: frozenset[int] | None = None  # None: every day of the problem


@dataclass(frozen=True)
class Problem:
    booths: tuple[BoothSpec, ...]
    exhibitors: tuple[ExhibitorSpec, ...]
    zone_sectors: Mapping[str, str | None] = field(default_factory=dict)
    locks: Mapping[int, str] = field(default_factory=dict)  # exhibitor id → booth code
    days: tuple[int, ...] = (0,)

    @cached_property
    def booth_index(self) -> dict[str, int]:
        return {booth.code: index for index, booth in enumerate(self.booths)}

    @cached_property
    def exhibitor_index(self) -> dict[int, int]:
        return {exhibitor.id: index for index, exhibitor in enumerate(self.exhibitors)}

    @cached_property
    def neighbours(self) -> list[set[int]]:
        """Booth indexes sharing an edge with each booth."""
        return edge_neighbours([booth.rect for booth in self.booths])

    def days_of(self, exhibitor: ExhibitorSpec) -> frozenset[int]:
        all_days = frozenset(self.days)
        return all_days if exhibitor.days is None else frozenset(exhibitor.days) & all_days

    @cached_property
    def avoid_pairs(self) -> list[tuple[int, int]]:
        """Exhibitor id pairs (low, high) that must not share an edge, when they share a day."""
        known = self.exhibitor_index
        pairs = set()
        for exhibitor in self.exhibitors:
            for other in exhibitor.avoid:
                if other in known and other != exhibitor.id:
                    pairs.add((min(exhibitor.id, other), max(exhibitor.id, other)))
        return sorted(pairs)

    def score(self, exhibitor: ExhibitorSpec, booth: BoothSpec) -> int:
        """Preference points of `booth` for `exhibitor` (0 when it is not preferred at all)."""
        for rank, code in enumerate(exhibitor.preferences[:MAX_PREFERENCES], start=1):
            if code == booth.code or code == booth.zone:
                return rank_points(rank)
        if same_sector(self.zone_sectors.get(booth.zone), exhibitor.sector):
            return SECTOR_POINTS
        return 0

    @cached_property
    def place_weight(self) -> int:
        """Worth of one placement: more than every preference point of every exhibitor together."""
        total = 0
        for exhibitor in self.exhibitors:
            total += max((self.score(exhibitor, b) for b in self.booths if b.size == exhibitor.size),
                         default=0)
        return total + 1

    def objective(self, assignment: Mapping[int, str]) -> int:
        points = 0
        for exhibitor_id, code in assignment.items():
            exhibitor = self.exhibitors[self.exhibitor_index[exhibitor_id]]
            points += self.place_weight + self.score(exhibitor, self.booths[self.booth_index[code]])
        return points

    def preference_points(self, assignment: Mapping[int, str]) -> int:
        return self.objective(assignment) - self.place_weight * len(assignment)


def violations(problem: Problem, assignment: Mapping[int, str]) -> list[str]:
    """Every hard rule `assignment` (exhibitor id → booth code) breaks; empty when it is valid."""
    found: list[str] = []
    occupied: dict[tuple[str, int], int] = {}
    for exhibitor_id, code in sorted(assignment.items()):
        if exhibitor_id not in problem.exhibitor_index:
            found.append(f"unknown exhibitor {exhibitor_id}")
            continue
        if code not in problem.booth_index:
            found.append(f"exhibitor {exhibitor_id} on unknown booth {code}")
            continue
        exhibitor = problem.exhibitors[problem.exhibitor_index[exhibitor_id]]
        booth = problem.booths[problem.booth_index[code]]
        if booth.size != exhibitor.size:
            found.append(f"exhibitor {exhibitor_id} ({exhibitor.size}) on booth {code} ({booth.size})")
        for day in problem.days_of(exhibitor):
            other = occupied.setdefault((code, day), exhibitor_id)
            if other != exhibitor_id:
                found.append(f"booth {code} holds exhibitors {other} and {exhibitor_id} on day {day}")
    for exhibitor_id, code in problem.locks.items():
        if assignment.get(exhibitor_id) != code:
            found.append(f"lock of exhibitor {exhibitor_id} on booth {code} not kept")
    for a, b in problem.avoid_pairs:
        if a not in assignment or b not in assignment:
            continue
        if assignment[a] not in problem.booth_index or assignment[b] not in problem.booth_index:
            continue
        first = problem.exhibitors[problem.exhibitor_index[a]]
        second = problem.exhibitors[problem.exhibitor_index[b]]
        if not problem.days_of(first) & problem.days_of(second):
            continue
        if problem.booth_index[assignment[b]] in problem.neighbours[problem.booth_index[assignment[a]]]:
            found.append(f"exhibitors {a} and {b} avoid each other but are on neighbouring booths "
                         f"{assignment[a]} and {assignment[b]}")
    return found


def lock_violations(problem: Problem) -> list[str]:
    """The hard rules the locks alone break (they cannot be part of any valid assignment)."""
    locks = {e: c for e, c in problem.locks.items() if e in problem.exhibitor_index}
    unknown = [f"exhibitor {e} is locked but not in the problem" for e in problem.locks
               if e not in problem.exhibitor_index]
    return unknown + violations(problem, locks)


def occupancy(problem: Problem, assignment: Mapping[int, str]) -> dict[int, set[int]]:
    """Booth index → the days it is taken in `assignment`."""
    taken: dict[int, set[int]] = {}
    for exhibitor_id, code in assignment.items():
        exhibitor = problem.exhibitors[problem.exhibitor_index[exhibitor_id]]
        taken.setdefault(problem.booth_index[code], set()).update(problem.days_of(exhibitor))
    return taken


def blocked_by_avoid(problem: Problem, exhibitor: ExhibitorSpec, booth_index: int,
                     assignment: Mapping[int, str], partners: Mapping[int, Iterable[int]]) -> bool:
    """Some exhibitor `exhibitor` must avoid sits next to `booth_index` on a shared day."""
    days = problem.days_of(exhibitor)
    for other_id in partners.get(exhibitor.id, ()):
        code = assignment.get(other_id)
        if code is None:
            continue
        other = problem.exhibitors[problem.exhibitor_index[other_id]]
        if days & problem.days_of(other) and problem.booth_index[code] in problem.neighbours[booth_index]:
            return True
    return False


def avoid_partners(problem: Problem) -> dict[int, set[int]]:
    partners: dict[int, set[int]] = {}
    for a, b in problem.avoid_pairs:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return partners
