"""The first floor plans of an event put at once: both succeed, one after the other, into one plan."""

from __future__ import annotations

import copy

from eventhub.booths import services
from eventhub.booths.models import Booth, Floorplan
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from tests.booths.factories import PLAN
from tests.factories import make_event
from tests.support.racing import race


def test_two_first_floor_plans_at_once_both_succeed_one_after_the_other(app, db):
    event = make_event(slug="hoi-cho-moi")  # no Floorplan row yet: both requests create it at once
    smaller = copy.deepcopy(PLAN)
    smaller["booths"] = smaller["booths"][:2]

    def put(plan):
        def job():
            services.replace_floorplan(_db.session.get(Event, event.id), plan)
            return "ok"
        return job

    assert race(app, [put(PLAN), put(smaller)]) == ["ok", "ok"]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Floorplan.id)).filter_by(event_id=event.id)) == 1
    assert db.session.scalar(db.select(Floorplan.version).filter_by(event_id=event.id)) == 2
    assert db.session.scalar(db.select(db.func.count(Booth.id)).filter_by(event_id=event.id)) in (2, 5)
