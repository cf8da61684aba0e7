"""An event with people in every status, and the accounts that act at its gates."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.checkin import offline
from eventhub.registration import services as registration
from tests.factories import HCMC, make_type, make_user, open_event, register

from .helpers import MORNING


@pytest.fixture
def clock(monkeypatch):
    """The server's clock as offline batches see it: 18:00 on the event's first day, later than the scans
    of the tests (a file may define a `clock` of its own)."""
    now = datetime(2026, 12, 14, 18, 0, tzinfo=HCMC)
    monkeypatch.setattr(offline, "utcnow", lambda: now)
    return now


@pytest.fixture
def gate(db):
    """An event with a visitor type and an approval type that has a waiting list, and its people."""
    event = open_event(slug="startup-week", name="Tuần lễ Khởi nghiệp – Đổi mới sáng tạo",
                       kind="startup_week", ends_at=datetime(2026, 12, 18, 17, 0, tzinfo=HCMC))
    visitor = make_type(event, code="visitor", name="Khách tham quan")
    vip = make_type(event, code="vip", name="Khách mời", capacity=1, waitlist=True, requires_approval=True)
    truc, _t = register(event, visitor, full_name="Nguyễn Thị Quý Trúc", email="truc.nguyen@example.vn",
                        phone="0912 345 678", organization="Công ty Cổ phần Đổi Mới")
    dung, _t = register(event, visitor, full_name="Lê Văn Dũng", email="dung.le@example.vn")
    cancelled, _t = register(event, visitor, full_name="Phạm Minh Huy", email="huy@example.vn")
    registration.cancel_registration(cancelled, notify=False)
    pending, _t = register(event, vip, full_name="Trần Bảo Ngọc", email="ngoc@example.vn")
    waitlisted, _t = register(event, vip, full_name="Võ Thành Tâm", email="tam@example.vn")
    return {"event": event, "visitor": visitor, "vip": vip, "truc": truc, "dung": dung,
            "cancelled": cancelled, "pending": pending, "waitlisted": waitlisted}


@pytest.fixture
def other_event(db):
    event = open_event(slug="ai-day", name="Ngày hội Trí tuệ nhân tạo Việt Nam", kind="ai_day")
    rtype = make_type(event, code="visitor", name="Khách")
    reg, _t = register(event, rtype, full_name="Đặng Hoài Nam", email="nam@example.vn")
    return {"event": event, "type": rtype, "reg": reg}


@pytest.fixture
def accounts(gate, other_event):
    """organizer (global), staff (global), per-event staff of this and of the other event, participant."""
    event_staff = make_user("participant")
    grant_event_role(event_staff, gate["event"], "staff")
    other_staff = make_user("participant")
    grant_event_role(other_staff, other_event["event"], "staff")
    event_organizer = make_user("participant")
    grant_event_role(event_organizer, gate["event"], "organizer")
    return {"organizer": make_user("organizer"), "staff": make_user("staff"), "event_staff": event_staff,
            "other_staff": other_staff, "event_organizer": event_organizer,
            "participant": make_user("participant")}


@pytest.fixture
def at_the_event(monkeypatch):
    """The clock of the desk's pages set to MORNING, the event's first day (the routes take no `now`)."""
    from eventhub.checkin import routes, services

    monkeypatch.setattr(services, "utcnow", lambda: MORNING)
    monkeypatch.setattr(routes, "utcnow", lambda: MORNING)
    return MORNING
