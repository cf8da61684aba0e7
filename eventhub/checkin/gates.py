"""Which events a person may work the gate of now: the staff menu's "Check-in desk" leads here."""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import permissions
from ..accounts.models import Role
from ..events.models import Event
from ..extensions import db
from .days import DURING, day_phase

RECENT = timedelta(days=1)  # an event that ended yesterday still shows (late scans, undoing a mistake)


def events_at_the_gate(user, now: datetime) -> list[Event]:
    """The events not over (or just over) whose desk this person may use, soonest first."""
    stmt = db.select(Event).where(Event.ends_at >= now - RECENT).order_by(Event.starts_at, Event.id)
    if user.role not in (Role.staff, Role.organizer):
        granted = {grant.event_id for grant in user.event_roles}
        stmt = stmt.where(Event.id.in_(granted))
    return [event for event in db.session.scalars(stmt) if permissions.can_check_in(user, event)]


def under_way(events: list[Event], now: datetime) -> list[Event]:
    """The events whose day it is, in each one's time zone (as the check-in cockpit counts): the desk opens
    before the doors, so staff at 07:30 for an 08:00 start, or after the last session, land on it."""
    return [event for event in events if day_phase(event, now.astimezone(event.tz).date()) == DURING]
