"""The demo's attendance: the 2020 events (over) get check-ins, so their report has figures; once."""

from __future__ import annotations

from eventhub.checkin.models import CheckIn
from eventhub.events.models import Event
from eventhub.reports import services


def test_the_demo_series_has_a_report_with_attendance(db, demo):
    report = services.series_report(2020)
    slugs = [e.slug for e in report.events]
    assert slugs == ["regional-startup-day-2020", "ai-day-2020", "startup-week-2020"]
    totals = report.totals
    assert 0 < totals["checked_in"] <= totals["registrations"]
    assert totals["checked_in"] <= totals["visitor_attendances"]
    assert totals["exhibitors"] == 150 and totals["contests"] == 8
    for event in report.events:  # every check-in on a day of its event, in the event's zone
        days = set(db.session.scalars(db.select(CheckIn.day).where(CheckIn.event_id == event.id)))
        assert days and all(event.local_starts_at.date() <= day <= event.local_ends_at.date() for day in days)
    future = db.session.scalar(db.select(Event).where(Event.slug == "startup-week-2026"))
    assert services.event_report(future).totals["visitor_attendances"] == 0  # it has not happened yet
    assert demo.added_by_second_run[CheckIn.__tablename__] == 0
