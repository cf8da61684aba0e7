"""Booth optimizer against the greedy baseline, on generated realistic instances, in one run.

Each instance: a hall of 6 sector zones with 180 booths (120 standard, 36 small, 24 large; rows back to
back, so neighbours share edges), 150 exhibitors (large booths oversubscribed), each with 0–3 ranked
preferences (mostly zones of its sector, sometimes a popular booth), 30 "avoid" pairs between
competitors of one sector, 10 locked placements. The optimizer (CP-SAT, 10 s limit) and the greedy
baseline (first free preference, in application order) solve the same instance; the table gives time,
placed, preference points, objective, the optimizer's gap and proof, and the hard-rule violations of
both (must be 0). Aim (issue 6): proven optimal or gap < 1 % within 10 s, objective above greedy.

    .venv/bin/python benchmarks/bench_booths.py [--instances 5] [--time-limit 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventhub.booths.geometry import Rect
from eventhub.booths.greedy import greedy_assign
from eventhub.booths.layout import hall
from eventhub.booths.problem import BoothSpec, ExhibitorSpec, Problem, violations
from eventhub.booths.solver import solve

SECTORS = ["ai", "agritech", "fintech", "edtech", "healthtech", "greentech"]
EXHIBITOR_SIZES = ["standard"] * 100 + ["small"] * 22 + ["large"] * 28


def make_instance(seed: int) -> Problem:
    rng = random.Random(seed)
    zones = [{"code": chr(ord("A") + i), "name": s, "sector": s} for i, s in enumerate(SECTORS)]
    plan = hall(zones)
    booths = tuple(BoothSpec(b["code"], b["zone"], Rect(b["x"], b["y"], b["w"], b["h"]), b["size"])
                   for b in plan["booths"])
    zone_of = {z["sector"]: z["code"] for z in zones}
    popular = [b.code for b in booths if b.code.endswith(("01", "02", "09"))]
    sizes = EXHIBITOR_SIZES[:]
    rng.shuffle(sizes)
    exhibitors, by_sector = [], {s: [] for s in SECTORS}
    for index, size in enumerate(sizes):
        sector = rng.choices(SECTORS, weights=[30, 25, 25, 20, 25, 25])[0]
        prefs = []
        for _ in range(rng.choice([0, 1, 2, 2, 3, 3])):
            choice = rng.random()
            if choice < 0.5:
                code = zone_of[sector]
            elif choice < 0.75:
                code = rng.choice([b.code for b in booths if b.size == size])
            elif choice < 0.9:
                code = rng.choice(popular)
            else:
                code = rng.choice(list(zone_of.values()))
            if code not in prefs:
                prefs.append(code)
        exhibitors.append(ExhibitorSpec(index + 1, size, tuple(prefs), sector))
        by_sector[sector].append(index + 1)
    avoid: dict[int, set[int]] = {}
    pairs = set()
    while len(pairs) < 30:
        members = by_sector[rng.choice(SECTORS)]
        a, b = rng.sample(members, 2)
        pairs.add((min(a, b), max(a, b)))
    for a, b in pairs:
        avoid.setdefault(a, set()).add(b)
    exhibitors = tuple(ExhibitorSpec(e.id, e.size, e.preferences, e.sector, frozenset(avoid.get(e.id, ())))
                       for e in exhibitors)
    problem = Problem(booths, exhibitors, {z["code"]: z["sector"] for z in zones})
    locks: dict[int, str] = {}
    for exhibitor in rng.sample(exhibitors, 40):
        if len(locks) == 10:
            break
        taken = set(locks.values())
        candidates = [b.code for b in booths if b.size == exhibitor.size and b.code not in taken]
        code = rng.choice(candidates)
        trial = Problem(booths, exhibitors, problem.zone_sectors, {**locks, exhibitor.id: code})
        if not violations(trial, trial.locks):
            locks[exhibitor.id] = code
    return Problem(booths, exhibitors, problem.zone_sectors, locks)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    header = (f"{'seed':>4} {'greedy s':>8} {'placed':>6} {'points':>6} {'objective':>9} | {'cp-sat s':>8} "
              f"{'placed':>6} {'points':>6} {'objective':>9} {'gap %':>7} {'proven':>6} | "
              f"{'ratio':>6} {'points ×':>8} {'viol.':>5}")
    print(header)
    print("-" * len(header))
    failures = 0
    ratios, point_ratios, times = [], [], []
    for seed in range(1, args.instances + 1):
        problem = make_instance(seed)
        started = time.perf_counter()
        baseline = greedy_assign(problem)
        greedy_s = time.perf_counter() - started
        solution = solve(problem, time_limit=args.time_limit, workers=args.workers)
        broken = len(violations(problem, baseline)) + len(violations(problem, solution.assignments))
        greedy_obj = problem.objective(baseline)
        greedy_points = problem.preference_points(baseline)
        ratio = solution.objective / greedy_obj
        point_ratio = solution.preference_points / max(greedy_points, 1)
        ratios.append(ratio)
        point_ratios.append(point_ratio)
        times.append(solution.seconds)
        failures += broken > 0 or solution.objective < greedy_obj
        print(f"{seed:>4} {greedy_s:>8.3f} {len(baseline):>6} {greedy_points:>6} {greedy_obj:>9} | "
              f"{solution.seconds:>8.2f} {solution.placed:>6} {solution.preference_points:>6} "
              f"{solution.objective:>9} {solution.gap * 100:>7.3f} {solution.optimal!s:>6} | "
              f"{ratio:>6.3f} {point_ratio:>8.2f} {broken:>5}")
    print(f"\nCP-SAT vs greedy: objective ×{min(ratios):.3f}–×{max(ratios):.3f}, preference points "
          f"×{min(point_ratios):.2f}–×{max(point_ratios):.2f}; CP-SAT {min(times):.2f}–{max(times):.2f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
