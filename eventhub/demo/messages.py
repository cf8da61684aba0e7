"""Demo organizers' messages: the booth set-up notice the Startup Week 2020 exhibitors got three days before
the event (sent, every e-mail delivered), and, while the 2026 edition is ahead, a reminder to the judges of
its contests scheduled for two days before it.

The 2020 message is recorded as it stands after delivery – its recipients resolved from the real audience
and their outbox rows sent, with nothing left to send – so loading the demo e-mails no one. The scheduled one
goes through the services (validated, counted) and is sent by the periodic sweep at its time, as any other.
Idempotent: an event that already has a message of the same subject gets nothing new.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db
from ..mail.models import EmailStatus, OutboundEmail
from ..messaging import services
from ..messaging.audiences import normalize_audience, resolve
from ..messaging.models import Message, MessageRecipient, MessageState, RecipientState

SENT = {
    "slug": "startup-week-2020",
    "subject": "Hướng dẫn dựng gian hàng – {{ event }}",
    "body": ("Kính gửi {{ name }},\n\n"
             "Ban tổ chức xin gửi hướng dẫn dựng gian hàng tại {{ venue }} ({{ event_dates }}).\n"
             "Gian hàng của quý đơn vị: {{ booth }}.\n\n"
             "Thời gian dựng: 14:00–21:00 ngày trước khai mạc; xe chở hàng vào cổng số 3.\n"
             "Mỗi gian hàng được cấp 2 thẻ đeo cho nhân sự trực gian hàng.\n\n"
             "Trân trọng,\nBan tổ chức"),
}
SCHEDULED = {
    "slug": "startup-week-2026",
    "subject": "Nhắc lịch chấm chung kết – {{ event }}",
    "body": ("Kính gửi {{ name }},\n\n"
             "Vòng chung kết các cuộc thi của {{ event }} diễn ra tại {{ venue }} ({{ event_dates }}).\n"
             "Xin quý giám khảo hoàn tất chấm vòng hồ sơ trước ngày khai mạc và có mặt lúc 08:00 "
             "tại phòng giám khảo để nhận danh sách đội thi.\n\n"
             "Trân trọng,\nBan tổ chức"),
    "audience": {"kind": "judges"},
}


def _event(slug: str) -> Event | None:
    return db.session.scalar(db.select(Event).where(Event.slug == slug))


def _has(event: Event, subject: str) -> bool:
    return db.session.scalar(db.select(Message.id).where(Message.event_id == event.id,
                                                         Message.subject == subject)) is not None


def _load_sent(organizer) -> int:
    """The 2020 exhibitors' notice, sent at 09:00 three days before the event; how many people it reached."""
    event = _event(SENT["slug"])
    if event is None or _has(event, SENT["subject"]):
        return 0
    audience, _problems = normalize_audience(event, {"kind": "exhibitors"})
    people = resolve(event, audience)
    if not people:
        return 0
    at = (event.local_starts_at - timedelta(days=3)).replace(hour=9, minute=0)
    message = Message(event_id=event.id, subject=SENT["subject"], body=SENT["body"], audience=audience,
                      state=MessageState.sent, recipients=len(people), created_by_id=organizer.id,
                      created_at=at - timedelta(minutes=20), send_at=None, sent_at=at)
    db.session.add(message)
    db.session.flush()
    for n, person in enumerate(people):
        delivered = at + timedelta(seconds=2 * n)
        email = OutboundEmail(kind="message.delivery", to=person.email, payload={}, status=EmailStatus.sent,
                              attempts=1, created_at=at, next_attempt_at=at, sent_at=delivered)
        db.session.add(email)
        db.session.flush()
        db.session.add(MessageRecipient(
            message_id=message.id, email_normalized=person.email_normalized, email=person.email,
            full_name=(person.full_name or "")[:200], locale=person.locale or "vi", user_id=person.user_id,
            registration_id=person.registration_id, exhibitor_id=person.exhibitor_id,
            state=RecipientState.sent, outbound_email_id=email.id))
    db.session.commit()
    return len(people)


def _load_scheduled(organizer, now: datetime) -> int:
    """The 2026 judges' reminder, two days before the event at 09:00, if that is ahead."""
    event = _event(SCHEDULED["slug"])
    if event is None or _has(event, SCHEDULED["subject"]):
        return 0
    at = (event.local_starts_at - timedelta(days=2)).replace(hour=9, minute=0)
    if at <= now:
        return 0  # the demo runs after that day: a schedule in the past is not one
    try:
        message = services.create_message(event, audience=SCHEDULED["audience"], subject=SCHEDULED["subject"],
                                          body=SCHEDULED["body"], send_at=at, actor=organizer, now=now)
    except services.MessageInvalid:
        db.session.rollback()
        return 0  # no judge named yet: nothing to schedule
    return message.recipients


def load_messages(organizer, *, now: datetime | None = None) -> str:
    """Both demo messages; returns a summary line."""
    now = now or utcnow()
    sent = _load_sent(organizer)
    scheduled = _load_scheduled(organizer, now)
    return f"sent to {sent} exhibitors of 2020, scheduled for {scheduled} judges of 2026"
