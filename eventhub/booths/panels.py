"""What booths shows on the event page: the floor map, the directory and, for startups, applying."""

from __future__ import annotations

from .. import permissions


def event_links(event, user) -> dict:
    """The visitors' links, and the application's for those who may apply."""
    return {"event": event, "may_apply": permissions.can_apply_for_booth(user, event)}
