"""What registration shows on the event page, its data loaded here so the template runs no query."""

from __future__ import annotations

from .. import fragments
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


_types = RegistrationType.__table__.c
_sessions = EventSession.__table__.c


def event_page_key_data(event_id) -> tuple:
    """What the Register section shows that is stored, as SQL of the event's id (hooks.Panel.key_data): each
    type's columns the template reads (places left follow from capacity and taken; position and id give
    the order), and whether there is an agenda."""
    types = (db.select(fragments.json_rows(_types.position, _types.id, _types.code, _types.name,
                                           _types.description, _types.capacity, _types.taken,
                                           _types.waitlist, order_by=(_types.position, _types.id)))
             .where(_types.event_id == event_id).scalar_subquery())
    return types, db.exists().where(_sessions.event_id == event_id)


def event_page_key(event, user, data: tuple) -> tuple:
    """Everything the Register section shows (eventhub.fragments): the event's columns it reads and
    `data` (event_page_key_data's values) – the same for every visitor."""
    types, has_agenda = data
    return (event.id, event.slug, event.registration_open, bool(has_agenda), types)


def has_sessions(event) -> bool:
    return bool(db.session.scalar(db.select(db.exists().where(_sessions.event_id == event.id))))
