"""The organizations' pages as plain data: list rows with their events, an organization's history grouped by
year and event, and what each of two organizations holds (the duplicates page, the merge's confirmation).

Every feature's part comes through eventhub.hooks (organization_events, organization_history); the events
are then read in one query, so a page runs a bounded number of queries whatever it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func

from .. import hooks
from ..events.models import Event
from ..extensions import db
from . import services
from .labels import held_words, kind_label
from .models import DistinctPair, Organization

# Tables that refer to organizations without belonging to one (as services.merge leaves them).
_BOOKKEEPING = {"organizations", "organization_distinct_pairs"}


@dataclass
class OrgRow:
    """An organization as a list or a pair shows it."""

    org: Organization
    kind: str
    events: list[Event]
    holds: list[str] = field(default_factory=list)


def _events(event_ids) -> dict[int, Event]:
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    return {event.id: event for event in db.session.scalars(db.select(Event).where(Event.id.in_(ids)))}


def rows(orgs: list[Organization], *, with_holdings: bool = False) -> list[OrgRow]:
    """Each organization with its kind in words and its events, oldest first (and what it holds)."""
    ids = [org.id for org in orgs]
    found = hooks.organization_events(ids) if ids else {}
    events = _events(event_id for event_ids in found.values() for event_id in event_ids)
    held = holdings(ids) if with_holdings else {}
    out = []
    for org in orgs:
        its = sorted((events[i] for i in found.get(org.id, ()) if i in events),
                     key=lambda event: (event.starts_at, event.id))
        out.append(OrgRow(org, kind_label(org.kind), its, held.get(org.id, [])))
    return out


def holdings(org_ids: list[int]) -> dict[int, list[str]]:
    """{organization id: ["3 booth applications", "45 registrations", …]}: the rows of every table that
    belong to it (found from the foreign keys, so a feature that lands later is counted too)."""
    counted: dict[int, list[str]] = {org_id: [] for org_id in org_ids}
    if not org_ids:
        return counted
    for table in db.metadata.sorted_tables:
        if table.name in _BOOKKEEPING:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != "organizations":
                continue
            column = fk.parent
            for org_id, count in db.session.execute(
                    db.select(column, func.count()).select_from(table).where(column.in_(org_ids))
                    .group_by(column)):
                counted[org_id].append(held_words(table.name, count))
    return counted


# The duplicates count the list's link shows: finding likely duplicates compares every name with its
# neighbours (seconds for thousands of organizations), so the count is kept until a startup or investor
# or a "not the same" decision changes – one small query tells. Registrants' employers (kind other) are
# not compared, so one made by each new registration keeps the count. One that rises to a startup, is
# merged or is corrected gets a new updated_at; one lowered to `other` or deleted changes the number.
_counted: dict[str, Any] = {}


def duplicate_count(limit: int) -> int:
    """How many likely duplicate pairs there are (up to `limit`), counted again only after a change."""
    compared = Organization.kind.in_(services.DUPLICATE_KINDS)
    state = db.session.execute(db.select(
        db.select(func.count(Organization.id)).where(compared).scalar_subquery(),
        db.select(func.max(Organization.id)).where(compared).scalar_subquery(),
        db.select(func.max(Organization.updated_at)).where(compared).scalar_subquery(),
        db.select(func.count(DistinctPair.id)).scalar_subquery(),
        db.select(func.max(DistinctPair.id)).scalar_subquery())).one()
    mark = (str(db.engine.url), *state, limit)
    if _counted.get("mark") != mark:
        _counted.update(mark=mark, count=len(services.likely_duplicates(limit=limit)))
    return _counted["count"]


@dataclass
class EventHistory:
    event: Event
    items: list[hooks.HistoryItem]


@dataclass
class YearHistory:
    year: int
    events: list[EventHistory]


def history(org: Organization) -> list[YearHistory]:
    """The organization's history: years newest first, their events newest first, and what happened at
    each event in the order it happened."""
    items = hooks.organization_history([org.id])
    events = _events(item.event_id for item in items)
    by_event: dict[int, list[Any]] = {}
    for item in items:
        if item.event_id in events:
            by_event.setdefault(item.event_id, []).append(item)
    years: dict[int, list[EventHistory]] = {}
    for event_id in sorted(by_event, key=lambda i: (events[i].starts_at, i), reverse=True):
        event = events[event_id]
        lines = sorted(by_event[event_id], key=lambda item: _moment(item.at))
        years.setdefault(event.local_starts_at.year, []).append(EventHistory(event, lines))
    return [YearHistory(year, found) for year, found in sorted(years.items(), reverse=True)]


def _moment(at: Any) -> tuple:
    """Dates and aware datetimes in one order (a feature may date a line by its day): a date is its start."""
    if callable(getattr(at, "timestamp", None)):
        return (at.date(), at.timestamp())
    return (at, float("-inf"))
