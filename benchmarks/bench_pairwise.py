"""Pairwise judging (issue 20): does choosing the next booth by expected information gain rank the
entries better than walking to a random one, for the same number of votes?

The floor, simulated: 40 entries with hidden qualities q ~ N(0, 1); 5 judges who each start at a random
booth and walk, comparing the entry they just saw with the next one (the walk of Gavel and of the
feature); a judge says "i beat j" with Bradley–Terry probability logistic(s·(q_i − q_j)), s their
sharpness (s = 2: one standard deviation of quality apart, the better entry wins 88 % of the time).
Each judge has one conflicted entry. Judges take turns (one vote each per round), as they walk the floor
at the same time. Floors:
- honest: four fairly sharp judges (3, 2.5, 2, 2) and a noisy one (1);
- one adversarial judge: the same, the noisy one replaced by one who votes backwards (−2);
- noisy, adversarial: the first version of this benchmark, (1.5, 1, 1, 0.7, −1);
- sharp: five judges with s = 3.

Strategies for the next booth, each among the same allowed entries (not conflicted, unseen first):
- active: eventhub.contests.pairwise.choose_next as shipped (JUDGE_WEIGHT, booths where other judges
  stand passed as `busy`), ties broken at random, no exploration;
- gavel: Gavel's gain (judge_weight=GAMMA), no busy booths: the first version of the module;
- random: a uniformly random allowed entry.
The same seed gives every strategy the same floor (qualities, conflicts, starting booths). Reported:
Kendall tau-b between the model's means and the hidden qualities, mean ± standard error over seeds, at
10, 20 and 40 votes per judge; the votes per judge random needs to reach active's mean tau (interpolated
on the mean curve, "> rounds" when it never does); each judge's mean reliability at the end; the time of
one update and of one choice over 40 candidates.

What it showed (40 seeds, December 2026; votes per judge random needs for active's tau at 10/20/40):
honest 11.5/23.8/45.8, sharp 12.3/24.6/54.1, one adversarial judge 11.0/21.0/42.7, noisy and adversarial
10.4/19.7/41.0. So a sixth to a third of the votes saved with honest judges, little with a backwards or
noisy one. The judge weight is what helps there: Gavel's gain (column gavel) leaves the backwards judge
at reliability ~0.88 after 60 votes and falls behind random at 40 votes (0.598 against 0.612); with
JUDGE_WEIGHT the judge ends at ~0.2, their votes count reversed, and active is ahead (0.625). With
honest judges the two weights rank alike. Avoiding busy booths is neutral for tau (±0.01 either way
across floors); it is there for the queues.
Tried and not kept (no gain or a loss, 30–60 seeds): coverage first (only the entries with the fewest
comparisons, then the gain: worse at every checkpoint), Gavel's MIN_VIEWS-style "fewer than 2 views
first", uncertainty first (largest variance), ties broken by fewest comparisons, epsilon-greedy
exploration (0.1 and 0.25), choosing by the expected fall in misordered pairs instead of the gain, a
one-step look-ahead along the walk (the gain plus 0.5 or 1 × the best gain from the candidate onwards,
among the top five), and refitting the ranking by Bradley–Terry MAP on the same votes (tau within 0.01:
the model is not what limits the ranking). The walk is the limit: a judge visits unseen booths first, so
at 40 votes each judge has seen all 40 entries and the choice decides only the order.

    .venv/bin/python benchmarks/bench_pairwise.py [--seeds 40] [--entries 40] [--rounds 60]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

from harness import timed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventhub.contests.pairwise import (
    GAMMA,
    JUDGE_WEIGHT,
    Entry,
    Judge,
    JudgeState,
    choose_next,
    update,
)
from tests.support.pairwise_floor import tau_of, walk_floor

SCENARIOS = {
    "honest": (3.0, 2.5, 2.0, 2.0, 1.0),
    "one adversarial judge": (3.0, 2.5, 2.0, 2.0, -2.0),  # the last judge votes backwards
    "noisy, adversarial": (1.5, 1.0, 1.0, 0.7, -1.0),
    "sharp": (3.0, 3.0, 3.0, 3.0, 3.0),
}
SHARPNESS = SCENARIOS["honest"]
CHECKPOINTS = (10, 20, 40)
STRATEGIES = ("active", "gavel", "random")


def simulate(seed: int, strategy: str, rounds: int, n_entries: int,
             sharpness=SHARPNESS) -> tuple[list[float], list[float]]:
    """tau after each round (every judge one more vote) of one simulated floor, and each judge's
    reliability at the end. "gavel": Gavel's weight on the judge and no turning away from busy booths."""
    taus: list[float] = []
    _quality, model, _votes = walk_floor(
        seed, sharpness=sharpness, n_entries=n_entries, rounds=rounds,
        strategy="random" if strategy == "random" else "active",
        judge_weight=GAMMA if strategy == "gavel" else JUDGE_WEIGHT, epsilon=0.0,
        avoid_busy=strategy != "gavel", choice_seed=seed * 7919 + STRATEGIES.index(strategy),
        after_round=lambda quality, model: taus.append(tau_of(quality, model)))
    return taus, [model.judges[k].reliability for k in range(len(sharpness))]


def votes_to_reach(curve: list[float], target: float) -> float:
    """Votes per judge (interpolated between rounds) at which a mean tau curve first reaches target."""
    previous = 0.0
    for rounds, tau in enumerate(curve, start=1):
        if tau >= target:
            before = rounds - 1
            return before + (target - previous) / (tau - previous) if tau > previous else rounds
        previous = tau
    return math.inf


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--entries", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args(argv)

    for name, sharpness in SCENARIOS.items():
        started = time.perf_counter()
        runs = {s: [simulate(seed, s, args.rounds, args.entries, sharpness) for seed in range(args.seeds)]
                for s in STRATEGIES}
        curves = {s: [taus for taus, _ in runs[s]] for s in STRATEGIES}
        mean_curve = {s: [statistics.fmean(c[r] for c in curves[s]) for r in range(args.rounds)]
                      for s in STRATEGIES}
        print(f"\n{name}: {args.entries} entries, judges' sharpness {sharpness}, {args.seeds} seeds "
              f"({time.perf_counter() - started:.1f} s). Kendall tau-b, mean ± standard error:")
        print(f"{'votes/judge':>12} " + " ".join(f"{s:>16}" for s in STRATEGIES)
              + "   votes/judge random needs for active's tau")
        for v in CHECKPOINTS:
            cells = []
            for s in STRATEGIES:
                taus = [c[v - 1] for c in curves[s]]
                sem = statistics.stdev(taus) / math.sqrt(len(taus))
                cells.append(f"{statistics.fmean(taus):.3f} ±{sem:.3f}")
            needed = votes_to_reach(mean_curve["random"], mean_curve["active"][v - 1])
            shown = f"{needed:>5.1f}" if needed != math.inf else f">{args.rounds:>4}"
            print(f"{v:>12} " + " ".join(f"{c:>16}" for c in cells) + f"   {shown} (active: {v})")
        reliabilities = {s: [statistics.fmean(r[k] for _, r in runs[s]) for k in range(len(sharpness))]
                         for s in STRATEGIES}
        print(f"judges' reliability after {args.rounds} votes each: "
              + "; ".join(f"{s} " + " ".join(f"{r:.2f}" for r in reliabilities[s]) for s in STRATEGIES))

    rng = random.Random(1)
    pool = [Entry(i, rng.gauss(0, 1), rng.uniform(0.05, 1)) for i in range(args.entries)]
    state = JudgeState(Judge(1, 8.0, 2.0), frozenset(range(0, args.entries, 3)), frozenset({5}))
    here = pool[0]
    per_update = timed(lambda: update(pool[1], pool[2], state.judge), 2000)
    per_choice = timed(lambda: choose_next(state, here, pool, distance=lambda e: float(e.id)), 200)
    print(f"\nupdate: {per_update * 1e6:.1f} µs; choose_next over {args.entries} entries "
          f"({args.entries - len(state.seen) - 1} unseen): {per_choice * 1e3:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
