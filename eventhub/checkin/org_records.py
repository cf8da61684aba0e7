"""What registration and the gate know of organizations across the series (hooks.add_organization_records):
the events their people registered for, and per event "N people registered, M checked in".

Here and not in registration because the line needs the check-ins, which sit above registration. Counted
as the summary report counts: registrations not cancelled, check-ins not undone and on the event's own
days (a scanner tested the week before is no attendance). Three queries whatever the number of
organizations."""

from __future__ import annotations

from flask_babel import ngettext
from sqlalchemy import func

from ..events.models import Event
from ..extensions import db
from ..hooks import HistoryItem, events_by_organization
from ..registration.models import Registration, RegistrationStatus
from ..urls import page_path
from .days import on_event_days_of_ids
from .models import CheckIn


def _registered(org_ids: list[int]):
    return (Registration.organization_id.in_(org_ids), Registration.status != RegistrationStatus.cancelled)


def events(org_ids: list[int]) -> dict[int, set[int]]:
    """{organization id: events where somebody of it holds a registration not cancelled}."""
    if not org_ids:
        return {}
    return events_by_organization(db.session.execute(
        db.select(Registration.organization_id, Registration.event_id).where(*_registered(org_ids))
        .distinct()))


def history(org_ids: list[int]) -> list[HistoryItem]:
    """One line per event: how many of these organizations' people registered and checked in."""
    if not org_ids:
        return []
    registered = db.session.execute(
        db.select(Registration.event_id, Event.slug, Event.starts_at, func.count(Registration.id))
        .join(Event, Event.id == Registration.event_id).where(*_registered(org_ids))
        .group_by(Registration.event_id, Event.slug, Event.starts_at)).all()
    if not registered:
        return []
    checked_in = dict(db.session.execute(
        db.select(CheckIn.event_id, func.count(func.distinct(CheckIn.registration_id)))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(*_registered(org_ids), CheckIn.undone_at.is_(None),
               on_event_days_of_ids(row.event_id for row in registered))
        .group_by(CheckIn.event_id)).all())
    items = []
    for event_id, slug, starts_at, count in registered:
        text = ngettext("%(num)d person registered, %(checked)d checked in",
                        "%(num)d people registered, %(checked)d checked in", count,
                        checked=checked_in.get(event_id, 0))
        items.append(HistoryItem(event_id, starts_at, "registered", text,
                                 page_path("registration_admin.registrations", slug=slug)))
    return items
