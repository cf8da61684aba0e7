"""Meeting reminders: both sides of a scheduled meeting are told, once, shortly before it starts.

A sweep run each minute (`mail.periodic`) claims the due meetings with a conditional UPDATE …
RETURNING and queues the e-mails in the same transaction, so two workers sweeping at once remind
disjoint meetings and a reminder is never lost to a rollback. The e-mail is written at delivery from
the meeting as it then is: a meeting cancelled or moved since gets no reminder for the old time (a
moved meeting is reminded anew for its new time: scheduling.move_meeting clears `reminded_at`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from .. import mail
from ..dbtypes import utcnow
from ..extensions import db
from ..i18n import format_datetime, format_time
from ..mail.outbox import ERASED_DOMAIN
from ..urls import external_url
from .models import Meeting, MeetingStatus, Profile
from .notifications import render_for
from .settings import meeting_reminder_minutes

KIND = "matchmaking.reminder"
SUBJECT = _l("Reminder: meeting with %(organization)s at %(time)s")


class _Subject:
    """Translated only when rendered, in the recipient's language."""

    def __init__(self, organization: str, time: str):
        self.organization, self.time = organization, time

    def __str__(self) -> str:
        return str(SUBJECT) % {"organization": self.organization, "time": self.time}


def _due(now: datetime, minutes: int) -> tuple:
    return (Meeting.status == MeetingStatus.scheduled, Meeting.reminded_at.is_(None),
            Meeting.starts_at > now, Meeting.starts_at <= now + timedelta(minutes=minutes))


def _claim(now: datetime, minutes: int, limit: int) -> list[int]:
    """Marks up to `limit` due meetings as reminded, in one statement; returns the ids this sweep won.
    The conditions are repeated outside the subquery: a worker that waited for another's row lock
    re-checks them on the row as committed (PostgreSQL), so it skips what the other claimed."""
    due = _due(now, minutes)
    chosen = (db.select(Meeting.id).where(*due).order_by(Meeting.starts_at, Meeting.id).limit(limit)
              .scalar_subquery())
    result = db.session.execute(
        update(Meeting).where(Meeting.id.in_(chosen), *due)
        # A reminder is no change to the meeting: its updated_at (calendar LAST-MODIFIED) stays.
        .values(reminded_at=now, updated_at=Meeting.updated_at)
        .returning(Meeting.id).execution_options(synchronize_session=False))
    return sorted(result.scalars())


def _reachable(profile: Profile) -> bool:
    user = profile.user
    return user is not None and user.active and not user.email.endswith(ERASED_DOMAIN)


@mail.periodic
def queue_meeting_reminders(*, now: datetime | None = None, limit: int = 500) -> int:
    """Queues a reminder to each side of every scheduled meeting starting within
    MEETING_REMINDER_MINUTES (0 = off) that has not had one; commits per chunk of `limit` meetings.
    Returns the number of e-mails queued. One UPDATE that matches nothing when nothing is due."""
    minutes = meeting_reminder_minutes()
    if minutes <= 0:
        return 0
    now = now or utcnow()
    queued = 0
    while True:
        ids = _claim(now, minutes, limit)
        if not ids:
            db.session.commit()  # ends the (empty) transaction, as the outbox's own claim does
            return queued
        meetings = db.session.scalars(
            db.select(Meeting).where(Meeting.id.in_(ids))
            .options(selectinload(Meeting.investor).selectinload(Profile.user),
                     selectinload(Meeting.startup).selectinload(Profile.user)))
        for meeting in meetings:
            for profile in (meeting.investor, meeting.startup):
                if _reachable(profile):
                    mail.queue(KIND, to=profile.user.email, meeting_id=meeting.id, profile_id=profile.id,
                               starts_at=meeting.starts_at.isoformat())
                    queued += 1
        db.session.commit()
        if len(ids) < limit:
            return queued


@mail.builder(KIND)
def _build_reminder(meeting_id: int, profile_id: int, starts_at: str):
    """Nothing to say (None) when the meeting is gone, cancelled, or no longer at the time reminded of."""
    meeting = db.session.get(Meeting, meeting_id)
    profile = db.session.get(Profile, profile_id)
    if meeting is None or profile is None or meeting.side_of(profile) is None:
        return None
    if meeting.status != MeetingStatus.scheduled or meeting.starts_at != datetime.fromisoformat(starts_at):
        return None
    if not _reachable(profile):
        return None
    other, event = meeting.other(profile), meeting.event
    tz = event.tz
    subject = _Subject(other.organization, format_time(meeting.starts_at, tz))
    return render_for(profile, "matchmaking_reminder", subject,
                      meeting=meeting, other=other, contact=other.user.full_name if other.user else "",
                      starts=format_datetime(meeting.starts_at, tz), ends=format_time(meeting.ends_at, tz),
                      agenda_url=external_url("matchmaking.agenda_page", slug=event.slug),
                      ics_url=external_url("matchmaking.agenda_ics", slug=event.slug))
