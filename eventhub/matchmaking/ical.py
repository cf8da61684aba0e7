"""A person's meetings as iCalendar: a stable UID per meeting and a SEQUENCE that rises with every
move or cancellation, so calendars update (or strike out) the entry instead of adding another."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from itsdangerous import BadSignature, URLSafeSerializer

from ..dbtypes import utcnow
from ..urls import calendar_uid
from .models import Meeting, MeetingStatus, Profile


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="matchmaking-calendar")


def feed_token(profile: Profile) -> str:
    """The secret part of a person's calendar feed address: calendar apps subscribe without signing in."""
    return _serializer().dumps([profile.id, profile.user_id])


def read_feed_token(token: str) -> tuple[int, int] | None:
    """(profile id, account id) of a genuine feed token, else None."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        found = _serializer().loads(token)
    except BadSignature:
        return None
    if (not isinstance(found, list) or len(found) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in found)):
        return None
    return found[0], found[1]


def meeting_uid(meeting: Meeting) -> str:
    return calendar_uid("meeting", meeting.id)


def meetings_ics(profile: Profile, meetings: list[Meeting]) -> bytes:
    event = profile.event
    calendar = Calendar()
    calendar.add("prodid", "-//EventHub//Ho Chi Minh City//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Meetings: %(event)s", event=event.name))
    calendar.add("x-wr-timezone", event.timezone)
    stamp = utcnow()
    for meeting in meetings:
        other = meeting.other(profile)
        item = CalendarEvent()
        item.add("uid", meeting_uid(meeting))
        item.add("dtstamp", stamp)
        item.add("last-modified", meeting.updated_at or stamp)
        item.add("sequence", meeting.sequence)
        item.add("dtstart", meeting.starts_at)
        item.add("dtend", meeting.ends_at)
        item.add("summary", _("Meeting with %(organization)s", organization=other.organization))
        location = _("Table %(n)d", n=meeting.table_number)
        item.add("location", f"{location} – {event.venue}" if event.venue else location)
        cancelled = meeting.status == MeetingStatus.cancelled
        item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()
