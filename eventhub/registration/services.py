"""Registration rules: register, cancel, approve, reject, the waiting list, details and sessions.

States and their moves are stated here once (`_move`); nothing else sets a status:
  (new) → confirmed | pending_approval | waitlisted | pending_email (types with confirm_email)
  pending_email → confirmed | pending_approval (the e-mailed link is opened) | cancelled (cancel, or
                  the hold expires: `expire_holds`)
  pending_approval → confirmed (approve) | cancelled (reject, cancel)
  waitlisted → confirmed | pending_approval | pending_email (a seat frees up) | cancelled
  confirmed → cancelled
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from itertools import pairwise
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import hooks, mail, permissions
from ..audit.services import record
from ..dbtypes import MAX_ID, utcnow
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db, statements_in_transaction
from ..organizations.models import OrganizationKind
from ..organizations.services import forget_if_orphan as forget_organization_if_orphan
from ..organizations.services import known_by_name as known_organization
from ..organizations.services import known_by_name_subquery as known_organization_subquery
from ..organizations.services import known_id as known_organization_id
from ..organizations.services import link as link_organization
from ..validation import FieldErrors, clean_email, clean_name, clean_optional_phone, storable
from ..vietnamese import fold, name_sort_string
from . import notifications, seated_write
from .answers import QuestionSpec, clean_answers
from .errors import (
    AlreadyRegistered,
    HoldExpired,
    NotPending,
    NotPendingEmail,
    RegistrationClosed,
    SessionFull,
    SoldOut,
)
from .models import (
    LIVE,
    SEAT_HOLDING,
    EventSession,
    Registration,
    RegistrationStatus,
    RegistrationType,
    SessionChoice,
)
from .privacy import export_registration, forget_traces
from .seats import free_seat, take_seat
from .tickets import make_manage_token, make_ticket_code, new_nonce, read_email_token, ticket_key

log = logging.getLogger(__name__)
S = RegistrationStatus
HOLD_EXPIRED = "hold_expired"  # cancel_reason of a hold whose e-mailed link was not opened in time

_MOVES = {
    S.pending_email: {S.confirmed, S.pending_approval, S.cancelled},
    S.pending_approval: {S.confirmed, S.cancelled},
    S.waitlisted: {S.confirmed, S.pending_approval, S.pending_email, S.cancelled},
    S.confirmed: {S.cancelled},
    S.cancelled: set(),
}


@dataclass
class Promotion:
    """A waitlisted registration that moved up, and the sessions it could not keep."""

    registration: Registration
    dropped_sessions: list[EventSession] = field(default_factory=list)


def _move(reg: Registration, new: RegistrationStatus, now: datetime, *, where: tuple = (),
          **values: Any) -> bool:
    """Moves `reg` from its current status to `new` only if nobody moved it first (and `where` holds)."""
    if new not in _MOVES[reg.status]:
        raise ValueError(f"{reg.status} → {new} is not a move")
    result = db.session.execute(
        update(Registration).where(Registration.id == reg.id, Registration.status == reg.status, *where)
        .values(status=new, updated_at=now, **values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    reg.status = new
    for key, value in values.items():
        setattr(reg, key, value)
    db.session.expire(reg, ["updated_at"])
    return True


def _lock(reg: Registration, now: datetime) -> None:
    """Locks the registration's row for this transaction and reads its status and sessions afresh.

    A no-op UPDATE takes the row lock on PostgreSQL (and the write lock on SQLite): every other
    change of this registration waits for our commit, and we see what the one before us did.
    """
    db.session.execute(update(Registration).where(Registration.id == reg.id).values(updated_at=now)
                       .execution_options(synchronize_session=False))
    db.session.refresh(reg, ["status", "session_choices"])


def _issue_ticket(now: datetime) -> dict[str, Any]:
    return {"ticket_code": make_ticket_code(ticket_key()), "confirmed_at": now}


def _seat(reg: Registration, rtype: RegistrationType, ticket: dict[str, Any], now: datetime) -> None:
    """The status a registration gets with a seat, and with it the hold's end or the ticket."""
    reg.status = _seat_status(rtype, reg)
    if reg.status == S.pending_email:
        reg.hold_expires_at = _hold_until(now)
    if reg.status == S.confirmed:
        reg.ticket_code, reg.confirmed_at = ticket["ticket_code"], ticket["confirmed_at"]


def _hold_until(now: datetime) -> datetime:
    return now + timedelta(minutes=current_app.config["EMAIL_HOLD_MINUTES"])


def _seat_status(rtype: RegistrationType, reg: Registration) -> RegistrationStatus:
    """The status a registration gets with a seat: an unproven address of a confirm_email type only
    holds it (pending_email) until the e-mailed link is opened."""
    if rtype.confirm_email and reg.email_confirmed_at is None:
        return S.pending_email
    return S.pending_approval if rtype.requires_approval else S.confirmed


def manage_token(reg: Registration) -> str:
    return make_manage_token(reg.id, reg.manage_nonce)


def _index_person(reg: Registration) -> None:
    """The derived columns for Vietnamese ordering and accent-free search."""
    reg.sort_key = name_sort_string(reg.full_name)
    reg.search_text = fold(" ".join(filter(None, [reg.full_name, reg.email, reg.phone or "",
                                                  (reg.phone or "").replace("+84", "0"),
                                                  reg.organization or ""])))[:800]


# --- registering ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class EventWithType:
    event: Event | None
    rtype: RegistrationType | None
    organization: str | None = None  # the typed name looked up, as typed
    organization_id: int | None = None  # of the organization it leads to; None: a new one


def find_type(event: Event, code: str | None) -> RegistrationType | None:
    if not isinstance(code, str) or not code:
        return None
    return db.session.scalar(db.select(RegistrationType).filter_by(event_id=event.id, code=code))


def _lookable(text: Any) -> bool:
    """Text the database can be asked about before register() has checked it (no NUL, no lone
    surrogate: PostgreSQL refuses them)."""
    return isinstance(text, str) and len(text) <= 200 and storable(text)


def event_with_type(slug: str, code: Any, organization: Any = None) -> EventWithType:
    """The event at `slug` with its registration type `code` and the type's questions, and the id of the
    organization a typed name already leads to, in one statement (registration's hot path: a morning
    rush reads them thousands of times). `event` None for no such event, `rtype` None for no such type."""
    known = known_organization(organization) if _lookable(organization) else None  # else register() says why
    params = {"slug": slug, "code": code if code and _lookable(code) else None, **(known or {})}
    row = db.session.execute(_event_with_type(known is not None), params).unique().first()
    if row is None:
        return EventWithType(None, None)
    if known is None:
        return EventWithType(row[0], row[1])
    return EventWithType(row[0], row[1], organization, row[2])


@cache
def _event_with_type(with_organization: bool) -> Any:
    """Built once (with and without the organization): building it anew costs more than its round trip."""
    columns = [Event, RegistrationType]
    if with_organization:
        columns.append(known_organization_subquery().label("organization_id"))
    return (db.select(*columns).where(Event.slug == bindparam("slug"))
            .outerjoin(RegistrationType, (RegistrationType.event_id == Event.id)
                       & (RegistrationType.code == bindparam("code")))
            .options(joinedload(RegistrationType.questions)))


def _question_specs(rtype: RegistrationType) -> list[QuestionSpec]:
    return [QuestionSpec(q.key, q.label, q.kind.value, q.required, tuple(q.options or ()))
            for q in rtype.active_questions]


def _load_sessions(event: Event, session_ids, errors: dict) -> list[EventSession]:
    if session_ids in (None, ""):
        return []
    if not isinstance(session_ids, list | tuple) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in session_ids):
        errors["sessions"] = [_("Choose sessions of this event.")]
        return []
    if not all(1 <= i <= MAX_ID for i in session_ids):
        errors["sessions"] = [_("Choose sessions of this event.")]
        return []
    wanted = sorted(set(session_ids))
    sessions = list(db.session.scalars(db.select(EventSession).where(
        EventSession.event_id == event.id, EventSession.id.in_(wanted)).order_by(EventSession.starts_at)))
    if len(sessions) != len(wanted):
        errors["sessions"] = [_("Choose sessions of this event.")]
        return []
    for earlier, later in pairwise(sessions):
        if later.starts_at < earlier.ends_at:
            errors["sessions"] = [_("“%(a)s” and “%(b)s” take place at the same time.",
                                    a=earlier.title, b=later.title)]
            return []
    return sessions


def registration_is_open(event: Event, rtype: RegistrationType, now: datetime) -> bool:
    if not event.registration_open:
        return False
    if rtype.opens_at and now < rtype.opens_at:
        return False
    return not (rtype.closes_at and now >= rtype.closes_at)


def can_edit_details(reg: Registration, *, now: datetime | None = None) -> bool:
    """May the registrant still change their details: while their type takes registrations, not cancelled."""
    if reg.status == S.cancelled:
        return False
    return registration_is_open(reg.event, reg.registration_type, now or utcnow())


def _existing_live(event: Event, email_normalized: str) -> Registration | None:
    return db.session.scalar(db.select(Registration).where(
        Registration.event_id == event.id, Registration.email_normalized == email_normalized,
        Registration.status.in_(LIVE)))


def _refused_by_the_address(event: Event, email_normalized: str) -> bool:
    """After a write the database refused (rolled back): was it the address's live registration (the
    partial unique index)? In a race the other one has committed by then, or ours would have gone in.
    Another constraint (an organization erased since it was read, …) is no reason to tell the person
    they are registered: its error goes on, a 500 that is logged and can be tried again."""
    return _existing_live(event, email_normalized) is not None


def _as_text(value):
    """JSON may bring a number where text belongs; the cleaners then judge its digits."""
    return value if isinstance(value, str) or value is None else str(value)


def register(event: Event, *, type_code: str | None, full_name: str | None, email: str | None,
             consent: Any, phone: str | None = None, organization: str | None = None,
             answers: dict | None = None, session_ids: list[int] | None = None, locale: str = "vi",
             actor=None, bypass_window: bool = False, notify: bool = True,
             now: datetime | None = None, preloaded: EventWithType | None = None) -> tuple[Registration, str]:
    """Registers a person; returns the registration and its manage token. Commits. `preloaded`: what
    `event_with_type` read for this event, type code and organization (the hot path's one statement)."""
    now = now or utcnow()
    errors = FieldErrors()
    rtype = preloaded.rtype if preloaded is not None else None
    if rtype is None or rtype.event_id != event.id or rtype.code != type_code:
        rtype, preloaded = find_type(event, type_code), None
    if rtype is None:
        errors.add("type", _("Choose one of this event's registration types."))
    cleaned = {"full_name": errors.clean(clean_name, _as_text(full_name)),
               "email": errors.clean(clean_email, _as_text(email)),
               "phone": errors.clean(clean_optional_phone, _as_text(phone))}
    if not isinstance(organization, str | None) or len(organization or "") > 200:
        errors.add("organization", _("At most %(n)d characters.", n=200))
    if consent is not True:
        errors.add("consent", _("Please agree to the personal data notice to continue."))
    sessions = _load_sessions(event, session_ids, errors.fields)
    cleaned_answers: list[dict[str, Any]] = []
    if rtype is not None:
        cleaned_answers, answer_errors = clean_answers(_question_specs(rtype), answers)
        errors.fields.update(answer_errors)
    errors.raise_if_any()
    if not bypass_window and not registration_is_open(event, rtype, now):
        raise RegistrationClosed()
    reg = Registration(
        event_id=event.id, registration_type_id=rtype.id, full_name=cleaned["full_name"],
        email=cleaned["email"], email_normalized=cleaned["email"], phone=cleaned["phone"],
        organization=" ".join((organization or "").split()) or None, answers=cleaned_answers,
        locale=locale if locale in current_app.config["LANGUAGES"] else "vi",
        consent_at=now, consent_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        manage_nonce=new_nonce(), created_at=now, updated_at=now,
        created_by_id=getattr(actor, "id", None))
    _index_person(reg)
    if preloaded is not None and preloaded.organization == organization is not None:
        reg.organization_id = preloaded.organization_id  # a known one, read with the event
    else:
        reg.organization_id = known_organization_id(reg.organization)  # before the seat's lock; no write
    if rtype.confirm_email and actor is not None and _vouches(actor, event):
        reg.email_confirmed_at = now  # an organizer registering someone vouches for the address
    ticket = _issue_ticket(now)  # made before the seat is taken: the lock covers only the writes
    if not sessions and (reg.organization_id is not None or not reg.organization):
        # The morning rush's case – a seat, nothing else to write: in one statement where it can be.
        _seat(reg, rtype, ticket, now)
        try:
            if seated_write.write(reg, event=event, rtype=rtype, actor=actor, notify=notify):
                return reg, manage_token(reg)
        except IntegrityError as exc:
            db.session.rollback()
            if not _refused_by_the_address(event, cleaned["email"]):
                raise
            raise AlreadyRegistered() from exc
        reg.hold_expires_at = reg.ticket_code = reg.confirmed_at = None  # no seat left: the whole way
    statements_in_transaction()  # what follows is several statements: one transaction again
    # From here to the commit the seat's row is locked: only the writes themselves.
    seated = take_seat(RegistrationType, rtype.id)
    if not seated and _released_expired_holds(rtype.id, now):
        seated = take_seat(RegistrationType, rtype.id)
    if seated:
        _seat(reg, rtype, ticket, now)
    elif rtype.waitlist:
        reg.status, reg.waitlisted_at = S.waitlisted, now
    else:
        db.session.rollback()
        if _existing_live(event, cleaned["email"]):  # say the more useful of the two refusals
            raise AlreadyRegistered()
        raise SoldOut()
    holding = reg.status in SEAT_HOLDING
    for session in sorted(sessions, key=lambda item: item.id):  # rows locked in id order, as everywhere
        if holding and not take_seat(EventSession, session.id):
            db.session.rollback()
            raise SessionFull(extra={"session_id": session.id})
        reg.session_choices.append(SessionChoice(session_id=session.id, holding=holding))
    db.session.add(reg)
    try:
        db.session.flush()  # the partial unique index refuses a second live registration
    except IntegrityError as exc:
        db.session.rollback()
        if not _refused_by_the_address(event, cleaned["email"]):
            raise
        raise AlreadyRegistered() from exc
    if reg.organization_id is None and reg.organization:
        # After the flush, so that a rollback above (expired holds) cannot lose a new organization.
        link_organization(reg, kind=OrganizationKind.other)
    record("registration.created", reg, actor=actor, event=event,
           changes={"status": reg.status.value, "type": rtype.code})
    if notify:
        notifications.registered(reg)
    db.session.commit()
    return reg, manage_token(reg)


# --- leaving and the waiting list -------------------------------------------------------------------

def _release_seats(reg: Registration) -> None:
    free_seat(RegistrationType, reg.registration_type_id)
    for choice in sorted(reg.session_choices, key=lambda c: c.session_id):  # rows locked in id order
        if choice.holding:
            free_seat(EventSession, choice.session_id)
            choice.holding = False


def promote_waitlist(rtype_id: int, *, now: datetime) -> list[Promotion]:
    """Moves the oldest waitlisted registrations of a type up while seats are free (no commit)."""
    promotions: list[Promotion] = []
    while True:
        candidate = db.session.scalar(
            db.select(Registration).where(Registration.registration_type_id == rtype_id,
                                          Registration.status == S.waitlisted)
            .order_by(Registration.waitlisted_at, Registration.id).limit(1))
        if candidate is None or not take_seat(RegistrationType, rtype_id):
            return promotions
        new_status = _seat_status(candidate.registration_type, candidate)
        values = _issue_ticket(now) if new_status == S.confirmed else {}
        if new_status == S.pending_email:  # moved up, but the address is still to be proven
            values["hold_expires_at"] = _hold_until(now)
        if not _move(candidate, new_status, now, **values):
            free_seat(RegistrationType, rtype_id)  # another request promoted this one first
            db.session.expire(candidate)
            continue
        dropped = []
        db.session.refresh(candidate, ["session_choices"])  # as they are now that its row is ours
        for choice in sorted(candidate.session_choices, key=lambda c: c.session_id):
            if take_seat(EventSession, choice.session_id):
                choice.holding = True
            else:
                dropped.append(choice.session)
                candidate.session_choices.remove(choice)
        record("registration.promoted", candidate, event=candidate.event,
               changes={"status": new_status.value,
                        "dropped_sessions": [s.id for s in dropped]})
        promotions.append(Promotion(candidate, dropped))


def cancel_registration(reg: Registration, *, actor=None, reason: str | None = None,
                        action: str = "registration.cancelled", notify: bool = True,
                        only_from: RegistrationStatus | None = None,
                        now: datetime | None = None) -> Registration:
    """Cancels (idempotent); a freed seat goes to the oldest waitlisted at once. Commits."""
    now = now or utcnow()
    if reg.status == S.cancelled:
        return reg
    held = reg.holds_seat
    previous = reg.status
    if not _move(reg, S.cancelled, now, cancelled_at=now, cancel_reason=(reason or None)):
        db.session.rollback()
        db.session.refresh(reg)
        if only_from is not None and reg.status != only_from:
            raise NotPending()  # approved (or cancelled) by someone else a moment ago
        return cancel_registration(reg, actor=actor, reason=reason, action=action, notify=notify,
                                   only_from=only_from, now=now)
    promotions: list[Promotion] = []
    db.session.refresh(reg, ["session_choices"])  # as they are now that its row is ours
    if held:
        _release_seats(reg)
        promotions = promote_waitlist(reg.registration_type_id, now=now)
    else:
        for choice in reg.session_choices:
            choice.holding = False
    record(action, reg, actor=actor, event=reg.event,
           changes={"status": [previous.value, S.cancelled.value], "reason": reason})
    if notify:
        notifications.cancelled(reg, reason=reason, by_organizer=action == "registration.rejected",
                                hold_expired=action == "registration.hold_expired")
    for promotion in promotions:
        notifications.promoted(promotion.registration, promotion.dropped_sessions)
    db.session.commit()
    return reg


def _released_expired_holds(rtype_id: int, now: datetime) -> bool:
    """The type looks full: holds whose time ran out give their seats back first (each as a cancel, in
    its own transaction, the waiting list first in line), so an expired hold never counts even if no
    sweep has run. Only then: a type with free seats needs no look (registration's hot path)."""
    db.session.rollback()  # nothing written yet: the failed seat UPDATE is all this transaction holds
    return expire_holds(rtype_id=rtype_id, now=now) > 0


def _vouches(actor, event: Event) -> bool:
    return permissions.can_manage_event(actor, event)


# --- e-mail holds (confirm_email) ---------------------------------------------------------------------

def registration_by_email_token(token: str) -> Registration | None:
    found = read_email_token(token)
    reg = db.session.get(Registration, found[0]) if found else None
    if reg is None or reg.manage_nonce != found[1]:
        return None
    return reg


def confirm_email(reg: Registration, *, now: datetime | None = None) -> Registration:
    """The e-mailed link was opened: a hold becomes confirmed (or pending_approval). Commits.

    Against an expiry at the same moment exactly one wins: both are conditional UPDATEs of the
    status, and this one also requires the hold to be still running. Opening the link again is fine.
    """
    now = now or utcnow()
    if reg.status != S.pending_email:
        if reg.status == S.cancelled:
            raise HoldExpired() if reg.cancel_reason == HOLD_EXPIRED else NotPendingEmail()
        if reg.email_confirmed_at is None:  # waitlisted: proven now, so a freed seat is theirs at once
            reg.email_confirmed_at = now
            record("registration.email_confirmed", reg, event=reg.event)
            db.session.commit()
        return reg
    if reg.hold_expires_at is not None and reg.hold_expires_at <= now:
        expire_holds(rtype_id=reg.registration_type_id, now=now)
        raise HoldExpired()
    new_status = S.pending_approval if reg.registration_type.requires_approval else S.confirmed
    values = _issue_ticket(now) if new_status == S.confirmed else {}
    still_held = (Registration.hold_expires_at.is_(None) | (Registration.hold_expires_at > now),)
    if not _move(reg, new_status, now, where=still_held, email_confirmed_at=now, hold_expires_at=None,
                 **values):
        db.session.rollback()
        db.session.refresh(reg)
        if reg.status == S.cancelled:
            raise HoldExpired() if reg.cancel_reason == HOLD_EXPIRED else NotPendingEmail()
        return reg  # a second click a moment ago confirmed it
    record("registration.email_confirmed", reg, event=reg.event, changes={"status": new_status.value})
    notifications.registered(reg)
    db.session.commit()
    return reg


def expire_holds(*, now: datetime | None = None, rtype_id: int | None = None, limit: int = 500) -> int:
    """Cancels holds whose time ran out, as a cancel does (the waiting list moves up); returns how many.

    Run by `flask registrations expire-holds` (cron), the mail thread every minute, and before each
    capacity decision of a type (lazily). Each hold is cancelled in its own transaction.
    """
    now = now or utcnow()
    stmt = db.select(Registration.id).where(Registration.status == S.pending_email,
                                            Registration.hold_expires_at <= now)
    if rtype_id is not None:
        stmt = stmt.where(Registration.registration_type_id == rtype_id)
    ids = list(db.session.scalars(stmt.order_by(Registration.hold_expires_at, Registration.id).limit(limit)))
    expired = 0
    for reg_id in ids:
        reg = db.session.get(Registration, reg_id)
        if reg is None or reg.status != S.pending_email:
            continue
        try:
            cancel_registration(reg, reason=HOLD_EXPIRED, action="registration.hold_expired",
                                only_from=S.pending_email, now=now)
        except NotPending:
            continue  # confirmed a moment ago: the link won
        if reg.status == S.cancelled:
            expired += 1
    return expired


# --- "lost your link?" ------------------------------------------------------------------------------

def resend_links(event: Event, email: Any, *, now: datetime | None = None) -> None:
    """E-mails the manage links of the address's registrations for the event again. Commits.

    Says nothing either way (the caller answers the same whether or not anything was sent). Both ways do
    the same work – a look-up, an audit row, a commit – and the e-mail is written and sent after the
    commit (the outbox), so the time of the answer does not tell either.
    """
    try:
        address = clean_email(email if isinstance(email, str) else None)
    except ValidationError:
        address = None
    regs = [] if address is None else list(db.session.scalars(
        db.select(Registration).where(Registration.event_id == event.id,
                                      Registration.email_normalized == address)
        .order_by(Registration.status == S.cancelled, Registration.created_at.desc()).limit(5)))
    if regs:
        notifications.links(regs)
    # Organizers can see requests for links (abuse shows); the address itself is not stored here.
    record("registration.links_requested", event, event=event,
           changes={"registrations": [reg.id for reg in regs]})
    db.session.commit()


def approve(reg: Registration, *, actor=None, notify: bool = True, now: datetime | None = None
            ) -> Registration:
    now = now or utcnow()
    if reg.status != S.pending_approval or not _move(reg, S.confirmed, now, **_issue_ticket(now)):
        db.session.rollback()
        raise NotPending()
    record("registration.approved", reg, actor=actor, event=reg.event)
    if notify:
        notifications.approved(reg)
    db.session.commit()
    return reg


def reject(reg: Registration, *, actor=None, reason: str | None = None,
           now: datetime | None = None) -> Registration:
    """Cancels a registration that is still waiting for approval (not one approved meanwhile)."""
    if reg.status != S.pending_approval:
        raise NotPending()
    return cancel_registration(reg, actor=actor, reason=reason, action="registration.rejected",
                               only_from=S.pending_approval, now=now)


# --- changes by the registrant ------------------------------------------------------------------------

def update_details(reg: Registration, *, full_name: str, phone: str | None, organization: str | None,
                   answers: dict | None, actor=None, now: datetime | None = None) -> Registration:
    """Edits name, phone, organization and answers (the e-mail is the person's identity) while
    `can_edit_details` allows it, else RegistrationClosed."""
    if not can_edit_details(reg, now=now):
        raise RegistrationClosed()
    errors = FieldErrors()
    values: dict[str, Any] = {"full_name": errors.clean(clean_name, full_name),
                              "phone": errors.clean(clean_optional_phone, phone),
                              "organization": " ".join((organization or "").split())[:200] or None}
    cleaned_answers, answer_errors = clean_answers(_question_specs(reg.registration_type), answers)
    errors.fields.update(answer_errors)
    errors.raise_if_any()
    values["answers"] = cleaned_answers
    changes = {k: [getattr(reg, k), v] for k, v in values.items() if getattr(reg, k) != v and k != "answers"}
    if reg.answers != cleaned_answers:
        changes["answers"] = "changed"
    for key, value in values.items():
        setattr(reg, key, value)
    _index_person(reg)
    if "organization" in changes:
        link_organization(reg, kind=OrganizationKind.other)
    if changes:
        record("registration.updated", reg, actor=actor, event=reg.event, changes=changes)
    db.session.commit()
    return reg


def change_sessions(reg: Registration, session_ids: list[int], *, actor=None,
                    now: datetime | None = None) -> Registration:
    """Replaces the chosen sessions; refuses the whole change when a new one is full. Commits."""
    errors: dict[str, list[str]] = {}
    sessions = _load_sessions(reg.event, list(session_ids), errors)
    if errors:
        raise ValidationError(errors)
    _lock(reg, now or utcnow())  # a cancel or promotion meanwhile must not be undone by this change
    if reg.status == S.cancelled:
        db.session.rollback()
        raise ValidationError({"sessions": [_("This registration is cancelled.")]})
    wanted = {s.id for s in sessions}
    current = {c.session_id: c for c in reg.session_choices}
    holding = reg.holds_seat
    for session_id in sorted(wanted - current.keys()):
        if holding and not take_seat(EventSession, session_id):
            db.session.rollback()
            raise SessionFull(extra={"session_id": session_id})
        reg.session_choices.append(SessionChoice(session_id=session_id, holding=holding))
    for session_id in sorted(current.keys() - wanted):
        if current[session_id].holding:
            free_seat(EventSession, session_id)
        reg.session_choices.remove(current[session_id])
    record("registration.sessions_changed", reg, actor=actor, event=reg.event,
           changes={"sessions": [sorted(current), sorted(wanted)]})
    db.session.commit()
    return reg


def erase_personal_data(reg: Registration, *, actor=None, now: datetime | None = None) -> None:
    """Decree 13: cancels the registration (freeing its seat) and erases who it was. Commits."""
    if reg.status != S.cancelled:
        cancel_registration(reg, actor=actor, reason="erased", notify=False, now=now)
    old_email, old_values, old_organization = reg.email, (reg.full_name, reg.phone), reg.organization_id
    reg.full_name = "—"
    reg.email = reg.email_normalized = f"erased-{reg.id}@invalid"
    reg.phone = reg.organization = None
    reg.organization_id = None  # where the person worked goes with the rest
    reg.answers = []
    reg.search_text = reg.sort_key = ""
    reg.manage_nonce = new_nonce()  # the old manage link stops working
    forget_traces(reg, old_email, old_values)  # the audit trail's old values, the e-mails' address, payload
    hooks.forget_registration(reg)  # what features above keep of it (the workshops it was scanned in at)
    forget_organization_if_orphan(old_organization)  # an employer's record only this person's row named
    record("registration.erased", reg, actor=actor, event=reg.event)
    db.session.commit()


def export_personal_data(reg: Registration) -> dict[str, Any]:
    """Decree 13: the registration as its registrant downloads it through the manage link."""
    return export_registration(reg)


@mail.periodic
def _sweep_expired_holds() -> None:
    """Expired holds give their seats back even when nobody registers for that type meanwhile."""
    expire_holds()
