"""Judges on the floor at the same moment (each in its own thread, app context and session; PostgreSQL
shows the races, SQLite serializes): votes are never lost, a double tap is one vote, and judges starting
together are not sent to the same booth."""

from __future__ import annotations

from eventhub.accounts.models import User
from eventhub.contests import floor_judging as fj
from eventhub.contests import floor_results
from eventhub.contests.floor_models import PairwiseVisit, PairwiseVote, PairwiseWalk
from eventhub.contests.models import Contest
from eventhub.extensions import db as _db
from tests.contests.floor_world import pairwise_world
from tests.support.racing import race

STEPS = 6


def _ids(entries=6, judges=2):
    contest, made, panel = pairwise_world(entries=entries, judges=judges)
    return contest.id, [e.id for e in made], [j.id for j in panel]


def _load(contest_id, judge_id):
    return _db.session.get(Contest, contest_id), _db.session.get(User, judge_id)


def _walker(contest_id, judge_id):
    """A judge's whole walk: next, vote, next, … – returns how many votes were recorded."""
    def job():
        contest, judge = _load(contest_id, judge_id)
        voted = 0
        for _ in range(STEPS):
            stop = fj.next_stop(contest, judge)
            if stop is None:
                break
            if stop.previous is not None:
                fj.vote(contest, judge, stop.previous.id, stop.entry.id)
                voted += 1
        return voted
    return job


def test_judges_voting_at_once_lose_no_vote(app, db):
    contest_id, _entries, judge_ids = _ids(entries=6, judges=3)
    outcomes = race(app, [_walker(contest_id, j) for j in judge_ids])
    assert outcomes == [STEPS - 1] * 3, outcomes
    db.session.expire_all()
    votes = list(db.session.scalars(db.select(PairwiseVote).filter_by(contest_id=contest_id)))
    assert len(votes) == 3 * (STEPS - 1)
    walks = {w.user_id: w.votes for w in db.session.scalars(db.select(PairwiseWalk).filter_by(
        contest_id=contest_id))}
    assert walks == {j: STEPS - 1 for j in judge_ids}
    # every vote has its visit, and the report counts them all
    assert db.session.scalar(db.select(db.func.count(PairwiseVisit.id)).where(
        PairwiseVisit.vote_id.is_not(None))) == len(votes)
    report = floor_results.pairwise_report(db.session.get(Contest, contest_id))
    assert report.votes_total == len(votes)
    assert sum(r.votes for r in report.rows) == 2 * len(votes)


def test_a_judge_double_tapping_records_one_vote(app, db):
    contest_id, _entries, (judge_id, _other) = _ids(entries=4)
    contest, judge = _load(contest_id, judge_id)
    fj.next_stop(contest, judge)
    stop = fj.next_stop(contest, judge)
    pair = (stop.entry.id, stop.previous.id)

    def tap():
        contest, judge = _load(contest_id, judge_id)
        return fj.vote(contest, judge, *pair).id

    outcomes = race(app, [tap] * 4)
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int), outcomes
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(PairwiseVote.id)).filter_by(contest_id=contest_id)) == 1
    assert db.session.scalar(db.select(PairwiseWalk.votes).filter_by(user_id=judge_id)) == 1


def test_judges_starting_together_go_to_different_booths(app, db):
    contest_id, _entries, judge_ids = _ids(entries=4, judges=3)

    def start(judge_id):
        def job():
            return fj.next_stop(*_load(contest_id, judge_id)).entry.id
        return job

    outcomes = race(app, [start(j) for j in judge_ids])
    assert len(set(outcomes)) == 3, outcomes
