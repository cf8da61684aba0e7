"""Saving scores at the same moment: nothing lost, never two sheets for one judge and entry."""

from __future__ import annotations

from eventhub.accounts.models import User
from eventhub.contests import assigning, judging
from eventhub.contests.models import Entry, Score
from eventhub.extensions import db as _db
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.support.racing import race


def _save_job(entry_id: int, judge_id: int, team: float, submit: bool = True):
    def job():
        entry = _db.session.get(Entry, entry_id)
        judge = _db.session.get(User, judge_id)
        score = judging.save_scores(entry, judge, {"team": team, "market": 3}, submit=submit)
        return f"ok {score.values['team']}"
    return job


def _setup(judges=4):
    contest = make_contest(submission_deadline=None, judges_per_entry=judges)
    entry = make_entry(contest)
    made = make_judges(contest, judges)
    assigning.run_assignment(contest)
    return entry.id, [j.id for j in made]


def test_one_judge_saving_eight_times_at_once_keeps_one_sheet(app, db):
    entry_id, judge_ids = _setup(2)
    outcomes = race(app, [_save_job(entry_id, judge_ids[0], float(i)) for i in range(8)])
    assert all(o.startswith("ok") for o in outcomes), outcomes
    db.session.expire_all()
    rows = db.session.scalars(db.select(Score).filter_by(entry_id=entry_id, user_id=judge_ids[0])).all()
    assert len(rows) == 1
    assert f"ok {rows[0].values['team']}" in outcomes  # the last writer's sheet, whole


def test_several_judges_saving_at_once_all_keep_their_sheets(app, db):
    entry_id, judge_ids = _setup(4)
    jobs = [_save_job(entry_id, judge_id, 5.0 + n) for n, judge_id in enumerate(judge_ids)] * 2
    outcomes = race(app, jobs)
    assert all(o.startswith("ok") for o in outcomes), outcomes
    db.session.expire_all()
    rows = db.session.scalars(db.select(Score).filter_by(entry_id=entry_id)).all()
    assert sorted(r.user_id for r in rows) == sorted(judge_ids)
    assert {r.user_id: r.values["team"] for r in rows} == {j: 5.0 + n for n, j in enumerate(judge_ids)}


def test_one_visitor_voting_from_six_taps_at_once_counts_once(app, db):
    from datetime import datetime

    from eventhub.checkin import services as checkin
    from eventhub.contests import voting
    from eventhub.contests.models import Contest, Vote
    from eventhub.registration.models import Registration
    from tests.factories import HCMC, make_type, open_event, register

    event = open_event()
    contest = make_contest(event, submission_deadline=None, peoples_choice=True)
    entry = make_entry(contest)
    reg, _token = register(event, make_type(event))
    # on the event's day (14 December): a scan before it is a scanner test, which gives no vote
    checkin.check_in(event, reg.ticket_code, gate="Cổng B", staff=None,
                     now=datetime(2026, 12, 14, 9, 0, tzinfo=HCMC))
    ids = (contest.id, reg.id, entry.id)

    def job():
        voting.cast_vote(_db.session.get(Contest, ids[0]), _db.session.get(Registration, ids[1]), ids[2])
        return "ok"

    outcomes = race(app, [job] * 6)
    assert sorted(outcomes) == ["already_voted"] * 5 + ["ok"], outcomes
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Vote.id))) == 1
