"""The days of an event, in its own time zone: what per-day booth placements count in."""

from __future__ import annotations

from datetime import date, timedelta

MAX_DAYS = 31


def event_days(event) -> list[date]:
    first, last = event.local_starts_at.date(), event.local_ends_at.date()
    count = min((last - first).days + 1, MAX_DAYS)
    return [first + timedelta(days=n) for n in range(max(count, 1))]


def exhibitor_days(event, exhibitor) -> list[date]:
    """The days an exhibitor shows: those it chose, or every day of the event."""
    all_days = event_days(event)
    chosen = {value for value in exhibitor.days or []}
    return [d for d in all_days if d.isoformat() in chosen] if chosen else all_days
