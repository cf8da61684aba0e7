"""The pairwise report (floor_results.py): ranks with ties, entries without a vote last and unranked,
scores equal to the model replayed from the same votes, the judges' progress."""

from __future__ import annotations

import pytest

from eventhub.contests import floor_judging as fj
from eventhub.contests import floor_results, pairwise
from tests.contests.floor_world import NOW, confirm_conflict, later, pairwise_world


def _compare(contest, judge, winner, loser, now):
    """The judge is sent to `winner`, then to `loser`, and votes."""
    fj.send_to(contest, judge, winner, now=now)
    fj.finish_first(contest, judge, now=now, choose=False)
    fj.send_to(contest, judge, loser, now=now)
    return fj.vote(contest, judge, winner.id, loser.id, now=now)


def test_equal_scores_share_a_rank_and_entries_without_votes_come_last(db):
    contest, (e1, e2, e3, e4, e5), (a, b) = pairwise_world(entries=5)
    _compare(contest, a, e1, e2, NOW)
    _compare(contest, b, e3, e4, later(60))  # the same situation for other entries: the same scores
    report = floor_results.pairwise_report(contest)
    ranks = {r.entry_id: r.rank for r in report.rows}
    assert ranks == {e1.id: 1, e3.id: 1, e2.id: 3, e4.id: 3, e5.id: None}
    assert report.rows[-1].entry_id == e5.id and report.rows[-1].score is None
    assert [r.entry_id for r in report.unvisited] == [e5.id]
    assert report.votes_total == 2
    winner = next(r for r in report.rows if r.entry_id == e1.id)
    assert (winner.votes, winner.wins, winner.visitors) == (1, 1, 1) and winner.sigma < 1


def test_scores_are_the_replayed_model(db):
    contest, entries, judges = pairwise_world(entries=5, judges=3)
    votes = []
    for n, judge in enumerate(judges):
        for step in range(5):
            stop = fj.next_stop(contest, judge, now=later(minutes=10 * n + step))
            if stop.previous is not None:
                # a judge who prefers the lower id, another the higher: a model with some disagreement
                better, worse = sorted((stop.entry.id, stop.previous.id), reverse=n == 1)
                fj.vote(contest, judge, better, worse, now=later(minutes=10 * n + step))
                votes.append(pairwise.Vote(judge.id, better, worse))
    model = pairwise.replay(votes, [e.id for e in entries], sorted(j.id for j in judges))
    report = floor_results.pairwise_report(contest)
    for row in report.rows:
        assert row.score == pytest.approx(model.entries[row.entry_id].mu, abs=1e-12)
    for judge_row in report.judges:
        assert judge_row.reliability == pytest.approx(model.judges[judge_row.user_id].reliability)
        assert judge_row.votes == sum(v.judge_id == judge_row.user_id for v in votes)
    items = floor_results.result_items(report)
    assert [i["entry_id"] for i in items] == [r.entry_id for r in report.rows]


def test_judges_progress(db):
    contest, entries, (a, b) = pairwise_world(entries=4)
    confirm_conflict(contest, entries[0], b)
    _compare(contest, a, entries[1], entries[2], NOW)
    fj.send_to(contest, a, entries[3], now=later(10))
    fj.skip(contest, a, entries[3].id, now=later(20))
    fj.send_to(contest, a, entries[0], now=later(30))
    rows = {r.user_id: r for r in floor_results.pairwise_report(contest).judges}
    assert (rows[a.id].votes, rows[a.id].skips, rows[a.id].current_title) == (1, 1, entries[0].title)
    assert rows[a.id].remaining == 1 and rows[a.id].last_vote_at is not None
    assert (rows[b.id].votes, rows[b.id].remaining, rows[b.id].current_title) == (0, 3, None)
