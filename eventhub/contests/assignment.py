"""Judge assignment as a min-cost flow (as HotCRP does). Pure: plain ids in, pairs out.

Network: source → judge → entry → sink.
- source → judge: the floor of E·k/J units on an arc with a strongly negative cost (so every judge
  gets at least the floor), plus one unit at cost 0 when E·k/J is not whole (the ceiling);
- judge → entry: capacity 1, missing where the judge is conflicted; a small random cost from the
  seed gives variety between runs with different seeds (and the same result with the same seed);
- entry → sink: capacity k.
The flow found is then checked (each entry exactly k distinct judges, none conflicted, loads within
floor..ceil); anything else raises AssignmentInfeasible with a reason a person can act on.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence

from ortools.graph.python import min_cost_flow

_FLOOR_COST = -1_000_000
_MAX_VARIETY = 100


class AssignmentInfeasible(Exception):
    """No assignment meets the rules; `reason` says why (English, for logs and tests);
    `kind` and `params` let the caller translate it."""

    def __init__(self, kind: str, **params):
        self.kind = kind
        self.params = params
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        p = self.params
        if self.kind == "no_entries":
            return "there are no entries to assign"
        if self.kind == "not_enough_judges":
            return f"not enough judges: {p['judges']} judges, {p['needed']} needed per entry"
        if self.kind == "entry_short":
            return (f"entry {p['entry']} has only {p['available']} unconflicted judges, "
                    f"needs {p['needed']}")
        return "the conflicts leave no way to give every entry its judges with even loads"


def assign(entries: Sequence[int], judges: Sequence[int], per_entry: int,
           conflicts: Collection[tuple[int, int]] = (), seed: int = 0) -> list[tuple[int, int]]:
    """[(entry_id, judge_id)]: every entry gets exactly `per_entry` distinct unconflicted judges and
    the judges' loads differ by at most one. `conflicts` holds (entry_id, judge_id) pairs."""
    entries = list(dict.fromkeys(entries))
    judges = list(dict.fromkeys(judges))
    if not entries:
        raise AssignmentInfeasible("no_entries")
    if per_entry < 1 or len(judges) < per_entry:
        raise AssignmentInfeasible("not_enough_judges", judges=len(judges), needed=per_entry)
    blocked = set(conflicts)
    for entry in entries:
        available = sum(1 for judge in judges if (entry, judge) not in blocked)
        if available < per_entry:
            raise AssignmentInfeasible("entry_short", entry=entry, available=available, needed=per_entry)

    n_e, n_j = len(entries), len(judges)
    demand = n_e * per_entry
    floor, extra = divmod(demand, n_j)
    source, sink = 0, 1 + n_j + n_e
    rng = random.Random(seed)
    flow = min_cost_flow.SimpleMinCostFlow()
    for j in range(n_j):
        if floor:
            flow.add_arc_with_capacity_and_unit_cost(source, 1 + j, floor, _FLOOR_COST)
        if extra:
            flow.add_arc_with_capacity_and_unit_cost(source, 1 + j, 1, 0)
    pair_arcs = []
    for j, judge in enumerate(judges):
        for e, entry in enumerate(entries):
            if (entry, judge) in blocked:
                continue
            arc = flow.add_arc_with_capacity_and_unit_cost(1 + j, 1 + n_j + e, 1,
                                                           rng.randrange(_MAX_VARIETY))
            pair_arcs.append((arc, entry, judge))
    for e in range(n_e):
        flow.add_arc_with_capacity_and_unit_cost(1 + n_j + e, sink, per_entry, 0)
    flow.set_node_supply(source, demand)
    flow.set_node_supply(sink, -demand)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise AssignmentInfeasible("unbalanced")
    pairs = [(entry, judge) for arc, entry, judge in pair_arcs if flow.flow(arc) > 0]
    verify(pairs, entries, judges, per_entry, blocked)
    return pairs


def verify(pairs: Iterable[tuple[int, int]], entries: Sequence[int], judges: Sequence[int],
           per_entry: int, conflicts: Collection[tuple[int, int]] = ()) -> None:
    """Raises AssignmentInfeasible unless `pairs` meets every rule."""
    pairs = list(pairs)
    if len(set(pairs)) != len(pairs) or any(p in conflicts for p in pairs):
        raise AssignmentInfeasible("unbalanced")
    per_entry_count = dict.fromkeys(entries, 0)
    loads = dict.fromkeys(judges, 0)
    for entry, judge in pairs:
        if entry not in per_entry_count or judge not in loads:
            raise AssignmentInfeasible("unbalanced")
        per_entry_count[entry] += 1
        loads[judge] += 1
    if any(count != per_entry for count in per_entry_count.values()):
        raise AssignmentInfeasible("unbalanced")
    if loads and max(loads.values()) - min(loads.values()) > 1:
        raise AssignmentInfeasible("unbalanced")


def judge_order(contest_id: int, judge_id: int, entry_ids: Iterable[int]) -> list[int]:
    """The judge's entries in an order random per judge (against serial-position bias) and stable."""
    ordered = sorted(set(entry_ids))
    random.Random(f"{contest_id}:{judge_id}").shuffle(ordered)
    return ordered
