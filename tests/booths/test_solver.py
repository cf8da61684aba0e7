"""The optimizer as a pure function: hard rules on random instances, optimality against brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventhub.booths.geometry import Rect, edge_neighbours, first_overlap, share_edge
from eventhub.booths.greedy import greedy_assign
from eventhub.booths.problem import BoothSpec, ExhibitorSpec, Problem, violations
from eventhub.booths.solver import AVOID, NO_BOOTH_OF_SIZE, SIZE_FULL, LockConflict, solve

SIZES = ("s", "m")


def row(n: int, sizes=None, zone_of=None) -> tuple[BoothSpec, ...]:
    """n booths 2 wide in a line (each shares an edge with the next); odd ones start a second zone."""
    return tuple(BoothSpec(f"B{i}", (zone_of or (lambda i: "Z1" if i < n / 2 else "Z2"))(i),
                           Rect(2 * i, 0, 2, 2), (sizes or ["s"] * n)[i]) for i in range(n))


# --- geometry --------------------------------------------------------------------------------------

def test_edges_are_shared_only_along_a_segment_of_positive_length():
    a = Rect(0, 0, 2, 2)
    assert share_edge(a, Rect(2, 0, 2, 2))
    assert share_edge(a, Rect(1, 2, 3, 1))  # below, overlapping 1 unit
    assert not share_edge(a, Rect(2, 2, 1, 1))  # corner only
    assert not share_edge(a, Rect(3, 0, 1, 1))  # a gap
    assert not share_edge(a, Rect(1, 1, 2, 2))  # overlapping is not neighbouring
    assert edge_neighbours([a, Rect(2, 0, 2, 2), Rect(4, 0, 1, 1)]) == [{1}, {0, 2}, {1}]
    assert first_overlap([a, Rect(2, 0, 2, 2), Rect(3, 1, 1, 1)]) == (1, 2)
    assert first_overlap([a, Rect(2, 0, 2, 2)]) is None


# --- hard rules on random instances ----------------------------------------------------------------

@st.composite
def instances(draw, max_booths=9, max_exhibitors=9, days=1):
    n_booths = draw(st.integers(1, max_booths))
    columns = draw(st.integers(1, 4))
    booths = tuple(
        BoothSpec(f"B{i}", f"Z{i % 2}", Rect((i % columns) * 3, (i // columns) * 2,
                                               draw(st.integers(1, 3)), 2), draw(st.sampled_from(SIZES)))
        for i in range(n_booths))
    n_exhibitors = draw(st.integers(0, max_exhibitors))
    codes = [b.code for b in booths] + ["Z0", "Z1"]
    exhibitors = []
    for e in range(1, n_exhibitors + 1):
        prefs = tuple(dict.fromkeys(draw(st.lists(st.sampled_from(codes), max_size=3))))
        avoid = frozenset(draw(st.lists(st.integers(1, n_exhibitors), max_size=2))) - {e}
        chosen = draw(st.one_of(st.none(), st.frozensets(st.integers(0, days - 1), min_size=1)))
        exhibitors.append(ExhibitorSpec(e, draw(st.sampled_from(SIZES)), prefs,
                                        draw(st.sampled_from([None, "ai", "fintech"])), avoid, chosen))
    problem = Problem(booths, tuple(exhibitors), {"Z0": "ai", "Z1": "fintech"}, {}, tuple(range(days)))
    locks: dict[int, str] = {}
    for exhibitor in draw(st.lists(st.sampled_from(exhibitors), max_size=3, unique_by=lambda e: e.id)
                          if exhibitors else st.just([])):
        booth = draw(st.sampled_from(booths))
        trial = Problem(booths, problem.exhibitors, problem.zone_sectors, {**locks, exhibitor.id: booth.code},
                        problem.days)
        if not violations(trial, trial.locks):
            locks[exhibitor.id] = booth.code
    return Problem(booths, problem.exhibitors, problem.zone_sectors, locks, problem.days)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(days=1))
def test_every_hard_rule_holds_on_random_instances(problem):
    solution = solve(problem, time_limit=5, workers=1)
    assert violations(problem, solution.assignments) == []
    assert set(solution.assignments) | set(solution.unassigned) == {e.id for e in problem.exhibitors}
    assert set(solution.reasons) == set(solution.unassigned)
    assert solution.objective == problem.objective(solution.assignments)
    assert solution.objective >= problem.objective(greedy_assign(problem))
    assert violations(problem, greedy_assign(problem)) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(days=3))
def test_hard_rules_hold_per_day_on_multi_day_instances(problem):
    solution = solve(problem, time_limit=5, workers=1)
    assert violations(problem, solution.assignments) == []
    assert solution.optimal


# --- optimality against brute force ----------------------------------------------------------------

def brute_force(problem: Problem) -> int:
    """The best objective over every assignment (each exhibitor: no booth, or a booth of its size)."""
    best = 0
    options = [[None] + [b.code for b in problem.booths if b.size == e.size] for e in problem.exhibitors]
    for combo in itertools.product(*options):
        assignment = {e.id: code for e, code in zip(problem.exhibitors, combo, strict=True) if code}
        if not violations(problem, assignment):
            best = max(best, problem.objective(assignment))
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_booths=6, max_exhibitors=5, days=2))
def test_the_optimum_equals_brute_force_on_tiny_instances(problem):
    solution = solve(problem, time_limit=10, workers=1)
    assert solution.optimal and solution.gap == 0
    assert solution.objective == brute_force(problem)


def test_placing_one_more_outweighs_every_preference():
    # Everyone wants B1; all three are still placed, only one of them on B1.
    booths = row(3)
    exhibitors = tuple(ExhibitorSpec(i, "s", ("B1",)) for i in (1, 2, 3))
    solution = solve(Problem(booths, exhibitors))
    assert solution.placed == 3 and solution.optimal
    assert sorted(solution.assignments.values()) == ["B0", "B1", "B2"]


def test_higher_ranked_preferences_win_and_sector_zones_count():
    booths = row(4)  # B0, B1 in Z1 (ai); B2, B3 in Z2
    exhibitors = (ExhibitorSpec(1, "s", ("B3", "B0")), ExhibitorSpec(2, "s", (), "ai"))
    problem = Problem(booths, exhibitors, {"Z1": "ai", "Z2": None})
    solution = solve(problem)
    assert solution.assignments[1] == "B3"
    assert solution.assignments[2] in {"B0", "B1"}
    assert solution.preference_points == 11 + 1


def test_avoid_pairs_never_share_an_edge_and_unplaced_say_why():
    booths = row(2)  # B0 | B1 share an edge
    exhibitors = (ExhibitorSpec(1, "s", avoid=frozenset({2})), ExhibitorSpec(2, "s"), ExhibitorSpec(3, "m"))
    solution = solve(Problem(booths, exhibitors))
    assert solution.placed == 1 and solution.optimal
    unplaced = next(e for e in (1, 2) if e not in solution.assignments)
    assert solution.reasons == {unplaced: AVOID, 3: NO_BOOTH_OF_SIZE}


def test_a_full_size_is_the_reason_when_booths_run_out():
    solution = solve(Problem(row(1), (ExhibitorSpec(1, "s"), ExhibitorSpec(2, "s"))))
    assert solution.reasons == {2: SIZE_FULL}


def test_locks_are_kept_even_against_preferences():
    exhibitors = (ExhibitorSpec(1, "s", ("B0",)), ExhibitorSpec(2, "s", ("B0",)))
    solution = solve(Problem(row(2), exhibitors, locks={2: "B0"}))
    assert solution.assignments == {1: "B1", 2: "B0"}


@pytest.mark.parametrize("locks, exhibitors", [
    ({1: "B0"}, (ExhibitorSpec(1, "m"),)),  # size mismatch
    ({1: "B0", 2: "B0"}, (ExhibitorSpec(1, "s"), ExhibitorSpec(2, "s"))),  # one booth twice
    ({1: "B0", 2: "B1"}, (ExhibitorSpec(1, "s", avoid=frozenset({2})), ExhibitorSpec(2, "s"))),
])
def test_locks_that_break_a_hard_rule_are_refused(locks, exhibitors):
    with pytest.raises(LockConflict):
        solve(Problem(row(2), exhibitors, locks=locks))


def test_one_booth_holds_different_exhibitors_on_different_days():
    exhibitors = (ExhibitorSpec(1, "s", days=frozenset({0})), ExhibitorSpec(2, "s", days=frozenset({1})),
                  ExhibitorSpec(3, "s"))
    solution = solve(Problem(row(1), exhibitors, days=(0, 1)))
    assert solution.assignments == {1: "B0", 2: "B0"} and solution.reasons == {3: SIZE_FULL}


def test_avoid_pairs_on_different_days_may_be_neighbours():
    exhibitors = (ExhibitorSpec(1, "s", avoid=frozenset({2}), days=frozenset({0})),
                  ExhibitorSpec(2, "s", days=frozenset({1})))
    assert solve(Problem(row(2), exhibitors, days=(0, 1))).placed == 2


def test_a_tight_time_limit_still_gives_a_valid_answer():
    booths = tuple(BoothSpec(f"B{i}", "Z", Rect(2 * (i % 10), 2 * (i // 10), 2, 2), "s") for i in range(60))
    exhibitors = tuple(ExhibitorSpec(i, "s", (f"B{(i * 7) % 60}",), avoid=frozenset({i + 1}))
                       for i in range(1, 60))
    problem = Problem(booths, exhibitors)
    solution = solve(problem, time_limit=0.01, workers=1)
    assert violations(problem, solution.assignments) == []
    assert solution.objective >= problem.objective(greedy_assign(problem))
    assert solution.gap >= 0
