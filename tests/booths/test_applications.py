"""Applications and their booths: a rejection keeps its status while it frees the booth; changing size,
days or rivals gives the booth back, other changes keep it; preferences may be missing or null."""

from __future__ import annotations

from eventhub.booths import allocation, services
from tests.booths.factories import apply, hall_event, startup
from tests.factories import token_headers


def test_a_rejection_releasing_a_booth_keeps_its_status(app, db):
    event = hall_event()
    exhibitor = apply(event, preferences=["A1"])
    allocation.assign_booths(event, time_limit=2)
    services.review(exhibitor, "reject", note="Trùng lĩnh vực", notify=False)
    db.session.expire_all()
    assert db.session.get(type(exhibitor), exhibitor.id).status.value == "rejected"
    assert allocation.snapshot(event).placements == []


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
