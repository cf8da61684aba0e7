"""Check-then-write races between judges and organizers (PostgreSQL shows them; SQLite serializes):
a judge recusing twice at once, one pair assigned twice at once, a recusal or a sheet landing while
the organizer re-runs the assignment."""

from __future__ import annotations

from eventhub.accounts.models import User
from eventhub.contests import assigning, conflicts, judging
from eventhub.contests.access import blocked_pairs
from eventhub.contests.models import Assignment, Conflict, Contest, Entry, Score
from eventhub.extensions import db as _db
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.support.racing import race


def _world(entries=3, judges=3, per_entry=1):
    contest = make_contest(submission_deadline=None, judges_per_entry=per_entry)
    made = [make_entry(contest) for _ in range(entries)]
    panel = make_judges(contest, judges)
    assigning.run_assignment(contest)
    return contest.id, [e.id for e in made], [j.id for j in panel]


def _declare(contest_id, entry_id, judge_id):
    def job():
        conflicts.declare(_db.session.get(Contest, contest_id), entry_id, _db.session.get(User, judge_id))
        return "ok"
    return job


def _assign(contest_id, seed):
    def job():
        assigning.run_assignment(_db.session.get(Contest, contest_id), seed=seed)
        return "ok"
    return job


def test_a_judge_recusing_twice_at_once_gets_one_conflict(app, db):
    contest_id, entry_ids, judge_ids = _world()
    outcomes = race(app, [_declare(contest_id, entry_ids[0], judge_ids[0])] * 4)
    assert outcomes == ["ok"] * 4, outcomes
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Conflict.id)).where(
        Conflict.entry_id == entry_ids[0], Conflict.user_id == judge_ids[0])) == 1


def test_one_pair_added_by_hand_twice_at_once_is_one_assignment(app, db):
    contest_id, entry_ids, judge_ids = _world(entries=1, judges=3)
    db.session.expire_all()
    free = next(j for j in judge_ids if not db.session.scalar(db.select(Assignment.id).filter_by(
        entry_id=entry_ids[0], user_id=j)))

    def job():
        contest = _db.session.get(Contest, contest_id)
        assigning.add_assignment(contest, _db.session.get(Entry, entry_ids[0]), _db.session.get(User, free))
        return "ok"

    outcomes = race(app, [job] * 4)
    assert outcomes == ["ok"] * 4, outcomes
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Assignment.id)).filter_by(
        entry_id=entry_ids[0], user_id=free)) == 1


def test_recusals_during_a_re_assignment_leave_no_conflicted_judge_assigned(app, db):
    for attempt in range(3):
        contest_id, entry_ids, judge_ids = _world(entries=4, judges=4, per_entry=2)
        jobs = [_assign(contest_id, seed=attempt * 10 + n) for n in range(3)]
        jobs += [_declare(contest_id, entry_ids[n], judge_ids[n]) for n in range(3)]
        outcomes = race(app, jobs)
        # a re-run may find the recusals leave no balanced assignment; never a crash
        assert all(o in ("ok", "assignment_infeasible") for o in outcomes), outcomes
        db.session.expire_all()
        contest = db.session.get(Contest, contest_id)
        pairs = set(db.session.execute(db.select(Assignment.entry_id, Assignment.user_id)).tuples())
        assert not pairs & blocked_pairs(contest), attempt


def test_sheets_saved_during_a_re_assignment_belong_to_assigned_judges(app, db):
    for attempt in range(3):
        contest_id, entry_ids, _judge_ids = _world(entries=4, judges=4, per_entry=1)
        db.session.expire_all()
        current = list(db.session.execute(db.select(Assignment.entry_id, Assignment.user_id)).tuples())

        def save(entry_id, judge_id):
            def job():
                judging.save_scores(_db.session.get(Entry, entry_id), _db.session.get(User, judge_id),
                                    {"team": 5, "market": 3})
                return "ok"
            return job

        jobs = [_assign(contest_id, seed=100 + attempt * 10 + n) for n in range(2)]
        jobs += [save(e, j) for e, j in current if e in entry_ids]
        outcomes = race(app, jobs)
        assert all(o in ("ok", "scoring_started", "not_assigned") for o in outcomes), outcomes
        db.session.expire_all()
        assigned = set(db.session.execute(db.select(Assignment.entry_id, Assignment.user_id).where(
            Assignment.entry_id.in_(entry_ids))).tuples())
        sheets = set(db.session.execute(db.select(Score.entry_id, Score.user_id).where(
            Score.entry_id.in_(entry_ids))).tuples())
        assert sheets <= assigned, (attempt, outcomes)


def test_two_organizers_opening_the_next_round_at_once_open_one(app, db):
    from eventhub.contests import rounds
    from eventhub.contests.models import ContestRound

    contest_id, entry_ids, _judge_ids = _world(entries=3, judges=3)

    def job():
        # each organizer was looking at round 1, however late their request runs
        rounds.promote(_db.session.get(Contest, contest_id), entry_ids=entry_ids[:2], after_round=1)
        return "ok"

    outcomes = race(app, [job] * 3)
    assert sorted(outcomes) == ["ok", "round_changed", "round_changed"], outcomes
    db.session.expire_all()
    assert [r.number for r in db.session.scalars(db.select(ContestRound).filter_by(contest_id=contest_id)
                                                 .order_by(ContestRound.number))] == [1, 2]


def test_two_contests_renamed_to_one_code_at_once(app, db):
    from eventhub.contests import setup
    from tests.factories import make_event

    event = make_event()
    ids = [make_contest(event).id for _ in range(4)]

    def rename(contest_id):
        def job():
            setup.update_contest(_db.session.get(Contest, contest_id), {"code": "chung-ket"})
            return "ok"
        return job

    outcomes = race(app, [rename(i) for i in ids])
    assert sorted(outcomes) == ["ok"] + ["validation_error"] * 3, outcomes
