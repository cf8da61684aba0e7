"""What booths shows on the event page: the floor map, the directory and, for startups, applying."""

from __future__ import annotations

from .. import permissions
from . import queries


def event_links(event, user) -> dict:
    """The visitors' links (the floor map's once it is published), and the application's for those who
    may apply."""
    return {"event": event, "may_apply": permissions.can_apply_for_booth(user, event),
            "has_map": queries.has_floor_plan(event)}
