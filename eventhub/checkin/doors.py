"""What the workshop doors read: a session's occupancy, who came in, the sessions of a day.

The rules of admitting someone stay in services.check_in_session; this module only reads, so the door's
page, its attendance list and the organizers' sessions page count the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func
from sqlalchemy.orm import selectinload

from ..events.models import Event
from ..extensions import db
from ..registration.models import EventSession, Registration
from .models import SessionCheckIn
from .services import session_attendance


@dataclass(frozen=True)
class Occupancy:
    """A session's room as the door sees it: people scanned in of the seats, and what is left."""

    inside: int  # people scanned in, walk-ins included
    capacity: int | None  # None: no seat limit
    booked: int  # seats held by a booking
    booked_in: int  # of the booked, those scanned in
    walk_ins: int
    seats_left: int | None  # seats a walk-in may still take (capacity − booked − walk-ins); None: no limit

    @property
    def full(self) -> bool:
        return self.seats_left == 0


def occupancy(session: EventSession) -> Occupancy:
    """The door's numbers; `seats_left` is measured as check_in_session measures a walk-in's seat."""
    counts = session_attendance(session)
    # `taken` is the figure check_in_session compares with the capacity (read fresh: a scan just committed).
    taken = db.session.scalar(db.select(EventSession.taken).where(EventSession.id == session.id)) or 0
    seats_left = None if session.capacity is None else max(session.capacity - taken - counts["walk_ins"], 0)
    return Occupancy(inside=counts["checked_in"], capacity=session.capacity, booked=counts["booked"],
                     booked_in=counts["checked_in"] - counts["walk_ins"], walk_ins=counts["walk_ins"],
                     seats_left=seats_left)


def entries(session: EventSession, *, limit: int | None = None) -> list[SessionCheckIn]:
    """Who came in at the session's door, newest first, with their registration type and the staff."""
    stmt = (db.select(SessionCheckIn).where(SessionCheckIn.session_id == session.id)
            .options(selectinload(SessionCheckIn.registration).selectinload(Registration.registration_type),
                     selectinload(SessionCheckIn.staff))
            .order_by(SessionCheckIn.checked_in_at.desc(), SessionCheckIn.id.desc()))
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def entry_of(session: EventSession, registration_id: int) -> SessionCheckIn | None:
    """This person's entry into the session, if any: an "already in" answer says since when."""
    return db.session.scalar(db.select(SessionCheckIn).where(
        SessionCheckIn.session_id == session.id, SessionCheckIn.registration_id == registration_id))


def day_window(event: Event, day: date) -> tuple[datetime, datetime]:
    """The instants from `day`'s midnight to the next one in the event's time zone (a plain range, so
    SQLite and PostgreSQL compare stored UTC times the same way)."""
    start = datetime.combine(day, time(0), tzinfo=event.tz)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=event.tz)


def session_day(event: Event, session: EventSession) -> date:
    """The session's day in the event's time zone: only entries made that day are attendance."""
    return session.starts_at.astimezone(event.tz).date()


def on_session_day(event: Event, session: EventSession, when: datetime) -> bool:
    """Whether `when` falls on the session's day; a scan on another day is a test of the door."""
    return when.astimezone(event.tz).date() == session_day(event, session)


def sessions_on(event: Event, day: date) -> list[EventSession]:
    """The event's sessions starting on `day` (the event's time zone), in time order."""
    start, end = day_window(event, day)
    return list(db.session.scalars(
        db.select(EventSession).where(EventSession.event_id == event.id, EventSession.starts_at >= start,
                                      EventSession.starts_at < end)
        .order_by(EventSession.starts_at, EventSession.id)))


def counts_by_session(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{session id: (people scanned in, walk-ins)} for a list page, in one query; absent ids had nobody."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        db.select(SessionCheckIn.session_id, func.count(SessionCheckIn.id),
                  func.count(case((SessionCheckIn.walk_in.is_(True), SessionCheckIn.id))))
        .where(SessionCheckIn.session_id.in_(session_ids)).group_by(SessionCheckIn.session_id))
    return {session_id: (inside, walk_ins) for session_id, inside, walk_ins in rows}
