"""iCalendar files: an event's agenda and a registrant's own sessions."""

from __future__ import annotations

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..dbtypes import utcnow
from ..urls import calendar_uid


def sessions_ics(sessions, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//EventHub//Ho Chi Minh City//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = utcnow()
    for session in sessions:
        item = CalendarEvent()
        item.add("uid", calendar_uid("session", session.id))  # never the Host header: one entry per session
        item.add("dtstamp", stamp)
        item.add("dtstart", session.starts_at)
        item.add("dtend", session.ends_at)
        item.add("summary", session.title)
        if session.room:
            item.add("location", session.room)
        description = session.description or ""
        if session.speakers:
            description = (", ".join(session.speakers) + "\n\n" + description).strip()
        if description:
            item.add("description", description)
        calendar.add_component(item)
    return calendar.to_ical()
