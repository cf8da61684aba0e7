"""E-mails to registrants, in the language they registered in.

Sent after the commit; a mail server that is down never undoes a registration (the failure is
logged and the manage page still shows the ticket).
"""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l

from .. import mail
from ..urls import external_url
from .qr import qr_png

log = logging.getLogger(__name__)


def _send(reg, template: str, subject, **context) -> None:
    from .services import manage_token

    attachments = []
    if reg.status.value == "confirmed" and reg.ticket_code:
        attachments.append(("ticket-qr.png", "image/png", qr_png(reg.ticket_code)))
    try:
        mail.send_template(
            reg.email, template, locale=reg.locale, subject=subject, attachments=attachments,
            reg=reg, event=reg.event, manage_url=external_url("registration.manage",
                                                              token=manage_token(reg)),
            **context)
    except Exception:
        log.exception("Could not e-mail registration %s (%s)", reg.id, template)


def registered(reg) -> None:
    subjects = {
        "confirmed": _l("Your registration is confirmed: %(event)s"),
        "pending_approval": _l("We received your registration: %(event)s"),
        "waitlisted": _l("You are on the waiting list: %(event)s"),
    }
    _send(reg, "registration_received", _lazy_format(subjects[reg.status.value], reg))


def promoted(reg, dropped_sessions) -> None:
    subject = (_l("A place is free – you are in: %(event)s") if reg.status.value == "confirmed"
               else _l("A place is free – your registration awaits approval: %(event)s"))
    _send(reg, "registration_promoted", _lazy_format(subject, reg), dropped_sessions=dropped_sessions)


def approved(reg) -> None:
    _send(reg, "registration_received", _lazy_format(_l("Your registration is confirmed: %(event)s"), reg))


def cancelled(reg, *, reason: str | None, by_organizer: bool) -> None:
    subject = (_l("Your registration was not accepted: %(event)s") if by_organizer
               else _l("Your registration is cancelled: %(event)s"))
    _send(reg, "registration_cancelled", _lazy_format(subject, reg), reason=reason,
          by_organizer=by_organizer)


class _lazy_format:
    """A subject translated only when the e-mail is rendered in the registrant's language."""

    def __init__(self, message, reg):
        self.message, self.event_name = message, reg.event.name

    def __str__(self) -> str:
        return str(self.message) % {"event": self.event_name}
