"""Check-in without a network: the offline kit a desk keeps, and the batch of scans it sends back.

api.md, "Check-in without a network": a scan is judged as of its `scanned_at` (its day is that time's
day in the event's zone). Of several scans of one ticket on one day – from any device, arriving in any
order – the earliest `scanned_at` is the check-in; the others are `already_checked_in` with its time and
gate. So a check-in made online at 09:05 is moved to an offline scan of 08:50 synced later (its time,
gate and staff become the scan's), and resending a batch records nothing new and answers the same.

"Once per day" stays held by the partial unique index of `checkins`; "the earliest wins" by a
conditional UPDATE (`… WHERE checked_in_at > :scanned_at`), which the database applies atomically:
two batches with the same ticket at once end with one check-in, the earliest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import tuple_, update
from sqlalchemy.exc import IntegrityError

from ..dbtypes import utcnow
from ..errors import EventHubError
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus, RegistrationType
from ..registration.tickets import InvalidTicket, read_ticket_code, ticket_key
from .errors import AlreadyCheckedIn, NotATicket, NotConfirmed, UnknownTicket, WrongEvent
from .models import CheckIn
from .services import MAX_CODE_LENGTH, clean_gate, event_day

MAX_BATCH = 1000
FUTURE_TOLERANCE = timedelta(minutes=5)
INVALID_SCAN = "invalid_scan"
OK = "ok"


class BatchTooLarge(EventHubError):
    """`413 too_large`: more scans than one batch may carry; the desk sends its queue in parts."""

    status = 413
    code = "too_large"
    default_message = _l("Too many scans in one batch: send at most 1,000 at a time.")


def fingerprint(ticket_code: str) -> str:
    """The lowercase hex SHA-256 of the ticket code as the registration API gives it (UTF-8)."""
    return hashlib.sha256(ticket_code.encode("utf-8")).hexdigest()


def _local(moment: datetime, event: Event) -> str:
    return moment.astimezone(event.tz).isoformat(timespec="seconds")


def offline_kit(event: Event, *, now: datetime | None = None) -> dict:
    """What a desk needs to admit people while the network is down: two queries, whatever the size.

    Confirmed registrations only, each with a fingerprint of its ticket, never the code itself, nor
    e-mails or phones; and the live check-ins of the event (every day), so the desk knows who is in.
    """
    now = now or utcnow()
    people = db.session.execute(
        db.select(Registration.id, Registration.full_name, RegistrationType.code, Registration.organization,
                  Registration.ticket_code)
        .join(RegistrationType, RegistrationType.id == Registration.registration_type_id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed,
               Registration.ticket_code.is_not(None))
        .order_by(Registration.id))
    checkins = db.session.execute(
        db.select(CheckIn.registration_id, CheckIn.day, CheckIn.gate, CheckIn.checked_in_at)
        .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None))
        .order_by(CheckIn.checked_in_at, CheckIn.id))
    return {
        "generated_at": _local(now, event),
        "event": {"slug": event.slug, "timezone": event.timezone},
        "registrations": [{"id": reg_id, "full_name": name, "type": type_code, "organization": organization,
                           "ticket_fingerprint": fingerprint(code)}
                          for reg_id, name, type_code, organization, code in people],
        "checkins": [{"registration_id": reg_id, "day": day.isoformat(), "gate": gate,
                      "checked_in_at": _local(at, event)}
                     for reg_id, day, gate, at in checkins],
    }


# --- the batch ------------------------------------------------------------------------------------

def read_scanned_at(value, now: datetime) -> datetime | None:
    """The scan's moment (ISO 8601 with an offset), or None when missing, unreadable or more than five
    minutes ahead of the server's clock."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None  # a wall-clock time without its zone could be any of 24 moments
    if moment - now > FUTURE_TOLERANCE:
        return None
    return moment


def _read_code(value) -> str | None:
    if not isinstance(value, str) or len(value) > MAX_CODE_LENGTH:
        return None
    try:
        return read_ticket_code(value, ticket_key())
    except InvalidTicket:
        return None


def wins(candidate: tuple[datetime, int], current: tuple[datetime, int] | None) -> bool:
    """Who is the check-in of a ticket and day: the earliest scan; at the same moment, the one seen first.

    Each side is (moment, order of arrival); `current` None means nobody yet.
    """
    return current is None or candidate < current


@dataclass
class _Scan:
    index: int
    sent: object  # the ticket code as the scan carried it, answered back as it came
    code: str | None  # canonical, when genuine
    gate: str
    at: datetime | None
    result: str | None = None
    key: tuple[int, date] | None = None


def _refusal_code(reg: Registration | None, event: Event) -> str | None:
    if reg is None:
        return UnknownTicket.code
    if reg.event_id != event.id:
        return WrongEvent.code
    if reg.status != RegistrationStatus.confirmed:
        return NotConfirmed.code
    return None


def check_in_batch(event: Event, scans: list[dict], *, device: str = "", staff=None,
                   now: datetime | None = None) -> list[dict]:
    """Decides a batch of scans made offline (at most MAX_BATCH; the route refuses more). Commits.

    Returns one result per scan, in order: `{"ticket_code","result","checked_in_at"?,"gate"?}`.
    `device` names the scanner; check-ins have no column for it yet, so it is not stored.
    """
    now = now or utcnow()
    staff_id = getattr(staff, "id", None)
    read: list[_Scan] = []
    for index, scan in enumerate(scans):
        code = _read_code(scan.get("ticket_code"))
        gate = clean_gate(scan.get("gate") or "")
        at = read_scanned_at(scan.get("scanned_at"), now)
        item = _Scan(index, scan.get("ticket_code"), code, gate, at)
        if code is None:
            item.result = NotATicket.code
        elif at is None:
            item.result = INVALID_SCAN
        read.append(item)

    codes = {s.code for s in read if s.result is None}
    regs = {reg.ticket_code: reg for reg in db.session.scalars(
        db.select(Registration).where(Registration.ticket_code.in_(codes)))} if codes else {}
    # The earliest scan of each ticket and day in this batch: the only one that may become the check-in.
    best: dict[tuple[int, date], _Scan] = {}
    for item in read:
        if item.result is not None:
            continue
        reg = regs.get(item.code)
        refusal = _refusal_code(reg, event)
        if refusal:
            item.result = refusal
            continue
        item.key = (reg.id, event_day(event, item.at))
        current = best.get(item.key)
        if wins((item.at, item.index), (current.at, current.index) if current else None):
            best[item.key] = item

    if best:
        _record(event, list(best.values()), staff_id)
        db.session.commit()
    return _answers(event, read, best)


def _live(keys) -> dict[tuple[int, date], CheckIn]:
    keys = list(keys)
    found: dict[tuple[int, date], CheckIn] = {}
    for start in range(0, len(keys), 400):  # a bounded IN list per query
        chunk = keys[start:start + 400]
        for checkin in db.session.scalars(db.select(CheckIn).where(
                tuple_(CheckIn.registration_id, CheckIn.day).in_(chunk), CheckIn.undone_at.is_(None))):
            found[(checkin.registration_id, checkin.day)] = checkin
    return found


def _move_earlier(checkin_id: int, item: _Scan, staff_id: int | None) -> None:
    """The check-in becomes this earlier scan's – only if it is still later (atomic against other batches)."""
    db.session.execute(
        update(CheckIn).where(CheckIn.id == checkin_id, CheckIn.undone_at.is_(None),
                              CheckIn.checked_in_at > item.at)
        .values(checked_in_at=item.at, gate=item.gate, staff_id=staff_id)
        .execution_options(synchronize_session=False))


def _record(event: Event, winners: list[_Scan], staff_id: int | None) -> None:
    """Inserts the check-ins of the tickets and days that have none, and moves later ones earlier."""
    existing = _live(w.key for w in winners)
    new = [w for w in winners if w.key not in existing]
    for w in winners:
        if w.key in existing and existing[w.key].checked_in_at > w.at:
            _move_earlier(existing[w.key].id, w, staff_id)
    if not new:
        return
    rows = [{"event_id": event.id, "registration_id": w.key[0], "day": w.key[1], "checked_in_at": w.at,
             "gate": w.gate, "staff_id": staff_id} for w in new]
    try:
        with db.session.begin_nested():
            db.session.execute(db.insert(CheckIn), rows)
        return
    except IntegrityError:
        pass  # another device's batch (or a gate) checked one of them in a moment ago: one by one
    for w, row in zip(new, rows, strict=True):
        try:
            with db.session.begin_nested():
                db.session.execute(db.insert(CheckIn), [row])
        except IntegrityError:
            theirs = _live([w.key]).get(w.key)
            if theirs is not None and theirs.checked_in_at > w.at:
                _move_earlier(theirs.id, w, staff_id)


def _answers(event: Event, read: list[_Scan], best: dict[tuple[int, date], _Scan]) -> list[dict]:
    db.session.expire_all()
    final = _live(best) if best else {}
    results = []
    for item in read:
        answer = {"ticket_code": item.sent if isinstance(item.sent, str) else None, "result": item.result}
        if item.key is not None:
            checkin = final.get(item.key)
            if checkin is None:  # undone between our write and this read: say what we did
                answer["result"] = OK if best[item.key] is item else AlreadyCheckedIn.code
                answer.update(checked_in_at=_local(best[item.key].at, event), gate=best[item.key].gate)
            else:
                mine = (best[item.key] is item and checkin.checked_in_at == item.at
                        and checkin.gate == item.gate)
                answer["result"] = OK if mine else AlreadyCheckedIn.code
                answer.update(checked_in_at=_local(checkin.checked_in_at, event), gate=checkin.gate)
        results.append(answer)
    return results
