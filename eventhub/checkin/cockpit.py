"""What the gate tells the organizer's cockpit: who came today and on the event's days. One query."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from ..dbtypes import utcnow
from ..extensions import db
from ..hooks import CockpitPart, Figure
from . import days
from .models import CheckIn
from .services import event_day


def load(event, user) -> CockpitPart:
    today = event_day(event, utcnow())
    person = CheckIn.registration_id
    today_n, event_days_n = db.session.execute(
        db.select(func.count(func.distinct(case((CheckIn.day == today, person)))),
                  func.count(func.distinct(case((days.on_event_days(event), person)))))
        .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None))).one()
    stats = url_for("checkin.stats", slug=event.slug)
    figures = []
    if days.day_phase(event, today) == days.DURING:
        figures.append(Figure(_l("Checked in today"), today_n or 0, stats))
    figures.append(Figure(_l("Came on the event's days"), event_days_n or 0, stats))
    return CockpitPart(_l("Check-in"), url_for("checkin.desk", slug=event.slug), figures, order=20)
