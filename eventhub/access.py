"""What a page's URL names, and who may open it: the same 404 and 403 answers for every blueprint.

Ids come from `<int:…>` in the URL, which the converter (converters.py) bounds to the id range, so a
lookup here never needs to check the range again.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from . import permissions
from .events.models import Event
from .events.services import get_event
from .extensions import db


def managed_event(slug: str, predicate=permissions.can_manage_event) -> Event:
    """The event at `slug` if `predicate(current_user, event)` allows it: 404 for no such event, else 403."""
    event = get_event(slug)
    if not predicate(current_user, event):
        abort(403)
    return event


def get_or_404(model, object_id: int, *, event: Event | None = None):
    """The `model` row with this id; 404 when there is none, or when it belongs to another `event`."""
    found = db.session.get(model, object_id)
    if found is None or (event is not None and found.event_id != event.id):
        abort(404)
    return found
