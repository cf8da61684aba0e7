"""Organizers' messages: validating a draft, creating, previewing, scheduling, cancelling, sending
(a conditional start, then the job `messages.send`), figures for the pages, and unsubscribing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, update
from sqlalchemy.exc import IntegrityError

from .. import jobs, mail
from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import Conflict, EventHubError, ValidationError
from ..events.models import Event
from ..extensions import db
from ..i18n import format_datetime
from ..jobs.labels import JOB_LABELS
from ..mail.models import EmailStatus, OutboundEmail
from ..validation import UNSTORABLE as _UNSTORABLE
from . import placeholders
from .audiences import Candidate, normalize_audience, resolve
from .models import Message, MessageRecipient, MessageState, RecipientState, Unsubscribe
from .unsubscribes import (  # noqa: F401  (the pages, the builder and tests read them here)
    is_unsubscribed,
    make_unsubscribe_token,
    read_unsubscribe_token,
    unsubscribe,
)

MAX_BODY_BYTES = 50 * 1024  # UTF-8 bytes of the body
MAX_SUBJECT_CHARS = 200
CHUNK = 500  # recipients inserted or queued in one statement / transaction
LATEST_AFTER_END = timedelta(days=90)  # a message scheduled later than this after its event: a typo
JOB_LABELS["messages.send"] = _l("Sending a message")


class MessageInvalid(ValidationError):
    """422: `fields` says which of audience / subject / body / send_at is wrong and why."""

    code = "validation_error"


class MessageTooLarge(EventHubError):
    """413: the body is over 50 KB."""

    status = 413
    code = "too_large"


class NotCancellable(Conflict):
    """409: only a scheduled message can be cancelled."""

    code = "not_cancellable"


def _parse_send_at(event: Event, value: Any) -> tuple[datetime | None, str | None]:
    """(aware datetime, None) or (None, a problem); a time without an offset is the event's local time."""
    if value in (None, ""):
        return None, None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None, _("Write the time as 2026-12-07T09:00+07:00.")
    if not isinstance(value, datetime):
        return None, _("Write the time as 2026-12-07T09:00+07:00.")
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=event.tz)
        return value.astimezone(UTC), None
    except (OverflowError, ValueError):  # 0001-01-01T00:00+14:00 lies before the first UTC instant
        return None, _("Write the time as 2026-12-07T09:00+07:00.")


def _validated(event: Event, *, audience: Any, subject: Any, body: Any, send_at: Any,
               now: datetime | None) -> tuple[dict, list[Candidate]]:
    now = now or utcnow()
    if isinstance(body, str) and len(body.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
        raise MessageTooLarge(_("The message may be at most 50 KB."))
    fields: dict[str, list[str]] = {}
    normalized, problems = normalize_audience(event, audience)
    candidates: list[Candidate] = []
    if problems:
        fields["audience"] = problems
    else:
        candidates = resolve(event, normalized)
        if not candidates:
            fields["audience"] = [_("No one matches this audience: nobody would receive the message.")]
    texts = {}
    for key, value, limit in (("subject", subject, MAX_SUBJECT_CHARS), ("body", body, None)):
        if not isinstance(value, str) or not value.strip():
            fields[key] = [_("This field is required.")]
        elif limit and len(value) > limit:
            fields[key] = [_("At most %(n)s characters.", n=limit)]
        elif _UNSTORABLE.search(value):  # NUL, lone surrogates: no database stores them
            fields[key] = [_("Not in the expected format.")]
        elif key == "subject" and ("\n" in value or "\r" in value):
            fields[key] = [_("The subject must be one line.")]
        elif found := placeholders.problems_of(value):
            fields[key] = found
        else:
            texts[key] = value
    when, problem = _parse_send_at(event, send_at)
    if problem:
        fields["send_at"] = [problem]
    elif when is not None and when <= now:
        fields["send_at"] = [_("This time has passed: choose a later one, or send now.")]
    elif when is not None and when > event.ends_at + LATEST_AFTER_END:
        fields["send_at"] = [_("Choose a time before %(latest)s: at most 90 days after the event ends.",
                               latest=format_datetime(event.ends_at + LATEST_AFTER_END, event.tz))]
    if candidates and texts:
        # A template that passes the checks may still reach a limit once filled (a loop of a million turns):
        # found now, with the first recipient's values, not when it is sent.
        context = placeholders.context_for(event, candidates[0])
        for key, template in texts.items():
            try:
                placeholders.render_text(template, context)
            except placeholders.RenderFailed as exc:
                fields[key] = exc.problems
    if fields:
        raise MessageInvalid(fields)
    return {"audience": normalized, "subject": subject, "body": body, "send_at": when,
            "count": len(candidates)}, candidates


def validate_draft(event: Event, *, audience: Any, subject: Any, body: Any, send_at: Any,
                   now: datetime | None = None) -> dict:
    """Checks a draft; returns {"audience": normalized dict, "subject", "body", "send_at": aware datetime or
    None, "count": recipients}. Raises MessageTooLarge (body > 50 KB) or MessageInvalid with `fields`."""
    checked, _candidates = _validated(event, audience=audience, subject=subject, body=body, send_at=send_at,
                                      now=now)
    return checked


def _request_key(actor, token: str) -> str:
    """What is stored of a request's one-time token: its hash with the person's id (two people's API keys
    never meet)."""
    keyed = f"{getattr(actor, 'id', None)}:{token}"
    return hashlib.sha256(keyed.encode("utf-8", "surrogatepass")).hexdigest()


def _made_by_request(event: Event, key: str) -> Message | None:
    made = db.session.scalar(db.select(Message).where(Message.request_token == key))
    if made is not None and made.event_id != event.id:
        raise Conflict(_("This request was already used for another event's message."))
    return made


def create_message(event: Event, *, audience: Any, subject: Any, body: Any, send_at: Any = None, actor=None,
                   now: datetime | None = None, request_token: str | None = None) -> Message:
    """Validates and records a message; without send_at it starts sending now (job), else it is scheduled.
    `request_token` (the confirmation form's one-time token, an API Idempotency-Key): a second request with
    it returns the message the first made, and makes none."""
    now = now or utcnow()
    key = _request_key(actor, request_token) if request_token else None
    if key and (made := _made_by_request(event, key)) is not None:
        return made
    checked = validate_draft(event, audience=audience, subject=subject, body=body, send_at=send_at, now=now)
    message = Message(event_id=event.id, subject=checked["subject"], body=checked["body"],
                      audience=checked["audience"], send_at=checked["send_at"], recipients=checked["count"],
                      state=MessageState.scheduled if checked["send_at"] else MessageState.draft,
                      created_by_id=getattr(actor, "id", None), created_at=now, request_token=key)
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:  # the same token at the same moment (two clicks racing): the other one made it
        db.session.rollback()
        made = _made_by_request(event, key) if key else None
        if made is None:
            raise
        return made
    record("message.created", message, actor=actor, event=event,
           changes={"subject": message.subject, "recipients": message.recipients,
                    "send_at": message.send_at})
    db.session.commit()
    if message.send_at is None:
        send_message(message.id, now=now)
        db.session.refresh(message)
    return message


def preview(event: Event, *, audience: Any, subject: Any, body: Any,
            recipient_email: str | None = None) -> dict:
    """The message as one real recipient will read it: {"subject","text","html","recipient_name",
    "recipient_email","count"} – the first recipient of the audience, or the one named by address.
    Raises like validate_draft (send_at is not checked); an address not in the audience → field
    "recipient"."""
    _checked, candidates = _validated(event, audience=audience, subject=subject, body=body, send_at=None,
                                      now=None)
    person = candidates[0]
    if recipient_email:
        wanted = str(recipient_email).strip().lower()
        person = next((c for c in candidates if c.email_normalized == wanted), None)
        if person is None:
            raise MessageInvalid({"recipient": [_("This address is not among the recipients.")]})
    with force_locale(person.locale or "vi"):
        context = placeholders.context_for(event, person)
        subject_text = placeholders.one_line(placeholders.render_text(subject, context))
        text = placeholders.render_text(body, context)
    return {"subject": subject_text, "text": text, "html": placeholders.html_of(text),
            "recipient_name": person.full_name, "recipient_email": person.email, "count": len(candidates)}


def cancel_message(message: Message, *, actor=None, now: datetime | None = None) -> Message:
    """Cancels a scheduled message (commits); anything else → NotCancellable (409 not_cancellable)."""
    now = now or utcnow()
    done = db.session.execute(
        update(Message).where(Message.id == message.id, Message.state == MessageState.scheduled)
        .values(state=MessageState.cancelled, cancelled_at=now).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise NotCancellable(_("Only a scheduled message that has not started can be cancelled."))
    record("message.cancelled", message, actor=actor, event=message.event,
           changes={"subject": message.subject})
    db.session.commit()
    db.session.refresh(message)
    return message


def send_message(message_id: int, *, now: datetime | None = None) -> Message | None:
    """Starts a draft/scheduled message once (conditional UPDATE), resolves its recipients and starts the
    job `messages.send`; returns the message, or None when another caller had already started it."""
    now = now or utcnow()
    started = db.session.execute(
        update(Message).where(Message.id == message_id,
                              Message.state.in_([MessageState.draft, MessageState.scheduled]))
        .values(state=MessageState.sending).returning(Message.id).execution_options(synchronize_session=False))
    if started.scalar() is None:
        db.session.rollback()
        return None
    # The start, the recipients and the job's row commit together (jobs.start commits the session): a
    # process that dies before leaves the message as it was (the sweeps start it again), one that dies
    # after leaves a job to find (recovery.resume_stuck_messages restarts a job that failed or vanished).
    resolve_recipients(message_id, commit=False)
    message = db.session.get(Message, message_id)
    return start_job(message)


def start_job(message: Message) -> Message:
    """Starts the job `messages.send` of a message being sent and records its id (commits). A second job
    of the same message is harmless: each recipient is queued once."""
    message_id = message.id
    job = jobs.start("messages.send", event=message.event, message_id=message_id)
    db.session.execute(update(Message).where(Message.id == message_id).values(job_id=job.id)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    message = db.session.get(Message, message_id)
    db.session.refresh(message)
    return message


def resolve_recipients(message_id: int, *, commit: bool = True) -> int:
    """Records the recipients of a message being started (each address once; an unsubscribed one as
    such) and their count; commits unless told not to; returns how many."""
    message = db.session.get(Message, message_id)
    db.session.refresh(message)
    rows = [{"message_id": message.id, "email_normalized": c.email_normalized, "email": c.email.strip(),
             "full_name": (c.full_name or "")[:200], "locale": (c.locale or "vi")[:5],
             "registration_id": c.registration_id, "user_id": c.user_id, "exhibitor_id": c.exhibitor_id,
             "state": RecipientState.queued}
            for c in resolve(message.event, message.audience)]
    for start in range(0, len(rows), CHUNK):
        db.session.execute(db.insert(MessageRecipient), rows[start:start + CHUNK])
    # Unsubscribed addresses, in one statement: the table of unsubscribes is never loaded into memory.
    db.session.execute(
        update(MessageRecipient)
        .where(MessageRecipient.message_id == message.id,
               MessageRecipient.email_normalized.in_(db.select(Unsubscribe.email_normalized)))
        .values(state=RecipientState.unsubscribed).execution_options(synchronize_session=False))
    message.recipients = len(rows)
    if commit:
        db.session.commit()
    return len(rows)


@jobs.task("messages.send")
def _send_job(ctx: jobs.JobContext, *, message_id: int) -> None:
    """Queues one outbox e-mail per recipient not yet queued, in chunks, each chunk in one transaction with
    the message row locked and each recipient taken by a conditional UPDATE (a resumed or doubled run skips
    what is queued); then the message is sent."""
    waiting = (db.select(func.count(MessageRecipient.id))
               .where(MessageRecipient.message_id == message_id, MessageRecipient.outbound_email_id.is_(None),
                      MessageRecipient.state == RecipientState.queued))
    ctx.set_total(db.session.scalar(waiting) or 0)
    while True:
        db.session.execute(db.select(Message.id).where(Message.id == message_id).with_for_update())
        chunk = list(db.session.scalars(
            db.select(MessageRecipient)
            .where(MessageRecipient.message_id == message_id, MessageRecipient.outbound_email_id.is_(None),
                   MessageRecipient.state == RecipientState.queued)
            .order_by(MessageRecipient.id).limit(CHUNK)))
        if not chunk:
            break
        emails = [mail.queue("message.delivery", to=r.email, recipient_id=r.id) for r in chunk]
        db.session.flush()
        for recipient, email in zip(chunk, emails, strict=True):
            # Conditional, row by row: where the lock above does not hold (SQLite reads outside the write
            # transaction) a second run finds the recipient taken and drops its own e-mail.
            won = db.session.execute(
                update(MessageRecipient)
                .where(MessageRecipient.id == recipient.id, MessageRecipient.outbound_email_id.is_(None))
                .values(outbound_email_id=email.id).execution_options(synchronize_session=False))
            if won.rowcount != 1:
                db.session.delete(email)
        db.session.commit()
        db.session.expire_all()
        ctx.advance(len(chunk))
    db.session.rollback()
    finished = db.session.execute(
        update(Message).where(Message.id == message_id, Message.state == MessageState.sending)
        .values(state=MessageState.sent, sent_at=utcnow()).execution_options(synchronize_session=False))
    if finished.rowcount:
        message = db.session.get(Message, message_id)
        record("message.sent", message, event=message.event, changes={"recipients": message.recipients})
    db.session.commit()


@mail.periodic
def start_due_messages(*, now: datetime | None = None) -> int:
    """Starts every scheduled message whose time has come (each minute, from the mail thread); returns how
    many this call started (another process may start some: each starts once)."""
    now = now or utcnow()
    due = list(db.session.scalars(db.select(Message.id).where(Message.state == MessageState.scheduled,
                                                              Message.send_at <= now)
                                  .order_by(Message.send_at, Message.id).limit(20)))
    db.session.rollback()
    return sum(1 for message_id in due if send_message(message_id, now=now) is not None)


# --- figures for the pages ------------------------------------------------------------------------------

def _delivery_state():
    """SQL: a recipient's delivery state – unsubscribed, else its outbox e-mail's (sent/failed/pending)."""
    return case((MessageRecipient.state == RecipientState.unsubscribed, "unsubscribed"),
                (OutboundEmail.status == EmailStatus.sent, "sent"),
                (OutboundEmail.status == EmailStatus.failed, "failed"), else_="pending")


def _figures_query():
    state = _delivery_state()
    return (db.select(MessageRecipient.message_id, func.count(MessageRecipient.id),
                      *(func.sum(case((state == name, 1), else_=0)) for name in FIGURES[1:]))
            .outerjoin(OutboundEmail, OutboundEmail.id == MessageRecipient.outbound_email_id)
            .group_by(MessageRecipient.message_id))


FIGURES = ("recipients", "sent", "failed", "pending", "unsubscribed")


def _as_figures(row) -> dict[str, int]:
    return dict(zip(FIGURES, (int(v or 0) for v in row[1:]), strict=True))


def message_figures(message: Message) -> dict[str, int]:
    """{"recipients","sent","failed","pending","unsubscribed"} of one message, in one aggregate query
    (before it starts: the counted recipients, all pending)."""
    row = db.session.execute(_figures_query().where(MessageRecipient.message_id == message.id)).first()
    if row is None:
        return {"recipients": message.recipients, "sent": 0, "failed": 0,
                "pending": message.recipients if message.state != MessageState.cancelled else 0,
                "unsubscribed": 0}
    return _as_figures(row)


def recipients_page(message: Message, page: int = 1, per_page: int = 50) -> dict:
    """{"items": [{"id","email","full_name","locale","state"}], "page","per_page","total"}: the delivery
    state of each recipient (sent / failed / pending / unsubscribed), one query per page and one count."""
    page, per_page = max(int(page), 1), min(max(int(per_page), 1), 500)
    total = db.session.scalar(db.select(func.count(MessageRecipient.id))
                              .where(MessageRecipient.message_id == message.id)) or 0
    rows = db.session.execute(
        db.select(MessageRecipient.id, MessageRecipient.email, MessageRecipient.full_name,
                  MessageRecipient.locale, _delivery_state())
        .outerjoin(OutboundEmail, OutboundEmail.id == MessageRecipient.outbound_email_id)
        .where(MessageRecipient.message_id == message.id)
        .order_by(MessageRecipient.id).limit(per_page).offset((page - 1) * per_page))
    items = [{"id": rid, "email": email, "full_name": name, "locale": locale, "state": state}
             for rid, email, name, locale, state in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def messages_of(event: Event) -> list[dict]:
    """The event's messages, newest first, each {"message": Message, "recipients","sent","failed","pending",
    "unsubscribed"}: two queries in all, whatever the number of messages."""
    messages = list(db.session.scalars(db.select(Message).where(Message.event_id == event.id)
                                       .order_by(Message.created_at.desc(), Message.id.desc())))
    figures = {}
    if messages:
        rows = db.session.execute(_figures_query().join(Message, Message.id == MessageRecipient.message_id)
                                  .where(Message.event_id == event.id))
        figures = {row[0]: _as_figures(row) for row in rows}
    return [{"message": m, **(figures.get(m.id) or message_figures_unstarted(m))} for m in messages]


def message_figures_unstarted(message: Message) -> dict[str, int]:
    """The figures of a message whose recipients are not resolved yet (draft, scheduled, cancelled)."""
    pending = message.recipients if message.state != MessageState.cancelled else 0
    return {"recipients": message.recipients, "sent": 0, "failed": 0, "pending": pending, "unsubscribed": 0}
