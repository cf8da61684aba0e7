"""Organizers acting at once, each in their own database session: one wins, nothing is corrupt."""

from __future__ import annotations

from collections import Counter

from eventhub.booths import allocation
from eventhub.booths.models import Booth, BoothPlacement, Exhibitor
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from tests.booths.factories import apply, hall_event
from tests.support.racing import race


def _lock_job(event_id, code, exhibitor_id):
    def job():
        event = _db.session.get(Event, event_id)
        booth = _db.session.scalar(_db.select(Booth).filter_by(event_id=event_id, code=code))
        allocation.place(event, booth, _db.session.get(Exhibitor, exhibitor_id), locked=True)
        return "locked"
    return job


def test_two_organizers_locking_the_same_booth_one_wins(app, db):
    event = hall_event(days=3)
    first, second = apply(event), apply(event)
    ids = (event.id, first.id, second.id)
    outcomes = Counter(race(app, [_lock_job(ids[0], "A2", ids[1]), _lock_job(ids[0], "A2", ids[2])]))
    assert outcomes == {"locked": 1, "booth_locked": 1}
    db.session.expire_all()
    rows = list(db.session.scalars(db.select(BoothPlacement)))
    assert len(rows) == 3 and len({r.exhibitor_id for r in rows}) == 1 and all(r.locked for r in rows)


def test_many_organizers_placing_many_exhibitors_keep_the_hard_rules(app, db):
    event = hall_event()
    people = [apply(event).id for _ in range(6)]
    jobs = [_lock_job(event.id, code, person) for person in people for code in ("A1", "A2", "A3")]
    outcomes = race(app, jobs)
    assert not [o for o in outcomes if str(o).startswith("crash")], outcomes
    db.session.expire_all()
    rows = list(db.session.scalars(db.select(BoothPlacement)))
    assert len({r.booth_id for r in rows}) == len(rows) == len({r.exhibitor_id for r in rows}) <= 3


def test_assigning_while_someone_locks_never_breaks_a_lock(app, db):
    event = hall_event()
    people = [apply(event, preferences=["A2"]).id for _ in range(3)]

    def assign():
        allocation.assign_booths(_db.session.get(Event, event.id), time_limit=2)
        return "assigned"

    outcomes = race(app, [assign, _lock_job(event.id, "A2", people[2])])
    assert set(outcomes) <= {"assigned", "locked", "plan_changed"}, outcomes
    db.session.expire_all()
    locked = db.session.scalar(db.select(BoothPlacement).filter_by(exhibitor_id=people[2]))
    assert locked is not None and locked.booth.code == "A2" and locked.locked
    codes = [r.booth_id for r in db.session.scalars(db.select(BoothPlacement))]
    assert len(codes) == len(set(codes))
