"""A simulated exhibition floor for the pairwise model: judges with hidden sharpness walk from booth to
booth and vote Bradley–Terry-style; the tests and benchmarks/bench_pairwise.py share it."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from eventhub.contests.pairwise import (
    EPSILON,
    JUDGE_WEIGHT,
    Entry,
    Judge,
    JudgeState,
    Model,
    Vote,
    apply_vote,
    choose_next,
)

STRATEGIES = ("active", "random")


def kendall_tau(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Kendall's tau-b (ties in either list allowed; 0 when a list is constant); O(n²), enough for a floor."""
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    untied = concordant + discordant
    denominator = math.sqrt((untied + ties_x) * (untied + ties_y))
    return (concordant - discordant) / denominator if denominator else 0.0


def tau_of(quality: Sequence[float], model: Model) -> float:
    """How well the model's means order the hidden qualities."""
    return kendall_tau([model.entries[i].mu for i in range(len(quality))], quality)


def walk_floor(seed: int, *, sharpness: Sequence[float], n_entries: int = 40, rounds: int = 20,
               strategy: str = "active", judge_weight: float = JUDGE_WEIGHT, epsilon: float = EPSILON,
               avoid_busy: bool = True, choice_seed: int | None = None,
               after_round: Callable[[list[float], Model], None] | None = None
               ) -> tuple[list[float], Model, list[Vote]]:
    """Each round every judge votes once: the judge's previous booth against the next one, chosen with
    choose_next ("active") or at random among the booths choose_next could choose ("random"). A judge's
    sharpness scales the quality difference (negative: votes backwards). The same seed gives the same
    floor (qualities, conflicts, starting booths, the votes' coins); `choice_seed` (default seed + 1) seeds
    the choices. Returns the hidden qualities, the model and the votes."""
    world = random.Random(seed)
    quality = [world.gauss(0.0, 1.0) for _ in range(n_entries)]
    conflicts = [frozenset({world.randrange(n_entries)}) for _ in sharpness]
    choices = random.Random(seed + 1 if choice_seed is None else choice_seed)
    model = Model({i: Entry(i) for i in range(n_entries)}, {k: Judge(k) for k in range(len(sharpness))})
    current = [world.choice([i for i in range(n_entries) if i not in c]) for c in conflicts]
    seen = [{c} for c in current]
    votes: list[Vote] = []
    for _ in range(rounds):
        for k, s in enumerate(sharpness):
            here = model.entries[current[k]]
            allowed = [e for e in model.entries.values() if e.id != here.id and e.id not in conflicts[k]]
            unseen = [e for e in allowed if e.id not in seen[k]]
            if strategy == "random":
                nxt = choices.choice(unseen or allowed)
            else:
                state = JudgeState(model.judges[k], frozenset(seen[k]), conflicts[k])
                busy = frozenset(c for m, c in enumerate(current) if m != k) if avoid_busy else frozenset()
                nxt = choose_next(state, here, model.entries.values(), rng=choices, epsilon=epsilon,
                                  busy=busy, judge_weight=judge_weight)
            assert nxt is not None and nxt.id not in conflicts[k] and (nxt.id not in seen[k] or not unseen)
            p_next_wins = 1 / (1 + math.exp(-s * (quality[nxt.id] - quality[here.id])))
            winner, loser = (nxt.id, here.id) if world.random() < p_next_wins else (here.id, nxt.id)
            votes.append(Vote(k, winner, loser))
            model = apply_vote(model, votes[-1])
            seen[k].add(nxt.id)
            current[k] = nxt.id
        if after_round is not None:
            after_round(quality, model)
    return quality, model, votes
