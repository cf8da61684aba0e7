"""The plain data of a meeting schedule and how to measure one: slots, requests, meetings that stay,
idle slots and gaps, the hard rules, table numbers. Pure; shared by the greedy baselines and the
CP-SAT scheduler."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class Slot:
    id: int
    day: Hashable  # slots of one day are compared by position
    position: int
    tables: int


@dataclass(frozen=True)
class Request:
    id: int
    people: tuple[Hashable, ...]


@dataclass(frozen=True)
class Fixed:
    """A meeting already scheduled: it keeps its slot and table."""

    slot_id: int
    table: int
    people: tuple[Hashable, ...]


@dataclass
class Schedule:
    placed: dict[int, tuple[int, int]]  # request id → (slot id, table number)
    unscheduled: list[int]
    idle: int  # idle slots of everybody, fixed meetings included
    gaps: int  # holes in people's days (a run of idle slots counts once)
    optimal: bool = False
    stats: dict = field(default_factory=dict)


# --- measuring --------------------------------------------------------------------------------------

def days_of_people(slots: Sequence[Slot], fixed: Iterable[Fixed], requests: Sequence[Request],
                    placed: dict[int, tuple[int, int]]) -> dict[tuple, list[int]]:
    by_id = {slot.id: slot for slot in slots}
    positions: dict[tuple, list[int]] = defaultdict(list)
    for meeting in fixed:
        slot = by_id.get(meeting.slot_id)
        if slot is not None:
            for person in meeting.people:
                positions[(person, slot.day)].append(slot.position)
    for request in requests:
        if request.id in placed:
            slot = by_id[placed[request.id][0]]
            for person in request.people:
                positions[(person, slot.day)].append(slot.position)
    return positions


def idle_and_gaps(slots: Sequence[Slot], fixed: Iterable[Fixed], requests: Sequence[Request],
                  placed: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(idle slots, gaps) of a schedule, summed over people and days."""
    idle = gaps = 0
    for found in days_of_people(slots, fixed, requests, placed).values():
        found = sorted(set(found))
        idle += found[-1] - found[0] + 1 - len(found)
        gaps += sum(1 for a, b in pairwise(found) if b - a > 1)
    return idle, gaps


def check(slots: Sequence[Slot], fixed: Sequence[Fixed], requests: Sequence[Request],
          placed: dict[int, tuple[int, int]]) -> list[str]:
    """What is wrong with a schedule (empty when it keeps every hard rule); for tests and the bench."""
    problems = []
    tables = {slot.id: slot.tables for slot in slots}
    taken: set[tuple[int, int]] = {(m.slot_id, m.table) for m in fixed}
    busy: set[tuple[int, Hashable]] = {(m.slot_id, p) for m in fixed for p in m.people}
    by_id = {request.id: request for request in requests}
    for request_id, (slot_id, table) in sorted(placed.items()):
        if slot_id not in tables or not 1 <= table <= tables[slot_id]:
            problems.append(f"request {request_id}: no table {table} in slot {slot_id}")
        if (slot_id, table) in taken:
            problems.append(f"request {request_id}: table {table} of slot {slot_id} taken twice")
        taken.add((slot_id, table))
        for person in by_id[request_id].people:
            if (slot_id, person) in busy:
                problems.append(f"request {request_id}: {person!r} double-booked in slot {slot_id}")
            busy.add((slot_id, person))
    return problems


# --- tables -----------------------------------------------------------------------------------------

def number_tables(slots: Sequence[Slot], fixed: Sequence[Fixed],
                   chosen: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Gives each placed request the lowest free table of its slot."""
    taken: dict[int, set[int]] = defaultdict(set)
    for meeting in fixed:
        taken[meeting.slot_id].add(meeting.table)
    tables = {slot.id: slot.tables for slot in slots}
    placed = {}
    for request_id in sorted(chosen):
        slot_id = chosen[request_id]
        table = next(t for t in range(1, tables[slot_id] + 1) if t not in taken[slot_id])
        taken[slot_id].add(table)
        placed[request_id] = (slot_id, table)
    return placed


def free_tables(slots: Sequence[Slot], fixed: Sequence[Fixed]) -> dict[int, int]:
    used: dict[int, set[int]] = defaultdict(set)
    for meeting in fixed:
        used[meeting.slot_id].add(meeting.table)
    return {slot.id: max(0, slot.tables - len({t for t in used[slot.id] if 1 <= t <= slot.tables}))
            for slot in slots}


def ordered(slots: Sequence[Slot]) -> list[Slot]:
    return sorted(slots, key=lambda slot: (str(slot.day), slot.position, slot.id))
