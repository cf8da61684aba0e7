"""What booths shows on the event page: the floor map, the directory and, for startups, applying."""

from __future__ import annotations

from .. import permissions
from ..extensions import db
from . import queries
from .models import Booth


def event_links(event, user) -> dict:
    """The visitors' links (the floor map's once it is published), and the application's for those who
    may apply."""
    return {"event": event, "may_apply": permissions.can_apply_for_booth(user, event),
            "has_map": queries.has_floor_plan(event)}


def event_links_key_data(event_id) -> tuple:
    """What the links show that is stored, as SQL of the event's id (hooks.Panel.key_data): whether the floor
    map is out (queries.has_floor_plan's question)."""
    return (db.exists().where(Booth.__table__.c.event_id == event_id),)


def event_links_key(event, user, data: tuple) -> tuple:
    """Everything the links show (eventhub.fragments): whether the floor map is out (`data`), whether this
    visitor may apply (a flag)."""
    return (event.id, event.slug, permissions.can_apply_for_booth(user, event), bool(data[0]))
