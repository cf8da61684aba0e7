"""Reminders before an event (issue 18): each confirmed registrant, once, `reminder_hours` before the start.

"Once" holds however many workers sweep at the same moment: a conditional UPDATE of `reminded_at`
(… AND reminded_at IS NULL RETURNING id) in the same transaction as the outbox rows, as the outbox's own
`_claim_due` does – each worker gets disjoint registrations, and an e-mail exists exactly when its
registration is marked reminded. Someone who registered after the reminder time gets no reminder: their
confirmation e-mail, sent then, says it all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import literal, update

from .. import mail
from ..dbtypes import utcnow
from ..events.models import Event
from ..events.services import MAX_REMINDER_HOURS  # the longest lead an event may set: bounds the sweep
from ..extensions import db
from . import reminder_mail
from .models import Registration, RegistrationStatus

CHUNK = 500  # registrations claimed and queued per transaction


def due_events(now: datetime) -> list[tuple[int, datetime]]:
    """(event id, reminder time) of the events whose reminders are due now.

    One query over events (starting within the longest lead, reminders on): a sweep with nothing due
    reads no registration at all. The lead of each is compared here, which every database does alike."""
    rows = db.session.execute(
        db.select(Event.id, Event.starts_at, Event.reminder_hours)
        .where(Event.reminder_hours > 0, Event.starts_at > now,
               Event.starts_at <= now + timedelta(hours=MAX_REMINDER_HOURS))
        .order_by(Event.starts_at, Event.id))
    due = []
    for event_id, starts_at, hours in rows:
        remind_at = starts_at - timedelta(hours=hours)
        if now >= remind_at:
            due.append((event_id, remind_at))
    return due


def _due(event_id: int, remind_at: datetime) -> tuple:
    """The conditions of a registration of the event whose reminder is due and not yet queued."""
    return (Registration.event_id == event_id, Registration.status == RegistrationStatus.confirmed,
            Registration.reminded_at.is_(None), Registration.created_at <= remind_at)


def _any_due(event_id: int, remind_at: datetime) -> bool:
    """Whether the event has a reminder left to queue: a read, so that an event inside its reminder
    window whose reminders are all queued costs each minute's sweep no write (on SQLite even an UPDATE
    that changes nothing takes the database's one write lock)."""
    return db.session.scalar(db.select(literal(1)).where(*_due(event_id, remind_at)).limit(1)) is not None


def _claim(event_id: int, remind_at: datetime, now: datetime, limit: int) -> list[tuple[int, str]]:
    """Marks up to `limit` due registrations of the event as reminded, in one statement; returns (id,
    e-mail) of those this worker won."""
    due = (db.select(Registration.id).where(*_due(event_id, remind_at))
           .order_by(Registration.id).limit(limit).scalar_subquery())
    result = db.session.execute(
        update(Registration)
        .where(Registration.id.in_(due), Registration.reminded_at.is_(None),
               Registration.status == RegistrationStatus.confirmed)
        .values(reminded_at=now)
        .returning(Registration.id, Registration.email).execution_options(synchronize_session=False))
    return sorted(result.tuples())


def queue_due_reminders(*, now: datetime | None = None, limit: int = CHUNK) -> int:
    """Queues the reminder of every registration that is due, `limit` per transaction; returns how many
    this call queued (another worker sweeping at once queues the others)."""
    now = now or utcnow()
    events = due_events(now)
    # End the read: on SQLite a transaction that has read cannot start writing once another worker has
    # written meanwhile, so each claim starts its own transaction with its UPDATE. (The check before it
    # is no such read: the sqlite3 driver begins SQLite's transaction at the first write, not a SELECT.)
    db.session.commit()
    queued = 0
    for event_id, remind_at in events:
        while _any_due(event_id, remind_at) and (claimed := _claim(event_id, remind_at, now, max(1, limit))):
            for registration_id, address in claimed:
                mail.queue(reminder_mail.KIND, to=address, registration_id=registration_id)
            db.session.commit()
            queued += len(claimed)
    db.session.commit()  # a claim that found nothing (another worker's won) still took the write lock
    return queued


@mail.periodic
def _sweep_reminders() -> None:
    queue_due_reminders()
