"""What booths shows on the event page: the floor map, the directory and, for startups, applying."""

from __future__ import annotations

from sqlalchemy import bindparam

from .. import permissions
from ..extensions import db
from . import queries
from .models import Booth


def event_links(event, user) -> dict:
    """The visitors' links (the floor map's once it is published), and the application's for those who
    may apply."""
    return {"event": event, "may_apply": permissions.can_apply_for_booth(user, event),
            "has_map": queries.has_floor_plan(event)}


# queries.has_floor_plan's question, built once: the event page asks it on every visit.
_HAS_MAP = db.select(db.exists().where(Booth.__table__.c.event_id == bindparam("event_id")))


def event_links_key(event, user) -> tuple:
    """Everything the links show (eventhub.fragments): whether the floor map is out, whether this visitor
    may apply (a flag)."""
    has_map = bool(db.session.scalar(_HAS_MAP, {"event_id": event.id}))
    return (event.id, event.slug, permissions.can_apply_for_booth(user, event), has_map)
