"""Reminders before an event (issue 18, item 1): each confirmed registrant once, `reminder_hours` before
the start, in their language, with the ticket, the place and the two answers to "will you come?"."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from urllib.parse import quote

import pytest

from eventhub.dbtypes import utcnow
from eventhub.extensions import db as _db
from eventhub.mail.models import OutboundEmail
from eventhub.registration import services
from eventhub.registration.models import Registration
from eventhub.registration.reminder_mail import build_reminder
from eventhub.registration.reminders import queue_due_reminders
from tests.factories import make_session, make_type, open_event, register
from tests.support.mail import parsed_message
from tests.support.racing import race

VENUE = "Nhà Văn hóa Thanh niên, 4 Phạm Ngọc Thạch, Quận 1"


def _event(hours: int = 24, **overrides):
    """An event two days from now (the e-mails are written at delivery, from the real clock)."""
    starts = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    return open_event(starts_at=starts, ends_at=starts + timedelta(hours=9), venue=VENUE,
                      reminder_hours=hours, **overrides)


def _reminders(db) -> list[OutboundEmail]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboundEmail)
                                   .where(OutboundEmail.kind == "registration.reminder")
                                   .order_by(OutboundEmail.id)))


def _reminded(db, reg_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(Registration, reg_id).reminded_at is not None


@pytest.mark.parametrize(("offset", "due"), [
    (timedelta(minutes=-1), False),  # before the reminder time
    (timedelta(0), True),  # at the reminder time
    (timedelta(hours=23, minutes=59), True),  # a minute before the start
    (timedelta(hours=24), False),  # the event has started
    (timedelta(hours=30), False),
])
def test_a_reminder_is_due_from_the_reminder_time_until_the_start(db, offset, due):
    event = _event(hours=24)
    remind_at = event.starts_at - timedelta(hours=24)
    reg, _ = register(event, make_type(event), now=remind_at - timedelta(days=3))
    assert queue_due_reminders(now=remind_at + offset) == (1 if due else 0)
    assert _reminded(db, reg.id) is due
    assert len(_reminders(db)) == (1 if due else 0)


def test_someone_who_registered_after_the_reminder_time_gets_none(db):
    event = _event(hours=24)
    remind_at = event.starts_at - timedelta(hours=24)
    rtype = make_type(event)
    early, _ = register(event, rtype, now=remind_at)  # registered at the reminder time exactly: reminded
    late, _ = register(event, rtype, now=remind_at + timedelta(minutes=1))
    assert queue_due_reminders(now=remind_at + timedelta(hours=2)) == 1
    assert _reminded(db, early.id) and not _reminded(db, late.id)


def test_zero_hours_switches_reminders_off(db):
    event = _event(hours=0)
    reg, _ = register(event, make_type(event), now=event.starts_at - timedelta(days=5))
    assert queue_due_reminders(now=event.starts_at - timedelta(minutes=30)) == 0
    assert not _reminded(db, reg.id)


def test_only_confirmed_registrations_are_reminded(db):
    event = _event(hours=48)
    t0 = event.starts_at - timedelta(days=5)
    full = make_type(event, capacity=1, waitlist=True)
    confirmed, _ = register(event, full, now=t0)
    waitlisted, _ = register(event, full, now=t0)
    pending, _ = register(event, make_type(event, requires_approval=True), now=t0)
    cancelled, _ = register(event, make_type(event), now=t0)
    services.cancel_registration(cancelled, now=t0)
    assert queue_due_reminders(now=event.starts_at - timedelta(hours=47)) == 1
    assert _reminded(db, confirmed.id)
    assert not any(_reminded(db, r.id) for r in (waitlisted, pending, cancelled))


def test_a_registration_is_reminded_once(db, outbox):
    event = _event(hours=24)
    rtype = make_type(event)
    regs = [register(event, rtype, now=event.starts_at - timedelta(days=3))[0] for _ in range(3)]
    now = event.starts_at - timedelta(hours=20)
    assert queue_due_reminders(now=now, limit=2) == 3  # two transactions
    assert queue_due_reminders(now=now + timedelta(hours=1)) == 0
    assert len(_reminders(db)) == 3
    assert all(_reminded(db, r.id) for r in regs)
    assert len(list(outbox.glob("*.eml"))) == 6  # three confirmations, three reminders


def test_two_sweeps_at_once_queue_each_reminder_once(app, db):
    event = _event(hours=24)
    rtype = make_type(event)
    t0 = event.starts_at - timedelta(days=3)
    ids = {register(event, rtype, now=t0)[0].id for _ in range(30)}
    now = event.starts_at - timedelta(hours=12)
    counts = race(app, [lambda: queue_due_reminders(now=now, limit=4)] * 2)
    assert all(isinstance(c, int) for c in counts), counts
    assert sum(counts) == 30
    queued = [r.to for r in _reminders(db)]
    assert len(queued) == 30 and len(set(queued)) == 30
    assert all(_reminded(db, i) for i in ids)


def test_nothing_is_written_when_the_registration_is_no_longer_confirmed_or_was_erased(db):
    event = _event()
    rtype = make_type(event)
    cancelled, _ = register(event, rtype)
    erased, _ = register(event, rtype)
    kept, _ = register(event, rtype)
    services.cancel_registration(cancelled)
    services.erase_personal_data(erased)
    assert build_reminder(cancelled.id) is None
    assert build_reminder(erased.id) is None
    assert build_reminder(kept.id) is not None


LINK = re.compile(r"http://localhost(/r/[^\s?]+/attendance\?answer=(?:yes|no))")


def test_the_reminder_read_back_from_the_mail_server_and_its_answers_work(client, db, smtp_server):
    event = _event(hours=24, name="Ngày hội Khởi nghiệp Đổi mới Sáng tạo")
    rtype = make_type(event, capacity=1, waitlist=True)
    session = make_session(event, title="Hội thảo Nông nghiệp thông minh", room="Phòng Hội đồng 2",
                           starts_at=event.starts_at + timedelta(hours=1),
                           ends_at=event.starts_at + timedelta(hours=2))
    t0 = event.starts_at - timedelta(days=3)
    reg, _ = register(event, rtype, full_name="Nguyễn Thị Ánh Tuyết", email="tuyet@example.vn",
                      session_ids=[session.id], locale="vi", now=t0)
    waiting, _ = register(event, rtype, email="cho@example.vn", now=t0)
    smtp_server.messages.clear()

    assert queue_due_reminders(now=event.starts_at - timedelta(hours=23)) == 1
    [envelope] = smtp_server.messages
    assert envelope.rcpt_tos == ["tuyet@example.vn"]
    message = parsed_message(envelope)
    local_start = event.starts_at.astimezone(event.tz).strftime("%d/%m/%Y %H:%M")
    assert message["Subject"] == f"Nhắc lịch: Ngày hội Khởi nghiệp Đổi mới Sáng tạo bắt đầu {local_start}"
    [qr] = [part for part in message.iter_attachments() if part.get_filename() == "ticket-qr.png"]
    assert qr.get_content_type() == "image/png" and qr.get_content().startswith(b"\x89PNG")
    text = message.get_body(("plain",)).get_content()
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    assert reg.ticket_code in text.replace(" ", "") and "Phòng Hội đồng 2" in text
    assert "Hội thảo Nông nghiệp thông minh" in text and local_start in text
    assert "https://www.google.com/maps/search/?api=1&query=" + quote(VENUE, safe="") in text
    assert f"http://localhost/events/{event.slug}/lost-link" in text
    assert "Tôi vẫn tham dự" in text and "Tôi không tham dự được" in text
    html = message.get_body(("html",)).get_content()
    assert "Tôi vẫn tham dự" in html and "attendance?answer=no" in html
    yes, no = (path for path in LINK.findall(text))
    assert yes.endswith("answer=yes") and no.endswith("answer=no")

    # Yes: the page (as a mail scanner would open it) changes nothing; its button records the answer.
    page = client.get(yes)
    assert page.status_code == 200 and "Tôi vẫn tham dự" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).attending is None
    done = client.post(yes.split("?")[0], data={"answer": "yes"})
    assert done.status_code == 302 and done.headers["Location"].startswith("/r/")
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).attending is True
    manage = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Bạn đã báo sẽ tham dự" in manage

    # No (the latest answer wins): cancelled, the seat goes to the waiting list, the cancel e-mail is sent.
    assert client.get(no).status_code == 200
    smtp_server.messages.clear()
    assert client.post(no.split("?")[0], data={"answer": "no"}).status_code == 302
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    assert (reg.status.value, reg.attending) == ("cancelled", False)
    assert db.session.get(Registration, waiting.id).status.value == "confirmed"
    subjects = {parsed_message(m)["Subject"].split(":")[0]: m.rcpt_tos for m in smtp_server.messages}
    assert subjects["Đăng ký của bạn đã được hủy"] == ["tuyet@example.vn"], subjects
    assert ["cho@example.vn"] in subjects.values()


def test_an_english_registrant_gets_it_in_english(db, smtp_server):
    event = _event(hours=24)
    register(event, make_type(event), locale="en", now=event.starts_at - timedelta(days=3))
    smtp_server.messages.clear()
    queue_due_reminders(now=event.starts_at - timedelta(hours=1))
    [envelope] = smtp_server.messages
    message = parsed_message(envelope)
    assert message["Subject"].startswith(f"Reminder: {event.name} starts ")
    assert "I will attend" in message.get_body(("plain",)).get_content()


def _sweep_statements(now) -> list[str]:
    """The SQL statements one sweep at `now` runs, which queues nothing."""
    from sqlalchemy import event as sa_event

    statements = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    engine = _db.engine
    sa_event.listen(engine, "before_cursor_execute", listen)
    try:
        assert queue_due_reminders(now=now) == 0
    finally:
        sa_event.remove(engine, "before_cursor_execute", listen)
    return statements


def test_a_sweep_with_nothing_due_reads_no_registration(db, app):
    """Cheap when nothing is due: one query over events, none over registrations."""
    _event(hours=24)
    statements = _sweep_statements(utcnow())
    assert not any("registrations" in s for s in statements), statements
    assert sum("FROM events" in s for s in statements) == 1


def test_a_sweep_inside_the_reminder_window_with_every_reminder_queued_writes_nothing(db, app):
    """Each minute of the window, for an event whose reminders are all out: a read, no UPDATE (on SQLite
    an UPDATE changing nothing still takes the one write lock, which registrations wait for)."""
    event = _event(hours=24)
    register(event, make_type(event), now=event.starts_at - timedelta(days=3))
    now = event.starts_at - timedelta(hours=12)
    assert queue_due_reminders(now=now) == 1
    statements = _sweep_statements(now + timedelta(minutes=1))
    assert sum("registrations" in s for s in statements) == 1, statements  # the check, nothing else
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in statements), statements


def test_the_parsed_subject_survives_a_long_vietnamese_event_name(db, smtp_server):
    name = ("Tuần lễ Đổi mới Sáng tạo và Khởi nghiệp tỉnh Bà Rịa – Vũng Tàu lần thứ năm, "
            "năm hai nghìn không trăm hai mươi bảy")
    event = _event(hours=24, name=name[:200])
    register(event, make_type(event), now=event.starts_at - timedelta(days=3))
    smtp_server.messages.clear()
    queue_due_reminders(now=event.starts_at - timedelta(hours=3))
    message = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    assert message["Subject"].startswith(f"Nhắc lịch: {name[:200]} bắt đầu ")
