"""What registration shows on the event page, its data loaded here so the template runs no query."""

from __future__ import annotations

from sqlalchemy import bindparam

from ..extensions import db
from . import catalog
from .models import EventSession, RegistrationType


def event_page(event, user) -> dict | None:
    """The Register section: the event's types with places left, and whether it has an agenda."""
    types = catalog.types_of(event)
    has_agenda = has_sessions(event)
    if not types and not has_agenda:
        return None
    return {"event": event, "types": types, "has_agenda": has_agenda}


# Built once, of table columns (plain rows, no objects): building a statement per request costs more
# than SQLite takes to answer it.
_types = RegistrationType.__table__.c
_HAS_SESSIONS = db.exists().where(EventSession.__table__.c.event_id == bindparam("event_id"))
_SHOWN_TYPES = (db.select(_types.id, _types.code, _types.name, _types.description, _types.capacity,
                          _types.taken, _types.waitlist, _HAS_SESSIONS.label("has_agenda"))
                .where(_types.event_id == bindparam("event_id"))
                .order_by(_types.position, _types.id))


def event_page_key(event, user) -> tuple:
    """Everything the Register section shows (eventhub.fragments), in one lean query: each type's
    columns the template reads (places left follow from capacity and taken) and whether there is an
    agenda – the same for every visitor."""
    rows = db.session.execute(_SHOWN_TYPES, {"event_id": event.id}).all()
    has_agenda = rows[0].has_agenda if rows else has_sessions(event)
    return (event.id, event.slug, event.registration_open, bool(has_agenda),
            tuple(tuple(row[:7]) for row in rows))


def has_sessions(event) -> bool:
    return bool(db.session.scalar(db.select(_HAS_SESSIONS), {"event_id": event.id}))
