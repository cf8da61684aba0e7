"""The meeting scheduler against a naive slot-by-slot greedy, on the issue's instance, in one process.

Issue 8: 25 investors × 150 startups, 300 accepted requests, one day of 20-minute slots
(08:00–18:00 = 30 slots) and 20 tables. Both solvers get the same requests (people are a profile
and its account, as the app gives them):
  greedy   eventhub.matchmaking.greedy.greedy: slot by slot in time order, each slot filled with
           the first requests (by id) that fit – the baseline;
  scheduler eventhub.matchmaking.scheduler.schedule: the app's scheduler – CP-SAT for as many
           meetings as possible, then a local search (polish.py) and CP-SAT again for the fewest
           idle slots – within its time limit.
Instances: `uniform` (every investor 12 requests, every startup 2) and `skewed` (five popular
investors get 24 requests, the others 9; startups 1 or more). Prints meetings placed, idle slots (for
each person, the slots between their first and last meeting without one), gaps (holes, a run of
idle slots counting once),
seconds, and the ratios to the greedy. Aim: all feasible meetings placed, far fewer idle slots than
the greedy, under 10 s. The pure functions only: no database, no HTTP (the app's run adds a few
queries and inserts around the same call).

    .venv/bin/python benchmarks/bench_matchmaking.py [--seconds 8] [--workers 2] [--seed 2020]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from eventhub.matchmaking import scheduler as S  # noqa: E402

INVESTORS, STARTUPS, REQUESTS, SLOTS, TABLES = 25, 150, 300, 30, 20


def _people(investor: int, startup: int) -> tuple:
    # profile and account keys, as scheduling._people makes them
    return (("profile", investor), ("user", 10_000 + investor), ("profile", 1000 + startup),
            ("user", 20_000 + startup))


def uniform(rng: random.Random) -> list[S.Request]:
    """Every investor 12 requests, every startup 2, no pair twice."""
    while True:
        investors = [i for i in range(INVESTORS) for _ in range(REQUESTS // INVESTORS)]
        startups = [s for s in range(STARTUPS) for _ in range(REQUESTS // STARTUPS)]
        rng.shuffle(investors)
        pairs = list(zip(investors, startups, strict=True))
        if len(set(pairs)) == REQUESTS:
            return [S.Request(n + 1, _people(i, s)) for n, (i, s) in enumerate(pairs)]


def skewed(rng: random.Random) -> list[S.Request]:
    """Five popular investors with 24 requests each, the rest 9 each; startups 1–4 requests."""
    loads = [24] * 5 + [9] * 20  # 120 + 180 = 300
    pairs: set[tuple[int, int]] = set()
    for investor, load in enumerate(loads):
        while sum(1 for i, _s in pairs if i == investor) < load:
            pairs.add((investor, min(rng.randrange(STARTUPS), rng.randrange(STARTUPS))))
    return [S.Request(n + 1, _people(i, s)) for n, (i, s) in enumerate(sorted(pairs))]


def run(name: str, requests: list[S.Request], args) -> list[dict]:
    slots = [S.Slot(k + 1, "2020-12-15", k, TABLES) for k in range(SLOTS)]
    rows = []
    for label, solve in (("greedy", lambda: S.greedy(slots, requests)),
                         ("scheduler", lambda: S.schedule(slots, requests, time_limit=args.seconds,
                                                       workers=args.workers))):
        started = time.perf_counter()
        result = solve()
        seconds = time.perf_counter() - started
        problems = S.check(slots, [], requests, result.placed)
        if problems:
            raise SystemExit(f"{label} broke a rule: {problems[:3]}")
        # measured the same way for both: one key per person (the profile)
        people = [S.Request(r.id, (r.people[0], r.people[2])) for r in requests]
        idle, gaps = S.idle_and_gaps(slots, [], people, result.placed)
        rows.append({"instance": name, "solver": label, "placed": len(result.placed), "idle": idle,
                     "gaps": gaps, "seconds": seconds, "optimal": result.optimal})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0, help="the scheduler's time limit")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args(argv)
    rows = []
    for name, make in (("uniform", uniform), ("skewed", skewed)):
        rows += run(name, make(random.Random(args.seed)), args)
    print(f"\n{INVESTORS} investors × {STARTUPS} startups, {REQUESTS} accepted requests, {SLOTS} slots × "
          f"{TABLES} tables; time limit {args.seconds:g} s, {args.workers} workers\n")
    print("| instance | solver | placed | idle slots | gaps | seconds | idle × greedy | gaps × greedy |")
    print("|---|---|--:|--:|--:|--:|--:|--:|")
    failed = False
    for row in rows:
        base = next(r for r in rows if r["instance"] == row["instance"] and r["solver"] == "greedy")
        idle_ratio = row["idle"] / base["idle"] if base["idle"] else 0.0
        gaps_ratio = row["gaps"] / base["gaps"] if base["gaps"] else 0.0
        print(f"| {row['instance']} | {row['solver']} | {row['placed']} | {row['idle']} | {row['gaps']} | "
              f"{row['seconds']:.2f} | {idle_ratio:.2f} | {gaps_ratio:.2f} |")
        if row["solver"] == "scheduler":
            failed |= row["placed"] < base["placed"] or row["seconds"] > 10
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
