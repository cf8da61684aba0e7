"""A small series with something of every feature, and who may read its report."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.checkin import services as checkin
from eventhub.registration import services as registration
from tests.factories import HCMC, make_session, make_type, make_user, open_event, register

from .factories import make_certificate, make_contest, make_entry, make_exhibitor, make_meeting, make_profile

DAY1 = datetime(2026, 12, 14, 8, 30, tzinfo=HCMC)
DAY2 = datetime(2026, 12, 15, 9, 15, tzinfo=HCMC)


def _person(event, rtype, name, email, sessions=()):
    reg, _token = register(event, rtype, full_name=name, email=email, notify=False,
                           session_ids=[s.id for s in sessions])
    return reg


@pytest.fixture
def world(db):
    week = open_event(slug="tuan-le-2026", name="Tuần lễ Khởi nghiệp – Đổi mới sáng tạo TP.HCM 2026",
                      kind="startup_week", starts_at=DAY1.replace(hour=8, minute=0),
                      ends_at=DAY2.replace(hour=17, minute=0))
    visitor = make_type(week, code="visitor", name="Khách tham quan")
    smart_city = make_session(week, title="Hội thảo Đô thị thông minh")
    innovation = make_session(week, title="Hội nghị Đổi mới sáng tạo",
                              starts_at=datetime(2026, 12, 15, 9, 0, tzinfo=HCMC),
                              ends_at=datetime(2026, 12, 15, 11, 0, tzinfo=HCMC))
    truc = _person(week, visitor, "Nguyễn Thị Quý Trúc", "truc@example.vn", [smart_city])
    dung = _person(week, visitor, "Lê Văn Dũng", "dung@example.vn", [smart_city])
    _person(week, visitor, "Phạm Thị Ánh", "anh@example.vn", [smart_city, innovation])
    _person(week, visitor, "Võ Minh Đức", "duc@example.vn")
    huy = _person(week, visitor, "Đặng Quốc Huy", "huy@example.vn", [innovation])
    registration.cancel_registration(huy, notify=False)  # not counted, and its seat freed
    checkin.check_in_registration(week, truc, now=DAY1)
    checkin.check_in_registration(week, truc, now=DAY2)  # a second day: a second attendance
    first = checkin.check_in_registration(week, dung, now=DAY1)
    checkin.undo_check_in(first, actor=None, now=DAY1.replace(minute=31))
    checkin.check_in_registration(week, dung, now=DAY1.replace(minute=40))  # twice on one day: once

    pitch = make_contest(week, "Cuộc thi Khởi nghiệp Sáng tạo")
    ai_contest = make_contest(week, "AI Challenge")
    make_entry(pitch), make_entry(pitch), make_entry(pitch, withdrawn=True), make_entry(ai_contest)
    for _ in range(3):
        make_certificate(week)
    make_certificate(week, revoked=True)
    for status in ("approved", "submitted", "changes_requested", "rejected", "withdrawn"):
        make_exhibitor(week, status)  # the first two exhibit

    mekong = make_profile(week, "investor", "Quỹ Mekong")
    saigon = make_profile(week, "investor", "Quỹ Sài Gòn")
    agri, edtech, fintech = (make_profile(week, "startup", name)
                             for name in ("Nông Sạch", "Học Vui", "Ví Xanh"))
    make_meeting(week, mekong, agri, investor_held=True, startup_held=True, stage="term_sheet")  # once
    make_meeting(week, saigon, agri, investor_held=True)
    make_meeting(week, mekong, edtech, startup_held=True, stage="follow_up")
    make_meeting(week, saigon, fintech, investor_held=False, startup_held=False)
    make_meeting(week, mekong, fintech, investor_held=True, startup_held=True, cancelled=True)

    ai_day = open_event(slug="ai-day-2026", name="Ngày hội Trí tuệ nhân tạo Việt Nam 2026", kind="ai_day",
                        starts_at=datetime(2026, 8, 20, 8, 0, tzinfo=HCMC),
                        ends_at=datetime(2026, 8, 20, 17, 0, tzinfo=HCMC))
    guest = make_type(ai_day, code="guest", name="Khách mời")
    nam = _person(ai_day, guest, "Đặng Hoài Nam", "nam@example.vn")
    _person(ai_day, guest, "Trần Thu Hà", "ha@example.vn")
    checkin.check_in_registration(ai_day, nam, now=datetime(2026, 8, 20, 9, 5, tzinfo=HCMC))
    make_entry(make_contest(ai_day, "Thử thách Trí tuệ nhân tạo"))
    make_profile(ai_day, "investor", "Quỹ Đổi Mới")
    return {"week": week, "ai_day": ai_day, "visitor": visitor, "sessions": [smart_city, innovation]}


@pytest.fixture
def people(world):
    """Who asks for the report: organizers (global, of the event, of another one), a participant."""
    organizer = make_user("organizer")
    event_organizer = make_user("participant")
    grant_event_role(event_organizer, world["week"], "organizer")
    other_organizer = make_user("participant")
    grant_event_role(other_organizer, world["ai_day"], "organizer")
    staff = make_user("staff")
    return {"organizer": organizer, "event_organizer": event_organizer, "other_organizer": other_organizer,
            "participant": make_user("participant"), "staff": staff}


class _Counter:
    def __init__(self):
        self.count = 0
        self.statements: list[str] = []


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counted:` counts the SQL statements run inside the block."""
    from contextlib import contextmanager

    from sqlalchemy import event as sa_event

    from eventhub.extensions import db

    @contextmanager
    def counting():
        counter = _Counter()

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.count += 1
            counter.statements.append(statement)

        engine = db.engine
        sa_event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa_event.remove(engine, "before_cursor_execute", before)

    return counting
