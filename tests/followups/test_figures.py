"""The report's follow-up figures against a hand-counted fixture: each side's latest answer; a meeting's or
an award's investment once, at the largest amount reported; startups once by organization, over a series
too; the figures in the report's JSON, dashboard, PDF context and XLSX, with their labels."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventhub.extensions import db as _db
from eventhub.followups import figures
from eventhub.organizations.matching import fold_name
from eventhub.organizations.models import Organization
from eventhub.reports import services
from eventhub.reports.pdf import report_context
from tests.factories import HCMC, make_event, make_user, token_headers
from tests.followups.helpers import answered, awarded_entry, held_meeting
from tests.reports.factories import make_profile

BILLION = 1_000_000_000


def _organization(name: str) -> Organization:
    org = Organization(name=name, name_key=fold_name(name), search_text=fold_name(name))
    _db.session.add(org)
    _db.session.commit()
    return org


def _startup(event, org=None):
    name = org.name if org else "Nhóm Khởi nghiệp Chưa Đăng ký"
    profile = make_profile(event, "startup", organization=name)
    profile.organization_id = org.id if org else None
    _db.session.commit()
    return profile


@pytest.fixture
def fixture(db):
    """Two events of 2026. By hand, event A: investment 3 + 1 = 4 billion, startups {Sao Khuê, the awarded
    entry} = 2; event B: 0 VND, startups {Sao Khuê} = 1; the year: 4 billion, 2 startups (not 3)."""
    event_a, event_b = (make_event(starts_at=datetime(2026, month, 1, 8, tzinfo=HCMC),
                                   ends_at=datetime(2026, month, 1, 17, tzinfo=HCMC)) for month in (6, 9))
    sao_khue = _organization("CTCP Sao Khuê")
    m1 = held_meeting(event_a, startup=_startup(event_a, sao_khue))
    answered(m1, side="investor", days=30, investment=True, amount=1 * BILLION)
    answered(m1, side="investor", days=90, investment=True, amount=2 * BILLION)  # the investor's latest
    answered(m1, side="startup", days=90, investment=True, amount=3 * BILLION, pilot=True)  # largest: counted
    m2 = held_meeting(event_a, startup=_startup(event_a, sao_khue))  # the same startup, another profile
    answered(m2, side="startup", days=30, pilot=True)
    answered(m2, side="investor", days=30, investment=True, amount=5 * BILLION // 10)
    answered(m2, side="investor", days=90)  # took it back at 90 days: no investment from this meeting
    m3 = held_meeting(event_a, startup=_startup(event_a))
    answered(m3, side="startup", days=30, follow_up_meeting=True)  # a meeting only: not counted
    entry = awarded_entry(event_a, members=2, pending=0)
    first, second = entry.members
    answered(entry=entry, member=first, side="team", investment=True, amount=1 * BILLION)
    answered(entry=entry, member=second, side="team", investment=True, amount=1 * BILLION)  # same round
    m4 = held_meeting(event_b, startup=_startup(event_b, sao_khue))
    answered(m4, side="startup", days=30, pilot=True)
    return {"a": event_a, "b": event_b}


def test_each_event_against_the_hand_count(fixture):
    found = figures.load([fixture["a"].id, fixture["b"].id])
    assert found[fixture["a"].id] == {"investment_reported": 4 * BILLION,
                                      "startups_with_pilot_or_investment": 2}
    assert found[fixture["b"].id] == {"investment_reported": 0, "startups_with_pilot_or_investment": 1}


def test_the_series_sums_investment_and_counts_startups_once(fixture):
    report = services.series_report(2026)
    assert report.totals["investment_reported"] == 4 * BILLION
    assert report.totals["startups_with_pilot_or_investment"] == 2  # the per-event values sum to 3
    assert report.per_event[fixture["b"].id]["startups_with_pilot_or_investment"] == 1


def test_the_report_shows_them_with_their_labels(fixture, client):
    organizer = make_user("organizer")
    headers = token_headers(organizer)
    one = client.get(f"/api/v1/events/{fixture['a'].slug}/report", headers=headers).get_json()
    assert (one["investment_reported"], one["startups_with_pilot_or_investment"]) == (4 * BILLION, 2)
    year = client.get("/api/v1/series/report?year=2026", headers=headers).get_json()
    assert year["startups_with_pilot_or_investment"] == 2
    assert [e["startups_with_pilot_or_investment"] for e in year["events"]] == [2, 1]
    context = report_context(services.series_report(2026), "vi")
    titles = [row["title"] for row in context["rows"]]
    assert "Vốn đầu tư được báo cáo (VND)" in titles and "Startup có thí điểm hoặc được đầu tư" in titles
    assert len(context["short_labels"]) == len(context["events"][0]["figures"]) == len(context["rows"])


def test_unanswered_rows_count_nothing(db):
    event = make_event()
    meeting = held_meeting(event)
    row = answered(meeting, side="startup", investment=True, amount=BILLION, pilot=True)
    row.answered_at = None
    _db.session.commit()
    assert figures.load([event.id]) == {}
    assert services.event_report(event).totals["investment_reported"] == 0
