"""The schedule: running the scheduler, and organizers' moves, cancellations and locks by hand.

Every change of an event's schedule first locks the event's row (slots.lock_slots), so runs and
moves of one event happen one after another and each sees what the one before did; the partial
unique indexes of `meetings` would refuse a double booking even if they did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db
from . import notifications, scheduler
from .errors import MeetingCancelled, MeetingLocked, SlotBusy
from .models import Meeting, MeetingRequest, MeetingSlot, MeetingStatus, Profile, RequestStatus
from .settings import scheduler_seconds
from .slots import local_day, lock_slots, slots_of


@dataclass
class ScheduleResult:
    meetings: list[Meeting]  # every scheduled meeting of the event, kept and new
    added: list[Meeting]
    unscheduled: list[int]  # accepted request ids that found no place
    idle: int
    gaps: int


def scheduled_meetings(event: Event) -> list[Meeting]:
    return list(db.session.scalars(
        db.select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.scheduled)
        .options(selectinload(Meeting.investor), selectinload(Meeting.startup))
        .order_by(Meeting.starts_at, Meeting.table_number, Meeting.id)))


def waiting_requests(event: Event) -> list[MeetingRequest]:
    """Accepted requests that have no meeting yet (a cancelled meeting stays cancelled)."""
    return list(db.session.scalars(
        db.select(MeetingRequest).where(MeetingRequest.event_id == event.id,
                                        MeetingRequest.status == RequestStatus.accepted,
                                        ~MeetingRequest.meeting.has())
        .options(selectinload(MeetingRequest.from_profile), selectinload(MeetingRequest.to_profile))
        .order_by(MeetingRequest.id)))


def _people(*profiles: Profile) -> tuple:
    """A person is a profile and also an account: nobody is in two places at once either way."""
    return tuple(key for p in profiles for key in (("profile", p.id), ("user", p.user_id)))


def _solver_slots(event: Event, slots: list[MeetingSlot]) -> list[scheduler.Slot]:
    result, position, day = [], 0, None
    for slot in slots:  # ordered by time
        this_day = local_day(slot, event)
        position = position + 1 if this_day == day else 0
        day = this_day
        result.append(scheduler.Slot(slot.id, this_day.isoformat(), position, slot.tables))
    return result


def _state(event: Event):
    """What a run starts from, and its fingerprint (to see whether it changed meanwhile)."""
    slots = slots_of(event)
    kept = scheduled_meetings(event)
    waiting = waiting_requests(event)
    fingerprint = ([(s.id, s.tables, s.starts_at, s.ends_at) for s in slots],
                   [(m.id, m.slot_id, m.table_number) for m in kept], [r.id for r in waiting])
    return slots, kept, waiting, fingerprint


def run_scheduler(event: Event, *, actor=None, time_limit: float | None = None, notify: bool = True,
                  attempts: int = 3) -> ScheduleResult:
    """Places accepted, unscheduled requests; keeps every scheduled meeting where it is. Commits.

    The solver runs without holding any lock (it may take seconds); then the event is locked and
    the result written only if nothing it started from changed meanwhile, else it runs again.
    """
    for _attempt in range(attempts):
        db.session.rollback()  # a fresh look at the schedule
        slots, kept, waiting, fingerprint = _state(event)
        fixed = [scheduler.Fixed(m.slot_id, m.table_number, _people(m.investor, m.startup))
                 for m in kept if m.slot_id is not None]
        requests = [scheduler.Request(r.id, _people(r.from_profile, r.to_profile)) for r in waiting]
        result = scheduler.schedule(_solver_slots(event, slots), requests, fixed,
                                    time_limit=time_limit or scheduler_seconds())
        lock_slots(event)
        db.session.expire_all()
        if _state(event)[3] == fingerprint:
            break
    else:
        db.session.rollback()
        raise SlotBusy(_("The schedule keeps changing while it is being computed. Please run it again."))
    by_id = {slot.id: slot for slot in slots}
    waiting_by_id = {r.id: r for r in waiting}
    added = []
    for request_id, (slot_id, table) in sorted(result.placed.items()):
        request, slot = waiting_by_id[request_id], by_id[slot_id]
        meeting = Meeting(event_id=event.id, request_id=request.id, investor_profile_id=request.investor.id,
                          startup_profile_id=request.startup.id, slot_id=slot.id, starts_at=slot.starts_at,
                          ends_at=slot.ends_at, table_number=table, status=MeetingStatus.scheduled)
        db.session.add(meeting)
        added.append(meeting)
    try:
        db.session.flush()
    except IntegrityError as exc:  # cannot happen under the lock; say so clearly if it ever does
        db.session.rollback()
        raise SlotBusy(_("The schedule changed while it was being computed. Please run it again.")) from exc
    for meeting in added if notify else ():
        notifications.meeting_changed(meeting, "scheduled")
    record("matchmaking.scheduled", event, actor=actor, event=event,
           changes={"added": len(added), "unscheduled": len(result.unscheduled), "idle": result.idle})
    db.session.commit()
    return ScheduleResult(scheduled_meetings(event), added, result.unscheduled, result.idle, result.gaps)


def _lock_meeting(meeting: Meeting) -> Meeting:
    """The meeting's row, locked and read afresh (after the event's lock)."""
    lock_slots(meeting.event)
    return db.session.scalars(db.select(Meeting).where(Meeting.id == meeting.id)
                              .with_for_update().execution_options(populate_existing=True)).one()


def _busy_reason(meeting: Meeting, slot: MeetingSlot, table: int) -> str | None:
    others = db.session.scalars(db.select(Meeting).where(
        Meeting.slot_id == slot.id, Meeting.status == MeetingStatus.scheduled, Meeting.id != meeting.id))
    for other in others:
        if other.table_number == table:
            return _("Table %(table)d is taken at that time by %(a)s – %(b)s.", table=table,
                     a=other.investor.organization, b=other.startup.organization)
        for profile in (meeting.investor, meeting.startup):
            if profile.id in (other.investor_profile_id, other.startup_profile_id):
                return _("%(organization)s already has a meeting at that time.",
                         organization=profile.organization)
    return None


def move_meeting(meeting: Meeting, slot: MeetingSlot | None, table: int | None, *, actor=None,
                 now: datetime | None = None) -> Meeting:
    """Moves a meeting to another slot and table (organizers). Commits; both sides are told.

    Refused when locked (409 `meeting_locked`), cancelled, or when the place or either person is
    busy then (409 `slot_busy`, saying why).
    """
    if slot is None or slot.event_id != meeting.event_id:
        raise ValidationError({"slot": [_("Choose a slot of this event.")]})
    if isinstance(table, bool) or not isinstance(table, int) or not 1 <= table <= slot.tables:
        raise ValidationError({"table": [_("Choose a table from 1 to %(n)d.", n=slot.tables)]})
    meeting = _lock_meeting(meeting)
    slot = db.session.get(MeetingSlot, slot.id, populate_existing=True)
    if slot is None or table > slot.tables:
        db.session.rollback()
        raise ValidationError({"slot": [_("Choose a slot of this event.")]})
    if meeting.locked:
        db.session.rollback()
        raise MeetingLocked()
    if meeting.status == MeetingStatus.cancelled:
        db.session.rollback()
        raise MeetingCancelled()
    if meeting.slot_id == slot.id and meeting.table_number == table:
        db.session.rollback()
        return meeting
    reason = _busy_reason(meeting, slot, table)
    if reason:
        db.session.rollback()
        raise SlotBusy(reason)
    before = [meeting.starts_at.isoformat(), meeting.table_number]
    meeting.slot_id, meeting.starts_at, meeting.ends_at = slot.id, slot.starts_at, slot.ends_at
    meeting.table_number = table
    meeting.reminded_at = None  # the old time's reminder is void (its builder skips it): remind of the new
    meeting.sequence += 1
    meeting.updated_at = now or utcnow()
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise SlotBusy() from exc
    notifications.meeting_changed(meeting, "moved")
    record("matchmaking.meeting_moved", meeting, actor=actor, event=meeting.event,
           changes={"from": before, "to": [slot.starts_at.isoformat(), table]})
    db.session.commit()
    return meeting


def cancel_meeting(meeting: Meeting, *, actor=None, now: datetime | None = None) -> Meeting:
    """Cancels a meeting (organizers); its calendar entry becomes cancelled. Commits."""
    meeting = _lock_meeting(meeting)
    if meeting.locked:
        db.session.rollback()
        raise MeetingLocked()
    if meeting.status == MeetingStatus.cancelled:
        db.session.rollback()
        return meeting
    meeting.status = MeetingStatus.cancelled
    meeting.sequence += 1
    meeting.updated_at = now or utcnow()
    notifications.meeting_changed(meeting, "cancelled")
    record("matchmaking.meeting_cancelled", meeting, actor=actor, event=meeting.event)
    db.session.commit()
    return meeting


def set_locked(meeting: Meeting, locked: bool, *, actor=None) -> Meeting:
    meeting = _lock_meeting(meeting)
    meeting.locked = bool(locked)
    record("matchmaking.meeting_locked" if locked else "matchmaking.meeting_unlocked", meeting,
           actor=actor, event=meeting.event)
    db.session.commit()
    return meeting


def meetings_of(profile: Profile, *, include_cancelled: bool = False) -> list[Meeting]:
    """A person's meetings, earliest first."""
    stmt = (db.select(Meeting).where((Meeting.investor_profile_id == profile.id)
                                     | (Meeting.startup_profile_id == profile.id))
            .options(selectinload(Meeting.investor), selectinload(Meeting.startup))
            .order_by(Meeting.starts_at, Meeting.id))
    if not include_cancelled:
        stmt = stmt.where(Meeting.status == MeetingStatus.scheduled)
    return list(db.session.scalars(stmt))
