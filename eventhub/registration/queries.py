"""Reading registrations: organizers' lists with search, filters and Vietnamese name order; counts."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from ..audit.models import AuditEntry
from ..events.models import Event
from ..extensions import db
from ..vietnamese import fold
from .models import Registration, RegistrationStatus, RegistrationType

SORTS = {
    "name": (Registration.sort_key, Registration.id),
    "created": (Registration.created_at, Registration.id),
    "-created": (Registration.created_at.desc(), Registration.id.desc()),
}


def registrations_query(event: Event, *, status: str | None = None, type_code: str | None = None,
                        q: str | None = None, sort: str | None = None):
    """A select of the event's registrations; `q` ignores diacritics and case."""
    stmt = db.select(Registration).where(Registration.event_id == event.id)
    if status in RegistrationStatus.__members__:
        stmt = stmt.where(Registration.status == RegistrationStatus(status))
    elif status:
        stmt = stmt.where(False)  # an unknown status matches nobody
    if type_code:
        stmt = stmt.join(RegistrationType).where(RegistrationType.code == type_code)
    for word in fold(q or "").split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Registration.search_text.like(f"%{escaped}%", escape="\\"))
    return stmt.order_by(*SORTS.get(sort or "created", SORTS["created"]))


def counts_by_type_and_status(event: Event) -> dict[str, dict[str, int]]:
    """{type code: {status: n}} with every status present."""
    rows = db.session.execute(
        db.select(RegistrationType.code, Registration.status, func.count(Registration.id))
        .join(Registration, Registration.registration_type_id == RegistrationType.id)
        .where(RegistrationType.event_id == event.id)
        .group_by(RegistrationType.code, Registration.status))
    counts: dict[str, dict[str, int]] = {}
    for rtype in db.session.scalars(db.select(RegistrationType.code).filter_by(event_id=event.id)):
        counts[rtype] = {s.value: 0 for s in RegistrationStatus}
    for code, status, n in rows:
        counts[code][status.value] = n
    return counts


def totals_by_status(event: Event) -> dict[str, int]:
    totals = {s.value: 0 for s in RegistrationStatus}
    for per_type in counts_by_type_and_status(event).values():
        for status, n in per_type.items():
            totals[status] += n
    return totals


def registration_history(reg: Registration) -> list[AuditEntry]:
    """The audit entries of one registration, newest first."""
    return list(db.session.scalars(
        db.select(AuditEntry).options(joinedload(AuditEntry.actor))  # each line names who did it
        .where(AuditEntry.object_type == "registration",
                                    AuditEntry.object_id == str(reg.id))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())))
