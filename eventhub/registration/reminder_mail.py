"""The reminder e-mail, written at delivery from the registration as it then is (issue 18).

It carries what a registrant needs on the day – the ticket (QR attached, as the confirmation does), the
time in the event's zone, the place with a map link, their sessions – and the two answers to "will you
come?". The answers are links to a page that asks for one press of a button: mail scanners open links,
and a GET never changes anything.
"""

from __future__ import annotations

from urllib.parse import quote

from flask_babel import lazy_gettext as _l

from .. import mail
from ..dbtypes import utcnow
from ..extensions import db
from ..i18n import format_datetime
from ..mail.outbox import ERASED_DOMAIN
from ..urls import external_url
from .models import Registration, RegistrationStatus
from .qr import qr_png
from .tickets import make_manage_token

KIND = "registration.reminder"
SUBJECT = _l("Reminder: %(event)s starts %(when)s")
MAP_SEARCH = "https://www.google.com/maps/search/?api=1&query="


class _Subject:
    """Translated only when rendered, in the registrant's language."""

    def __init__(self, event_name: str, when: str):
        self.event_name, self.when = event_name, when

    def __str__(self) -> str:
        return str(SUBJECT) % {"event": self.event_name, "when": self.when}


def map_url(venue: str) -> str:
    return MAP_SEARCH + quote(venue, safe="") if venue else ""


def attendance_url(token: str, answer: str) -> str:
    return external_url("registration.attendance", token=token, answer=answer)


@mail.builder(KIND)
def build_reminder(registration_id: int):
    """None – nothing to send – once the registration is no longer confirmed, was erased, or the event is
    over (a reminder delayed by a mail server that was down past the event says nothing useful)."""
    reg = db.session.get(Registration, registration_id)
    if reg is None or reg.email.endswith(ERASED_DOMAIN) or reg.status != RegistrationStatus.confirmed:
        return None
    event = reg.event
    if utcnow() >= event.ends_at:
        return None
    token = make_manage_token(reg.id, reg.manage_nonce)
    sessions = sorted((c.session for c in reg.session_choices if c.holding),
                      key=lambda s: (s.starts_at, s.id))
    attachments = [("ticket-qr.png", "image/png", qr_png(reg.ticket_code))] if reg.ticket_code else []
    return mail.render(
        reg.email, "registration_reminder", locale=reg.locale, to_name=reg.full_name,
        subject=_Subject(event.name, format_datetime(event.starts_at, event.tz)), attachments=attachments,
        reg=reg, event=event, sessions=sessions, map_url=map_url(event.venue),
        manage_url=external_url("registration.manage", token=token),
        yes_url=attendance_url(token, "yes"), no_url=attendance_url(token, "no"),
        lost_link_url=external_url("registration.lost_link", slug=event.slug))
