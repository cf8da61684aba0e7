"""Keeps the demo's records inside their event's season.

The services stamp what they write with the time of the run; the demo loads events held years ago. The
loaders pass the dates that matter to the services (registrations in the weeks before the event,
check-ins on its days, scores at the event, certificates after it); this pass moves whatever is left
of a past event's records – set-up, applications, reviews, the audit log – from the day of the run to
the phase of the season it belongs to: set-up two months before, applications a month before, the
outcomes at the event, the paperwork three days after it.

Only the demo's own events (their slugs in data.py) are touched, and of their records only dates the
run itself wrote (at or after its start, `since`) that lie later than the season's end (a month after
the event): another event's records, and what people did in the demo between two runs (a certificate
revoked, an entry judged, an event edited), keep their dates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import String, cast, func, select, update

from ..audit.models import AuditEntry
from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db
from .data import EVENTS
from .data2021 import EVENT as EVENT_2021

SEASON_AFTER = timedelta(days=30)  # a season ends a month after its event


def _before(days: int) -> Callable[[Event], datetime]:
    return lambda event: (event.local_starts_at - timedelta(days=days)).replace(hour=9, minute=0)


def _after(days: int) -> Callable[[Event], datetime]:
    return lambda event: (event.local_ends_at + timedelta(days=days)).replace(hour=9, minute=0)


PHASES: dict[str, Callable[[Event], datetime]] = {
    "setup": _before(60), "applications": _before(30), "review": _before(25), "placement": _before(20),
    "matching": _before(10), "decisions": _before(3), "schedule": _before(2),
    "held": lambda event: event.ends_at, "after": _after(3),
}
# The phase of each table's rows, and of some of their columns (table.column).
TABLE_PHASES = {
    "events": "setup", "registration_types": "setup", "event_sessions": "setup", "event_roles": "setup",
    "contests": "setup", "contests.published_at": "held", "contest_judges": "setup",
    "contest_rounds": "setup", "contest_entries": "applications", "contest_entries.updated_at": "held",
    "contest_entry_members": "applications",
    "contest_assignments": "decisions", "contest_conflicts": "decisions", "contest_scores": "held",
    "contest_votes": "held", "exhibitors": "review", "exhibitors.created_at": "applications",
    "floorplans": "placement", "floorplans.updated_at": "setup", "booths": "placement",
    "booth_placements": "placement", "match_profiles": "matching", "meeting_slots": "matching",
    "meeting_requests": "decisions", "meetings": "held", "meetings.created_at": "schedule",
    "registrations": "held", "checkins": "held", "badge_prints": "held", "certificates": "after",
    "certificate_assets": "after", "certificate_templates": "after", "jobs": "after",
}
# Audit entries: dated like the record they speak of where it has its own date, else by phase.
AUDIT_SOURCES = {
    "registration.created": ("registrations", "created_at"),
    "registration.approved": ("registrations", "confirmed_at"),
    "entry.submitted": ("contest_entries", "created_at"),
    "matchmaking.request_sent": ("meeting_requests", "created_at"),
    "registration.attendance": ("registrations", "attendance_at"),  # demo/answers.py: before the event
}
AUDIT_PHASES = {
    "exhibitor.applied": "applications", "exhibitor.approved": "review", "booths.assigned": "placement",
    "contest.assigned": "decisions", "matchmaking.profile_created": "matching",
    "matchmaking.slots_set": "matching", "matchmaking.request_accepted": "decisions",
    "matchmaking.request_declined": "decisions", "matchmaking.scheduled": "schedule",
    "matchmaking.outcome": "held", "contest.award": "held", "contest.published": "held",
    "certificates.issued": "after",
}
AUDIT_SETUP = ("event.", "registration_type.", "session.", "contest.", "floorplan.")


def _of_event(table, event: Event):
    """The condition that picks the table's rows of the event, or None for a table not tied to one."""
    tables = db.metadata.tables
    contests = select(tables["contests"].c.id).where(tables["contests"].c.event_id == event.id)
    if table.name == "events":
        return table.c.id == event.id
    if "event_id" in table.c:
        return table.c.event_id == event.id
    if "contest_id" in table.c:
        return table.c.contest_id.in_(contests)
    if "entry_id" in table.c:
        entries = tables["contest_entries"]
        return table.c.entry_id.in_(select(entries.c.id).where(entries.c.contest_id.in_(contests)))
    if "registration_id" in table.c:
        registrations = tables["registrations"]
        return table.c.registration_id.in_(select(registrations.c.id).where(
            registrations.c.event_id == event.id))
    return None


def _settle_audit(event: Event, end: datetime, since: datetime) -> None:
    late = (AuditEntry.event_id == event.id, AuditEntry.created_at > end, AuditEntry.created_at >= since)
    for action, (name, column) in AUDIT_SOURCES.items():
        source = db.metadata.tables[name]
        own = select(source.c[column]).where(cast(source.c.id, String(64)) == AuditEntry.object_id)
        when = func.coalesce(own.scalar_subquery(), PHASES["held"](event))
        db.session.execute(update(AuditEntry).where(*late, AuditEntry.action == action)
                           .values(created_at=when).execution_options(synchronize_session=False))
    for action, phase in AUDIT_PHASES.items():
        db.session.execute(update(AuditEntry).where(*late, AuditEntry.action == action)
                           .values(created_at=PHASES[phase](event)).execution_options(synchronize_session=False))
    for prefix in AUDIT_SETUP:
        db.session.execute(update(AuditEntry).where(*late, AuditEntry.action.startswith(prefix))
                           .values(created_at=PHASES["setup"](event)).execution_options(synchronize_session=False))
    db.session.execute(update(AuditEntry).where(*late).values(created_at=PHASES["held"](event))
                       .execution_options(synchronize_session=False))


def settle_dates(*, since: datetime, now: datetime | None = None) -> None:
    """Moves the past demo events' records this run (started at `since`) dated after their season into
    it (see the module's note)."""
    now = now or utcnow()
    slugs = [spec["slug"] for spec in (*EVENTS, EVENT_2021)]
    for event in db.session.scalars(db.select(Event).where(Event.slug.in_(slugs)).order_by(Event.id)).all():
        end = event.ends_at + SEASON_AFTER
        if end >= now:
            continue
        for table in db.metadata.sorted_tables:
            if table.name == "audit_entries":
                continue
            where = _of_event(table, event)
            if where is None:
                continue
            # Columns stamped on every update (updated_at) keep their value unless they are the one moved.
            keep = {c.name: c for c in table.c if c.onupdate is not None}
            for column in table.c:
                if not isinstance(column.type, UTCDateTime):
                    continue
                phase = TABLE_PHASES.get(f"{table.name}.{column.name}", TABLE_PHASES.get(table.name, "held"))
                db.session.execute(update(table).where(where, column > end, column >= since)
                                   .values({**keep, column.name: PHASES[phase](event)}))
        _settle_audit(event, end, since)
    db.session.commit()
