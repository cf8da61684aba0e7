"""The results maths of api.md, with numbers worked out by hand."""

from __future__ import annotations

import math

import pytest

from eventhub.contests.scoring import Criterion, Sheet, judge_stats, results, total, valid_number

C = [Criterion("team", 2, 10), Criterion("market", 1, 5)]


def test_a_total_is_weighted_on_0_to_100():
    # 100 × (2×8/10 + 1×4/5) / 3 = 100 × (1.6 + 0.8) / 3 = 80
    assert total(C, {"team": 8, "market": 4}) == pytest.approx(80.0, abs=1e-12)
    assert total(C, {"team": 10, "market": 5}) == pytest.approx(100.0)
    assert total(C, {"team": 0, "market": 0}) == 0.0
    # decimals: 100 × (2×7.5/10 + 1×2.5/5)/3 = 100 × (1.5 + 0.5)/3 = 66.666…
    assert total(C, {"team": 7.5, "market": 2.5}) == pytest.approx(200 / 3, abs=1e-9)


def test_population_standard_deviation():
    mean, std = judge_stats([80, 60, 40])
    assert mean == 60 and std == pytest.approx(math.sqrt(800 / 3))


def test_raw_scoring_ranks_by_mean_of_totals_and_shares_ties():
    sheets = [Sheet(1, 10, {"team": 8, "market": 4}),   # 80
              Sheet(1, 11, {"team": 6, "market": 3}),   # 60  → mean 70
              Sheet(2, 10, {"team": 10, "market": 5}),  # 100 → 100
              Sheet(3, 11, {"team": 7, "market": 3.5}),  # 70 → 70 (tie with entry 1)
              Sheet(4, 10, {"team": 0, "market": 0})]   # 0
    out = results([1, 2, 3, 4, 5], C, sheets, "raw")
    assert [(r.entry_id, r.rank) for r in out] == [(2, 1), (1, 2), (3, 2), (4, 4), (5, None)]
    by_id = {r.entry_id: r for r in out}
    assert by_id[1].raw_mean == pytest.approx(70) and by_id[1].normalized == by_id[1].raw_mean
    assert by_id[5].raw_mean is None and by_id[5].normalized is None and by_id[5].scores_count == 0
    assert by_id[1].scores_count == 2


def test_zscores_use_each_judges_own_mean_and_population_std():
    # Judge A (strict): totals 40, 60, 80 → mean 60, std √(800/3) = 16.3299…; z = −1.2247, 0, 1.2247
    # Judge B (lenient): totals 90, 100 on entries 1, 2 → mean 95, std 5; z = −1, 1
    sheets = [Sheet(1, 1, {"team": 4, "market": 2}), Sheet(2, 1, {"team": 6, "market": 3}),
              Sheet(3, 1, {"team": 8, "market": 4}),
              Sheet(1, 2, {"team": 9, "market": 4.5}), Sheet(2, 2, {"team": 10, "market": 5})]
    out = {r.entry_id: r for r in results([1, 2, 3], C, sheets, "zscore")}
    za = 20 / math.sqrt(800 / 3)
    assert out[1].normalized == pytest.approx((-za + -1) / 2, abs=1e-9)
    assert out[2].normalized == pytest.approx((0 + 1) / 2, abs=1e-9)
    assert out[3].normalized == pytest.approx(za, abs=1e-9)
    assert out[1].raw_mean == pytest.approx(65) and out[2].raw_mean == pytest.approx(80)
    assert [out[e].rank for e in (3, 2, 1)] == [1, 2, 3]


def test_a_judge_with_no_spread_gives_z_zero():
    sheets = [Sheet(1, 1, {"team": 5, "market": 2.5}), Sheet(2, 1, {"team": 5, "market": 2.5})]
    out = results([1, 2], C, sheets, "zscore")
    assert all(r.normalized == 0.0 for r in out)
    assert [r.rank for r in out] == [1, 1]  # equal on normalized and raw: shared rank


def test_equal_normalized_is_broken_by_raw_mean():
    # Each judge scores one entry only: every z is 0; raw_mean decides.
    sheets = [Sheet(1, 1, {"team": 5, "market": 5}), Sheet(2, 2, {"team": 9, "market": 5})]
    out = results([1, 2], C, sheets, "zscore")
    assert [r.entry_id for r in out] == [2, 1] and [r.rank for r in out] == [1, 2]


def test_nothing_is_rounded():
    sheets = [Sheet(1, 1, {"team": 1, "market": 1})]  # 100 × (0.2 + 0.2)/3 = 13.333…
    out = results([1], C, sheets, "raw")
    assert out[0].raw_mean == pytest.approx(40 / 3, abs=1e-12)
    assert out[0].raw_mean != round(out[0].raw_mean, 6)


@pytest.mark.parametrize("value, ok", [(1, True), (2.5, True), (True, False), (float("nan"), False),
                                       (float("inf"), False), ("3", False), (None, False)])
def test_valid_numbers(value, ok):
    assert valid_number(value) is ok
