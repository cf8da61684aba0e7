"""What reports tells the organizer's cockpit: once an event has ended, who of its confirmed registrants
came, said no, or stayed away (reports/attendance.py). One query for an event that has ended, none before:
until the end, nobody who has not come yet is a no-show."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..dbtypes import utcnow
from ..hooks import CockpitPart, Figure
from ..i18n import format_share
from .attendance import ENDED_COLUMNS, event_attendance
from .labels import ATTENDANCE_LABELS


def load(event, user, *, now=None) -> CockpitPart | None:
    now = now or utcnow()
    if event.ends_at > now:
        return None
    total = event_attendance(event, now=now).total
    if not total.base:
        return None  # nobody was confirmed: no share to tell
    url = url_for("reports.event_dashboard", slug=event.slug, _anchor="attendance")
    figures = [Figure(ATTENDANCE_LABELS[key], getattr(total, key), url, total=total.base,
                      note=format_share(total.share(key)))
               for key in ENDED_COLUMNS if key != "base"]
    figures.append(Figure(_l("Seats left empty without cancelling"), total.empty_seats, url, total=total.base,
                          note=_("%(share)s: how far to overbook next time",
                                 share=format_share(total.empty_seat_share))))
    return CockpitPart(_l("Attendance and no-shows"), url, figures, order=25)
