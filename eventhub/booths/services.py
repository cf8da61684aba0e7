"""Booth rules, part one: the floor plan and exhibitor applications (apply, change, review, withdraw).

Application states, stated once (`_MOVES`); nothing else sets a status:
  (new) → submitted
  submitted → approved | rejected | changes_requested | withdrawn
  changes_requested → submitted (the startup updates it) | approved | rejected | withdrawn
  approved → rejected | withdrawn
An application that leaves ACTIVE_STATUSES loses its booth.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..dbtypes import MAX_ID, utcnow
from ..errors import Conflict, ValidationError
from ..events.models import Event
from ..extensions import db
from ..organizations.models import OrganizationKind
from ..organizations.services import clean_tax_code
from ..organizations.services import link as link_organization
from ..validation import FieldErrors, clean_email
from ..vietnamese import fold, normalize_text
from . import logos, notifications
from .days import event_days
from .floorplan import _Errors, clean_plan, clean_size
from .locking import lock_floorplan
from .models import Booth, BoothPlacement, Exhibitor, ExhibitorStatus, Stage, Zone
from .problem import MAX_PREFERENCES

S = ExhibitorStatus
_MOVES = {
    S.submitted: {S.approved, S.rejected, S.changes_requested, S.withdrawn},
    S.changes_requested: {S.submitted, S.approved, S.rejected, S.withdrawn},
    S.approved: {S.rejected, S.withdrawn},
    S.rejected: set(),
    S.withdrawn: set(),
}
DECISIONS = {"approve": S.approved, "reject": S.rejected, "request_changes": S.changes_requested}


class BoothsAssigned(Conflict):
    code = "booths_assigned"


class AlreadyApplied(Conflict):
    code = "already_applied"


class NotReviewable(Conflict):
    code = "invalid_status"


# --- the floor plan --------------------------------------------------------------------------------

def zones_of(event: Event) -> list[Zone]:
    return list(db.session.scalars(db.select(Zone).filter_by(event_id=event.id)
                                   .order_by(Zone.position, Zone.id)))


def booths_of(event: Event) -> list[Booth]:
    return list(db.session.scalars(db.select(Booth).filter_by(event_id=event.id).order_by(Booth.code)))


def booth_sizes(event: Event) -> list[str]:
    return sorted(set(db.session.scalars(db.select(Booth.size).filter_by(event_id=event.id))))


def has_placements(event: Event) -> bool:
    return db.session.scalar(db.select(BoothPlacement.id).filter_by(event_id=event.id).limit(1)) is not None


def replace_floorplan(event: Event, data: Any, *, actor=None) -> list[Booth]:
    """Replaces the zones and booths as a whole, while no booth is assigned. Commits."""
    zones, booths = clean_plan(data)
    lock_floorplan(event.id)
    if has_placements(event):
        db.session.rollback()
        raise BoothsAssigned(_("Booths are already assigned: clear the assignment before changing the "
                               "floor plan."))
    db.session.execute(delete(Booth).where(Booth.event_id == event.id))
    db.session.execute(delete(Zone).where(Zone.event_id == event.id))
    stored = {}
    for position, zone in enumerate(zones):
        outline = zone.outline
        stored[zone.code] = Zone(event_id=event.id, code=zone.code, name=zone.name, sector=zone.sector,
                                 position=position, x=outline and outline.x, y=outline and outline.y,
                                 w=outline and outline.w, h=outline and outline.h)
        db.session.add(stored[zone.code])
    db.session.flush()
    for booth in booths:
        db.session.add(Booth(event_id=event.id, zone_id=stored[booth.zone].id, code=booth.code,
                             x=booth.rect.x, y=booth.rect.y, w=booth.rect.w, h=booth.rect.h,
                             size=booth.size, price_tier=booth.price_tier))
    record("floorplan.replaced", event, actor=actor, event=event, object_type="event",
           changes={"zones": len(zones), "booths": len(booths)})
    db.session.commit()
    return booths_of(event)


def clear_assignment(event: Event, *, actor=None) -> int:
    """Removes every placement, locked or not (so the plan can change again). Commits."""
    plan = lock_floorplan(event.id)
    removed = db.session.execute(delete(BoothPlacement).where(BoothPlacement.event_id == event.id)).rowcount
    plan.last_run, plan.confirmed_at = None, None
    record("booths.cleared", event, actor=actor, event=event, object_type="event",
           changes={"removed": removed})
    db.session.commit()
    return removed


# --- applications --------------------------------------------------------------------------------

def _clean_application(event: Event, values: dict[str, Any], current: Exhibitor | None) -> dict[str, Any]:
    errors = FieldErrors()
    raw = _Errors()
    cleaned: dict[str, Any] = {}
    for name, limit in (("organization", 200), ("sector", 60)):
        value = values.get(name)
        text = normalize_text(value) if isinstance(value, str) else ""
        if not text:
            errors.add(name, _("This field is required."))
        elif len(text) > limit or any(ord(ch) < 32 for ch in text):
            errors.add(name, _("At most %(n)d characters.", n=limit))
        cleaned[name] = text.lower() if name == "sector" else text
    size = clean_size(values.get("size"), "size", raw)
    if size is not None and size not in booth_sizes(event):
        raw.add("size", _("No booth of this event has size %(size)s.", size=size))
    cleaned["size"] = size
    cleaned["preferences"] = _preferences(event, values.get("preferences"), raw)
    cleaned["avoid"] = _avoid(event, values.get("avoid"), current, raw)
    cleaned["days"] = _days(event, values.get("days"), raw)
    stage = values.get("stage")
    if stage in (None, ""):
        cleaned["stage"] = None
    elif stage in Stage.__members__:
        cleaned["stage"] = Stage(stage)
    else:
        raw.add("stage", _("Choose one of: %(choices)s", choices=", ".join(Stage.__members__)))
    product = values.get("product")
    if product is not None and (not isinstance(product, str) or len(product) > 5000):
        raw.add("product", _("At most %(n)d characters.", n=5000))
    cleaned["product"] = product.strip() if isinstance(product, str) else ""
    if values.get("contact_email") is not None:
        cleaned["contact_email"] = errors.clean(clean_email, values.get("contact_email"), "contact_email")
    if "tax_code" in values:  # optional: an update that does not name it keeps the one given before
        cleaned["tax_code"] = errors.clean(clean_tax_code, values.get("tax_code"))
    errors.fields.update(raw)
    errors.raise_if_any()
    return cleaned


def _preferences(event: Event, value, errors: _Errors) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.add("preferences", _("Enter a list of zone or booth codes."))
        return []
    codes = list(dict.fromkeys(v.strip() for v in value if v.strip()))
    if len(codes) > MAX_PREFERENCES:
        errors.add("preferences", _("At most %(n)d preferences.", n=MAX_PREFERENCES))
        return []
    known = set(db.session.scalars(db.select(Zone.code).filter_by(event_id=event.id)))
    known |= set(db.session.scalars(db.select(Booth.code).filter_by(event_id=event.id)))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors.add("preferences", _("No zone or booth of this event has the code %(codes)s.",
                                    codes=", ".join(unknown[:5])))
    return codes


def _avoid(event: Event, value, current: Exhibitor | None, errors: _Errors) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        errors.add("avoid", _("Enter a list of exhibitor ids."))
        return []
    ids = sorted(set(value))
    if len(ids) > 50 or not all(1 <= i <= MAX_ID for i in ids) or (current and current.id in ids):
        errors.add("avoid", _("Choose other exhibitors of this event."))
        return []
    found = set(db.session.scalars(db.select(Exhibitor.id).where(Exhibitor.event_id == event.id,
                                                                 Exhibitor.id.in_(ids))))
    if found != set(ids):
        errors.add("avoid", _("Choose other exhibitors of this event."))
        return []
    return ids


def _days(event: Event, value, errors: _Errors) -> list[str]:
    if value in (None, ""):
        return []
    allowed = {d.isoformat() for d in event_days(event)}
    if not isinstance(value, list) or not all(isinstance(v, str | date) for v in value):
        errors.add("days", _("Choose days of the event."))
        return []
    chosen = sorted({v.isoformat() if isinstance(v, date) else v.strip() for v in value})
    if not set(chosen) <= allowed:
        errors.add("days", _("Choose days of the event."))
        return []
    return [] if set(chosen) == allowed else chosen


def _index(exhibitor: Exhibitor) -> None:
    exhibitor.search_text = fold(" ".join([exhibitor.organization, exhibitor.sector,
                                           exhibitor.product or ""]))[:800]


def apply(event: Event, user, *, logo: bytes | None = None, now: datetime | None = None,
          notify: bool = True, **values: Any) -> Exhibitor:
    """A startup applies for a booth; the application is `submitted`. Commits."""
    now = now or utcnow()
    cleaned = _clean_application(event, values, None)
    logo_image = logos.clean_logo(logo) if logo else None
    # One account may file for several startups (an incubator does), but each startup once.
    live = db.session.scalars(db.select(Exhibitor.organization).where(
        Exhibitor.event_id == event.id, Exhibitor.user_id == user.id, Exhibitor.status != S.withdrawn))
    if fold(cleaned["organization"]) in {fold(name) for name in live}:
        raise AlreadyApplied(_("You have already applied for a booth at this event."))
    cleaned.setdefault("contact_email", None)
    cleaned["contact_email"] = cleaned["contact_email"] or user.email
    exhibitor = Exhibitor(event_id=event.id, user_id=user.id, status=S.submitted, created_at=now,
                          updated_at=now, **cleaned)
    _index(exhibitor)
    db.session.add(exhibitor)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise AlreadyApplied(_("You have already applied for a booth at this event.")) from exc
    # after the flush: a tax code an organization takes from it is audited with the application's id
    link_organization(exhibitor, kind=OrganizationKind.startup, actor=user)
    if logo_image:
        exhibitor.logo_key = logos.store(event.id, exhibitor.id, logo_image)
    record("exhibitor.applied", exhibitor, actor=user, event=event,
           changes={"organization": exhibitor.organization, "size": exhibitor.size})
    if notify:
        notifications.application_step(exhibitor, "submitted")
    db.session.commit()
    return exhibitor


def update_application(exhibitor: Exhibitor, *, actor=None, logo: bytes | None = None,
                       **values: Any) -> Exhibitor:
    """The startup changes its application (while submitted or asked for changes); resubmits it."""
    if exhibitor.status not in (S.submitted, S.changes_requested):
        raise NotReviewable(_("This application can no longer be changed."))
    cleaned = _clean_application(exhibitor.event, values, exhibitor)
    logo_image = logos.clean_logo(logo) if logo else None
    previous = exhibitor.status
    if previous == S.changes_requested and not _move(exhibitor, S.submitted):
        db.session.rollback()
        raise NotReviewable(_("This application was changed meanwhile; reload the page."))
    # A new size, new days or new competitors to avoid can break its placement's hard rules: it
    # gives its booth back (the organizer runs the optimizer again).
    moved = (cleaned["size"] != exhibitor.size or sorted(cleaned["days"]) != sorted(exhibitor.days or [])
             or set(cleaned["avoid"]) != set(exhibitor.avoid or []))
    for key, value in cleaned.items():
        if value is not None or key != "contact_email":
            setattr(exhibitor, key, value)
    if moved:
        _release_booth(exhibitor)
    if logo_image:
        exhibitor.logo_key = logos.store(exhibitor.event_id, exhibitor.id, logo_image)
    _index(exhibitor)
    link_organization(exhibitor, kind=OrganizationKind.startup, actor=actor)
    record("exhibitor.updated", exhibitor, actor=actor, event=exhibitor.event,
           changes={"status": [previous.value, exhibitor.status.value], "booth_released": moved})
    if previous == S.changes_requested:
        notifications.application_step(exhibitor, "submitted")
    db.session.commit()
    return exhibitor


def _move(exhibitor: Exhibitor, new: ExhibitorStatus, **values: Any) -> bool:
    """Moves the application on only if nobody moved it first (a conditional UPDATE)."""
    if new not in _MOVES[exhibitor.status]:
        return False
    now = utcnow()
    result = db.session.execute(
        update(Exhibitor).where(Exhibitor.id == exhibitor.id, Exhibitor.status == exhibitor.status)
        .values(status=new, updated_at=now, **values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    exhibitor.status = new
    for key, value in values.items():
        setattr(exhibitor, key, value)
    return True


def review(exhibitor: Exhibitor, decision: str, *, note: str | None = None, actor=None,
           notify: bool = True) -> Exhibitor:
    """approve, reject or request_changes, with an e-mail to the startup. Commits."""
    new = DECISIONS.get(decision)
    if new is None:
        raise ValidationError({"decision": [_("Choose approve, reject or request_changes.")]})
    note = normalize_text(note or "")[:1000] or None
    if new == S.changes_requested and not note:
        raise ValidationError({"note": [_("Tell the startup what to change.")]})
    previous = exhibitor.status
    if not _move(exhibitor, new, review_note=note, reviewed_at=utcnow()):
        db.session.rollback()
        raise NotReviewable(_("This application cannot be moved from “%(status)s” to “%(new)s”.",
                              status=previous.value, new=new.value))
    if not exhibitor.is_active:
        _release_booth(exhibitor)
    record(f"exhibitor.{new.value}", exhibitor, actor=actor, event=exhibitor.event,
           changes={"status": [previous.value, new.value], "note": note})
    if notify:
        notifications.application_step(exhibitor, new.value)
    db.session.commit()
    return exhibitor


def withdraw(exhibitor: Exhibitor, *, actor=None) -> Exhibitor:
    previous = exhibitor.status
    if not _move(exhibitor, S.withdrawn):
        db.session.rollback()
        raise NotReviewable(_("This application cannot be withdrawn."))
    _release_booth(exhibitor)
    record("exhibitor.withdrawn", exhibitor, actor=actor, event=exhibitor.event,
           changes={"status": [previous.value, S.withdrawn.value]})
    db.session.commit()
    return exhibitor


def _release_booth(exhibitor: Exhibitor) -> None:
    lock_floorplan(exhibitor.event_id)
    db.session.execute(delete(BoothPlacement).where(BoothPlacement.exhibitor_id == exhibitor.id))
