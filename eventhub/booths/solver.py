"""The booth optimizer: OR-Tools CP-SAT over the problem of problem.py, with a time limit. Pure.

One Boolean x[e, b] per exhibitor and booth of its size (a locked exhibitor has only its booth, fixed
to 1). At most one booth per exhibitor; per booth and day at most one of the exhibitors present that
day; for each avoid pair sharing a day and each booth b of the first: x[a, b] + Σ x[c, n] ≤ 1 over the
neighbours n of b. Maximize Σ (place_weight + points(e, b)) · x[e, b]: the number placed first, then
preference points. The greedy baseline is given as a hint, so even a cut-short search is never worse.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .greedy import greedy_assign
from .problem import Problem, avoid_partners, blocked_by_avoid, lock_violations, occupancy, violations

DEFAULT_TIME_LIMIT = 10.0

# Why an exhibitor stayed without a booth.
NO_BOOTH_OF_SIZE = "no_booth_of_size"
SIZE_FULL = "booths_of_size_taken"
AVOID = "avoid_constraints"
STOPPED = "search_stopped"


class LockConflict(ValueError):
    """The locked placements alone break a hard rule."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Solution:
    assignments: dict[int, str]  # exhibitor id → booth code
    unassigned: list[int]
    reasons: dict[int, str]
    objective: int
    placed: int
    preference_points: int
    optimal: bool
    bound: float
    gap: float
    status: str
    seconds: float
    stats: dict = field(default_factory=dict)


def solve(problem: Problem, *, time_limit: float = DEFAULT_TIME_LIMIT, workers: int = 2,
          seed: int = 0) -> Solution:
    """The best assignment found within `time_limit` seconds; `optimal` when CP-SAT proved it."""
    started = time.perf_counter()
    broken = lock_violations(problem)
    if broken:
        raise LockConflict(broken)
    model, variables = _model(problem)
    hint = greedy_assign(problem)
    for (exhibitor_id, code), var in variables.items():
        model.AddHint(var, hint.get(exhibitor_id) == code)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(float(time_limit), 0.01)
    solver.parameters.num_workers = max(int(workers), 1)
    solver.parameters.random_seed = seed
    status = solver.Solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assignment = {e: c for (e, c), var in variables.items() if solver.BooleanValue(var)}
        bound = solver.BestObjectiveBound()
    else:  # stopped before any solution: the hint is valid, and nothing is proven
        # every exhibitor placed on its best booth: a bound no assignment can beat
        assignment, bound = hint, float(problem.place_weight * (len(problem.exhibitors) + 1) - 1)
    if violations(problem, assignment):  # never hand out a broken plan, whatever happened above
        assignment = hint
    objective = problem.objective(assignment)
    if objective < problem.objective(hint):
        assignment, objective = hint, problem.objective(hint)
    optimal = status == cp_model.OPTIMAL and objective >= bound - 1e-6
    gap = 0.0 if optimal else max(0.0, (bound - objective) / max(abs(objective), 1))
    unassigned = [e.id for e in problem.exhibitors if e.id not in assignment]
    return Solution(
        assignments=dict(sorted(assignment.items())), unassigned=unassigned,
        reasons=explain_unplaced(problem, assignment), objective=objective, placed=len(assignment),
        preference_points=problem.preference_points(assignment), optimal=optimal, bound=float(bound),
        gap=gap, status=solver.StatusName(status), seconds=time.perf_counter() - started,
        stats={"variables": len(variables), "conflicts": solver.NumConflicts(),
               "branches": solver.NumBranches()})


def _model(problem: Problem) -> tuple[cp_model.CpModel, dict[tuple[int, str], cp_model.IntVar]]:
    model = cp_model.CpModel()
    variables: dict[tuple[int, str], cp_model.IntVar] = {}
    by_booth: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    by_exhibitor: dict[int, dict[int, cp_model.IntVar]] = {}
    terms = []
    for e_index, exhibitor in enumerate(problem.exhibitors):
        locked = problem.locks.get(exhibitor.id)
        mine: dict[int, cp_model.IntVar] = {}
        for b_index, booth in enumerate(problem.booths):
            if booth.size != exhibitor.size or (locked is not None and booth.code != locked):
                continue
            var = model.NewBoolVar(f"x_{exhibitor.id}_{b_index}")
            if locked is not None:
                model.Add(var == 1)
            variables[(exhibitor.id, booth.code)] = var
            mine[b_index] = var
            by_booth.setdefault(b_index, []).append((e_index, var))
            terms.append((problem.place_weight + problem.score(exhibitor, booth), var))
        if len(mine) > 1:
            model.AddAtMostOne(mine.values())
        by_exhibitor[exhibitor.id] = mine
    day_sets = [problem.days_of(e) for e in problem.exhibitors]
    for entries in by_booth.values():
        groups = set()
        for day in problem.days:
            groups.add(tuple(i for i, (e_index, _v) in enumerate(entries) if day in day_sets[e_index]))
        for group in groups:
            if len(group) > 1:
                model.AddAtMostOne(entries[i][1] for i in group)
    for a, b in problem.avoid_pairs:
        first = problem.exhibitors[problem.exhibitor_index[a]]
        second = problem.exhibitors[problem.exhibitor_index[b]]
        if not problem.days_of(first) & problem.days_of(second):
            continue
        for b_index, var in by_exhibitor[a].items():
            near = [by_exhibitor[b][n] for n in problem.neighbours[b_index] if n in by_exhibitor[b]]
            if near:
                model.Add(var + sum(near) <= 1)
    model.Maximize(sum(weight * var for weight, var in terms))
    return model, variables


def explain_unplaced(problem: Problem, assignment: dict[int, str]) -> dict[int, str]:
    """Exhibitor id → why it has no booth in `assignment` (one of the reason codes above)."""
    taken = occupancy(problem, assignment)
    partners = avoid_partners(problem)
    reasons = {}
    for exhibitor in problem.exhibitors:
        if exhibitor.id in assignment:
            continue
        sized = [i for i, booth in enumerate(problem.booths) if booth.size == exhibitor.size]
        days = problem.days_of(exhibitor)
        free = [i for i in sized if not taken.get(i, set()) & days]
        if not sized:
            reasons[exhibitor.id] = NO_BOOTH_OF_SIZE
        elif not free:
            reasons[exhibitor.id] = SIZE_FULL
        elif all(blocked_by_avoid(problem, exhibitor, i, assignment, partners) for i in free):
            reasons[exhibitor.id] = AVOID
        else:
            reasons[exhibitor.id] = STOPPED
    return reasons
