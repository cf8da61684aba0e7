"""The baseline the optimizer is measured against: first free preference, in application order. Pure.

Locked placements first; then each exhibitor in the order given (application order) takes the first
booth that is free on its days, of its size and next to nobody it must avoid: going down its
preferences (a zone's booths by code), then its sector's zones, then any booth of its size.
"""

from __future__ import annotations

from .problem import Problem, avoid_partners, blocked_by_avoid, occupancy, same_sector


def greedy_assign(problem: Problem) -> dict[int, str]:
    """A valid assignment (exhibitor id → booth code), built greedily."""
    assignment = {e: c for e, c in problem.locks.items() if e in problem.exhibitor_index}
    taken = occupancy(problem, assignment)
    partners = avoid_partners(problem)
    by_code = sorted(range(len(problem.booths)), key=lambda i: problem.booths[i].code)
    for exhibitor in problem.exhibitors:
        if exhibitor.id in assignment:
            continue
        days = problem.days_of(exhibitor)
        sized = [i for i in by_code if problem.booths[i].size == exhibitor.size]
        ordered: list[int] = []
        for preference in exhibitor.preferences:
            ordered += [i for i in sized
                        if preference in (problem.booths[i].code, problem.booths[i].zone)]
        ordered += [i for i in sized
                    if same_sector(problem.zone_sectors.get(problem.booths[i].zone), exhibitor.sector)]
        ordered += sized
        for index in ordered:
            if taken.get(index, set()) & days:
                continue
            if blocked_by_avoid(problem, exhibitor, index, assignment, partners):
                continue
            assignment[exhibitor.id] = problem.booths[index].code
            taken.setdefault(index, set()).update(days)
            break
    return assignment
