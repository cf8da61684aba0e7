"""Two greedy schedulers (pure): the naive slot-by-slot baseline the benchmark compares with, and a
compactness-aware one that gives the CP-SAT scheduler its first answer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence

from .timetable import Fixed, Request, Schedule, Slot, free_tables, idle_and_gaps, number_tables, ordered

# --- the greedy baseline ------------------------------------------------------------------------------

def greedy(slots: Sequence[Slot], requests: Sequence[Request], fixed: Sequence[Fixed] = ()) -> Schedule:
    """Slot by slot in time order, each slot filled with the first requests (by id) that fit."""
    free = free_tables(slots, fixed)
    busy = {(m.slot_id, p) for m in fixed for p in m.people}
    left = sorted(requests, key=lambda request: request.id)
    chosen: dict[int, int] = {}
    for slot in ordered(slots):
        for request in left:
            if free[slot.id] == 0:
                break
            if request.id in chosen or any((slot.id, p) in busy for p in request.people):
                continue
            chosen[request.id] = slot.id
            free[slot.id] -= 1
            busy.update((slot.id, p) for p in request.people)
    placed = number_tables(slots, fixed, chosen)
    idle, gaps = idle_and_gaps(slots, fixed, requests, placed)
    return Schedule(placed, sorted(r.id for r in requests if r.id not in placed), idle, gaps)


def _delta_idle(positions: list[int], new: int) -> int:
    """How many idle slots adding a meeting at `new` makes (negative: it fills a hole)."""
    if not positions:
        return 0
    low, high = min(positions), max(positions)
    before = high - low + 1 - len(positions)
    after = max(high, new) - min(low, new) + 1 - (len(positions) + 1)
    return after - before


def compact(slots: Sequence[Slot], requests: Sequence[Request], fixed: Sequence[Fixed] = ()) -> Schedule:
    """A greedy that keeps days compact: requests person by person, each into the slot that adds
    the fewest idle slots for its people (then the earliest). The solver's first answer."""
    free = free_tables(slots, fixed)
    in_order = ordered(slots)
    by_id = {slot.id: slot for slot in in_order}
    busy = {(m.slot_id, p) for m in fixed for p in m.people}
    where: dict[tuple, list[int]] = defaultdict(list)  # (person, day) → positions
    for meeting in fixed:
        slot = by_id.get(meeting.slot_id)
        if slot is not None:
            for person in meeting.people:
                where[person, slot.day].append(slot.position)
    load: dict[Hashable, int] = defaultdict(int)
    for request in requests:
        for person in request.people:
            load[person] += 1
    # Requests are taken person by person, starting from the least busy person of each (a startup
    # with two meetings): its meetings then land side by side, around the investors' runs.
    def anchor(request: Request) -> tuple:
        if not request.people:
            return (0, "")
        person = min(request.people, key=lambda p: (load[p], str(p)))
        return (str(person), request.id)

    order = sorted(requests, key=anchor)
    chosen: dict[int, int] = {}
    for request in order:
        best = None
        for slot in in_order:
            if free[slot.id] == 0 or any((slot.id, p) in busy for p in request.people):
                continue
            cost = sum(_delta_idle(where[p, slot.day], slot.position) for p in request.people)
            if best is None or cost < best[0]:
                best = (cost, slot)
        if best is None:
            continue
        slot = best[1]
        chosen[request.id] = slot.id
        free[slot.id] -= 1
        for person in request.people:
            busy.add((slot.id, person))
            where[person, slot.day].append(slot.position)
    placed = number_tables(slots, fixed, chosen)
    idle, gaps = idle_and_gaps(slots, fixed, requests, placed)
    return Schedule(placed, sorted(r.id for r in requests if r.id not in placed), idle, gaps)
