"""Recording and reading the audit log."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from .models import AuditEntry


def record(action: str, obj: Any, *, actor=None, event=None, changes: dict | None = None,
           object_type: str | None = None) -> AuditEntry:
    """Adds an audit entry to the session; the calling service commits it with its own change."""
    entry = AuditEntry(
        action=action,
        object_type=object_type or type(obj).__name__.lower(),
        object_id=str(getattr(obj, "id", "") or "") or None,
        actor_id=getattr(actor, "id", None),
        event_id=getattr(event, "id", None),
        changes=_jsonable(changes or {}),
    )
    db.session.add(entry)
    return entry


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
