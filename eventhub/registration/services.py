"""Registration rules: register, cancel, approve, reject, the waiting list, details and sessions.

States and their moves are stated here once (`_move`); nothing else sets a status:
  (new) → confirmed | pending_approval | waitlisted
  pending_approval → confirmed (approve) | cancelled (reject, cancel)
  waitlisted → confirmed | pending_approval (a seat frees up) | cancelled
  confirmed → cancelled
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..dbtypes import MAX_ID, utcnow
from ..errors import ValidationError
from ..events.models import Event
from ..extensions import db
from ..validation import FieldErrors, clean_email, clean_name, clean_optional_phone
from ..vietnamese import fold, name_sort_key
from . import notifications
from .answers import QuestionSpec, clean_answers
from .errors import AlreadyRegistered, NotPending, RegistrationClosed, SessionFull, SoldOut
from .models import (
    LIVE,
    SEAT_HOLDING,
    EventSession,
    Registration,
    RegistrationStatus,
    RegistrationType,
    SessionChoice,
)
from .seats import free_seat, take_seat
from .tickets import make_manage_token, make_ticket_code, new_nonce, ticket_key

log = logging.getLogger(__name__)
S = RegistrationStatus

_MOVES = {
    S.pending_approval: {S.confirmed, S.cancelled},
    S.waitlisted: {S.confirmed, S.pending_approval, S.cancelled},
    S.confirmed: {S.cancelled},
    S.cancelled: set(),
}


@dataclass
class Promotion:
    """A waitlisted registration that moved up, and the sessions it could not keep."""

    registration: Registration
    dropped_sessions: list[EventSession] = field(default_factory=list)


def _move(reg: Registration, new: RegistrationStatus, now: datetime, **values: Any) -> bool:
    """Moves `reg` from its current status to `new` only if nobody moved it first."""
    if new not in _MOVES[reg.status]:
        raise ValueError(f"{reg.status} → {new} is not a move")
    result = db.session.execute(
        update(Registration).where(Registration.id == reg.id, Registration.status == reg.status)
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


def manage_token(reg: Registration) -> str:
    return make_manage_token(reg.id, reg.manage_nonce)


def _index_person(reg: Registration) -> None:
    """The derived columns for Vietnamese ordering and accent-free search."""
    letters, tones, _name = name_sort_key(reg.full_name)
    reg.sort_key = _encode_sort_key(letters, tones)
    reg.search_text = fold(" ".join(filter(None, [reg.full_name, reg.email, reg.phone or "",
                                                  (reg.phone or "").replace("+84", "0"),
                                                  reg.organization or ""])))[:800]


def _encode_sort_key(letters, tones) -> str:
    # Fixed-width base-36 digits compare byte by byte exactly as the tuples compare.
    def part(values, width):
        return "".join(_base36(v, width) for v in values)

    words = [part(word, 2) + "00" for word in letters]  # "00" ends a word: shorter sorts first
    return ("".join(words) + "|" + "".join(part(t, 1) for t in tones))[:400]


def _base36(value, width: int) -> str:
    number = value + 1 if isinstance(value, int) else 36 ** width - 1
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    number = min(number, 36 ** width - 1)
    out = ""
    for _position in range(width):
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out


# --- registering ----------------------------------------------------------------------------------

def find_type(event: Event, code: str | None) -> RegistrationType | None:
    if not isinstance(code, str) or not code:
        return None
    return db.session.scalar(db.select(RegistrationType).filter_by(event_id=event.id, code=code))


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


def _existing_live(event: Event, email_normalized: str) -> Registration | None:
    return db.session.scalar(db.select(Registration).where(
        Registration.event_id == event.id, Registration.email_normalized == email_normalized,
        Registration.status.in_(LIVE)))


def _as_text(value):
    """JSON may bring a number where text belongs; the cleaners then judge its digits."""
    return value if isinstance(value, str) or value is None else str(value)


def register(event: Event, *, type_code: str | None, full_name: str | None, email: str | None,
             consent: Any, phone: str | None = None, organization: str | None = None,
             answers: dict | None = None, session_ids: list[int] | None = None, locale: str = "vi",
             actor=None, bypass_window: bool = False, notify: bool = True,
             now: datetime | None = None) -> tuple[Registration, str]:
    """Registers a person; returns the registration and its manage token. Commits."""
    now = now or utcnow()
    errors = FieldErrors()
    rtype = find_type(event, type_code)
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
    ticket = _issue_ticket(now)  # made before the seat is taken: the lock covers only the writes
    # From here to the commit the seat's row is locked: only the writes themselves.
    if take_seat(RegistrationType, rtype.id):
        reg.status = S.pending_approval if rtype.requires_approval else S.confirmed
    elif rtype.waitlist:
        reg.status, reg.waitlisted_at = S.waitlisted, now
    else:
        db.session.rollback()
        if _existing_live(event, cleaned["email"]):  # say the more useful of the two refusals
            raise AlreadyRegistered()
        raise SoldOut()
    if reg.status == S.confirmed:
        reg.ticket_code, reg.confirmed_at = ticket["ticket_code"], ticket["confirmed_at"]
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
        raise AlreadyRegistered() from exc
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
        approval = candidate.registration_type.requires_approval
        new_status = S.pending_approval if approval else S.confirmed
        values = {} if approval else _issue_ticket(now)
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
        notifications.cancelled(reg, reason=reason, by_organizer=action == "registration.rejected")
    for promotion in promotions:
        notifications.promoted(promotion.registration, promotion.dropped_sessions)
    db.session.commit()
    return reg


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
    """Edits name, phone, organization and answers (the e-mail is the person's identity)."""
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
    old_email = reg.email
    reg.full_name = "—"
    reg.email = reg.email_normalized = f"erased-{reg.id}@invalid"
    reg.phone = reg.organization = None
    reg.answers = []
    reg.search_text = reg.sort_key = ""
    reg.manage_nonce = new_nonce()  # the old manage link stops working
    from .erasure import forget_traces

    forget_traces(reg, old_email)  # the audit trail's old values, the e-mails' address and payload
    record("registration.erased", reg, actor=actor, event=reg.event)
    db.session.commit()


def export_personal_data(reg: Registration) -> dict[str, Any]:
    return {
        "event": reg.event.name, "type": reg.registration_type.name, "status": reg.status.value,
        "full_name": reg.full_name, "email": reg.email, "phone": reg.phone,
        "organization": reg.organization, "answers": reg.answers,
        "sessions": [c.session.title for c in reg.session_choices],
        "consent": {"given_at": reg.consent_at.isoformat() if reg.consent_at else None,
                    "notice_version": reg.consent_version},
        "created_at": reg.created_at.isoformat(),
    }
