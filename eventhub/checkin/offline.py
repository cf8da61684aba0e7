"""Check-in without a network: the offline kit a desk keeps, and the batch of scans it sends back.

api.md, "Check-in without a network": a scan is judged as of its `scanned_at` (its day is that time's
day in the event's zone). Of several scans of one ticket on one day – from any device, arriving in any
order – the earliest `scanned_at` is the check-in; the others are `already_checked_in` with its time and
gate. So a check-in made online at 09:05 is moved to an offline scan of 08:50 synced later (its time,
gate, device and staff become the scan's, and the audit log says so), and resending a batch records
nothing new and answers the same.

"Once per day" stays held by the partial unique index of `checkins`; "the earliest wins" by a
conditional UPDATE (`… WHERE checked_in_at > :scanned_at`), which the database applies atomically:
two batches with the same ticket at once end with one check-in, the earliest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import tuple_, update
from sqlalchemy.exc import IntegrityError, OperationalError

from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import EventHubError, ValidationError
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus, RegistrationType
from ..registration.tickets import InvalidTicket, read_ticket_code, ticket_key
from .days import event_dates
from .errors import AlreadyCheckedIn, NotATicket, NotConfirmed, UnknownTicket, WrongEvent
from .models import CheckIn
from .services import MAX_CODE_LENGTH, clean_gate, event_day

MAX_BATCH = 1000
DEADLOCK_ATTEMPTS = 3
RETRYABLE = {"40P01", "40001"}  # PostgreSQL's deadlock_detected and serialization_failure
MAX_DEVICE_LENGTH = 60  # the column's size, as a gate's
FUTURE_TOLERANCE = timedelta(minutes=5)
# Scanners are tried out in the days before an event (test scans, eventhub.checkin.days); a scan dated
# further back comes from a device whose clock is wrong, and is `invalid_scan`.
SCANNER_TESTS_BEFORE = timedelta(days=30)
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
    first, last = event_dates(event)
    return {
        "generated_at": _local(now, event),
        # The event's first and last day (its zone): a scan outside them is a test scan (days.py), which
        # the desk shows amber offline as online.
        "event": {"slug": event.slug, "timezone": event.timezone,
                  "first_day": first.isoformat(), "last_day": last.isoformat()},
        "registrations": [{"id": reg_id, "full_name": name, "type": type_code, "organization": organization,
                           "ticket_fingerprint": fingerprint(code)}
                          for reg_id, name, type_code, organization, code in people],
        "checkins": [{"registration_id": reg_id, "day": day.isoformat(), "gate": gate,
                      "checked_in_at": _local(at, event)}
                     for reg_id, day, gate, at in checkins],
    }


# --- the batch ------------------------------------------------------------------------------------

def clean_device(device) -> str:
    """The scanner's name cleaned as a gate's is (control characters out, white space collapsed);
    longer than 60 characters → ValidationError on `device`."""
    try:
        return clean_gate(device)
    except ValidationError:
        raise ValidationError({"device": [_("At most %(n)d characters.", n=MAX_DEVICE_LENGTH)]}) from None


def read_scanned_at(value, now: datetime, earliest: datetime | None = None) -> datetime | None:
    """The scan's moment (ISO 8601 with an offset), or None when missing, unreadable, more than five
    minutes ahead of the server's clock, or before `earliest` (a phone whose clock went back to 1970
    would otherwise record check-ins on days that never clash with the real ones)."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is None or moment.utcoffset() is None:
            return None  # a wall-clock time without its zone could be any of 24 moments
        moment = moment.astimezone(UTC)  # year 1 at +14:00 is before year 1 in UTC: OverflowError
    except (ValueError, OverflowError):
        return None
    if moment - now > FUTURE_TOLERANCE or (earliest is not None and moment < earliest):
        return None
    return moment


def _read_gate(value) -> str | None:
    """The scan's gate, cleaned; None when it cannot be kept (that scan alone is `invalid_scan`: one bad
    scan must not hold back a desk's whole queue)."""
    try:
        return clean_gate(value or "")
    except ValidationError:
        return None


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
    `device` names the scanner; the check-ins it makes (or moves earlier) keep it.
    """
    now = now or utcnow()
    earliest = event.starts_at - SCANNER_TESTS_BEFORE
    batch = _Batch(event, clean_device(device), staff)
    read: list[_Scan] = []
    for index, scan in enumerate(scans):
        code = _read_code(scan.get("ticket_code"))
        gate = _read_gate(scan.get("gate"))
        at = read_scanned_at(scan.get("scanned_at"), now, earliest)
        item = _Scan(index, scan.get("ticket_code"), code, gate or "", at)
        if code is None:
            item.result = NotATicket.code
        elif at is None or gate is None:
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
        # In the order of (registration, day), whatever the scans' order: two desks' batches that share
        # tickets then take their rows' locks in the same order, so neither waits for the other in a cycle.
        winners = [best[key] for key in sorted(best)]
        for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
            batch = _Batch(event, batch.device, staff)
            try:
                _record(batch, winners)
                _audit_batch(batch, read)
                db.session.commit()
                break
            except OperationalError as exc:
                # A third desk's check-in committed between our look and our insert can still close a
                # cycle of locks on PostgreSQL; the batch is idempotent, so it is decided again.
                db.session.rollback()
                if attempt == DEADLOCK_ATTEMPTS or getattr(exc.orig, "sqlstate", None) not in RETRYABLE:
                    raise
    return _answers(event, read, best)


@dataclass
class _Batch:
    """Who sends the batch, from which device, and what it changed (for the audit log)."""

    event: Event
    device: str
    staff: object
    recorded: int = 0  # check-ins inserted
    moved: int = 0  # check-ins moved to an earlier scan

    @property
    def staff_id(self) -> int | None:
        return getattr(self.staff, "id", None)


def _live(keys) -> dict[tuple[int, date], CheckIn]:
    keys = list(keys)
    found: dict[tuple[int, date], CheckIn] = {}
    for start in range(0, len(keys), 400):  # a bounded IN list per query
        chunk = keys[start:start + 400]
        for checkin in db.session.scalars(db.select(CheckIn).where(
                tuple_(CheckIn.registration_id, CheckIn.day).in_(chunk), CheckIn.undone_at.is_(None))):
            found[(checkin.registration_id, checkin.day)] = checkin
    return found


def _as_they_are(ids: list[int]) -> dict[int, tuple[datetime, str, str]]:
    """(time, gate, device) of live check-ins as they are now, locked until the commit, so the audit
    names the values a move replaces, not older ones. The lock is a no-op UPDATE (as check_in_session's):
    a row lock on PostgreSQL, the one writer's lock on SQLite – where a SELECT … FOR UPDATE locks nothing."""
    found = {}
    ids = sorted(ids)  # two batches lock shared rows in the same order: no deadlock
    for start in range(0, len(ids), 400):
        chunk = ids[start:start + 400]
        db.session.execute(update(CheckIn).where(CheckIn.id.in_(chunk)).values(gate=CheckIn.gate)
                           .execution_options(synchronize_session=False))
        for checkin_id, at, gate, device in db.session.execute(
                db.select(CheckIn.id, CheckIn.checked_in_at, CheckIn.gate, CheckIn.device)
                .where(CheckIn.id.in_(chunk), CheckIn.undone_at.is_(None))):
            found[checkin_id] = (at, gate, device)
    return found


def _move_earlier(batch: _Batch, moves: list[tuple[CheckIn, _Scan]]) -> None:
    """Each check-in becomes its earlier scan's – only if it is still later (a conditional UPDATE,
    atomic against other batches) – and each move is audited with the values it replaced."""
    if not moves:
        return
    current = _as_they_are([checkin.id for checkin, _item in moves])
    connection, table = db.session.connection(), CheckIn.__table__
    moved = []
    for checkin, item in moves:
        if checkin.id not in current:
            continue  # undone meanwhile
        # Core, not the ORM: no flush of the session before each of up to 1,000 statements.
        done = connection.execute(
            table.update().where(table.c.id == checkin.id, table.c.undone_at.is_(None),
                                 table.c.checked_in_at > item.at)
            .values(checked_in_at=item.at, gate=item.gate, device=batch.device, staff_id=batch.staff_id))
        if done.rowcount == 1:  # else an earlier scan won meanwhile
            moved.append((checkin, item))
    batch.moved += len(moved)
    for checkin, item in moved:  # added after the UPDATEs: inserted together at the commit
        old_at, old_gate, old_device = current[checkin.id]
        record("checkin.moved_earlier", checkin, actor=batch.staff, event=batch.event, changes={
            "registration_id": checkin.registration_id, "day": checkin.day,
            "checked_in_at": [old_at, item.at.astimezone(UTC)], "gate": [old_gate, item.gate],
            "device": [old_device, batch.device]})


def _record(batch: _Batch, winners: list[_Scan]) -> None:
    """Inserts the check-ins of the tickets and days that have none, and moves later ones earlier."""
    existing = _live(w.key for w in winners)
    new = [w for w in winners if w.key not in existing]
    _move_earlier(batch, [(existing[w.key], w) for w in winners
                          if w.key in existing and existing[w.key].checked_in_at > w.at])
    if not new:
        return
    rows = [{"event_id": batch.event.id, "registration_id": w.key[0], "day": w.key[1], "checked_in_at": w.at,
             "gate": w.gate, "device": batch.device, "staff_id": batch.staff_id} for w in new]
    try:
        with db.session.begin_nested():
            db.session.execute(db.insert(CheckIn), rows)
        batch.recorded += len(rows)
        return
    except IntegrityError:
        pass  # another device's batch (or a gate) checked one of them in a moment ago: one by one
    for w, row in zip(new, rows, strict=True):
        try:
            with db.session.begin_nested():
                db.session.execute(db.insert(CheckIn), [row])
            batch.recorded += 1
        except IntegrityError:
            theirs = _live([w.key]).get(w.key)
            if theirs is not None and theirs.checked_in_at > w.at:
                _move_earlier(batch, [(theirs, w)])


def _audit_batch(batch: _Batch, read: list[_Scan]) -> None:
    """One entry for a batch that changed something (a batch sent again adds none): which device synced
    how many scans, and what came of them."""
    if not (batch.recorded or batch.moved):
        return
    record("checkin.batch_synced", batch.event, actor=batch.staff, event=batch.event, changes={
        "scans": len(read), "recorded": batch.recorded, "moved": batch.moved,
        "refused": sum(1 for item in read if item.result is not None),
        "device": batch.device})  # last: a technical detail after what people read


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
                # Not the device: a batch sent again answers the same, whatever name it gives now.
                mine = (best[item.key] is item and checkin.checked_in_at == item.at
                        and checkin.gate == item.gate)
                answer["result"] = OK if mine else AlreadyCheckedIn.code
                answer.update(checked_in_at=_local(checkin.checked_in_at, event), gate=checkin.gate)
        results.append(answer)
    return results
