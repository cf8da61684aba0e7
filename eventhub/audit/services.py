"""Recording and reading the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload

from ..accounts.models import EventRole, Role, User
from ..extensions import db
from .models import AuditEntry
from .words import person


def record(action: str, obj: Any, *, actor=None, event=None, changes: dict | None = None,
           object_type: str | None = None) -> AuditEntry:
    """Adds an audit entry to the session; the calling service commits it with its own change."""
    entry = AuditEntry(object_id=str(getattr(obj, "id", "") or "") or None,
                       **entry_values(action, object_type or type(obj).__name__.lower(), actor=actor,
                                      event=event, changes=changes))
    db.session.add(entry)
    return entry


def entry_values(action: str, object_type: str, *, actor=None, event=None, changes: dict | None = None,
                 now=None) -> dict[str, Any]:
    """An entry's columns but the object's id: `record`'s, and those of a service that writes its rows with a
    prebuilt statement instead of the unit of work (registration's hot path), which gives `now`."""
    values = {"action": action, "object_type": object_type, "actor_id": getattr(actor, "id", None),
              "event_id": getattr(event, "id", None), "changes": _jsonable(changes or {})}
    if now is not None:
        values["created_at"] = now
    return values


def diff(obj: Any, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for the fields whose value would change."""
    return {
        key: [getattr(obj, key), value]
        for key, value in new_values.items()
        if getattr(obj, key) != value
    }


def entries_for_event(event, *, limit: int = 200) -> list[AuditEntry]:
    stmt = (
        db.select(AuditEntry)
        .where(AuditEntry.event_id == event.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def page_for_event(event, *, page: int = 1, per_page: int = 50, prefixes: tuple[str, ...] = (),
                   actor_id: int | None = None):
    """One page of an event's log, newest first, its actors loaded with it; optionally one area's
    actions (their prefixes) or one person's."""
    stmt = (
        db.select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .where(AuditEntry.event_id == event.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if prefixes:
        stmt = stmt.where(db.or_(*[AuditEntry.action == p if not p.endswith(".")
                                   else AuditEntry.action.startswith(p, autoescape=True) for p in prefixes]))
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


# The person filter's list: enough for an event's whole team, short enough for a <select>.
MAX_ACTORS = 200
TEAM_ROLES = (Role.organizer, Role.staff, Role.judge)


def actors_of(event, *, limit: int = MAX_ACTORS) -> list[tuple[int, str]]:
    """(id, name) of the team who acted in an event's log, for the person filter (one query): people
    whose account is an organizer's, staff's or judge's, or who hold a role for this event. Registrants
    acting on their own registration are left out (a big event has thousands; the filter still takes
    their id in the URL); past `limit`, the most active are kept."""
    acted = (db.select(AuditEntry.actor_id.label("user_id"), db.func.count().label("entries"))
             .where(AuditEntry.event_id == event.id, AuditEntry.actor_id.is_not(None))
             .group_by(AuditEntry.actor_id).subquery())
    event_role = db.select(EventRole.id).where(EventRole.event_id == event.id,
                                              EventRole.user_id == User.id).exists()
    rows = db.session.execute(
        db.select(User.id, User.full_name).join(acted, acted.c.user_id == User.id)
        .where(db.or_(User.role.in_(TEAM_ROLES), event_role))
        .order_by(acted.c.entries.desc(), User.id).limit(limit)
    )
    return [(user_id, person(name)) for user_id, name in rows]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
