"""E-mails to exhibitors: each step of their application, and their booth once confirmed."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from .. import mail
from ..extensions import db
from ..urls import external_url
from .models import Exhibitor

SUBJECTS = {
    "submitted": _l("We received your booth application: %(event)s"),
    "approved": _l("Your booth application is approved: %(event)s"),
    "rejected": _l("Your booth application was not accepted: %(event)s"),
    "changes_requested": _l("Please update your booth application: %(event)s"),
    "assigned": _l("Your booth at %(event)s"),
    "unplaced": _l("No booth for you yet at %(event)s"),
}


class _Subject:
    def __init__(self, key: str, event_name: str):
        self.key, self.event_name = key, event_name

    def __str__(self) -> str:
        return str(SUBJECTS[self.key]) % {"event": self.event_name}


def application_step(exhibitor: Exhibitor, step: str) -> None:
    """Queues the e-mail of an application step (submitted, approved, rejected, changes_requested)."""
    mail.queue("booths.application", to=exhibitor.contact_email, exhibitor_id=exhibitor.id, step=step,
               note=exhibitor.review_note)


def booth_confirmed(exhibitor: Exhibitor, booth_code: str | None, days: list[str]) -> None:
    mail.queue("booths.assigned", to=exhibitor.contact_email, exhibitor_id=exhibitor.id,
               booth=booth_code, days=days)


def _locale(exhibitor: Exhibitor) -> str:
    return exhibitor.user.locale if exhibitor.user else "vi"


@mail.builder("booths.application")
def _build_application(exhibitor_id: int, step: str, note: str | None):
    exhibitor = db.session.get(Exhibitor, exhibitor_id)
    if exhibitor is None:
        return None
    return mail.render(exhibitor.contact_email, "booth_application", locale=_locale(exhibitor),
                       subject=_Subject(step, exhibitor.event.name), exhibitor=exhibitor,
                       event=exhibitor.event, step=step, note=note,
                       url=external_url("booths.my_application", slug=exhibitor.event.slug))


@mail.builder("booths.assigned")
def _build_assigned(exhibitor_id: int, booth: str | None, days: list[str]):
    exhibitor = db.session.get(Exhibitor, exhibitor_id)
    if exhibitor is None:
        return None
    shown = [date.fromisoformat(d).strftime("%d/%m/%Y") for d in days]
    return mail.render(exhibitor.contact_email, "booth_assigned", locale=_locale(exhibitor),
                       subject=_Subject("assigned" if booth else "unplaced", exhibitor.event.name),
                       exhibitor=exhibitor, event=exhibitor.event, booth=booth, days=shown,
                       map_url=external_url("booths.floor_map", slug=exhibitor.event.slug))
