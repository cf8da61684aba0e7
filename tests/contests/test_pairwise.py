"""The Crowd-BT model of pairwise judging (issue 20): update, information gain, the next booth, replay,
and a simulated floor. No database."""

from __future__ import annotations

import ast
import math
import random
from pathlib import Path

import pytest

from eventhub.contests import pairwise
from eventhub.contests.pairwise import (
    ALPHA_PRIOR,
    BETA_PRIOR,
    GAMMA,
    JUDGE_WEIGHT,
    Entry,
    Judge,
    JudgeState,
    Model,
    Vote,
    apply_vote,
    choose_next,
    divergence_beta,
    divergence_gaussian,
    expected_information_gain,
    ranking,
    replay,
    update,
)
from tests.support.pairwise_floor import kendall_tau, tau_of, walk_floor


def test_the_module_is_pure():
    tree = ast.parse(Path(pairwise.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy", "eventhub"}


# --- update ---------------------------------------------------------------------------------------

def test_first_vote_from_the_prior_by_hand():
    # p_true = 1/2, p_judge = 10/11: means move by ±(10/11 − 1/2) = ±9/22;
    # variances by 1 + (10/11·1/11 − 1/4) = 1 − 0.167355… (Gavel's formulas, worked by hand).
    winner, loser, judge = update(Entry(1), Entry(2), Judge(7))
    assert winner.mu == pytest.approx(9 / 22) and loser.mu == pytest.approx(-9 / 22)
    assert winner.sigma2 == pytest.approx(1 + 10 / 121 - 0.25)
    assert loser.sigma2 == pytest.approx(winner.sigma2)
    assert (winner.id, loser.id, judge.id) == (1, 2, 7)


def test_a_win_raises_the_winner_lowers_the_loser_and_shrinks_both_variances():
    a, b = Entry(1, mu=0.3, sigma2=0.6), Entry(2, mu=-0.2, sigma2=0.9)
    for winner, loser in ((a, b), (b, a)):  # expected and surprising outcomes alike
        new_winner, new_loser, _ = update(winner, loser, Judge(1, alpha=6.0, beta=2.0))
        assert new_winner.mu > winner.mu and new_loser.mu < loser.mu
        assert 0 < new_winner.sigma2 < winner.sigma2 and 0 < new_loser.sigma2 < loser.sigma2


def test_a_surprise_moves_the_means_more_than_an_expected_result():
    strong, weak = Entry(1, mu=1.0, sigma2=0.5), Entry(2, mu=-1.0, sigma2=0.5)
    expected, _, _ = update(strong, weak, Judge(1))
    upset, _, _ = update(weak, strong, Judge(1))
    assert upset.mu - weak.mu > expected.mu - strong.mu > 0


def test_a_judge_trusted_no_more_than_a_coin_moves_no_mean():
    winner, loser, _ = update(Entry(1, 0.2, 0.7), Entry(2, 0.1, 0.4), Judge(1, alpha=3.0, beta=3.0))
    assert winner.mu == pytest.approx(0.2) and loser.mu == pytest.approx(0.1)


def test_an_entry_cannot_beat_itself():
    with pytest.raises(ValueError):
        update(Entry(1), Entry(1), Judge(1))


def test_a_judge_who_keeps_voting_against_the_consensus_loses_reliability():
    order = [1, 2, 3, 4, 5]  # 1 is best
    honest = [Vote(j, w, lo) for _ in range(3) for j in (10, 11, 12, 13)
              for i, w in enumerate(order) for lo in order[i + 1:]]
    contrarian = [Vote(99, lo, w) for i, w in enumerate(order) for lo in order[i + 1:]]
    model = replay(honest + contrarian)
    prior = ALPHA_PRIOR / (ALPHA_PRIOR + BETA_PRIOR)
    assert model.judges[99].reliability < prior - 0.05
    assert all(model.judges[j].reliability > model.judges[99].reliability for j in (10, 11, 12, 13))
    # and every further contrary vote lowers it again
    previous = model.judges[99].reliability
    for w, lo in ((5, 1), (4, 1), (5, 2)):
        model = apply_vote(model, Vote(99, w, lo))
        assert model.judges[99].reliability < previous
        previous = model.judges[99].reliability


def test_the_consensus_survives_one_contrarian():
    order = [1, 2, 3, 4, 5]
    votes = [Vote(j, w, lo) for _ in range(2) for j in (10, 11, 12)
             for i, w in enumerate(order) for lo in order[i + 1:]]
    votes += [Vote(99, lo, w) for i, w in enumerate(order) for lo in order[i + 1:]]
    assert [e.id for e in ranking(replay(votes).entries.values())] == order


# --- divergences and information gain -------------------------------------------------------------

def test_divergences_are_zero_for_equal_distributions_and_positive_otherwise():
    assert divergence_gaussian(0.3, 0.5, 0.3, 0.5) == pytest.approx(0.0, abs=1e-15)
    assert divergence_gaussian(0.3, 0.4, 0.0, 0.5) > 0
    assert divergence_beta(10, 1, 10, 1) == pytest.approx(0.0, abs=1e-12)
    assert divergence_beta(9, 2, 10, 1) > 0


def test_digamma_against_known_values():
    euler_gamma = 0.5772156649015329
    assert pairwise._digamma(1.0) == pytest.approx(-euler_gamma, abs=1e-10)
    assert pairwise._digamma(0.5) == pytest.approx(-euler_gamma - 2 * math.log(2), abs=1e-10)
    assert pairwise._digamma(10.0) == pytest.approx(2.251752589066721, abs=1e-10)


def test_an_unseen_uncertain_entry_gains_more_than_a_well_known_one():
    judge, current = Judge(1), Entry(1, mu=0.2, sigma2=0.4)
    unseen = Entry(2)  # the prior: sigma2 = 1
    well_known = Entry(3, mu=0.0, sigma2=0.05)
    assert expected_information_gain(judge, current, unseen) > 2 * expected_information_gain(
        judge, current, well_known) > 0


def test_a_close_contest_gains_more_than_a_foregone_one():
    judge, current = Judge(1), Entry(1, mu=0.0, sigma2=0.5)
    assert (expected_information_gain(judge, current, Entry(2, mu=0.1, sigma2=0.5))
            > expected_information_gain(judge, current, Entry(3, mu=3.0, sigma2=0.5)))


# --- choose_next ----------------------------------------------------------------------------------

def test_conflicts_the_current_entry_and_seen_entries_are_never_chosen_while_unseen_remain():
    current = Entry(1, 0.0, 0.5)
    best, conflicted, seen, modest = Entry(2), Entry(3), Entry(4), Entry(5, 0.0, 0.2)
    state = JudgeState(Judge(1), seen=frozenset({1, 4}), conflicts=frozenset({2, 3}))
    assert choose_next(state, current, [current, best, conflicted, seen, modest]) == modest


def test_seen_entries_come_back_once_every_other_has_been_seen():
    current = Entry(1, 0.0, 0.5)
    state = JudgeState(Judge(1), seen=frozenset({1, 4, 5}), conflicts=frozenset({2}))
    chosen = choose_next(state, current, [current, Entry(2), Entry(4, 0.0, 0.2), Entry(5, 0.0, 0.9)])
    assert chosen is not None and chosen.id == 5


def test_nothing_to_choose():
    current = Entry(1)
    state = JudgeState(Judge(1), conflicts=frozenset({2}))
    assert choose_next(state, current, [current, Entry(2)]) is None
    assert choose_next(state, current, []) is None


def test_a_nearer_booth_wins_when_the_gains_are_within_the_tolerance():
    judge, current = Judge(1), Entry(1, 0.0, 0.5)
    far, near = Entry(2, 0.0, 1.0), Entry(3, 0.0, 0.95)
    g_far, g_near = (expected_information_gain(judge, current, e, judge_weight=JUDGE_WEIGHT)
                     for e in (far, near))
    assert g_near < g_far < g_near / (1 - 0.05)  # the premise: close, within 5 %
    metres = {2: 60.0, 3: 8.0}
    state = JudgeState(judge)
    assert choose_next(state, current, [far, near]) == far
    assert choose_next(state, current, [far, near], distance=lambda e: metres[e.id], tolerance=0.05) == near
    assert choose_next(state, current, [far, near], distance=lambda e: metres[e.id], tolerance=0.0) == far


def test_a_farther_booth_wins_when_it_is_clearly_better():
    judge, current = Judge(1), Entry(1, 0.0, 0.5)
    far, near = Entry(2, 0.0, 1.0), Entry(3, 0.0, 0.3)
    gain = {e.id: expected_information_gain(judge, current, e, judge_weight=JUDGE_WEIGHT)
            for e in (far, near)}
    assert gain[3] < 0.8 * gain[2]
    metres = {2: 60.0, 3: 8.0}
    assert choose_next(JudgeState(judge), current, [far, near], distance=lambda e: metres[e.id]) == far


def test_exploration_is_reproducible_and_respects_the_same_exclusions():
    current = Entry(0, 0.0, 0.5)
    candidates = [current] + [Entry(i, random.Random(i).gauss(0, 1), 0.5) for i in range(1, 30)]
    state = JudgeState(Judge(1), seen=frozenset({0, 1, 2}), conflicts=frozenset({3, 4}))

    def picks(seed):
        rng = random.Random(seed)
        return [choose_next(state, current, candidates, rng=rng, epsilon=0.5).id for _ in range(40)]

    assert picks(5) == picks(5)
    assert not set(picks(5)) & {0, 1, 2, 3, 4}
    assert len(set(picks(5))) > 1  # exploration does explore


def test_busy_booths_only_when_nothing_else_is_left():
    current = Entry(1, 0.0, 0.5)
    best, modest = Entry(2), Entry(3, 0.0, 0.2)
    state = JudgeState(Judge(1))
    assert choose_next(state, current, [current, best, modest]) == best
    assert choose_next(state, current, [current, best, modest], busy={2}) == modest
    assert choose_next(state, current, [current, best, modest], busy={2, 3}) == best
    # an unseen busy booth still comes before a seen free one
    seen = JudgeState(Judge(1), seen=frozenset({3}))
    assert choose_next(seen, current, [current, best, modest], busy={2}) == best


def test_the_judge_weight_of_the_gain():
    judge, current, candidate = Judge(1, 4.0, 2.0), Entry(1, 0.3, 0.5), Entry(2, -0.4, 0.8)
    gavel = expected_information_gain(judge, current, candidate)
    assert expected_information_gain(judge, current, candidate, judge_weight=GAMMA) == gavel
    heavier = expected_information_gain(judge, current, candidate, judge_weight=JUDGE_WEIGHT)
    assert heavier > gavel > expected_information_gain(judge, current, candidate, judge_weight=0.0) > 0


def test_equal_gains_without_a_random_go_to_the_lowest_id():
    current = Entry(9)
    assert choose_next(JudgeState(Judge(1)), current, [Entry(5), Entry(3), Entry(7), current]).id == 3


# --- ranking and replay ---------------------------------------------------------------------------

def test_ranking_by_mean_then_id():
    entries = [Entry(4, 0.1), Entry(2, 0.5), Entry(3, 0.1), Entry(1, -0.2)]
    assert [e.id for e in ranking(entries)] == [2, 3, 4, 1]


def test_replay_equals_the_incremental_updates():
    rng = random.Random(20)
    votes = []
    for _ in range(60):
        w, lo = rng.sample(range(1, 9), 2)
        votes.append(Vote(rng.choice([1, 2, 3]), w, lo))
    entries = {i: Entry(i) for i in range(1, 10)}
    judges = {j: Judge(j) for j in (1, 2, 3)}
    model = Model(dict(entries), dict(judges))
    for v in votes:
        entries[v.winner_id], entries[v.loser_id], judges[v.judge_id] = update(
            entries[v.winner_id], entries[v.loser_id], judges[v.judge_id])
        model = apply_vote(model, v)
    replayed = replay(votes, entry_ids=range(1, 10), judge_ids=(1, 2, 3))
    assert replayed == model == Model(entries, judges)
    assert replayed.entries[9] == Entry(9)  # listed, never voted on: the prior


def test_undo_is_a_replay_without_the_last_vote():
    votes = [Vote(1, 1, 2), Vote(1, 3, 1), Vote(2, 2, 3), Vote(2, 1, 3)]
    before = replay(votes[:-1])
    after = apply_vote(before, votes[-1])
    assert after == replay(votes) and after != before
    assert replay(votes[:-1]) == before  # apply_vote left `before` alone


# --- a simulated floor ----------------------------------------------------------------------------

def test_kendall_tau_helper():
    assert kendall_tau([1, 2, 3, 4], [10, 20, 30, 40]) == 1
    assert kendall_tau([1, 2, 3, 4], [40, 30, 20, 10]) == -1
    assert kendall_tau([1, 2, 3], [1, 3, 2]) == pytest.approx(1 / 3)


HONEST = (3.0, 2.5, 2.0, 2.0, 1.0)  # fairly sharp judges and a noisy one
ADVERSARIAL = (3.0, 2.5, 2.0, 2.0, -2.0)  # the last one votes backwards


def simulate_floor(seed, n_entries=40, votes_per_judge=20, sharpness=(1.5, 1.0, 1.0, 0.7, -1.0),
                   strategy="active", judge_weight=JUDGE_WEIGHT):
    """The shared floor (tests/support/pairwise_floor.py) with this file's defaults: noisy judges, one
    backwards; Gavel's exploration on."""
    return walk_floor(seed, sharpness=sharpness, n_entries=n_entries, rounds=votes_per_judge,
                      strategy=strategy, judge_weight=judge_weight)


def test_a_simulated_floor_recovers_the_ranking():
    taus = []
    for seed in (1, 2, 3):
        quality, model, votes = simulate_floor(seed)
        assert len(votes) == 100
        assert replay(votes, entry_ids=range(40)) == model
        taus.append(tau_of(quality, model))
    # 100 noisy votes on 40 entries: clearly better than chance (0), far from perfect (1); the
    # benchmark finds ~0.3 on average over 40 seeds.
    assert min(taus) > 0.1 and sum(taus) / len(taus) > 0.2


def test_the_active_choice_ranks_better_than_random_booths_on_an_honest_floor():
    # 20 votes per judge, the same floors and coins; the benchmark (40 seeds) finds tau 0.62 against
    # 0.58, random needing ~24 votes per judge for the same. Seeds 0–11, not picked.
    active, randomly = [], []
    for seed in range(12):
        active.append(tau_of(*simulate_floor(seed, sharpness=HONEST)[:2]))
        randomly.append(tau_of(*simulate_floor(seed, sharpness=HONEST, strategy="random")[:2]))
    assert sum(active) / len(active) > sum(randomly) / len(randomly) + 0.01


def test_the_choice_finds_out_a_backwards_judge():
    # With Gavel's weight on the judge's information the choice favours close contests, where a
    # backwards judge looks like a coin flip (reliability stays ~0.87); with JUDGE_WEIGHT they are also
    # asked foregone ones once the means say something (~0.6 at 36 votes, ~0.2 at 60 in the benchmark).
    found, gavel = [], []
    for seed in range(4):
        found.append(simulate_floor(seed, sharpness=ADVERSARIAL, votes_per_judge=36)[1].judges[4].reliability)
        gavel.append(simulate_floor(seed, sharpness=ADVERSARIAL, votes_per_judge=36,
                                    judge_weight=GAMMA)[1].judges[4].reliability)
    assert sum(found) / len(found) < 0.7 < 0.8 < min(gavel)
    assert sum(found) / len(found) < sum(gavel) / len(gavel) - 0.15
