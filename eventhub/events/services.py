"""Event rules: creating, editing and listing events of the series."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError

from ..audit.services import diff, record
from ..dbtypes import utcnow
from ..errors import Conflict, NotFound, ValidationError
from ..extensions import db
from ..mail import outbox
from ..validation import clean_datetime
from .models import DEFAULT_TIMEZONE, Event, EventKind

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Paths under /events/ that the pages use for themselves.
RESERVED_SLUGS = {"new", "manage", "api"}
EDITABLE_FIELDS = ("slug", "name", "kind", "starts_at", "ends_at", "venue", "description",
                   "timezone", "registration_open", "reminder_hours")
MAX_REMINDER_HOURS = 720  # 30 days; registration.reminders sweeps events starting within it
DEFAULT_REMINDER_HOURS = 24


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


_EVENT_BY_SLUG = db.select(Event).where(Event.slug == bindparam("slug"))  # built once: every page asks
EVENT_ID = Event.__table__.c.id  # what columns read with an event (get_event_with) are correlated to


def get_event(slug: str) -> Event:
    event = db.session.scalar(_EVENT_BY_SLUG, {"slug": slug})
    if event is None:
        raise NotFound(_("There is no such event."), code="event_not_found")
    return event


def get_event_with(slug: str, columns: tuple) -> tuple[Event, tuple]:
    """The event and the values of `columns` – scalar SQL expressions correlated to EVENT_ID, such as the
    event page's panels' keys (hooks.panel_keys) – in one statement."""
    row = db.session.execute(_event_with(columns), {"slug": slug}).first()
    if row is None:
        raise NotFound(_("There is no such event."), code="event_not_found")
    return row[0], tuple(row[1:])


@lru_cache(maxsize=16)  # by the columns' identity: each app builds its panels' columns once
def _event_with(columns: tuple):
    return db.select(Event, *columns).where(Event.slug == bindparam("slug"))


def events_query(*, upcoming_from: datetime | None = None):
    """All events, soonest first; from `upcoming_from` on only those not yet over."""
    stmt = db.select(Event).order_by(Event.starts_at, Event.id)
    if upcoming_from is not None:
        stmt = stmt.where(Event.ends_at >= upcoming_from)
    return stmt


# What the home page's cards show of an event (templates/events/_home_events.html), as plain rows.
CARD_COLUMNS = (Event.id, Event.slug, Event.name, Event.kind, Event.starts_at, Event.ends_at, Event.timezone,
                Event.venue, Event.registration_open)
_CARDS = db.select(*CARD_COLUMNS).order_by(Event.starts_at, Event.id)  # built once


def event_cards() -> list:
    """Every event's card columns as plain rows (no ORM objects), soonest first."""
    return list(db.session.execute(_CARDS))


def past_events(*, now: datetime | None = None) -> list[Event]:
    stmt = (db.select(Event).where(Event.ends_at < (now or utcnow()))
            .order_by(Event.starts_at.desc(), Event.id))
    return list(db.session.scalars(stmt))


def _clean(values: dict[str, Any], current: Event | None) -> dict[str, Any]:
    """Validates the merged values of an event; returns the cleaned changes."""
    errors: dict[str, list[str]] = {}
    merged = {field: getattr(current, field) for field in EDITABLE_FIELDS} if current else {}
    merged.update({k: v for k, v in values.items() if k in EDITABLE_FIELDS})
    cleaned: dict[str, Any] = {}

    slug = (merged.get("slug") or "").strip().lower()
    if not slug:
        errors["slug"] = [_("Please enter a short name for the address.")]
    elif len(slug) > 80 or not SLUG_RE.match(slug):
        errors["slug"] = [_("Use lower-case letters, digits and hyphens only (e.g. ai-day-2020).")]
    elif slug in RESERVED_SLUGS:
        errors["slug"] = [_("This address is reserved. Please choose another.")]
    cleaned["slug"] = slug

    name = " ".join((merged.get("name") or "").split())
    if not name:
        errors["name"] = [_("Please enter the event's name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most %(n)d characters.", n=200)]
    cleaned["name"] = name

    kind = merged.get("kind")
    if kind not in EventKind.__members__:
        errors["kind"] = [_("Choose one of the event kinds.")]
    else:
        cleaned["kind"] = EventKind(kind)

    tz_name = merged.get("timezone") or DEFAULT_TIMEZONE
    try:
        if tz_name not in _timezones():
            raise ZoneInfoNotFoundError(tz_name)
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = [_("Unknown time zone.")]
        tz = ZoneInfo(DEFAULT_TIMEZONE)
    cleaned["timezone"] = tz_name

    for field in ("starts_at", "ends_at"):
        try:
            cleaned[field] = clean_datetime(merged.get(field), tz, field)
        except ValidationError as exc:
            errors.update(exc.fields)
    if "starts_at" in cleaned and "ends_at" in cleaned and cleaned["ends_at"] < cleaned["starts_at"]:
        errors["ends_at"] = [_("The event cannot end before it starts.")]

    venue = " ".join((merged.get("venue") or "").split())
    if len(venue) > 300:
        errors["venue"] = [_("At most %(n)d characters.", n=300)]
    cleaned["venue"] = venue
    cleaned["description"] = (merged.get("description") or "").strip()
    cleaned["registration_open"] = bool(merged.get("registration_open"))
    reminder_hours = values.get("reminder_hours")
    if reminder_hours is None:  # not given (a form left empty): as it was, or the default
        reminder_hours = current.reminder_hours if current else DEFAULT_REMINDER_HOURS
    if (isinstance(reminder_hours, bool) or not isinstance(reminder_hours, int)
            or not 0 <= reminder_hours <= MAX_REMINDER_HOURS):
        errors["reminder_hours"] = [_("Enter a whole number of hours from 0 to %(n)d (0: no reminder).",
                                      n=MAX_REMINDER_HOURS)]
    else:
        cleaned["reminder_hours"] = reminder_hours

    if errors:
        raise ValidationError(errors)
    return cleaned


def _slug_taken(slug: str, except_id: int | None = None) -> bool:
    stmt = db.select(Event.id).where(Event.slug == slug)
    if except_id is not None:
        stmt = stmt.where(Event.id != except_id)
    return db.session.scalar(stmt) is not None


def _slug_conflict() -> Conflict:
    return Conflict(_("An event with this address already exists."), code="slug_taken")


def create_event(*, actor=None, **values: Any) -> Event:
    """Creates an event from plain values (see EDITABLE_FIELDS); commits."""
    cleaned = _clean(values, None)
    if _slug_taken(cleaned["slug"]):
        raise _slug_conflict()
    event = Event(**cleaned, created_by_id=getattr(actor, "id", None))
    db.session.add(event)
    try:
        db.session.flush()
    except IntegrityError as exc:  # two organizers chose the same slug at the same moment
        db.session.rollback()
        raise _slug_conflict() from exc
    record("event.created", event, actor=actor, event=event,
           changes={k: cleaned[k] for k in ("slug", "name", "kind")})
    db.session.commit()
    return event


def update_event(event: Event, *, actor=None, **values: Any) -> Event:
    """Applies the given fields to an event; commits and audits what changed."""
    cleaned = _clean(values, event)
    if cleaned["slug"] != event.slug and _slug_taken(cleaned["slug"], event.id):
        raise _slug_conflict()
    changes = diff(event, cleaned)
    if not changes:
        return event
    for key, value in cleaned.items():
        setattr(event, key, value)
    record("event.updated", event, actor=actor, event=event, changes=changes)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise _slug_conflict() from exc
    return event


def retry_failed_emails(*, actor=None) -> int:
    """Queues again the e-mails the outbox gave up on (those that could still be delivered: not to an
    erased person) once the mail server is mended; audits how many and commits. Returns how many."""
    count = outbox.retry_failed()
    if count:
        record("outbox.retried", None, actor=actor, object_type="outbox", changes={"count": count})
    db.session.commit()
    return count
