"""What registration shows on the event page, its data loaded here so the template runs no query."""

from __future__ import annotations

from . import catalog


def event_page(event, user) -> dict | None:
    """The Register section: the event's types with places left, and whether it has an agenda."""
    types = catalog.types_of(event)
    has_agenda = bool(catalog.sessions_of(event))
    if not types and not has_agenda:
        return None
    return {"event": event, "types": types, "has_agenda": has_agenda}
