"""The min-cost-flow assignment: k distinct unconflicted judges per entry, loads within one."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from eventhub.contests.assignment import AssignmentInfeasible, assign, judge_order, verify


def _check(pairs, entries, judges, k, conflicts=()):
    verify(pairs, entries, judges, k, set(conflicts))
    per_entry = Counter(e for e, _j in pairs)
    assert all(per_entry[e] == k for e in entries)
    loads = Counter(j for _e, j in pairs)
    counts = [loads.get(j, 0) for j in judges]
    assert max(counts) - min(counts) <= 1
    assert not set(pairs) & set(conflicts)
    assert len(set(pairs)) == len(pairs)


@pytest.mark.parametrize("n_entries, n_judges, k", [(10, 4, 2), (7, 3, 3), (300, 40, 5), (1, 5, 5),
                                                   (13, 6, 4)])
def test_every_entry_gets_k_distinct_judges_and_loads_are_even(n_entries, n_judges, k):
    entries, judges = list(range(1, n_entries + 1)), list(range(100, 100 + n_judges))
    _check(assign(entries, judges, k, seed=1), entries, judges, k)


def test_conflicts_are_never_assigned_and_loads_stay_even():
    rng = random.Random(5)
    entries, judges = list(range(60)), list(range(1000, 1012))
    conflicts = {(e, rng.choice(judges)) for e in entries for _ in range(3)}
    pairs = assign(entries, judges, 3, conflicts, seed=2)
    _check(pairs, entries, judges, 3, conflicts)


def test_the_seed_changes_the_assignment_but_not_its_validity():
    entries, judges = list(range(30)), list(range(10))
    a, b = assign(entries, judges, 3, seed=1), assign(entries, judges, 3, seed=2)
    assert set(a) != set(b)
    assert set(a) == set(assign(entries, judges, 3, seed=1))


def test_not_enough_judges_says_so():
    with pytest.raises(AssignmentInfeasible) as info:
        assign([1, 2], [10, 11], 3)
    assert info.value.kind == "not_enough_judges" and "not enough judges" in info.value.reason


def test_an_entry_short_of_unconflicted_judges_is_named():
    with pytest.raises(AssignmentInfeasible) as info:
        assign([1, 2, 3], [10, 11, 12], 3, {(2, 11)})
    assert info.value.reason == "entry 2 has only 2 unconflicted judges, needs 3"


def test_balanced_loads_impossible_under_conflicts_is_refused():
    # 4 entries × 1 judge over 2 judges: loads must be 2 and 2, but judge 11 is conflicted with 3 of them.
    with pytest.raises(AssignmentInfeasible) as info:
        assign([1, 2, 3, 4], [10, 11], 1, {(1, 11), (2, 11), (3, 11)})
    assert info.value.kind == "unbalanced"


def test_no_entries_is_refused():
    with pytest.raises(AssignmentInfeasible):
        assign([], [1, 2], 1)


def test_each_judge_has_a_stable_order_of_their_own():
    ids = list(range(1, 21))
    a1, a2 = judge_order(7, 1, ids), judge_order(7, 1, reversed(ids))
    b = judge_order(7, 2, ids)
    assert a1 == a2 and sorted(a1) == ids and a1 != b
