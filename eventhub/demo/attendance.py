"""Demo attendance: the check-ins of the 2020 events, which are over, so their summary report has
visitor attendances to count (about 5,000 at full scale, as domain.md reports).

Idempotent: an event that has any check-in is left alone. Rows are written in bulk through the
check-in model (the gate's service would take minutes for thousands of scans): once per confirmed
registration and event day at most, at the event's gates, scanned by the demo's gate staff.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import insert

from ..accounts.models import User
from ..checkin.models import CheckIn
from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from .data import EVENTS, STAFF

GATES = ("Cổng A – Lê Thánh Tôn", "Cổng B – Nguyễn Du", "Quầy đón khách")
SHOW_UP = 0.86  # confirmed visitors who came at least once
SECOND_DAY = 0.3  # of those, on a multi-day event, who came on another day too


def _days(event: Event) -> list[datetime]:
    """08:00 of each day of the event, in its time zone."""
    first, last = event.local_starts_at, event.local_ends_at
    count = (last.date() - first.date()).days + 1
    return [first.replace(hour=8, minute=0) + timedelta(days=n) for n in range(count)]


def load_attendance(rng: random.Random, *, now: datetime | None = None) -> int:
    """Check-ins for the demo events that have ended; returns how many were added."""
    now = now or utcnow()
    staff_ids = list(db.session.scalars(db.select(User.id).where(User.email.in_([e for _n, e in STAFF]))))
    added = 0
    slugs = [spec["slug"] for spec in EVENTS]  # another event's check-ins are not the demo's to make
    for event in db.session.scalars(db.select(Event).where(Event.slug.in_(slugs), Event.ends_at < now)
                                    .order_by(Event.starts_at)):
        if db.session.scalar(db.select(CheckIn.id).where(CheckIn.event_id == event.id).limit(1)):
            continue
        days = _days(event)
        registrations = db.session.scalars(db.select(Registration.id).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed)
            .order_by(Registration.id))
        rows = []
        for reg_id in registrations:
            if rng.random() > SHOW_UP:
                continue
            chosen = {rng.randrange(len(days))}
            if len(days) > 1 and rng.random() < SECOND_DAY:
                chosen.add(rng.randrange(len(days)))
            for index in sorted(chosen):
                # Most arrive in the first two hours; a few in the afternoon.
                minutes = int(abs(rng.gauss(50, 45))) if rng.random() < 0.8 else rng.randint(240, 480)
                at = days[index] + timedelta(minutes=minutes)
                rows.append({"event_id": event.id, "registration_id": reg_id, "day": at.date(),
                             "checked_in_at": at, "gate": rng.choice(GATES),
                             "staff_id": rng.choice(staff_ids) if staff_ids else None})
        if rows:
            db.session.execute(insert(CheckIn), rows)
            added += len(rows)
    db.session.commit()
    return added
