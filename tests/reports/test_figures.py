"""The figures match the data the test made, through each feature's own models and services."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from eventhub.errors import ValidationError
from eventhub.reports import figures, services
from tests.factories import HCMC, make_event, make_type, register

from .helpers import ADDED, AI_FIGURES, WEEK_FIGURES


def test_event_figures_match_the_data(world):
    assert figures.event_figures(world["week"].id) == WEEK_FIGURES
    assert figures.event_figures(world["ai_day"].id) == AI_FIGURES


def test_every_figure_of_api_md_in_its_order(world):
    assert tuple(services.event_report(world["week"]).totals) == figures.FIGURES + tuple(ADDED)
    assert len(figures.FIGURES) == 13  # session_checkins (issue 17) after session_attendance


def test_cancelled_registrations_are_not_counted(world):
    from eventhub.extensions import db
    from eventhub.registration import services as registration
    from eventhub.registration.models import Registration

    truc = db.session.scalar(db.select(Registration).where(Registration.email == "truc@example.vn"))
    registration.cancel_registration(truc, notify=False)
    after = figures.event_figures(world["week"].id)
    assert after["registrations"] == WEEK_FIGURES["registrations"] - 1
    assert after["session_attendance"] == WEEK_FIGURES["session_attendance"] - 1  # the seat went with it
    assert after["checked_in"] == WEEK_FIGURES["checked_in"]  # they did come


def test_two_check_ins_one_day_count_once_two_days_twice(db):
    from eventhub.checkin import services as checkin

    event = make_event(slug="hai-ngay", registration_open=True,
                       starts_at=datetime(2026, 12, 14, 8, tzinfo=HCMC),
                       ends_at=datetime(2026, 12, 16, 17, tzinfo=HCMC))
    rtype = make_type(event)
    reg, _t = register(event, rtype, full_name="Ngô Bảo Châu", email="chau@example.vn", notify=False)
    first = checkin.check_in_registration(event, reg, now=datetime(2026, 12, 14, 8, 5, tzinfo=HCMC))
    checkin.undo_check_in(first, actor=None)
    checkin.check_in_registration(event, reg, now=datetime(2026, 12, 14, 16, 0, tzinfo=HCMC))
    # 23:30 in Ho Chi Minh City is still the 14th there (16:30 UTC): the same event day.
    assert figures.figure("visitor_attendances", [event.id]) == {event.id: 1}
    checkin.check_in_registration(event, reg, now=datetime(2026, 12, 15, 0, 30, tzinfo=HCMC))
    checkin.check_in_registration(event, reg, now=datetime(2026, 12, 16, 9, 0, tzinfo=HCMC))
    assert figures.figure("visitor_attendances", [event.id]) == {event.id: 3}
    assert figures.figure("checked_in", [event.id]) == {event.id: 1}


def test_a_meeting_held_by_both_sides_counts_once(world):
    from .factories import make_meeting, make_profile

    week = world["week"]
    investor, startup = make_profile(week, "investor"), make_profile(week, "startup", "Robot Việt")
    make_meeting(week, investor, startup, investor_held=True, startup_held=True)
    after = figures.event_figures(week.id)
    assert after["meetings_held"] == WEEK_FIGURES["meetings_held"] + 1
    assert after["projects_connected"] == WEEK_FIGURES["projects_connected"] + 1
    assert after["investors"] == WEEK_FIGURES["investors"] + 1


def test_withdrawn_entries_and_revoked_certificates_do_not_count(world):
    from .factories import make_certificate, make_contest, make_entry

    contest = make_contest(world["ai_day"], "Cuộc thi Ý tưởng")
    make_entry(contest, withdrawn=True)
    make_certificate(world["ai_day"], revoked=True)
    after = figures.event_figures(world["ai_day"].id)
    assert (after["contests"], after["entries"], after["certificates"]) == (2, 1, 0)


def test_an_event_with_nothing_counts_zero(db):
    event = make_event(slug="trong")
    assert figures.event_figures(event.id) == dict.fromkeys(figures.FIGURES, 0)


def test_series_sums_are_the_sums_of_its_events(world):
    report = services.series_report(2026)
    assert [e.slug for e in report.events] == ["ai-day-2026", "tuan-le-2026"]
    for name in figures.FIGURES:
        assert report.totals[name] == sum(report.per_event[e.id][name] for e in report.events)
        assert report.totals[name] == WEEK_FIGURES[name] + AI_FIGURES[name]


def test_series_year_is_the_year_in_each_event_time_zone(db):
    # 00:30 on 1 January 2027 in Ho Chi Minh City is still 2026 in UTC: it belongs to 2027.
    new_year = make_event(slug="dem-giao-thua", starts_at=datetime(2027, 1, 1, 0, 30, tzinfo=HCMC),
                          ends_at=datetime(2027, 1, 1, 6, 0, tzinfo=HCMC))
    # 20:00 on 31 December 2026 in Los Angeles is already 2027 in UTC: it belongs to 2026.
    la = ZoneInfo("America/Los_Angeles")
    late = make_event(slug="los-angeles", starts_at=datetime(2026, 12, 31, 20, 0, tzinfo=la),
                      ends_at=datetime(2026, 12, 31, 23, 0, tzinfo=la), timezone="America/Los_Angeles")
    assert [e.slug for e in services.series_events(2027)] == [new_year.slug]
    assert [e.slug for e in services.series_events(2026)] == [late.slug]
    assert services.series_events(2025) == []
    assert services.years_with_events() == [2027, 2026]


def test_query_count_of_a_series_does_not_grow_with_its_events(world, count_queries):
    with count_queries() as two_events:
        figures.figures_by_event([world["week"].id, world["ai_day"].id])
    more = [make_event(slug=f"them-{n}").id for n in range(4)]
    with count_queries() as six_events:
        figures.figures_by_event([world["week"].id, world["ai_day"].id, *more])
    # Matchmaking answers per event (3 queries each); the other nine figures are one statement.
    assert six_events.count - two_events.count == 4 * 3


@pytest.mark.parametrize("value, year", [("2020", 2020), (2020, 2020), (" 2021 ", 2021), ("2100", 2100)])
def test_clean_year_accepts(value, year):
    assert services.clean_year(value) == year


@pytest.mark.parametrize("value", [None, "", "abc", "1999", "2101", "２０２０", True, "20 20", "-2020",
                                   "2020.0", "0002020", "9" * 400])
def test_clean_year_refuses(value):
    with pytest.raises(ValidationError) as refused:
        services.clean_year(value)
    assert "year" in refused.value.fields
