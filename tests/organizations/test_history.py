"""Each feature's part of an organization's history (hooks.organization_events / organization_history):
what a startup did at two events – exhibited on a booth, entered contests and won a published award,
met investors, registered people – in words, and nothing that did not count (withdrawn, rejected,
cancelled, unpublished, not held, checked in outside the event's days). The loaders' queries are bounded."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from eventhub import hooks
from eventhub.booths.models import Booth, BoothPlacement, Zone
from eventhub.checkin import services as checkin
from eventhub.contests.models import AwardLevel
from eventhub.extensions import db
from eventhub.organizations import services as organizations
from eventhub.registration import services as registration
from tests.factories import HCMC, make_type, open_event, register
from tests.reports.conftest import count_queries  # noqa: F401  (the fixture)
from tests.reports.factories import make_contest, make_entry, make_exhibitor, make_meeting, make_profile

DAY_2020 = datetime(2020, 12, 10, 8, 0, tzinfo=HCMC)
DAY_2021 = datetime(2021, 11, 18, 8, 0, tzinfo=HCMC)


def _org(name: str, kind: str = "startup"):
    org = organizations.resolve(name, kind=kind)
    db.session.commit()
    return org


def _own(row, org):
    row.organization_id = org.id
    db.session.commit()
    return row


def _place(event, exhibitor, code: str, day: date):
    zone = db.session.scalar(db.select(Zone).filter_by(event_id=event.id)) or Zone(
        event_id=event.id, code="A", name="Nông nghiệp")
    db.session.add(zone)
    db.session.flush()
    booth = Booth(event_id=event.id, zone_id=zone.id, code=code, x=len(code) * 3, y=0, w=3, h=3, size="3x3")
    db.session.add(booth)
    db.session.flush()
    db.session.add(BoothPlacement(event_id=event.id, booth_id=booth.id, exhibitor_id=exhibitor.id, day=day))
    db.session.commit()


@pytest.fixture
def series(db):
    week = open_event(slug="tuan-le-2020", name="Tuần lễ Khởi nghiệp 2020", starts_at=DAY_2020,
                      ends_at=DAY_2020 + timedelta(days=1, hours=9))
    week21 = open_event(slug="tuan-le-2021", name="Tuần lễ Khởi nghiệp 2021", starts_at=DAY_2021,
                        ends_at=DAY_2021 + timedelta(hours=9))
    later = DAY_2021 + timedelta(days=30)
    other_day = open_event(slug="ngay-ai-2021", name="Ngày hội AI 2021", starts_at=later,
                           ends_at=later + timedelta(hours=9))
    sao = _org("Công ty TNHH Sao Khuê")
    mekong, saigon = _org("Quỹ Mekong", "investor"), _org("Quỹ Sài Gòn", "investor")

    shown = _own(make_exhibitor(week, "approved", "Sao Khuê"), sao)
    _place(week, shown, "A12", DAY_2020.date())
    _place(week, shown, "B3", DAY_2020.date() + timedelta(days=1))
    _own(make_exhibitor(week21, "submitted", "Sao Khue JSC"), sao)
    _own(make_exhibitor(week21, "rejected", "Sao Khuê"), sao)  # not an exhibitor: not in the history
    _own(make_exhibitor(other_day, "withdrawn", "Sao Khuê"), sao)  # nor here (no event for it)

    pitch = make_contest(week, "Cuộc thi Khởi nghiệp Sáng tạo")
    pitch.published_at = DAY_2020 + timedelta(days=1)
    won = _own(make_entry(pitch, title="Nông nghiệp thông minh"), sao)
    won.award_level = AwardLevel.first
    secret = make_contest(week21, "AI Challenge")  # results not published: the award is still a secret
    hidden = _own(make_entry(secret, title="Robot tưới cây"), sao)
    hidden.award_level = AwardLevel.second
    _own(make_entry(secret, title="Bỏ cuộc", withdrawn=True), sao)
    db.session.commit()

    startup = _own(make_profile(week, "startup", "Sao Khuê"), sao)
    fund_a = _own(make_profile(week, "investor", "Quỹ Mekong"), mekong)
    fund_b = _own(make_profile(week, "investor", "Quỹ Sài Gòn"), saigon)
    fund_c = make_profile(week, "investor", "Quỹ Đông Á")
    make_meeting(week, fund_a, startup, investor_held=True, startup_held=True, stage="term_sheet")
    make_meeting(week, fund_b, startup, startup_held=True)
    make_meeting(week, fund_c, startup, investor_held=False, startup_held=False)  # not held
    cancelled = make_profile(week, "investor", "Quỹ Hủy")
    make_meeting(week, cancelled, startup, investor_held=True, cancelled=True)

    visitor = make_type(week, code="visitor", name="Khách")
    people = []
    for n in range(4):
        reg, _token = register(week, visitor, full_name=f"Nguyễn Văn Khách {n}", email=f"khach{n}@saokhue.vn",
                               organization="Sao Khuê", notify=False)
        people.append(_own(reg, sao))
    registration.cancel_registration(people[3], notify=False)
    checkin.check_in_registration(week, people[0], now=DAY_2020 + timedelta(hours=1))
    checkin.check_in_registration(week, people[0], now=DAY_2020 + timedelta(days=1, hours=1))  # counted once
    checkin.check_in_registration(week, people[1], now=DAY_2020 - timedelta(days=7))  # a scanner test
    undone = checkin.check_in_registration(week, people[2], now=DAY_2020 + timedelta(hours=2))
    checkin.undo_check_in(undone, actor=None, now=DAY_2020 + timedelta(hours=2, minutes=1))
    return {"week": week, "week21": week21, "other_day": other_day, "sao": sao, "mekong": mekong,
            "saigon": saigon}


def _lines(app, org_ids, lang="vi"):
    with app.test_request_context(f"/?lang={lang}", headers={"Accept-Language": lang}):
        return [(item.event_id, item.kind, str(item.text), item.url)
                for item in hooks.organization_history(org_ids)]


def test_events_of_each_organization(series):
    found = hooks.organization_events([series["sao"].id, series["mekong"].id])
    assert found[series["sao"].id] == {series["week"].id, series["week21"].id}
    assert found[series["mekong"].id] == {series["week"].id}


def test_the_history_in_words(app, series):
    week, week21 = series["week"].id, series["week21"].id
    lines = _lines(app, [series["sao"].id])
    said = sorted((event_id, kind, text) for event_id, kind, text, _url in lines)
    assert said == sorted([
        (week, "exhibited", "Trưng bày tại gian A12, B3"),
        (week21, "exhibited", "Đăng ký trưng bày"),
        (week, "entered", "Dự thi Cuộc thi Khởi nghiệp Sáng tạo với “Nông nghiệp thông minh”"),
        (week, "award", "Giải Nhất – Cuộc thi Khởi nghiệp Sáng tạo (“Nông nghiệp thông minh”)"),
        (week21, "entered", "Dự thi AI Challenge với “Robot tưới cây”"),
        (week, "profile", "Hồ sơ khởi nghiệp trong kết nối đầu tư"),
        (week, "meeting", "Đã gặp 2 buổi, với Quỹ Mekong, Quỹ Sài Gòn"),
        (week, "outcome", "Kết quả báo cáo với Quỹ Mekong: Bản điều khoản"),
        (week, "registered", "3 người đăng ký, 1 người đã check-in"),
    ]), said
    assert all(url and url.startswith("/") for *_rest, url in lines)


def test_the_history_in_english(app, series):
    texts = {kind: text for _e, kind, text, _u in _lines(app, [series["mekong"].id], "en")}
    assert texts == {"profile": "Investor profile in the matchmaking",
                     "meeting": "1 meeting held, with Sao Khuê",
                     "outcome": "Outcome reported with Sao Khuê: Term sheet"}


def test_an_organization_with_nothing_has_no_history(app, series):
    nobody = _org("Công ty Không Ai Biết")
    assert _lines(app, [nobody.id]) == []
    assert hooks.organization_events([nobody.id]) == {nobody.id: set()}


def test_the_loaders_run_a_bounded_number_of_queries(app, series, count_queries):  # noqa: F811
    many = [series["sao"].id, series["mekong"].id, series["saigon"].id]
    with app.test_request_context("/"):
        with count_queries() as one:
            hooks.organization_history([series["sao"].id])
            hooks.organization_events([series["sao"].id])
        with count_queries() as three:
            hooks.organization_history(many)
            hooks.organization_events(many)
    assert three.count == one.count <= 14, three.statements


def test_the_history_is_read_outside_a_request_too(series):
    """A job or the command line (no request): the lines still link to their pages."""
    items = hooks.organization_history([series["sao"].id])
    assert len(items) == 9 and all(item.url and item.url.startswith("/") for item in items)
