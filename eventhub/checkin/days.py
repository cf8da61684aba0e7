"""Check-ins on the event's own days, and test scans outside them.

api.md lets a ticket be checked in on any date ("organizers test their scanners beforehand"), so a
scan eight days before the event is a real check-in row – but not an attendance. The event's days are
the dates, in its time zone, from its start to its end; a check-in's `day` is in the same zone, so the
comparison is a plain date range per event. It is computed from the event's dates at the time of asking
(nothing is stored per check-in), so moving an event's dates moves which scans count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement

from ..events.models import Event
from ..extensions import db
from .models import CheckIn

BEFORE, DURING, AFTER = "before_event", "event_day", "after_event"


def event_dates(event: Event) -> tuple[date, date]:
    """The first and last day of the event, in its time zone."""
    return event.local_starts_at.date(), event.local_ends_at.date()


def day_phase(event: Event, day: date) -> str:
    """`before_event`, `event_day` or `after_event`: where `day` (event time) falls."""
    first, last = event_dates(event)
    return BEFORE if day < first else AFTER if day > last else DURING


def _condition(ranges: Iterable[tuple[int, date, date]]) -> ColumnElement[bool]:
    parts = [and_(CheckIn.event_id == event_id, CheckIn.day.between(first, last))
             for event_id, first, last in ranges]
    return or_(*parts) if parts else false()


def on_event_days(*events: Event) -> ColumnElement[bool]:
    """SQL: the check-in is of one of `events` and on one of that event's days."""
    return _condition((event.id, *event_dates(event)) for event in events)


def on_event_days_of_ids(event_ids: Iterable[int]) -> ColumnElement[bool]:
    """As on_event_days, for events known by id (the report's figures): one small query for the dates."""
    ids = list(event_ids)
    rows = db.session.execute(db.select(Event.id, Event.starts_at, Event.ends_at, Event.timezone)
                              .where(Event.id.in_(ids))) if ids else []
    return _condition((event_id, start.astimezone(ZoneInfo(tz)).date(), end.astimezone(ZoneInfo(tz)).date())
                      for event_id, start, end, tz in rows)
