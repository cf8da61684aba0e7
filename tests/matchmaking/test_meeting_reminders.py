"""Meeting reminders: both sides of a scheduled meeting hear of it once, shortly before it starts, in their
own language; a meeting cancelled or moved since the reminder was queued is not reminded of its old time."""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import timedelta

from eventhub.dbtypes import utcnow
from eventhub.extensions import db as _db
from eventhub.mail import deliver_due
from eventhub.mail.models import OutboundEmail
from eventhub.mail.outbox import _Worker, run_periodic
from eventhub.matchmaking import requesting, scheduling
from eventhub.matchmaking.models import Meeting, MeetingSlot
from eventhub.matchmaking.reminders import KIND, queue_meeting_reminders
from tests.factories import login
from tests.matchmaking.factories import investor, make_slots, startup
from tests.support.mail import parsed_message
from tests.support.racing import race


def _meet(event, pairs, slots=1, tables=1, **when) -> list[Meeting]:
    """Scheduled meetings for the (startup, investor) pairs, set up without e-mails."""
    for sender, recipient in pairs:
        requesting.accept(requesting.send_request(sender, recipient, notify=False), recipient, notify=False)
    make_slots(event, slots, tables, **when)
    scheduling.run_scheduler(event, time_limit=1, notify=False)
    return list(_db.session.scalars(_db.select(Meeting).order_by(Meeting.starts_at, Meeting.id)))


def _reminders() -> list[OutboundEmail]:
    return list(_db.session.scalars(_db.select(OutboundEmail).where(OutboundEmail.kind == KIND)
                                    .order_by(OutboundEmail.id)))


@contextlib.contextmanager
def _queued_only(app):
    """E-mails are only queued (as with a separate delivery worker), to be delivered by hand."""
    previous = app.extensions.get("eventhub_mail")
    app.extensions["eventhub_mail"] = _Worker()
    try:
        yield
    finally:
        if previous is None:
            app.extensions.pop("eventhub_mail", None)
        else:
            app.extensions["eventhub_mail"] = previous


def _subjects(smtp_server) -> list[str]:
    return [str(parsed_message(envelope)["Subject"]) for envelope in smtp_server.messages]


def test_a_meeting_is_reminded_once_within_the_hour_before_it(db, match):
    (meeting,) = _meet(match["event"], [(match["ai"], match["fund"])])
    starts = meeting.starts_at
    assert queue_meeting_reminders(now=starts - timedelta(minutes=61)) == 0  # too early
    assert queue_meeting_reminders(now=starts) == 0  # it has started: too late
    assert _reminders() == []
    assert queue_meeting_reminders(now=starts - timedelta(minutes=60)) == 2  # one to each side
    assert queue_meeting_reminders(now=starts - timedelta(minutes=30)) == 0  # already reminded
    assert sorted(email.to for email in _reminders()) == sorted([match["ai"].user.email,
                                                                 match["fund"].user.email])
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).reminded_at is not None


def test_the_mail_threads_round_sends_what_is_due_now(db, match, smtp_server):
    soon = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=30)
    _meet(match["event"], [(match["ai"], match["fund"])], start=soon)
    run_periodic()  # what the delivery thread and `flask mail deliver --loop` run each minute
    assert len(smtp_server.messages) == 2
    assert all(s.startswith("Nhắc lịch: gặp ") for s in _subjects(smtp_server))
    run_periodic()
    assert len(smtp_server.messages) == 2


def test_the_lead_time_is_configurable_and_zero_switches_reminders_off(app, db, match):
    (meeting,) = _meet(match["event"], [(match["ai"], match["fund"])])
    starts = meeting.starts_at
    try:
        app.config["MEETING_REMINDER_MINUTES"] = 0
        assert queue_meeting_reminders(now=starts - timedelta(minutes=5)) == 0
        app.config["MEETING_REMINDER_MINUTES"] = 15
        assert queue_meeting_reminders(now=starts - timedelta(minutes=20)) == 0
        assert queue_meeting_reminders(now=starts - timedelta(minutes=15)) == 2
    finally:
        app.config.pop("MEETING_REMINDER_MINUTES", None)


def test_both_sides_read_it_in_their_own_language(db, match, smtp_server):
    fund, ai = match["fund"], match["ai"]
    fund.user.locale = "en"
    db.session.commit()
    (meeting,) = _meet(match["event"], [(ai, fund)])
    assert queue_meeting_reminders(now=meeting.starts_at - timedelta(minutes=45)) == 2
    received = {parsed_message(envelope)["To"].addresses[0].addr_spec: parsed_message(envelope)
                for envelope in smtp_server.messages}
    assert set(received) == {fund.user.email, ai.user.email}

    to_startup = received[ai.user.email]
    assert str(to_startup["Subject"]) == "Nhắc lịch: gặp Quỹ Đầu tư Mekong Việt lúc 09:00"
    body = to_startup.get_body(("plain",)).get_content()
    assert "Nhắc bạn lịch gặp Quỹ Đầu tư Mekong Việt tại Tuần lễ Khởi nghiệp – Đổi mới sáng tạo." in body
    assert "Thời gian: 14/12/2026 09:00 – 09:20" in body
    assert "Bàn: 1" in body
    assert "Địa điểm: Nhà Văn hóa Thanh niên, Quận 1" in body
    assert f"Gặp: Quỹ Đầu tư Mekong Việt ({fund.user.full_name})" in body
    assert "http://localhost/events/startup-week/matchmaking/agenda\n" in body
    assert "http://localhost/events/startup-week/matchmaking/agenda.ics" in body

    to_investor = received[fund.user.email]
    assert str(to_investor["Subject"]) == "Reminder: meeting with Công ty CP Trí Tuệ Sài Gòn at 09:00"
    body = to_investor.get_body(("plain",)).get_content()
    assert "Table: 1" in body and f"Công ty CP Trí Tuệ Sài Gòn ({ai.user.full_name})" in body


def test_the_agenda_link_in_the_reminder_opens_the_agenda(client, db, match, smtp_server):
    (meeting,) = _meet(match["event"], [(match["ai"], match["fund"])])
    queue_meeting_reminders(now=meeting.starts_at - timedelta(minutes=10))
    body = parsed_message(smtp_server.messages[0]).get_body(("plain",)).get_content()
    link = next(line for line in body.splitlines() if line.endswith("/matchmaking/agenda.ics"))
    login(client, db.session.get(Meeting, meeting.id).startup.user)
    response = client.get(link.removeprefix("http://localhost"))
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.data


def test_a_cancelled_meeting_gets_no_reminder(app, db, match, smtp_server):
    (meeting,) = _meet(match["event"], [(match["ai"], match["fund"])])
    starts = meeting.starts_at
    with _queued_only(app):
        scheduling.cancel_meeting(meeting)
        assert queue_meeting_reminders(now=starts - timedelta(minutes=30)) == 0
    deliver_due()
    subjects = _subjects(smtp_server)
    assert len(subjects) == 2 and not any(s.startswith("Nhắc lịch") for s in subjects)  # "cancelled" only


def test_cancelled_after_the_reminder_was_queued_it_is_not_sent(app, db, match, smtp_server):
    (meeting,) = _meet(match["event"], [(match["ai"], match["fund"])])
    with _queued_only(app):
        assert queue_meeting_reminders(now=meeting.starts_at - timedelta(minutes=30)) == 2
        scheduling.cancel_meeting(db.session.get(Meeting, meeting.id))
    deliver_due()
    subjects = _subjects(smtp_server)
    assert len(subjects) == 2 and not any(s.startswith("Nhắc lịch") for s in subjects)  # "cancelled" only


def test_moved_after_queueing_the_old_time_is_not_reminded_the_new_one_is(app, db, match, smtp_server):
    (meeting,) = _meet(match["event"], [(match["ai"], match["fund"])], slots=2)
    later = db.session.scalars(db.select(MeetingSlot).order_by(MeetingSlot.starts_at.desc())).first()
    with _queued_only(app):
        assert queue_meeting_reminders(now=meeting.starts_at - timedelta(minutes=30)) == 2
        scheduling.move_meeting(db.session.get(Meeting, meeting.id), later, 1)
    deliver_due()
    assert len(smtp_server.messages) == 2  # the "moved" e-mails only
    assert not any(s.startswith("Nhắc lịch") for s in _subjects(smtp_server))
    smtp_server.messages.clear()
    assert queue_meeting_reminders(now=later.starts_at - timedelta(minutes=30)) == 2
    assert sorted(_subjects(smtp_server)) == ["Nhắc lịch: gặp Công ty CP Trí Tuệ Sài Gòn lúc 09:20",
                                              "Nhắc lịch: gặp Quỹ Đầu tư Mekong Việt lúc 09:20"]


def test_an_erased_account_is_not_written_to(db, match):
    (meeting,) = _meet(match["event"], [(match["ai"], match["fund"])])
    user = match["fund"].user
    user.email = f"erased-{user.id}@invalid"
    db.session.commit()
    assert queue_meeting_reminders(now=meeting.starts_at - timedelta(minutes=30)) == 1
    assert [email.to for email in _reminders()] == [match["ai"].user.email]


def test_sweeps_running_at_once_remind_each_meeting_once(app, db, match):
    event = match["event"]
    funds = [match["fund"], investor(event, organization="Quỹ Cửu Long")]
    startups = [match["ai"], match["farm"], startup(event, organization="Thanh Toán Nhanh")]
    meetings = _meet(event, [(s, f) for s in startups for f in funds], slots=3, tables=2)
    assert len(meetings) == 6
    now = min(m.starts_at for m in meetings) - timedelta(minutes=1)  # all six start within the hour
    with _queued_only(app):
        if db.engine.dialect.name == "postgresql":  # real workers at once
            counts = race(app, [lambda: queue_meeting_reminders(now=now, limit=3)] * 4)
        else:  # SQLite writes one at a time anyway
            counts = [queue_meeting_reminders(now=now, limit=3) for _ in range(4)]
    assert all(isinstance(count, int) for count in counts), counts
    assert sum(counts) == 12
    sent = Counter((email.payload["meeting_id"], email.payload["profile_id"]) for email in _reminders())
    assert len(sent) == 12 and set(sent.values()) == {1}
