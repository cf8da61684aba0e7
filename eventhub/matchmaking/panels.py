"""What matchmaking shows on the event page: the way in, for investors and startups."""

from __future__ import annotations

from .. import permissions


def event_link(event, user) -> dict | None:
    """The link to matchmaking, for those who may hold a profile."""
    return {"event": event} if permissions.can_have_match_profile(user, event) else None
