"""Decree 13 in the audit log: entries name people by number, never by address; erasing an account or a
registration scrubs the address, name and phone that older entries stored; the log still reads (the
person is "một người đã xóa dữ liệu"); the person's download lists what the erasure scrubs."""

from __future__ import annotations

import json
import re

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import User
from eventhub.audit.models import AuditEntry
from eventhub.audit.services import record
from eventhub.checkin import services as checkin
from eventhub.contests import assigning, conflicts
from eventhub.contests import setup as contests
from eventhub.extensions import db as _db
from eventhub.registration import services as registrations
from tests.contests.factories import make_contest, make_entry
from tests.factories import PASSWORD, login, make_type, make_user, open_event, register
from tests.support.personal_data import traces

NAME, EMAIL, PHONE = "Trịnh Thị Giấu Tên", "giau.ten@giamkhao.vn", "0912 345 678"
TRACES = ("Giấu Tên", "giau.ten", "912345678")
OTHER = "Phan Văn Ở Lại"


def _audit_text() -> str:
    """Every column of every audit entry, as text."""
    rows = _db.session.execute(_db.select(AuditEntry.__table__)).mappings()
    return "\n".join(json.dumps(dict(row), ensure_ascii=False, default=str) for row in rows)


def _page(client, event, lang: str = "vi") -> str:
    html = client.get(f"/events/{event.slug}/audit?lang={lang}").get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html.split("<main", 1)[-1], flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def judged(db):
    """A judge granted a role, added to a panel, in a recorded conflict and given an entry – by today's
    code – plus the entries older code stored with their address, next to another judge's."""
    organizer = make_user("organizer", full_name="Phạm Thị Quỳnh Trúc")
    event = open_event(actor=organizer)
    judge = make_user("judge", email=EMAIL, full_name=NAME, phone=PHONE)
    other = make_user("judge", email="o.lai@giamkhao.vn", full_name=OTHER)
    contest = make_contest(event)
    first, second = make_entry(contest), make_entry(contest)
    accounts.grant_event_role(judge, event, "staff", actor=organizer)
    contests.add_judges(contest, [judge.email, other.email], actor=organizer)
    conflicts.add_by_organizer(contest, first.id, judge.email, actor=organizer)
    assigning.add_assignment(contest, second, judge, actor=organizer)
    # as the code before stored them (kept in databases of that time)
    for action, obj, changes in (
            ("event_role.granted", judge, {"email": EMAIL.upper(), "role": "staff"}),
            ("contest.judges_added", contest, {"emails": [EMAIL, other.email]}),
            ("contest.assignment_added", contest, {"entry_id": second.id, "judge": EMAIL}),
            ("user.updated", judge, {"full_name": NAME, "phone": "0912345678"})):
        record(action, obj, actor=organizer, event=event, changes=changes)
    _db.session.commit()
    return {"organizer": organizer, "event": event, "judge": judge, "contest": contest}


def test_entries_recorded_now_name_people_by_number(judged):
    text = _audit_text()
    recorded_now = _db.session.scalars(_db.select(AuditEntry).where(AuditEntry.action.in_(
        ("contest.judges_added", "conflict.added", "contest.assignment_added", "event_role.granted")))
        .order_by(AuditEntry.id).limit(4))
    for entry in recorded_now:
        assert "@" not in json.dumps(entry.changes), entry.action
    assert EMAIL in text  # only the older entries hold it


def test_erasing_the_account_scrubs_the_log_and_the_log_still_reads(client, judged):
    judge, event = judged["judge"], judged["event"]
    login(client, judged["organizer"])
    before = _page(client, event)
    assert f"thêm giám khảo cho {judged['contest'].name}: {NAME}, {OTHER}" in before
    assert f"ghi nhận xung đột lợi ích giữa {NAME}" in before
    assert re.search(rf"cho giám khảo {NAME}", before)
    assert "giau.ten" not in before  # the page never showed the address

    accounts.erase_user(_db.session.get(User, judge.id), PASSWORD)

    _db.session.expire_all()
    assert [t for t in TRACES if t.lower() in _audit_text().lower()] == []
    assert traces(TRACES) == []  # nor anywhere else in the database
    after = _page(client, event)
    assert [t for t in ("Giấu Tên", "giau.ten", "0912") if t in after] == []
    erased = "một người đã xóa dữ liệu"
    assert f"thêm giám khảo cho {judged['contest'].name}: {erased}, {OTHER}" in after
    assert after.count(f"thêm giám khảo cho {judged['contest'].name}: {erased}, {OTHER}") == 2  # old and new
    assert f"ghi nhận xung đột lợi ích giữa {erased}" in after
    assert after.count(f"cho giám khảo {erased}") == 2
    assert f"giao cho {erased} vai trò" in after
    english = _page(client, event, "en")
    assert "an erased person" in english and "Giấu Tên" not in english
    # the other judge's address stays where the entry named them both
    stored = _db.session.scalars(_db.select(AuditEntry.changes).where(
        AuditEntry.action == "contest.judges_added")).all()
    assert {"emails": [f"erased-{judge.id}@invalid", "o.lai@giamkhao.vn"]} in stored


def test_the_download_lists_what_erasure_scrubs_from_the_log(judged):
    judge = judged["judge"]
    section = accounts.export_user_data(judge)["audit_log"]
    scrubbed = {(item["action"], key): value for item in section
                for key, value in item["scrubbed_on_erasure"].items()}
    assert scrubbed == {("event_role.granted", "email"): EMAIL.upper(),
                        ("contest.judges_added", "emails"): [EMAIL, "o.lai@giamkhao.vn"],
                        ("contest.assignment_added", "judge"): EMAIL,
                        ("user.updated", "full_name"): NAME, ("user.updated", "phone"): "0912345678"}
    assert all(item["made_by_you"] is False and item["event"] == judged["event"].id for item in section)

    accounts.erase_user(judge, PASSWORD)
    _db.session.expire_all()
    assert accounts.export_user_data(_db.session.get(User, judge.id))["audit_log"] == []


def test_an_unproven_address_scrubs_only_what_was_stored_since_the_account_had_it(db):
    organizer = make_user("organizer")
    event = open_event(actor=organizer)
    address = "chua.xac.minh@example.vn"
    record("event.updated", event, actor=organizer, event=event, changes={"contact": [None, address]})
    _db.session.commit()
    earlier = _db.session.scalar(_db.select(AuditEntry).where(AuditEntry.action == "event.updated"))
    earlier.created_at = earlier.created_at.replace(year=2020)  # before anyone signed up with it
    _db.session.commit()
    someone = make_user(email=address, email_verified=False)
    record("contest.judges_added", event, actor=organizer, event=event, changes={"emails": [address]})
    _db.session.commit()

    accounts.erase_user(someone, PASSWORD)

    stored = {e.action: e.changes for e in _db.session.scalars(_db.select(AuditEntry))}
    assert stored["event.updated"] == {"contact": [None, address]}  # someone else's, maybe
    assert stored["contest.judges_added"] == {"emails": [f"erased-{someone.id}@invalid"]}


def test_erasing_a_registration_scrubs_its_name_from_other_entries_of_the_event(client, db):
    organizer = make_user("organizer")
    event = open_event(actor=organizer)
    reg, _token = register(event, make_type(event), full_name="Đỗ Văn Đi Qua", phone="0987 654 321",
                           notify=False)
    stranger, _token = register(event, make_type(event), full_name="Đỗ Văn Đi Qua", notify=False)
    done = checkin.check_in_registration(event, reg, staff=organizer)
    checkin.undo_check_in(done, actor=organizer)
    assert "Đi Qua" not in json.dumps([e.changes for e in _db.session.scalars(
        _db.select(AuditEntry).where(AuditEntry.action == "checkin.undone"))], ensure_ascii=False)
    for registration in (reg, stranger):  # as the code before stored them
        record("checkin.undone", done, actor=organizer, event=event,
               changes={"registration_id": registration.id, "full_name": "Đỗ Văn Đi Qua", "gate": "Cổng A"})
    _db.session.commit()

    registrations.erase_personal_data(reg, actor=organizer)

    stored = {e.changes["registration_id"]: e.changes for e in _db.session.scalars(
        _db.select(AuditEntry).where(AuditEntry.action == "checkin.undone", AuditEntry.changes.is_not(None)))
        if "full_name" in e.changes}
    assert stored[reg.id]["full_name"] == "erased" and stored[reg.id]["gate"] == "Cổng A"
    assert stored[stranger.id]["full_name"] == "Đỗ Văn Đi Qua"  # another person of the same name
    login(client, organizer)
    page = _page(client, event)
    assert page.count("hủy lượt check-in của một người đã xóa dữ liệu") == 2  # the new entry and the old
    assert "hủy lượt check-in của Đỗ Văn Đi Qua" in page  # the other registrant still reads by name
