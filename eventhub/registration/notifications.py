"""E-mails to registrants, in the language they registered in.

Each function queues an e-mail in the caller's transaction (see eventhub.mail); the builders
below write it when it is delivered, from the registration as it then is and the status it had
when the e-mail was queued.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import mail
from ..extensions import db
from ..urls import external_url
from .models import EventSession, Registration
from .qr import qr_png
from .tickets import make_email_token, make_manage_token

SUBJECTS = {
    "confirmed": _l("Your registration is confirmed: %(event)s"),
    "pending_approval": _l("We received your registration: %(event)s"),
    "waitlisted": _l("You are on the waiting list: %(event)s"),
    "promoted_confirmed": _l("A place is free – you are in: %(event)s"),
    "promoted_pending_approval": _l("A place is free – your registration awaits approval: %(event)s"),
    "rejected": _l("Your registration was not accepted: %(event)s"),
    "cancelled": _l("Your registration is cancelled: %(event)s"),
    "pending_email": _l("Open this link to keep your seat: %(event)s"),
    "promoted_pending_email": _l("A place is free – open this link to take it: %(event)s"),
    "hold_expired": _l("Your seat was released: %(event)s"),
    "links": _l("Your registration links: %(event)s"),
}


RECEIVED = "registration.received"  # also written by seated_write, without the unit of work


def registered(reg: Registration) -> None:
    mail.queue(RECEIVED, to=reg.email, registration_id=reg.id, status=reg.status.value)


def approved(reg: Registration) -> None:
    mail.queue("registration.received", to=reg.email, registration_id=reg.id, status="confirmed")


def promoted(reg: Registration, dropped_sessions: list[EventSession]) -> None:
    mail.queue("registration.promoted", to=reg.email, registration_id=reg.id, status=reg.status.value,
               dropped_session_ids=[s.id for s in dropped_sessions])


def cancelled(reg: Registration, *, reason: str | None, by_organizer: bool, hold_expired: bool = False
              ) -> None:
    mail.queue("registration.cancelled", to=reg.email, registration_id=reg.id, reason=reason,
               by_organizer=by_organizer, hold_expired=hold_expired)


def links(regs: list[Registration]) -> None:
    """The manage links of one address's registrations for an event, e-mailed again ("lost your link?")."""
    mail.queue("registration.links", to=regs[0].email, registration_ids=[r.id for r in regs])


class _Subject:
    """Translated only when rendered, in the registrant's language."""

    def __init__(self, key: str, event_name: str):
        self.key, self.event_name = key, event_name

    def __str__(self) -> str:
        return str(SUBJECTS[self.key]) % {"event": self.event_name}


def _render(reg: Registration | None, template: str, subject_key: str, status: str, **context):
    if reg is None or reg.email.endswith("@invalid"):
        return None  # erased in the meantime: nobody to write to
    attachments = []
    if status == "confirmed" and reg.ticket_code:
        attachments.append(("ticket-qr.png", "image/png", qr_png(reg.ticket_code)))
    manage_url = external_url("registration.manage", token=make_manage_token(reg.id, reg.manage_nonce))
    return mail.render(reg.email, template, locale=reg.locale, subject=_Subject(subject_key, reg.event.name),
                       attachments=attachments, reg=reg, event=reg.event, status=status,
                       manage_url=manage_url, **_hold_context(reg), **context)


def _hold_context(reg: Registration) -> dict:
    """The confirmation link, for a hold (pending_email) or a waitlisted person whose type asks for one."""
    wants_link = reg.status.value == "pending_email" or (
        reg.status.value == "waitlisted" and reg.registration_type.confirm_email
        and not reg.email_confirmed_at)
    if not wants_link:
        return {"confirm_url": None, "hold_minutes": None}
    token = make_email_token(reg.id, reg.manage_nonce)
    return {"confirm_url": external_url("registration.confirm_email", token=token),
            "hold_minutes": current_app.config["EMAIL_HOLD_MINUTES"]}


@mail.builder(RECEIVED)
def _build_received(registration_id: int, status: str):
    return _render(db.session.get(Registration, registration_id), "registration_received", status, status)


@mail.builder("registration.promoted")
def _build_promoted(registration_id: int, status: str, dropped_session_ids: list[int]):
    dropped = [db.session.get(EventSession, i) for i in dropped_session_ids]
    return _render(db.session.get(Registration, registration_id), "registration_promoted",
                   f"promoted_{status}", status, dropped_sessions=[s for s in dropped if s])


@mail.builder("registration.cancelled")
def _build_cancelled(registration_id: int, reason: str | None, by_organizer: bool,
                     hold_expired: bool = False):
    subject = "rejected" if by_organizer else "hold_expired" if hold_expired else "cancelled"
    return _render(db.session.get(Registration, registration_id), "registration_cancelled",
                   subject, "cancelled", reason=None if hold_expired else reason,
                   by_organizer=by_organizer, hold_expired=hold_expired)


@mail.builder("registration.links")
def _build_links(registration_ids: list[int]):
    regs = [r for r in (db.session.get(Registration, i) for i in registration_ids)
            if r is not None and not r.email.endswith("@invalid")]
    if not regs:
        return None
    first = regs[0]
    entries = [{"reg": r, "manage_url": external_url("registration.manage",
                                                      token=make_manage_token(r.id, r.manage_nonce)),
                **_hold_context(r)} for r in regs]
    return mail.render(first.email, "registration_links", locale=first.locale,
                       subject=_Subject("links", first.event.name), event=first.event, reg=first,
                       entries=entries)
