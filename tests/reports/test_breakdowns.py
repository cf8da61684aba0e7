"""The charts' numbers: per hour and day of the event's own time zone, on either path."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from eventhub.checkin import services as checkin
from eventhub.reports import breakdowns
from tests.factories import HCMC, make_event, make_type, register

from .helpers import WEEK_FIGURES

BERLIN = ZoneInfo("Europe/Berlin")


def test_week_breakdowns(world):
    data = breakdowns.breakdowns([world["week"]])
    assert data.arrivals == [("14/12/2026", 2), ("15/12/2026", 1)] and data.arrivals_unit == "day"
    assert data.session_attendance == [("Hội thảo Đô thị thông minh", 3), ("Hội nghị Đổi mới sáng tạo", 1)]
    assert data.entries_per_contest == [("Cuộc thi Khởi nghiệp Sáng tạo", 2), ("AI Challenge", 1)]
    assert sum(n for _day, n in data.registrations_per_day) == WEEK_FIGURES["registrations"]
    funnel = dict(data.meeting_outcomes)
    assert (funnel["requested"], funnel["accepted"], funnel["scheduled"], funnel["held"]) == (5, 5, 4, 3)
    # Reached each follow-up stage or a later one: a term sheet went through further talks too.
    stages = ("follow_up", "due_diligence", "term_sheet", "invested")
    assert tuple(funnel[stage] for stage in stages) == (2, 1, 1, 0)


def test_one_day_of_arrivals_is_drawn_per_hour(world):
    data = breakdowns.breakdowns([world["ai_day"]])
    assert data.arrivals == [("09:00", 1)] and data.arrivals_unit == "hour"


def _checked_in_at(event, *moments):
    rtype = make_type(event)
    for n, moment in enumerate(moments):
        reg, _t = register(event, rtype, full_name=f"Người {n}", email=f"p{n}-{event.slug}@example.vn",
                           notify=False)
        checkin.check_in_registration(event, reg, now=moment)


def test_hours_in_a_fixed_zone_counted_by_the_database(db):
    event = make_event(slug="hcm", registration_open=True, ends_at=datetime(2026, 12, 15, 17, 0, tzinfo=HCMC))
    assert breakdowns.fixed_offset(event) is not None
    _checked_in_at(event, datetime(2026, 12, 14, 8, 5, tzinfo=HCMC),
                   datetime(2026, 12, 14, 8, 55, tzinfo=HCMC), datetime(2026, 12, 14, 23, 30, tzinfo=HCMC),
                   datetime(2026, 12, 15, 0, 10, tzinfo=HCMC))
    data = breakdowns.arrivals([event])
    assert data == ([("14/12/2026", 3), ("15/12/2026", 1)], "day", True)


def test_the_two_paths_agree(db, monkeypatch):
    event = make_event(slug="hai-duong", registration_open=True)
    _checked_in_at(event, *(datetime(2026, 12, 14, h, 7 * h % 60, tzinfo=HCMC) for h in range(6, 23)))
    from eventhub.checkin.models import CheckIn

    in_sql = breakdowns.local_hours([event], CheckIn.event_id, CheckIn.checked_in_at)
    monkeypatch.setattr(breakdowns, "fixed_offset", lambda event: None)
    in_python = breakdowns.local_hours([event], CheckIn.event_id, CheckIn.checked_in_at)
    assert in_sql == in_python and sum(in_sql.values()) == 17


def test_daylight_saving_zones_are_converted_one_by_one(db):
    # Berlin leaves summer time at 03:00 on 25 October 2026: 02:30 happens twice that night.
    event = make_event(slug="berlin", registration_open=True, timezone="Europe/Berlin",
                       starts_at=datetime(2026, 10, 24, 20, tzinfo=BERLIN),
                       ends_at=datetime(2026, 10, 25, 12, tzinfo=BERLIN))
    assert breakdowns.fixed_offset(event) is None
    _checked_in_at(event, datetime(2026, 10, 24, 23, 50, tzinfo=BERLIN),
                   datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0),
                   datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=1),
                   datetime(2026, 10, 25, 9, 0, tzinfo=BERLIN))
    assert breakdowns.arrivals([event]) == ([("24/10/2026", 1), ("25/10/2026", 3)], "day", True)


def test_a_series_in_two_zones_counts_each_in_its_own(db):
    hcm = make_event(slug="hcm-2", registration_open=True, ends_at=datetime(2026, 12, 15, 17, 0, tzinfo=HCMC))
    berlin = make_event(slug="berlin-2", registration_open=True, timezone="Europe/Berlin",
                        starts_at=datetime(2026, 12, 14, 8, tzinfo=BERLIN),
                        ends_at=datetime(2026, 12, 14, 18, tzinfo=BERLIN))
    # 23:30 in Berlin on the 14th is already the 15th in Ho Chi Minh City: it counts for the 14th.
    _checked_in_at(berlin, datetime(2026, 12, 14, 23, 30, tzinfo=BERLIN))
    _checked_in_at(hcm, datetime(2026, 12, 15, 7, 0, tzinfo=HCMC))
    assert breakdowns.arrivals([hcm, berlin])[0] == [("14/12/2026", 1), ("15/12/2026", 1)]


def test_test_scans_outside_the_event_days_are_not_arrivals(db):
    """Scanners tried a week before and a day after a one-day event: the chart shows the event day only."""
    event = make_event(slug="thu-may", registration_open=True)  # 14 December, 08:00–17:00
    _checked_in_at(event, datetime(2026, 12, 6, 10, 0, tzinfo=HCMC),
                   datetime(2026, 12, 14, 8, 30, tzinfo=HCMC), datetime(2026, 12, 14, 9, 10, tzinfo=HCMC),
                   datetime(2026, 12, 15, 8, 0, tzinfo=HCMC))
    assert breakdowns.arrivals([event]) == ([("08:00", 1), ("09:00", 1)], "hour", True)
