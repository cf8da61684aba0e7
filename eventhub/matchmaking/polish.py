"""Local search that makes a schedule's days compact without dropping a meeting (pure).

The CP-SAT model (scheduler.py) proves what it can; on a large event it stops at its time limit
with a schedule it could still improve. This search gives it a better start: simulated annealing
over two moves that keep every hard rule – move one meeting to another slot where its people and a
table are free, or swap the slots of two meetings – with the total idle slots as the cost, computed
for the (at most four) people a move touches.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Hashable, Sequence


def _idle(positions: list[int]) -> int:
    return max(positions) - min(positions) + 1 - len(positions) if positions else 0


def improve(slot_day: dict[int, Hashable], slot_position: dict[int, int], free_tables: dict[int, int],
            people: dict[int, tuple[Hashable, ...]], busy_fixed: dict[tuple[Hashable, int], int],
            chosen: dict[int, int], *, seconds: float, seed: int = 2020) -> dict[int, int]:
    """A schedule {request: slot} at least as compact as `chosen`, with the same requests placed.

    `busy_fixed` holds (person, slot) pairs taken by meetings that do not move; `free_tables` the
    tables each slot has for the requests.
    """
    if len(chosen) < 2 or seconds <= 0:
        return dict(chosen)
    if sum(_idle(p) for p in _positions(slot_day, slot_position, people, busy_fixed, chosen).values()) == 0:
        return dict(chosen)
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    where = dict(chosen)
    load = defaultdict(int)
    for slot in where.values():
        load[slot] += 1
    occupant: dict[tuple[Hashable, int], int] = {}
    positions: dict[tuple[Hashable, Hashable], list[int]] = defaultdict(list)
    for (person, slot), _m in busy_fixed.items():
        positions[person, slot_day[slot]].append(slot_position[slot])
    for request, slot in where.items():
        for person in people[request]:
            occupant[person, slot] = request
            positions[person, slot_day[slot]].append(slot_position[slot])
    slots = list(slot_day)
    requests = list(where)
    cost = sum(_idle(p) for p in positions.values())
    best_cost, best = cost, dict(where)

    def free_for(request: int, slot: int, ignore: int | None = None) -> bool:
        for person in people[request]:
            if (person, slot) in busy_fixed:
                return False
            other = occupant.get((person, slot))
            if other is not None and other != request and other != ignore:
                return False
        return True

    def shift(request: int, old: int, new: int) -> None:
        for person in people[request]:
            if occupant.get((person, old)) == request:
                del occupant[person, old]
            positions[person, slot_day[old]].remove(slot_position[old])
        for person in people[request]:
            occupant[person, new] = request
            positions[person, slot_day[new]].append(slot_position[new])
        where[request] = new

    def touched(*pairs) -> set:
        return {(person, slot_day[slot]) for request, slot in pairs for person in people[request]}

    temperature, iterations = 1.5, 0
    while True:
        iterations += 1
        if iterations % 256 == 0:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            temperature = max(0.05, 1.5 * left / seconds)
        request = rng.choice(requests)
        old = where[request]
        new = rng.choice(slots)
        if new == old:
            continue
        partner = None
        if load[new] >= free_tables[new] or not free_for(request, new):
            # try a swap with a meeting of that slot
            candidates = [occupant.get((p, new)) for p in people[request]]
            candidates = [c for c in candidates if c is not None] or \
                [r for r in requests if where[r] == new][:1]
            if not candidates:
                continue
            partner = candidates[0]
            if not free_for(request, new, ignore=partner) or not free_for(partner, old, ignore=request):
                continue
        keys = touched((request, old), (request, new), *(((partner, old), (partner, new)) if partner else ()))
        before = sum(_idle(positions[k]) for k in keys)
        if partner is not None:
            for person in people[partner]:
                del occupant[person, new]
            for person in people[request]:
                if occupant.get((person, old)) == request:
                    del occupant[person, old]
            for person in people[partner]:
                positions[person, slot_day[new]].remove(slot_position[new])
                positions[person, slot_day[old]].append(slot_position[old])
                occupant[person, old] = partner
            for person in people[request]:
                positions[person, slot_day[old]].remove(slot_position[old])
                positions[person, slot_day[new]].append(slot_position[new])
                occupant[person, new] = request
            where[request], where[partner] = new, old
        else:
            shift(request, old, new)
            load[old] -= 1
            load[new] += 1
        delta = sum(_idle(positions[k]) for k in keys) - before
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            cost += delta
            if cost < best_cost:
                best_cost, best = cost, dict(where)
                if best_cost == 0:
                    break
            continue
        # undo
        if partner is not None:
            for person in people[request]:
                del occupant[person, new]
            for person in people[partner]:
                if occupant.get((person, old)) == partner:
                    del occupant[person, old]
            for person in people[request]:
                positions[person, slot_day[new]].remove(slot_position[new])
                positions[person, slot_day[old]].append(slot_position[old])
                occupant[person, old] = request
            for person in people[partner]:
                positions[person, slot_day[old]].remove(slot_position[old])
                positions[person, slot_day[new]].append(slot_position[new])
                occupant[person, new] = partner
            where[request], where[partner] = old, new
        else:
            shift(request, new, old)
            load[new] -= 1
            load[old] += 1
    return best


def _positions(slot_day, slot_position, people, busy_fixed, chosen):
    found: dict[tuple, list[int]] = defaultdict(list)
    for (person, slot), _m in busy_fixed.items():
        found[person, slot_day[slot]].append(slot_position[slot])
    for request, slot in chosen.items():
        for person in people[request]:
            found[person, slot_day[slot]].append(slot_position[slot])
    return found


def as_inputs(slots: Sequence, fixed: Sequence, requests: Sequence):
    """The plain dicts `improve` takes, from the scheduler's Slot, Fixed and Request."""
    slot_day = {slot.id: slot.day for slot in slots}
    slot_position = {slot.id: slot.position for slot in slots}
    used: dict[int, set[int]] = defaultdict(set)
    busy_fixed: dict[tuple[Hashable, int], int] = {}
    for meeting in fixed:
        used[meeting.slot_id].add(meeting.table)
        for person in meeting.people:
            if meeting.slot_id in slot_day:
                busy_fixed[person, meeting.slot_id] = 1
    free_tables = {slot.id: max(0, slot.tables - len(used[slot.id])) for slot in slots}
    people = {request.id: tuple(dict.fromkeys(request.people)) for request in requests}
    return slot_day, slot_position, free_tables, people, busy_fixed
