"""What contests knows of organizations across the series (hooks.add_organization_records): the events
where they entered a contest, a line per entry ("Entered the contest … with …") and one per award once
the contest's results are published (an award not published yet is the judges' secret).

One query whatever the number of organizations."""

from __future__ import annotations

from flask_babel import gettext as _

from ..extensions import db
from ..hooks import HistoryItem, events_by_organization
from ..urls import page_path
from .models import Contest, Entry, EntryStatus
from .recipients import award_label


def _entries(org_ids: list[int]):
    return (db.select(Entry.id, Entry.organization_id, Entry.title, Entry.award_level, Entry.created_at,
                      Contest.id.label("contest_id"), Contest.name.label("contest"), Contest.published_at,
                      Contest.event_id)
            .join(Contest, Contest.id == Entry.contest_id)
            .where(Entry.organization_id.in_(org_ids), Entry.status == EntryStatus.submitted))


def events(org_ids: list[int]) -> dict[int, set[int]]:
    """{organization id: events where it has an entry not withdrawn}."""
    if not org_ids:
        return {}
    return events_by_organization((row.organization_id, row.event_id)
                                  for row in db.session.execute(_entries(org_ids)))


def history(org_ids: list[int]) -> list[HistoryItem]:
    """Entered (at the entry's submission), award (at the results' publication)."""
    if not org_ids:
        return []
    rows = db.session.execute(_entries(org_ids).order_by(Entry.id)).all()
    items = []
    for row in rows:
        items.append(HistoryItem(
            event_id=row.event_id, at=row.created_at, kind="entered",
            text=_("Entered the contest %(contest)s with “%(title)s”", contest=row.contest, title=row.title),
            url=page_path("contests.entry", id=row.id)))
        if row.award_level and row.published_at is not None:
            items.append(HistoryItem(
                event_id=row.event_id, at=row.published_at, kind="award",
                text=_("%(award)s – %(contest)s (“%(title)s”)",
                       award=award_label(row.award_level), contest=row.contest, title=row.title),
                url=page_path("contests.results", id=row.contest_id)))
    return items
