"""Outcomes: after a meeting each side marks it held or not, with an optional follow-up stage and a
private note. Organizers see counts, never the notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, update

from ..audit.services import record
from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db
from ..validation import FieldErrors
from .errors import MeetingCancelled, NotParticipant
from .figures import outcome_counts
from .models import FollowUp, Meeting, MeetingStatus, Profile

MAX_NOTE = 2000


def record_outcome(meeting: Meeting, profile: Profile, *, held: Any, stage: Any = None, note: Any = None,
                   now: datetime | None = None) -> Meeting:
    """One side's account of a meeting; the meeting's time does not restrict it. Commits."""
    side = meeting.side_of(profile)
    if side is None:
        raise NotParticipant()
    errors = FieldErrors()
    if not isinstance(held, bool):
        errors.add("held", _("Enter true or false."))
    if stage in ("", None):
        stage = None
    elif not isinstance(stage, str) or stage not in FollowUp.__members__:
        errors.add("stage", _("Choose one of: %(choices)s", choices=", ".join(FollowUp.__members__)))
    elif held is False:
        errors.add("stage", _("A meeting that did not take place has no follow-up."))
    if note is not None and not isinstance(note, str):
        errors.add("note", _("Enter text."))
    elif note is not None and len(note) > MAX_NOTE:
        errors.add("note", _("At most %(n)d characters.", n=MAX_NOTE))
    errors.raise_if_any()
    # The row as it is now, locked: the other side's answer or a cancellation at the same moment is
    # read, not overwritten (the follow-up stage depends on both sides' answers).
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(sequence=Meeting.sequence)
                       .execution_options(synchronize_session=False))
    meeting = db.session.scalars(db.select(Meeting).where(Meeting.id == meeting.id).with_for_update()
                                 .execution_options(populate_existing=True)).one()
    if meeting.status == MeetingStatus.cancelled:
        db.session.rollback()
        raise MeetingCancelled()
    setattr(meeting, f"{side}_held", held)
    if stage is not None:
        meeting.stage = FollowUp(stage)
    elif not meeting.held:  # neither side says it took place: no follow-up either
        meeting.stage = None
    if note is not None:
        setattr(meeting, f"{side}_note", note.strip())
    meeting.outcome_at = now or utcnow()
    record("matchmaking.outcome", meeting, actor=profile.user, event=meeting.event,
           changes={"side": side, "held": held, "stage": stage})  # never the note
    db.session.commit()
    return meeting


def summary(event: Event) -> dict[str, Any]:
    """Organizers' counts: meetings, how many held, not held, not reported; held by stage."""
    scheduled = db.session.scalar(db.select(func.count(Meeting.id)).where(
        Meeting.event_id == event.id, Meeting.status == MeetingStatus.scheduled)) or 0
    held = db.session.scalar(db.select(func.count(Meeting.id)).where(
        Meeting.event_id == event.id, Meeting.held)) or 0
    reported = db.session.scalar(db.select(func.count(Meeting.id)).where(
        Meeting.event_id == event.id, Meeting.status == MeetingStatus.scheduled,
        Meeting.investor_held.is_not(None) | Meeting.startup_held.is_not(None))) or 0
    cancelled = db.session.scalar(db.select(func.count(Meeting.id)).where(
        Meeting.event_id == event.id, Meeting.status == MeetingStatus.cancelled)) or 0
    return {"scheduled": scheduled, "held": held, "not_held": reported - held,
            "not_reported": scheduled - reported, "cancelled": cancelled,
            "by_stage": outcome_counts(event.id)}

