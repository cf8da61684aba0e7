"""Krippendorff's alpha (interval), checked by hand and against the `krippendorff` package."""

from __future__ import annotations

import math
import random
import re

import krippendorff
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


# --- issue 14.1: equal totals that are not round numbers, and the reference implementation ---------

@pytest.mark.parametrize("total", [100 / 3, 100 / 7, 99.99, 0.1 + 0.2])
@pytest.mark.parametrize(("judges", "entries"), [(3, 4), (5, 7), (4, 9), (2, 30)])
def test_every_total_the_same_is_undefined_not_above_one(total, judges, entries):
    # The old O(m) form 2(mΣv² − (Σv)²) left rounding noise here: 1.0, 1.018, 0.838, 1.263.
    assert krippendorff_alpha_interval({e: [total] * judges for e in range(entries)}) is None


def test_the_same_total_reached_by_different_sums_is_still_no_disagreement():
    third = 100 / 3
    ways = [third, third * 0.1 * 10, (third + 1000) - 1000]
    assert len(set(ways)) > 1  # the float values really differ in the last bit
    units = {e: [ways[(e + j) % 3] for j in range(4)] for e in range(12)}
    assert krippendorff_alpha_interval(units) is None


def test_one_pairable_unit_is_not_enough():
    # The docstring's rule: fewer than two units with two values each → nothing to measure.
    assert krippendorff_alpha_interval({1: [10, 20, 30]}) is None
    assert krippendorff_alpha_interval({1: [10, 20, 30], 2: [40], 3: []}) is None
    assert krippendorff_alpha_interval({1: [10, 20, 30], 2: [40, 41]}) is not None


def _random_matrix(rng, kind):
    """judges × entries, NaN where a judge did not score; near-constant kinds included."""
    judges, entries = rng.randint(2, 8), rng.randint(2, 30)
    if kind == "integers":
        rows = [[float(rng.randint(0, 100)) for _ in range(entries)] for _ in range(judges)]
    elif kind == "agreeing":
        truth = [rng.uniform(0, 100) for _ in range(entries)]
        rows = [[t + rng.gauss(0, 3) for t in truth] for _ in range(judges)]
    elif kind == "near-constant":
        base = rng.choice([100 / 3, 100 / 7, 99.99, 0.1 + 0.2, 1e6 / 3])
        step = rng.choice([1e-3, 1e-5, 1e-7])
        rows = [[base * (1 + step * rng.choice([0, 0, 0, 1, -1])) for _ in range(entries)]
                for _ in range(judges)]
    elif kind == "constant":
        base = rng.choice([100 / 3, 100 / 7, 99.99])
        ways = [base, base * 0.1 * 10, (base + 1000) - 1000]
        rows = [[rng.choice(ways) for _ in range(entries)] for _ in range(judges)]
    else:
        rows = [[rng.uniform(0, 100) for _ in range(entries)] for _ in range(judges)]
    missing = rng.choice([0.0, 0.2, 0.5])
    return [[v if rng.random() >= missing else math.nan for v in row] for row in rows]


def test_alpha_agrees_with_the_krippendorff_package_on_random_matrices():
    """500 random matrices with missing values: same alpha as the `krippendorff` package (interval)
    wherever alpha is defined, and undefined exactly where every pairable value is the same."""
    import numpy as np

    rng = random.Random(1414)
    compared = undefined = 0
    largest_difference = 0.0
    kinds = ["integers", "uniform", "agreeing", "near-constant", "constant"]
    for case in range(500):
        kind = kinds[case % len(kinds)]
        rows = _random_matrix(rng, kind)
        units = {e: [row[e] for row in rows if not math.isnan(row[e])] for e in range(len(rows[0]))}
        ours = krippendorff_alpha_interval(units)
        pairable = [vs for vs in units.values() if len(vs) >= 2]
        flat = [v for vs in pairable for v in vs]
        if len(pairable) < 2 or max(flat) - min(flat) <= 1e-9 * max(abs(v) for v in flat):
            assert ours is None, (kind, rows, ours)
            undefined += 1
            continue
        reference = float(krippendorff.alpha(reliability_data=np.array(rows),
                                             level_of_measurement="interval"))
        assert ours is not None and ours <= 1.0, (kind, rows, ours)
        largest_difference = max(largest_difference, abs(ours - reference))
        compared += 1
    assert compared >= 350 and undefined >= 50, (compared, undefined)
    assert largest_difference < 1e-12, largest_difference


def test_the_results_page_says_not_enough_scores_when_every_total_is_33_33(client, db):
    """Team 2/10 and market 3/5 with weights 2 and 1 make 100/3 for every sheet: the page showed
    agreement 1.000 (rounding noise); there is no disagreement to measure, so it says so."""
    from eventhub.contests import assigning, judging
    from eventhub.contests.models import Assignment
    from eventhub.extensions import db as _db
    from tests.contests.factories import make_contest, make_entry, make_judges
    from tests.factories import login, make_user

    contest = make_contest(submission_deadline=None, judges_per_entry=2)
    for _ in range(6):
        make_entry(contest)
    make_judges(contest, 3)
    assigning.run_assignment(contest)
    for a in _db.session.scalars(_db.select(Assignment)).all():
        judging.save_scores(a.entry, a.user, {"team": 2, "market": 3})
    login(client, make_user("organizer", email="bantochuc14@sokhcn.vn"))
    client.get("/?lang=en")
    html = client.get(f"/contests/{contest.id}/results/manage").get_data(as_text=True)
    agreement = re.search(r"Krippendorff.*?<strong>(.*?)</strong>", html, re.S).group(1)
    assert agreement == "not enough scores"
