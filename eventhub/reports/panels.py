"""What reports shows on the event page: the summary report, for the event's organizers."""

from __future__ import annotations

from .. import permissions


def event_organizer(event, user) -> dict | None:
    """The link to the event's summary report, for those who may read it."""
    return {"event": event} if permissions.can_view_event_report(user, event) else None
