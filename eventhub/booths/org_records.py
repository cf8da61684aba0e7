"""What booths knows of organizations across the series (hooks.add_organization_records): the events
where they exhibited, and a line per application still active ("Exhibited at booth A12").

Two queries whatever the number of organizations: the applications with their events, then the booths
they were placed on."""

from __future__ import annotations

from flask_babel import gettext as _

from ..events.models import Event
from ..extensions import db
from ..hooks import HistoryItem, events_by_organization
from ..urls import page_path
from .models import Booth, BoothPlacement, Exhibitor, ExhibitorStatus


def _active(org_ids: list[int]):
    return (Exhibitor.organization_id.in_(org_ids), Exhibitor.status.in_(Exhibitor.ACTIVE_STATUSES))


def events(org_ids: list[int]) -> dict[int, set[int]]:
    """{organization id: events where it has an active booth application}."""
    if not org_ids:
        return {}
    return events_by_organization(db.session.execute(
        db.select(Exhibitor.organization_id, Exhibitor.event_id).where(*_active(org_ids)).distinct()))


def history(org_ids: list[int]) -> list[HistoryItem]:
    """A line per active application: exhibited (approved) or applied (under review), with its booths."""
    if not org_ids:
        return []
    rows = db.session.execute(
        db.select(Exhibitor.id, Exhibitor.status, Exhibitor.event_id, Event.slug, Event.starts_at)
        .join(Event, Event.id == Exhibitor.event_id).where(*_active(org_ids)).order_by(Exhibitor.id)).all()
    booths = _booth_codes([row.id for row in rows])
    items = []
    for row in rows:
        codes = ", ".join(booths.get(row.id, []))
        if row.status == ExhibitorStatus.approved:
            text = _("Exhibited at booth %(booths)s", booths=codes) if codes else _("Exhibited")
        else:
            text = (_("Applied to exhibit (booth %(booths)s)", booths=codes) if codes
                    else _("Applied to exhibit"))
        items.append(HistoryItem(
            event_id=row.event_id, at=row.starts_at, kind="exhibited", text=text,
            url=page_path("booths_admin.application", slug=row.slug, exhibitor_id=row.id)))
    return items


def _booth_codes(exhibitor_ids: list[int]) -> dict[int, list[str]]:
    """{exhibitor id: its booth codes in the order of its days, each once}."""
    found: dict[int, list[str]] = {}
    if not exhibitor_ids:
        return found
    rows = db.session.execute(
        db.select(BoothPlacement.exhibitor_id, Booth.code).join(Booth, Booth.id == BoothPlacement.booth_id)
        .where(BoothPlacement.exhibitor_id.in_(exhibitor_ids)).order_by(BoothPlacement.day, Booth.code))
    for exhibitor_id, code in rows:
        codes = found.setdefault(exhibitor_id, [])
        if code not in codes:
            codes.append(code)
    return found
