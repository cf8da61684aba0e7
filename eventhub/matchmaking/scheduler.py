"""Placing accepted meeting requests into (slot, table): a CP-SAT model, and a naive greedy baseline.

Pure: plain data in, plain data out; no Flask, no database.

Hard rules: nobody is in two meetings in one slot (a person is any key the caller gives – a profile,
an account); no more meetings in a slot than it has free tables; meetings already scheduled stay
where they are (they are given as `fixed` and only block their slot, table and people).

Goals, in this order: place as many requests as possible; then make people's days compact, i.e.
minimise the idle slots – for each person and day, the slots between their first and last meeting
in which they have none; then (when that is proven optimal) hold meetings as early as possible.

How: the naive greedy and a compactness-aware greedy give first answers; CP-SAT maximises the
meetings placed (skipped when every request already has a place); a local search (polish.py)
shortens the days fast; CP-SAT then minimises the idle slots from there, and proves small events
optimal. All within `time_limit` seconds.

Slots are compared within a day by their position (0, 1, 2, …): the caller gives slots that do not
overlap, so two meetings of one person in different slots never overlap either. Tables are numbered
after the model: within a slot any free table is as good as another.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Hashable, Sequence

from ortools.sat.python import cp_model

from . import polish
from .greedy import compact, greedy
from .timetable import (
    Fixed,
    Request,
    Schedule,
    Slot,
    check,
    days_of_people,
    free_tables,
    idle_and_gaps,
    number_tables,
    ordered,
)

__all__ = ["Fixed", "Request", "Schedule", "Slot", "check", "compact", "greedy", "idle_and_gaps",
           "number_tables", "schedule"]


# --- CP-SAT ---------------------------------------------------------------------------------------------

class _Model:
    def __init__(self, slots: Sequence[Slot], requests: Sequence[Request], fixed: Sequence[Fixed]):
        self.model = cp_model.CpModel()
        self.slots = ordered(slots)
        free = free_tables(slots, fixed)
        busy = {(m.slot_id, p) for m in fixed for p in m.people}
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        by_slot: dict[int, list] = defaultdict(list)
        by_person_slot: dict[tuple[Hashable, int], list] = defaultdict(list)
        for request in requests:
            choices = []
            for slot in self.slots:
                if free[slot.id] == 0 or any((slot.id, p) in busy for p in request.people):
                    continue
                var = self.model.new_bool_var(f"x_{request.id}_{slot.id}")
                self.x[request.id, slot.id] = var
                choices.append(var)
                by_slot[slot.id].append(var)
                for person in set(request.people):
                    by_person_slot[person, slot.id].append(var)
            if len(choices) > 1:
                self.model.add_at_most_one(choices)
        for slot_id, variables in by_slot.items():
            if len(variables) > free[slot_id]:
                self.model.add(sum(variables) <= free[slot_id])
        for variables in by_person_slot.values():
            if len(variables) > 1:
                self.model.add_at_most_one(variables)
        self.placed_count = sum(self.x.values())
        self.flags: list[tuple] = []
        self.idle_flags: list[tuple] = []
        self.day_slots: dict[Hashable, list[Slot]] = defaultdict(list)
        for slot in self.slots:
            self.day_slots[slot.day].append(slot)
        self.idle = self._idle_terms(fixed, busy, by_person_slot, requests)

    def _idle_terms(self, fixed, busy, by_person_slot, requests) -> list:
        """Idle slots of each person and day with two or more possible meetings, in local terms:
        `seen[k]` – a meeting at or before position k; `ahead[k]` – one at or after k; a slot is
        inside the day's span when both hold, and idle when inside without a meeting. No big-M
        spans: the model stays tight and its relaxation says something."""
        load: dict[Hashable, int] = defaultdict(int)
        for request in requests:
            for person in set(request.people):
                load[person] += 1
        for meeting in fixed:
            for person in set(meeting.people):
                load[person] += 1
        terms = []
        for person, count in load.items():
            if count < 2:
                continue
            for day, day_slots in self.day_slots.items():
                used = []
                for slot in day_slots:
                    if (slot.id, person) in busy:
                        used.append(1)
                    elif by_person_slot.get((person, slot.id)):
                        used.append(sum(by_person_slot[person, slot.id]))
                    else:
                        used.append(0)
                possible = [i for i, u in enumerate(used) if not isinstance(u, int) or u]
                if len(possible) < 2:
                    continue
                low, high = possible[0], possible[-1]
                seen, ahead = {}, {}
                for k in range(low, high + 1):
                    seen[k] = self.model.new_bool_var(f"seen_{person}_{day}_{k}")
                    ahead[k] = self.model.new_bool_var(f"ahead_{person}_{day}_{k}")
                    self.model.add(seen[k] >= used[k])
                    self.model.add(ahead[k] >= used[k])
                    if k > low:
                        self.model.add(seen[k] >= seen[k - 1])
                        self.model.add(ahead[k - 1] >= ahead[k])
                for k in range(low + 1, high):  # the ends are never idle
                    idle = self.model.new_bool_var(f"idle_{person}_{day}_{k}")
                    self.model.add(idle >= seen[k - 1] + ahead[k + 1] - 1 - used[k])
                    terms.append(idle)
                    self.idle_flags.append((person, day, k, idle))
                for k in seen:
                    self.flags.append((person, day, k, seen[k], ahead[k]))
        return terms

    def hint(self, chosen: dict[int, int], fixed: Sequence[Fixed], requests: Sequence[Request]) -> None:
        """A complete hint: the placements and every flag they imply."""
        self.model.clear_hints()
        for (request_id, slot_id), var in self.x.items():
            self.model.add_hint(var, 1 if chosen.get(request_id) == slot_id else 0)
        placed = {r: (s, 0) for r, s in chosen.items()}
        found = {key: sorted(set(v)) for key, v in
                 days_of_people(self.slots, fixed, requests, placed).items()}
        index = {(slot.day, slot.position): i for day, ds in self.day_slots.items()
                 for i, slot in enumerate(ds)}
        occupied = {(person, day, position) for (person, day), positions in found.items()
                    for position in positions}
        spans = {}
        for (person, day), positions in found.items():
            spans[person, day] = (index[day, positions[0]], index[day, positions[-1]])
        for person, day, k, seen, ahead in self.flags:
            first, last = spans.get((person, day), (None, None))
            self.model.add_hint(seen, 1 if first is not None and first <= k else 0)
            self.model.add_hint(ahead, 1 if last is not None and last >= k else 0)
        for person, day, k, idle in self.idle_flags:
            first, last = spans.get((person, day), (None, None))
            busy_then = (person, day, self.day_slots[day][k].position) in occupied
            self.model.add_hint(idle, 1 if first is not None and first < k < last and not busy_then else 0)

    def solve(self, seconds: float, workers: int):
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(seconds, 0.1)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 2020
        status = solver.solve(self.model)
        return solver, status

    def chosen(self, solver) -> dict[int, int]:
        return {r: s for (r, s), var in self.x.items() if solver.boolean_value(var)}


def _merge_people(requests: Sequence[Request], fixed: Sequence[Fixed]):
    """One key per person: keys that always appear together (a profile and its account) are the
    same person to the model, which then needs half the variables."""
    seen: dict[Hashable, list] = defaultdict(list)
    for request in requests:
        for person in request.people:
            seen[person].append(("r", request.id))
    for index, meeting in enumerate(fixed):
        for person in meeting.people:
            seen[person].append(("f", index))
    first_key: dict[tuple, Hashable] = {}
    alias = {}
    for person, where in seen.items():
        alias[person] = first_key.setdefault(tuple(where), person)

    def merged(people):
        return tuple(dict.fromkeys(alias[p] for p in people))

    return ([Request(r.id, merged(r.people)) for r in requests],
            [Fixed(m.slot_id, m.table, merged(m.people)) for m in fixed])


def schedule(slots: Sequence[Slot], requests: Sequence[Request], fixed: Sequence[Fixed] = (), *,
             time_limit: float = 8.0, workers: int = 2) -> Schedule:
    """The best schedule found within `time_limit` seconds (see the module's docstring)."""
    requests, fixed = _merge_people(requests, fixed)
    baseline = greedy(slots, requests, fixed)
    if not requests:
        return baseline
    model = _Model(slots, requests, fixed)
    start = min((baseline, compact(slots, requests, fixed)), key=lambda s: (-len(s.placed), s.idle))
    chosen = {r: s for r, (s, _t) in start.placed.items()}
    phases = {}
    proven = len(chosen) == len(requests)  # every request placed: nothing more to find
    if not proven:
        # 1. as many meetings as possible (the greedy answer is a first solution to improve on)
        model.model.maximize(model.placed_count)
        model.hint(chosen, fixed, requests)
        solver, status = model.solve(time_limit * 0.4, workers)
        phases["placed"] = solver.status_name(status)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value > len(chosen):
            chosen = model.chosen(solver)
        proven = status == cp_model.OPTIMAL
    # 2. as many, with the fewest idle slots: a local search first (it improves a large schedule
    # fast), then the model from there (it proves a small one optimal)
    budget = time_limit * (0.6 if phases else 0.9)
    started = time.perf_counter()
    searched = polish.improve(*polish.as_inputs(slots, fixed, requests), chosen,
                              seconds=min(budget * 0.8, 0.0005 * len(requests) * len(slots)))
    budget -= time.perf_counter() - started
    if len(searched) == len(chosen):
        chosen = searched
    model.model.add(model.placed_count >= len(chosen))
    model.model.minimize(sum(model.idle) if model.idle else 0)
    model.hint(chosen, fixed, requests)
    searched_idle = idle_and_gaps(slots, fixed, requests, {r: (s, 0) for r, s in chosen.items()})[0]
    solver, status = model.solve(budget if searched_idle else min(budget, 1.0), workers)
    phases["idle"] = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and round(solver.objective_value) <= searched_idle:
        chosen = model.chosen(solver)
    if status == cp_model.OPTIMAL and model.x:
        # 3. as compact, as early as possible (only when compactness is proven: small events)
        if model.idle:
            model.model.add(sum(model.idle) <= round(solver.objective_value))
        position = {slot.id: index for index, slot in enumerate(model.slots)}
        model.model.minimize(sum(position[s] * var for (_r, s), var in model.x.items()))
        model.hint(chosen, fixed, requests)
        solver3, status3 = model.solve(max(time_limit * 0.2, 0.2), workers)
        phases["early"] = solver3.status_name(status3)
        if status3 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = model.chosen(solver3)
    placed = number_tables(slots, fixed, chosen)
    idle, gaps = idle_and_gaps(slots, fixed, requests, placed)
    return Schedule(placed, sorted(r.id for r in requests if r.id not in placed), idle, gaps,
                    optimal=proven and status == cp_model.OPTIMAL,
                    stats={"phases": phases, "idle_bound": solver.best_objective_bound
                           if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None})
