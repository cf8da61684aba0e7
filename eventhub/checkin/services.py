"""Check-in rules: signed tickets, once per event day, undo, manual look-up and the live numbers.

A check-in is a row of its own (time, gate, staff, event-local day); it never changes the
registration's status. "Once per day" is held by the database itself: a partial unique index on
(registration, day) among check-ins not undone, so two gates scanning one ticket at the same moment
get one check-in and one `already_checked_in`, whatever the timing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db
from ..registration import queries
from ..registration.models import (
    EventSession,
    Registration,
    RegistrationStatus,
    RegistrationType,
    SessionChoice,
)
from ..registration.tickets import InvalidTicket, read_ticket_code, ticket_key
from ..vietnamese import normalize_text
from . import days
from .errors import (
    AlreadyCheckedIn,
    AlreadyInSession,
    AlreadyUndone,
    NotATicket,
    NotConfirmed,
    SessionFull,
    UnknownTicket,
    WrongEvent,
)
from .models import CheckIn, SessionCheckIn

# Codes are 32 characters; anything much longer is refused before any work is done on it.
MAX_CODE_LENGTH = 100
MAX_GATE_LENGTH = 60
ARRIVAL_MINUTES = 15
_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def event_day(event: Event, when: datetime) -> date:
    """The day of `when` in the event's own time zone: the unit of "once per day"."""
    return when.astimezone(event.tz).date()


def clean_gate(gate: str | None) -> str:
    """The gate's name with its white space collapsed; at most 60 characters."""
    value = normalize_text(_CONTROL.sub(" ", gate if isinstance(gate, str) else ""))
    if len(value) > MAX_GATE_LENGTH:
        raise ValidationError({"gate": [_("At most %(n)d characters.", n=MAX_GATE_LENGTH)]})
    return value


def _live_checkin(registration_id: int, day: date) -> CheckIn | None:
    """Today's check-in, with who scanned it: the refusal names them, and the page then queries nothing."""
    return db.session.scalar(db.select(CheckIn).options(joinedload(CheckIn.staff)).where(
        CheckIn.registration_id == registration_id, CheckIn.day == day, CheckIn.undone_at.is_(None)))


def check_in(event: Event, ticket_code, *, gate: str | None = "", staff=None,
             now: datetime | None = None) -> CheckIn:
    """Checks in the holder of a scanned ticket code. Commits.

    The signature is verified before any lookup: a forged or damaged code costs no query.
    """
    return check_in_registration(event, _registration_for_code(ticket_code), gate=gate, staff=staff, now=now)


def check_in_registration(event: Event, reg: Registration, *, gate: str | None = "", staff=None,
                          now: datetime | None = None) -> CheckIn:
    """Checks in a registration found by hand (same rules as a scan, minus the signature). Commits."""
    now = now or utcnow()
    gate = clean_gate(gate)
    if reg.event_id != event.id:
        raise WrongEvent.for_registration(reg)
    if reg.status != RegistrationStatus.confirmed:
        raise NotConfirmed.for_registration(reg)
    day = event_day(event, now)
    # No look first: the partial unique index answers "already today" in the same round trip as
    # the insert, which is what a queue at the gate needs (one query fewer per scan).
    reg_id = reg.id
    # `registration=reg`: the answer names the person and their type from the objects in hand (the
    # session only keeps weak references: dropped, they would be read again, two queries more).
    checkin = CheckIn(event_id=event.id, registration_id=reg_id, registration=reg, day=day, checked_in_at=now,
                      gate=gate, staff_id=getattr(staff, "id", None))
    db.session.add(checkin)
    try:
        db.session.commit()
    except IntegrityError:
        # Already checked in today (here, or at another gate a moment ago): the index refused ours.
        db.session.rollback()
        existing = _live_checkin(reg_id, day)
        if existing is None:
            raise
        raise AlreadyCheckedIn.for_checkin(existing, event) from None
    return checkin


def undo_check_in(checkin: CheckIn, *, actor, now: datetime | None = None) -> CheckIn:
    """Undoes a mistaken check-in (organizers; the route asks); the ticket is admitted again. Commits."""
    now = now or utcnow()
    done = db.session.execute(
        update(CheckIn).where(CheckIn.id == checkin.id, CheckIn.undone_at.is_(None))
        .values(undone_at=now, undone_by_id=getattr(actor, "id", None))
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise AlreadyUndone()
    checkin.undone_at, checkin.undone_by_id = now, getattr(actor, "id", None)
    event = db.session.get(Event, checkin.event_id)
    record("checkin.undone", checkin, actor=actor, event=event,
           changes={"registration_id": checkin.registration_id,  # by number: the name is the registration's
                    "day": checkin.day, "gate": checkin.gate, "checked_in_at": checkin.checked_in_at})
    db.session.commit()
    return checkin


# --- reading --------------------------------------------------------------------------------------

@dataclass
class Person:
    """A registration found by hand, and its live check-in of today, if any."""

    registration: Registration
    checked_in_today: CheckIn | None


def _phone_digits(q: str) -> str | None:
    """`0912 345 678`, `+84 912-345-678`, `345 678` → the digits as the search text holds them."""
    compact = re.sub(r"[\s.\-()]", "", q)
    if not re.fullmatch(r"\+?\d{4,15}", compact):
        return None
    if compact.startswith("+84"):
        return "0" + compact[3:]
    if compact.startswith("84") and len(compact) >= 11:
        return "0" + compact[2:]
    return compact.lstrip("+")


def find_people(event: Event, q: str | None, *, limit: int = 25, now: datetime | None = None
                ) -> list[Person]:
    """The event's registrations whose name, phone or e-mail match `q` (diacritics and case ignored)."""
    q = _CONTROL.sub(" ", q or "").strip()[:200]
    if not q:
        return []
    stmt = queries.registrations_query(event, q=_phone_digits(q) or q, sort="name")
    regs = list(db.session.scalars(stmt.options(selectinload(Registration.registration_type))
                                   .limit(limit)))
    today = event_day(event, now or utcnow())
    live = {c.registration_id: c for c in db.session.scalars(db.select(CheckIn).where(
        CheckIn.registration_id.in_([r.id for r in regs]), CheckIn.day == today,
        CheckIn.undone_at.is_(None)))} if regs else {}
    return [Person(reg, live.get(reg.id)) for reg in regs]


def recent_check_ins(event: Event, *, limit: int = 10) -> list[CheckIn]:
    """The event's latest check-ins (undone ones too, marked), newest first."""
    return list(db.session.scalars(
        db.select(CheckIn).where(CheckIn.event_id == event.id)
        .options(selectinload(CheckIn.registration).selectinload(Registration.registration_type),
                 selectinload(CheckIn.staff))
        .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc()).limit(limit)))


def _live_people_by_type(event: Event, *conditions) -> dict[str, int]:
    rows = db.session.execute(
        db.select(RegistrationType.code, func.count(func.distinct(CheckIn.registration_id)))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .join(RegistrationType, RegistrationType.id == Registration.registration_type_id)
        .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None), *conditions)
        .group_by(RegistrationType.code))
    return dict(rows.all())


def phase_of(checkin: CheckIn, event: Event) -> str:
    """`event_day`, or `before_event` / `after_event` for a test scan (accepted, counted apart)."""
    return days.day_phase(event, checkin.day)


def stats(event: Event, *, now: datetime | None = None) -> dict:
    """The numbers of api.md (`registrations`, `checked_in`, `by_type`) and the live ones of the desk.

    `checked_in` counts people: registrations with a check-in not undone, on any day (as api.md has
    always answered). `checked_in_event_days` counts only check-ins on the event's own days, and
    `test_scans` the check-ins outside them (scanners tried before the event, or after it), which the
    desk shows apart. The rest is about today in the event's time zone: `today_phase`,
    `checked_in_today`, `not_arrived_today` (confirmed people not checked in today), `by_gate` and
    `arrivals` per 15 minutes.
    """
    now = now or utcnow()
    today = event_day(event, now)
    on_days = days.on_event_days(event)
    counts = queries.counts_by_type_and_status(event)
    totals = {s.value: 0 for s in RegistrationStatus}
    for per_type in counts.values():
        for status, n in per_type.items():
            totals[status] += n
    ever = _live_people_by_type(event)
    event_days_by_type = _live_people_by_type(event, on_days)
    today_by_type = _live_people_by_type(event, CheckIn.day == today)
    todays = list(db.session.execute(
        db.select(CheckIn.gate, CheckIn.checked_in_at)
        .where(CheckIn.event_id == event.id, CheckIn.day == today, CheckIn.undone_at.is_(None))))
    arrived_today = (db.select(CheckIn.id).where(CheckIn.registration_id == Registration.id,
                                                 CheckIn.day == today, CheckIn.undone_at.is_(None)).exists())
    not_arrived = db.session.scalar(
        db.select(func.count(Registration.id)).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed,
            ~arrived_today)) or 0
    live = (CheckIn.event_id == event.id, CheckIn.undone_at.is_(None))
    checked_in, checked_in_event_days = db.session.execute(
        db.select(func.count(func.distinct(CheckIn.registration_id)),
                  func.count(func.distinct(case((on_days, CheckIn.registration_id)))))
        .where(*live)).one()
    first, last = days.event_dates(event)
    before, after = db.session.execute(
        db.select(func.count(case((CheckIn.day < first, CheckIn.id))),
                  func.count(case((CheckIn.day > last, CheckIn.id))))
        .where(*live)).one()
    return {
        "registrations": totals,
        "checked_in": checked_in or 0,
        "checked_in_event_days": checked_in_event_days or 0,
        "test_scans": {days.BEFORE: before or 0, days.AFTER: after or 0},
        "by_type": {code: {"confirmed": per_type["confirmed"], "checked_in": ever.get(code, 0),
                           "checked_in_event_days": event_days_by_type.get(code, 0),
                           "checked_in_today": today_by_type.get(code, 0)}
                    for code, per_type in counts.items()},
        "day": today.isoformat(),
        "today_phase": days.day_phase(event, today),
        "checked_in_today": len(todays),
        "not_arrived_today": not_arrived,
        "by_gate": dict(sorted(Counter(gate for gate, _at in todays).items())),
        "arrivals": _arrivals(event, [at for _gate, at in todays], now),
    }


def _arrivals(event: Event, times: list[datetime], now: datetime) -> list[dict]:
    """Check-ins per 15 minutes of today (event time), from the first arrival to now, gaps as 0."""
    if not times:
        return []
    tz = event.tz

    def bucket(moment: datetime) -> datetime:
        local = moment.astimezone(tz)
        return local.replace(minute=local.minute - local.minute % ARRIVAL_MINUTES, second=0, microsecond=0)

    counted = Counter(bucket(t) for t in times)
    first = min(counted)
    last = max(max(counted), bucket(now)) if event_day(event, now) == first.date() else max(counted)
    step = timedelta(minutes=ARRIVAL_MINUTES)
    slots, start = [], first
    while start <= last:
        # Wall-clock arithmetic in the event's zone; HCMC has no DST, other zones may skip a slot.
        slots.append({"starts_at": start.isoformat(timespec="minutes"),
                      "ends_at": (start + step).isoformat(timespec="minutes"),
                      "count": counted.get(start, 0)})
        start += step
    return slots


# --- workshop doors -------------------------------------------------------------------------------

def _registration_for_code(ticket_code) -> Registration:
    """The registration of a scanned or typed code (any case, spaces or dashes), its type loaded (answers
    name it). The signature is checked first: a forged or damaged code costs no query."""
    if not isinstance(ticket_code, str) or len(ticket_code) > MAX_CODE_LENGTH:
        raise NotATicket()
    try:
        code = read_ticket_code(ticket_code, ticket_key())
    except InvalidTicket:
        raise NotATicket() from None
    reg = db.session.scalar(db.select(Registration).where(Registration.ticket_code == code)
                            .options(joinedload(Registration.registration_type)))
    if reg is None:
        raise UnknownTicket()
    return reg


def _in_session(session_id: int, reg_id: int) -> bool:
    return db.session.scalar(db.select(SessionCheckIn.id).where(
        SessionCheckIn.session_id == session_id, SessionCheckIn.registration_id == reg_id)) is not None


def check_in_session(event: Event, session: EventSession, ticket_code, *, staff=None,
                     now: datetime | None = None) -> SessionCheckIn:
    """Admits the holder of a ticket at a session's door. Commits.

    Booked people (a seat held) come in; anyone else of the event, confirmed, comes in as a walk-in
    while booked + walk-ins < capacity (no capacity: no limit). The walk-in's decision is taken under
    the session row's lock (a no-op UPDATE, as seats.py's conditional UPDATEs lock it), so two doors
    scanning for the last seat admit one; the unique key (session, registration) records a person once.
    """
    reg = _registration_for_code(ticket_code)
    if reg.event_id != event.id or session.event_id != event.id:
        raise WrongEvent.for_registration(reg)
    if reg.status != RegistrationStatus.confirmed:
        raise NotConfirmed.for_registration(reg)
    session_id, reg_id = session.id, reg.id
    booked = db.session.scalar(db.select(SessionChoice.holding).where(
        SessionChoice.session_id == session_id, SessionChoice.registration_id == reg_id)) is True
    if not booked:
        db.session.execute(update(EventSession).where(EventSession.id == session_id)
                           .values(taken=EventSession.taken).execution_options(synchronize_session=False))
        if _in_session(session_id, reg_id):
            retaken = _retake_test_entry(event, session, reg, now, staff, walk_in=True)
            if retaken is not None:
                return retaken
            db.session.rollback()
            raise AlreadyInSession(registration=reg)
        taken, capacity = db.session.execute(db.select(EventSession.taken, EventSession.capacity)
                                             .where(EventSession.id == session_id)).one()
        walk_ins = db.session.scalar(db.select(func.count(SessionCheckIn.id)).where(
            SessionCheckIn.session_id == session_id, SessionCheckIn.walk_in.is_(True))) or 0
        if capacity is not None and taken + walk_ins >= capacity:
            db.session.rollback()
            raise SessionFull(registration=reg)
    entry = SessionCheckIn(session_id=session_id, registration_id=reg_id, checked_in_at=now or utcnow(),
                           staff_id=getattr(staff, "id", None), walk_in=not booked)
    db.session.add(entry)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same person at another door a moment ago: the unique key refused ours
        if not _in_session(session_id, reg_id):
            raise
        retaken = _retake_test_entry(event, session, reg, now, staff, walk_in=not booked)
        if retaken is not None:
            return retaken
        raise AlreadyInSession(registration=reg) from None
    entry.registration = reg
    return entry


def _retake_test_entry(event: Event, session: EventSession, reg, now: datetime | None, staff, *,
                       walk_in: bool) -> SessionCheckIn | None:
    """The person's entry made on another day than the session's (a test of the door), moved to now when
    now is the session's day – else None. A person is recorded once per session, and a test scan the day
    before must not turn the real entry into "already in" and cost them the workshop's certificate."""
    now = now or utcnow()
    session_day = event_day(event, session.starts_at)
    entry = db.session.scalar(db.select(SessionCheckIn).where(
        SessionCheckIn.session_id == session.id, SessionCheckIn.registration_id == reg.id))
    if (entry is None or event_day(event, now) != session_day
            or event_day(event, entry.checked_in_at) == session_day):
        return None
    # A walk-in's seat was counted from the test entry (the lock of check_in_session's walk-in path is held).
    entry.checked_in_at, entry.staff_id, entry.walk_in = now, getattr(staff, "id", None), walk_in
    db.session.commit()
    entry.registration = reg
    return entry


def session_attendance(session: EventSession) -> dict:
    """`booked` (seats held), `checked_in` (people scanned in, walk-ins included) and `walk_ins`."""
    booked = db.session.scalar(db.select(func.count()).select_from(SessionChoice).where(
        SessionChoice.session_id == session.id, SessionChoice.holding.is_(True))) or 0
    checked_in, walk_ins = db.session.execute(
        db.select(func.count(SessionCheckIn.id), func.count(case((SessionCheckIn.walk_in.is_(True),
                                                                  SessionCheckIn.id))))
        .where(SessionCheckIn.session_id == session.id)).one()
    return {"booked": booked, "checked_in": checked_in or 0, "walk_ins": walk_ins or 0}
