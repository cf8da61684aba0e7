"""Meeting slots and tables: organizers set them for the whole event (API) or one day (the form)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, update

from ..audit.services import record
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db
from ..validation import clean_datetime
from .errors import SlotInUse
from .models import Meeting, MeetingSlot, MeetingStatus

MAX_SLOTS = 1000
MAX_TABLES = 500


def slots_of(event: Event) -> list[MeetingSlot]:
    return list(db.session.scalars(db.select(MeetingSlot).filter_by(event_id=event.id)
                                   .order_by(MeetingSlot.starts_at)))


def local_day(slot: MeetingSlot, event: Event) -> date:
    return slot.starts_at.astimezone(event.tz).date()


def _clean_tables(tables: Any) -> int:
    if isinstance(tables, bool) or not isinstance(tables, int) or not 1 <= tables <= MAX_TABLES:
        raise ValidationError({"tables": [_("Enter a number of tables from 1 to %(n)d.", n=MAX_TABLES)]})
    return tables


def _clean_slots(event: Event, slots: Any) -> list[tuple[datetime, datetime]]:
    if not isinstance(slots, list | tuple):
        raise ValidationError({"slots": [_("Enter a list.")]})
    if len(slots) > MAX_SLOTS:
        raise ValidationError({"slots": [_("At most %(n)d slots.", n=MAX_SLOTS)]})
    cleaned = []
    for index, slot in enumerate(slots):
        if not isinstance(slot, dict):
            raise ValidationError({f"slots.{index}": [_("Enter an object.")]})
        starts = clean_datetime(slot.get("starts_at"), event.tz, f"slots.{index}.starts_at")
        ends = clean_datetime(slot.get("ends_at"), event.tz, f"slots.{index}.ends_at")
        if ends <= starts:
            raise ValidationError({f"slots.{index}.ends_at": [_("The end must be after the start.")]})
        cleaned.append((starts, ends))
    cleaned.sort()
    for (s1, e1), (s2, _e2) in pairwise(cleaned):
        if s2 < e1:
            raise ValidationError({"slots": [_("Slots must not overlap: %(a)s and %(b)s do.",
                                               a=s1.astimezone(event.tz).strftime("%d/%m/%Y %H:%M"),
                                               b=s2.astimezone(event.tz).strftime("%d/%m/%Y %H:%M"))]})
    return cleaned


def meeting_counts(event: Event) -> dict[int, tuple[int, int]]:
    """{slot id: (scheduled meetings, highest table used)}."""
    rows = db.session.execute(db.select(Meeting.slot_id, func.count(Meeting.id),
                                        func.max(Meeting.table_number))
                              .where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.scheduled)
                              .group_by(Meeting.slot_id))
    return {slot_id: (count, top) for slot_id, count, top in rows}


def lock_slots(event: Event) -> None:
    """Locks the event's row until commit (a no-op UPDATE; on SQLite, the write lock): slot changes,
    scheduler runs and moves of one event's meetings happen one after another, and each sees what
    the one before it did."""
    db.session.execute(update(Event).where(Event.id == event.id).values(updated_at=Event.updated_at)
                       .execution_options(synchronize_session=False))


def set_slots(event: Event, slots: Any, tables: Any, *, day: date | None = None, actor=None
              ) -> list[MeetingSlot]:
    """Replaces the event's slots (or only those of one local `day`) and their tables. Commits.

    Slots that keep their times keep their meetings; removing a slot that holds meetings, or
    giving it fewer tables than a meeting's table number, is refused (409 `slot_in_use`).
    """
    tables = _clean_tables(tables)
    wanted = _clean_slots(event, slots)
    if day is not None and any(s.astimezone(event.tz).date() != day for s, _e in wanted):
        raise ValidationError({"slots": [_("Every slot must be on the chosen day.")]})
    lock_slots(event)
    existing = slots_of(event)
    if day is not None:
        others = [s for s in existing if local_day(s, event) != day]
        existing = [s for s in existing if local_day(s, event) == day]
        everything = sorted([(s.starts_at, s.ends_at) for s in others] + wanted)
        for (_s1, e1), (s2, _e2) in pairwise(everything):
            if s2 < e1:
                db.session.rollback()
                raise ValidationError({"slots": [_("These slots overlap slots of another day.")]})
    used = meeting_counts(event)
    keep = {(s.starts_at, s.ends_at): s for s in existing}
    removed = [s for key, s in keep.items() if key not in set(wanted)]
    for slot in removed + [s for key, s in keep.items() if key in set(wanted)]:
        count, top = used.get(slot.id, (0, 0))
        if count and (slot in removed or top > tables):
            db.session.rollback()
            when = slot.starts_at.astimezone(event.tz).strftime("%d/%m/%Y %H:%M")
            raise SlotInUse(_("The slot at %(when)s holds %(n)d meetings: move or cancel them first.",
                              when=when, n=count))
    if removed:
        db.session.execute(delete(MeetingSlot).where(MeetingSlot.id.in_([s.id for s in removed]))
                           .execution_options(synchronize_session=False))
        for slot in removed:
            db.session.expunge(slot)
    for slot in keep.values():
        if slot not in removed:
            slot.tables = tables
    db.session.flush()
    for starts, ends in wanted:
        if (starts, ends) not in keep:
            db.session.add(MeetingSlot(event_id=event.id, starts_at=starts, ends_at=ends, tables=tables))
    record("matchmaking.slots_set", event, actor=actor, event=event,
           changes={"slots": len(wanted), "tables": tables, "removed": len(removed),
                    "day": day.isoformat() if day else None})
    db.session.commit()
    return slots_of(event)


def day_slots(event: Event, day: date, start: time, end: time, minutes: int) -> list[dict[str, datetime]]:
    """Back-to-back slots of `minutes` from `start` to `end` on a local `day` (the form's generator)."""
    if not isinstance(minutes, int) or not 5 <= minutes <= 240:
        raise ValidationError({"minutes": [_("Enter from 5 to 240 minutes.")]})
    first = datetime.combine(day, start, tzinfo=event.tz)
    last = datetime.combine(day, end, tzinfo=event.tz)
    if last <= first:
        raise ValidationError({"end": [_("The end must be after the start.")]})
    step = timedelta(minutes=minutes)
    result = []
    while first + step <= last:
        result.append({"starts_at": first, "ends_at": first + step})
        first += step
    if not result:
        raise ValidationError({"minutes": [_("No meeting fits between the start and the end.")]})
    return result
