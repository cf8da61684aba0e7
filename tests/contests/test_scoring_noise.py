"""A judge whose totals are all equal has s = 0 and every z = 0 (api.md), even when the equal totals
come from different scores and the floating-point sums differ in their last bit."""

from __future__ import annotations

from itertools import product

from eventhub.contests import scoring

RUBRIC = [scoring.Criterion("a", 1, 10), scoring.Criterion("b", 1, 10), scoring.Criterion("c", 1, 10)]


def _total(scores) -> float:
    return scoring.compute_totals(RUBRIC, [scoring.Sheet(0, 0, scores)])[0][2]


def _equal_total_sheets():
    """Two score sets with the same exact total whose float totals differ."""
    by_exact: dict[int, list[dict]] = {}
    for a, b, c in product(range(11), repeat=3):
        by_exact.setdefault(a + b + c, []).append({"a": a, "b": b, "c": c})
    for sheets in by_exact.values():
        totals = {_total(s): s for s in sheets}
        if len(totals) > 1:
            return list(totals.values())[:2]
    raise AssertionError("no rounding noise found")


def test_equal_totals_by_different_scores_give_z_zero():
    first, second = _equal_total_sheets()
    assert _total(first) != _total(second)  # the noise is real
    assert abs(_total(first) - _total(second)) < 1e-12
    sheets = [scoring.Sheet(1, 7, first), scoring.Sheet(2, 7, second), scoring.Sheet(3, 7, first)]
    totals = scoring.compute_totals(RUBRIC, sheets)
    assert set(scoring.z_scores(totals).values()) == {0.0}
    ranked = scoring.results([1, 2, 3], RUBRIC, sheets)
    assert [r.rank for r in ranked] == [1, 1, 1]
    assert all(r.normalized == 0.0 for r in ranked)


def test_a_real_spread_still_gives_z_scores():
    sheets = [scoring.Sheet(1, 7, {"a": 10, "b": 10, "c": 10}), scoring.Sheet(2, 7, {"a": 0, "b": 0, "c": 0})]
    zs = scoring.z_scores(scoring.compute_totals(RUBRIC, sheets))
    assert zs == {(1, 7): 1.0, (2, 7): -1.0}
