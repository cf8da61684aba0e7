"""The survey's figures against hand-computed values and against the standard library."""

from __future__ import annotations

import random
import statistics

import pytest

from eventhub.surveys import stats


def test_average_and_distribution_by_hand():
    assert stats.average([5, 4, 4, 3]) == 4.0
    assert stats.average([]) is None
    assert stats.distribution([5, 4, 4, 3]) == {1: 0, 2: 0, 3: 1, 4: 2, 5: 1}


def test_nps_by_hand():
    # 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0–6) of 10: 50 % − 20 % = +30
    result = stats.nps([10, 9, 9, 10, 9, 8, 7, 7, 6, 0])
    assert (result.promoters, result.passives, result.detractors) == (5, 3, 2)
    assert result.score == pytest.approx(30.0)
    assert stats.nps([6, 6]).score == -100.0
    assert stats.nps([]).score is None


def test_nps_edges_of_the_bands():
    assert stats.nps([9]).promoters == 1 and stats.nps([8]).passives == 1
    assert stats.nps([7]).passives == 1 and stats.nps([6]).detractors == 1


def test_choice_counts_keep_the_listed_order_and_zeros():
    assert stats.choice_counts(["B", "A", "B", "gone"], ["A", "B", "C"]) == {"A": 1, "B": 2, "C": 0}


def test_response_rate():
    assert stats.response_rate(2, 3) == pytest.approx(2 / 3)
    assert stats.response_rate(0, 0) is None


@pytest.mark.parametrize("seed", range(20))
def test_averages_match_statistics_mean_on_random_answers(seed):
    rng = random.Random(seed)
    values = [rng.randint(1, 5) for _ in range(rng.randint(1, 200))]
    assert stats.average(values) == pytest.approx(statistics.mean(values))
    rows = [(rng.choice("ab"), rng.choice([1, 2]), rng.randint(0, 10)) for _ in range(rng.randint(1, 100))]
    grouped = stats.averages_by_group(rows)
    for group, by_question in grouped.items():
        for qid, avg in by_question.items():
            assert avg == pytest.approx(statistics.mean(v for g, q, v in rows if g == group and q == qid))
    scores = [rng.randint(0, 10) for _ in range(rng.randint(1, 200))]
    expected = (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) * 100 / len(scores)
    assert stats.nps(scores).score == pytest.approx(expected)
