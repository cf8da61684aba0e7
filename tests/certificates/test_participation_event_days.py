"""Participation certificates go to people checked in on the event's days: a scan before or after them is
a scanner test (eventhub.checkin.days), which the figures already leave out – and so must the certificates,
or a ticket tried out a week early earns a certificate of attendance for someone who never came."""

from __future__ import annotations

from datetime import datetime, timedelta

from eventhub.certificates.holders import holders_for
from eventhub.certificates.models import CertificateKind
from eventhub.checkin import services as checkin
from eventhub.extensions import db as sqla
from tests.factories import HCMC, make_type, open_event, register

from .helpers import MORNING, TRUC, certificates, run_job

WEEK_EARLY = datetime(2026, 12, 6, 10, 15, tzinfo=HCMC)  # the event ("day") is 14 December
DAY_AFTER = datetime(2026, 12, 15, 9, 0, tzinfo=HCMC)


def test_a_test_scan_earns_no_participation_certificate(day):
    event = day["event"]
    checkin.check_in(event, day["absent"].ticket_code, now=WEEK_EARLY)
    checkin.check_in(event, day["absent"].ticket_code, now=DAY_AFTER)
    names = [h.full_name for h in holders_for(event, "participation")]
    assert names == ["Lê Văn Dũng", "Lê Văn Tám", TRUC]  # not Phạm Minh Huy


def test_a_test_scan_and_a_scan_on_the_day_earn_one_certificate(day):
    event = day["event"]
    checkin.check_in(event, day["truc"].ticket_code, now=WEEK_EARLY)
    checkin.check_in(event, day["absent"].ticket_code, now=WEEK_EARLY)
    checkin.check_in(event, day["absent"].ticket_code, now=MORNING + timedelta(hours=3))
    names = [h.full_name for h in holders_for(event, "participation")]
    assert names == ["Lê Văn Dũng", "Phạm Minh Huy", "Lê Văn Tám", TRUC]  # given names: Dũng, Huy, Tám, Trúc


def test_the_event_days_are_those_of_its_time_zone(db):
    """23:30 on 13 December in Ho Chi Minh City is before an event that starts on the 14th, although a
    server in UTC would call 16:30 the 13th either way; 00:10 on the 14th is the first day."""
    event = open_event(slug="dem-truoc", starts_at=datetime(2026, 12, 14, 0, 0, tzinfo=HCMC),
                       ends_at=datetime(2026, 12, 14, 20, 0, tzinfo=HCMC))
    rtype = make_type(event)
    early, _t = register(event, rtype, full_name="Đinh Văn Sớm", email="som@example.vn", notify=False)
    first, _t = register(event, rtype, full_name="Hà Thị Đúng", email="dung.ha@example.vn", notify=False)
    checkin.check_in_registration(event, early, now=datetime(2026, 12, 13, 23, 30, tzinfo=HCMC))
    checkin.check_in_registration(event, first, now=datetime(2026, 12, 14, 0, 10, tzinfo=HCMC))
    assert [h.full_name for h in holders_for(event, "participation")] == ["Hà Thị Đúng"]


def test_the_issuing_job_leaves_test_scans_out(db, day, organizer):
    event = day["event"]
    checkin.check_in(event, day["absent"].ticket_code, now=WEEK_EARLY)
    run_job(db, event, organizer, "participation")
    issued = {c.holder_name for c in certificates(db, event, CertificateKind.participation)}
    assert issued == {"Lê Văn Dũng", "Lê Văn Tám", TRUC}


def test_moving_the_event_moves_who_gets_one(day):
    """Nothing is stored per check-in: an event moved to the week of the test scan makes it attendance."""
    event = day["event"]
    checkin.check_in(event, day["absent"].ticket_code, now=WEEK_EARLY)
    assert "Phạm Minh Huy" not in [h.full_name for h in holders_for(event, "participation")]
    event.starts_at -= timedelta(days=8)
    event.ends_at -= timedelta(days=8)
    sqla.session.commit()
    assert [h.full_name for h in holders_for(event, "participation")] == ["Phạm Minh Huy"]
