"""Demo answers to the reminder's "will you come?" for the 2020 events, which are over, so their no-show
figures (reports/attendance.py) show something true: about a third of those who came had said yes; of
those who stayed away, some had said no (their registration cancelled, their seat given to the waiting
list), a few had said yes, most had said nothing.

Only registrations that got a reminder answer – made before the reminder time, `reminder_hours` before
the start – and only before the event. A "no" goes through the registration's cancel, as the attendance
service does (registration/attendance.py), without the e-mail; only visitors say no (a startup or an
investor holds booths and meetings the rest of the demo builds on). A "yes" is the state the service
leaves, written in bulk with its audit entries: the demo stays fast at 5,000 visitors.

Idempotent: an event whose registrations hold any answer is left alone. Its own seeded random, so the
rest of the demo draws what it always drew.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import insert, update

from ..audit.models import AuditEntry
from ..checkin.models import CheckIn
from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db
from ..registration.attendance import ACTION
from ..registration.models import Registration, RegistrationStatus, RegistrationType
from ..registration.services import cancel_registration
from .data import EVENTS

S = RegistrationStatus
SAID_YES_CAME = 0.35  # of those who came, how many had answered yes (the rest never answered)
SAID_NO_AWAY = 0.3  # of the visitors who stayed away, how many had said no
SAID_YES_AWAY = 0.15  # of those who stayed away, how many had said yes all the same
SAYS_NO = "visitor"  # the registration type whose people may say no


def _answered_at(rng: random.Random, event: Event) -> datetime:
    """Between the reminder and an hour before the start; most answer within hours of the e-mail."""
    window = max(event.reminder_hours * 60 - 60, 1)
    return event.starts_at - timedelta(hours=event.reminder_hours) + timedelta(
        minutes=min(int(rng.expovariate(1 / 180)), window))


def _answer(rng: random.Random, event: Event) -> tuple[int, int]:
    """One event's answers; returns (yes, no)."""
    reminded_before = event.starts_at - timedelta(hours=event.reminder_hours)
    came = set(db.session.scalars(db.select(CheckIn.registration_id).where(
        CheckIn.event_id == event.id, CheckIn.undone_at.is_(None))))
    rows = db.session.execute(
        db.select(Registration.id, RegistrationType.code)
        .join(RegistrationType, RegistrationType.id == Registration.registration_type_id)
        .where(Registration.event_id == event.id, Registration.status == S.confirmed,
               Registration.created_at <= reminded_before)
        .order_by(Registration.id)).all()
    yes: list[tuple[int, datetime]] = []
    no: list[tuple[int, datetime]] = []
    for reg_id, code in rows:
        draw, at = rng.random(), _answered_at(rng, event)  # two draws each, whatever the answer
        if reg_id in came:
            if draw < SAID_YES_CAME:
                yes.append((reg_id, at))
        elif code == SAYS_NO and draw < SAID_NO_AWAY:
            no.append((reg_id, at))
        elif draw > 1 - SAID_YES_AWAY:
            yes.append((reg_id, at))
    if yes:
        db.session.execute(update(Registration), [
            {"id": reg_id, "attending": True, "attendance_at": at, "updated_at": at} for reg_id, at in yes])
        db.session.execute(insert(AuditEntry), [
            {"action": ACTION, "object_type": "registration", "object_id": str(reg_id),
             "event_id": event.id, "actor_id": None, "changes": {"attending": [None, True]}, "created_at": at}
            for reg_id, at in yes])
        db.session.commit()
    # In time order: each cancel gives its seat to the waiting list as it was at that moment.
    for reg_id, at in sorted(no, key=lambda item: item[1]):
        reg = db.session.get(Registration, reg_id)
        reg.attending, reg.attendance_at = False, at  # flushed with the cancel, as the service does
        cancel_registration(reg, action=ACTION, only_from=S.confirmed, notify=False, now=at)
    return len(yes), len(no)


def load_answers(*, now: datetime | None = None) -> tuple[int, int]:
    """Answers for the demo events that have ended; returns how many said yes and no."""
    now = now or utcnow()
    rng = random.Random("demo-answers-2020")
    slugs = [spec["slug"] for spec in EVENTS]
    said_yes = said_no = 0
    for event in db.session.scalars(db.select(Event).where(Event.slug.in_(slugs), Event.ends_at < now)
                                    .order_by(Event.starts_at)).all():
        answered = db.session.scalar(db.select(Registration.id).where(
            Registration.event_id == event.id, Registration.attending.is_not(None)).limit(1))
        if answered is not None or not event.reminder_hours:
            continue
        yes, no = _answer(rng, event)
        said_yes, said_no = said_yes + yes, said_no + no
    return said_yes, said_no
