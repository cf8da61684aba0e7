"""Krippendorff's alpha (interval), checked against values worked out by hand."""

from __future__ import annotations

import pytest

from eventhub.contests.agreement import krippendorff_alpha_interval


def test_perfect_agreement_is_one():
    assert krippendorff_alpha_interval({1: [10, 10], 2: [50, 50], 3: [90, 90]}) == pytest.approx(1.0)


def test_a_small_case_by_hand():
    # Units: [1, 2], [3, 4]. n = 4. D_o = (1/4)(2·1/1 + 2·1/1) = 1.
    # All ordered pairs over {1,2,3,4}: Σ(vi−vj)² = 2(4·30 − 100) = 40; D_e = 40/12 = 10/3.
    # alpha = 1 − 1/(10/3) = 0.7
    assert krippendorff_alpha_interval({1: [1, 2], 2: [3, 4]}) == pytest.approx(0.7)


def test_systematic_disagreement_is_negative():
    assert krippendorff_alpha_interval({1: [0, 100], 2: [100, 0]}) < 0


def test_nothing_to_measure_is_none():
    assert krippendorff_alpha_interval({}) is None
    assert krippendorff_alpha_interval({1: [5]}) is None
    assert krippendorff_alpha_interval({1: [5, 5], 2: [5, 5]}) is None
