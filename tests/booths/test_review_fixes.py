"""Fixes of the review: the first floor plans of an event put at once, and the personal-data export."""

from __future__ import annotations

import copy

from eventhub.booths import allocation, services
from eventhub.booths.models import Booth, Floorplan
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from tests.booths.factories import PLAN, apply, hall_event, startup
from tests.factories import login, make_event, token_headers
from tests.racing import race


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


def test_a_rejection_releasing_a_booth_keeps_its_status(app, db):
    event = hall_event()
    exhibitor = apply(event, preferences=["A1"])
    allocation.assign_booths(event, time_limit=2)
    services.review(exhibitor, "reject", note="Trùng lĩnh vực", notify=False)
    db.session.expire_all()
    assert db.session.get(type(exhibitor), exhibitor.id).status.value == "rejected"
    assert allocation.snapshot(event).placements == []


def test_my_data_download_holds_my_booth_applications(client, db):
    event = hall_event()
    founder = startup(full_name="Trần Thị Thu Hà")
    exhibitor = apply(event, founder, organization="Công ty CP Nông Sản Sạch Đồng Tháp", sector="agritech",
                      preferences=["B1", "B"], product="Máy sấy nông sản năng lượng mặt trời")
    allocation.assign_booths(event, time_limit=2)
    apply(event)  # somebody else's application stays out of it
    login(client, founder)
    data = client.get("/account/data.json").get_json()
    assert [a["id"] for a in data["booth_applications"]] == [exhibitor.id]
    mine = data["booth_applications"][0]
    assert mine["organization"] == "Công ty CP Nông Sản Sạch Đồng Tháp"
    assert mine["product"] == "Máy sấy nông sản năng lượng mặt trời"
    assert mine["event"] == event.slug and mine["status"] == "submitted"
    assert mine["preferences"] == ["B1", "B"] and mine["contact_email"] == founder.email
    assert mine["booths"] == [{"booth": "B1", "day": "2026-12-14"}]


def test_changing_size_days_or_rivals_gives_the_booth_back_other_changes_keep_it(db):
    event = hall_event(days=2)
    rival = apply(event)
    exhibitor = apply(event, preferences=["A1"])
    allocation.assign_booths(event, time_limit=2)
    values = {"organization": exhibitor.organization, "sector": "ai", "size": "standard",
              "preferences": ["A1"], "product": "Trợ lý ảo tiếng Việt"}

    def booth_of(e):
        return {p.exhibitor_id: p.booth_id for p in allocation.snapshot(event).placements}.get(e.id)

    services.update_application(exhibitor, **values)
    assert booth_of(exhibitor) is not None  # a new product description keeps the booth
    for change in ({"size": "large"}, {"days": ["2026-12-15"]}, {"avoid": [rival.id]}):
        allocation.assign_booths(event, time_limit=2)
        assert booth_of(exhibitor) is not None
        services.update_application(exhibitor, **{**values, **change})
        assert booth_of(exhibitor) is None, change  # on a standard booth it would break a hard rule
        assert booth_of(rival) is not None
        values = {**values, **change}


def test_an_application_without_preferences_or_with_null_ones_is_taken(client, db):
    event = hall_event()
    for preferences in ({}, {"preferences": None}, {"preferences": []}):
        body = {"organization": "Công ty CP Đèn Xanh", "sector": "cleantech", "size": "standard",
                **preferences}
        answer = client.post(f"/api/v1/events/{event.slug}/exhibitors", json=body,
                             headers=token_headers(startup()))
        assert answer.status_code == 201, answer.get_json()
