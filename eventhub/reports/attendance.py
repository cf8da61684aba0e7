"""No-show figures of one event: who of its confirmed registrants came, said no, or stayed away.

The base is every registration that was confirmed: confirmed now, or cancelled by answering "I cannot
attend" (attending False – the answer cancels). Each falls in exactly one part, so the parts sum to the
base: came (at least one check-in, not undone, on one of the event's days – a test scan before the event
is no attendance, as for the report's `checked_in`), said no, said yes but did not come, neither came
nor answered. A waitlisted, pending or otherwise cancelled registration never held a confirmed seat and
is not counted. Shares are fractions of the base, not rounded (api.md: 6 decimals at least).

One aggregate query for the whole event (grouped by registration type), whatever its size. Before the
event has ended, those who have not come are not no-shows yet: `ended` says which, and what people read
(`table`) shows the answers so far instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_

from ..checkin.days import on_event_days
from ..checkin.models import CheckIn
from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db
from ..i18n import format_number, format_share
from ..registration.models import Registration, RegistrationStatus, RegistrationType
from .labels import ATTENDANCE_LABELS, ATTENDANCE_LABELS_SO_FAR

PARTS = ("checked_in", "said_no", "said_yes_absent", "silent_absent")  # they sum to the base
# `said_yes` (came or not) is not a part: the answers so far, what an event not yet over can show.
COUNTS = ("base", *PARTS, "said_yes")
ENDED_COLUMNS = ("base", *PARTS)
SO_FAR_COLUMNS = ("base", "checked_in", "said_no", "said_yes")


@dataclass(frozen=True)
class Tally:
    """The counts of one registration type, or of the whole event."""

    base: int = 0
    checked_in: int = 0
    said_no: int = 0
    said_yes_absent: int = 0
    silent_absent: int = 0
    said_yes: int = 0

    def share(self, key: str) -> float | None:
        """The count `key` as a fraction of the base; None when nobody was confirmed."""
        return getattr(self, key) / self.base if self.base else None

    @property
    def empty_seats(self) -> int:
        """Seats left empty without a word of cancelling: said yes and stayed away, or never answered."""
        return self.said_yes_absent + self.silent_absent

    @property
    def empty_seat_share(self) -> float | None:
        return self.empty_seats / self.base if self.base else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{key: getattr(self, key) + getattr(other, key) for key in COUNTS})

    def as_json(self) -> dict:
        return {**{key: getattr(self, key) for key in COUNTS},
                "shares": {key: self.share(key) for key in COUNTS if key != "base"}}


@dataclass(frozen=True)
class TypeTally:
    code: str
    name: str
    tally: Tally


@dataclass(frozen=True)
class Attendance:
    """The event's partition, per registration type (every type of the event, in its order) and in total."""

    ended: bool
    by_type: list[TypeTally] = field(default_factory=list)

    @property
    def total(self) -> Tally:
        return sum((row.tally for row in self.by_type), Tally())

    def as_json(self) -> dict:
        return {"ended": self.ended, "total": self.total.as_json(),
                "by_type": [{"code": row.code, "name": row.name, **row.tally.as_json()}
                            for row in self.by_type]}


def was_confirmed():
    """SQL: the registration counts in the base (confirmed, or cancelled by answering no)."""
    return or_(Registration.status == RegistrationStatus.confirmed,
               and_(Registration.status == RegistrationStatus.cancelled, Registration.attending.is_(False)))


def event_attendance(event: Event, *, now: datetime | None = None) -> Attendance:
    """The no-show figures of `event` in one query; `ended` as of `now`."""
    now = now or utcnow()
    came_ids = (db.select(CheckIn.registration_id)
                .where(CheckIn.event_id == event.id, CheckIn.undone_at.is_(None), on_event_days(event))
                .distinct().subquery())
    came = came_ids.c.registration_id.is_not(None)
    answer = Registration.attending

    def count(*whens) -> object:
        return func.coalesce(func.sum(case(*whens, else_=0)), 0)

    rows = db.session.execute(
        db.select(RegistrationType.code, RegistrationType.name, func.count(Registration.id),
                  count((came, 1)),
                  count((came, 0), (answer.is_(False), 1)),
                  count((came, 0), (answer.is_(True), 1)),
                  count((came, 0), (and_(Registration.id.is_not(None), answer.is_(None)), 1)),
                  count((answer.is_(True), 1)))
        .select_from(RegistrationType)
        .outerjoin(Registration, and_(Registration.registration_type_id == RegistrationType.id,
                                      was_confirmed()))
        .outerjoin(came_ids, came_ids.c.registration_id == Registration.id)
        .where(RegistrationType.event_id == event.id)
        .group_by(RegistrationType.id, RegistrationType.code, RegistrationType.name,
                  RegistrationType.position)
        .order_by(RegistrationType.position, RegistrationType.id))
    return Attendance(ended=event.ends_at <= now,
                      by_type=[TypeTally(code, name, Tally(*(int(n) for n in counts)))
                               for code, name, *counts in rows])


# --- how people read it: the dashboard, the PDF, the XLSX and the cockpit ---------------------------

def columns(attendance: Attendance) -> list[tuple[str, str]]:
    """(key, label) of the table's columns after the type, in the current language: the parts once the
    event has ended; before, the answers so far (nobody is a no-show yet)."""
    if attendance.ended:
        return [(key, str(ATTENDANCE_LABELS[key])) for key in ENDED_COLUMNS]
    return [(key, str(ATTENDANCE_LABELS_SO_FAR.get(key, ATTENDANCE_LABELS[key]))) for key in SO_FAR_COLUMNS]


def _cells(tally: Tally, keys, locale: str | None) -> list[dict]:
    return [{"key": key, "value": getattr(tally, key), "number": format_number(getattr(tally, key), locale),
             "share": None if key == "base" else tally.share(key),
             "percent": "" if key == "base" else format_share(tally.share(key), locale)} for key in keys]


def table(attendance: Attendance, locale: str | None = None) -> dict:
    """Everything the report's table shows, as plain data in the current language (or `locale`)."""
    keys = [key for key, _label in columns(attendance)]
    total = attendance.total
    if attendance.ended:
        note = _("%(share)s of confirmed registrants left their seat empty without cancelling: they said "
                 "they would come and stayed away, or never answered. Use this share to decide how far to "
                 "overbook next time.", share=format_share(total.empty_seat_share, locale))
    else:
        note = _("The event has not ended yet: nobody who has not come is counted as a no-show until it "
                 "ends. The answers so far are shown; after the event, these figures help decide how far "
                 "to overbook next time.")
    types = [{"code": row.code, "name": row.name, "cells": _cells(row.tally, keys, locale)}
             for row in attendance.by_type]
    totals = _cells(total, keys, locale)
    return {
        "ended": attendance.ended,
        "heading": _("Attendance and no-shows"),
        "type_label": _("Registration type"),
        "total_label": _("Total"),
        "columns": columns(attendance),
        "types": types,  # a row per type, a column per part (the workbook)
        "total": totals,
        # a row per part, its label in words, a column per type and the total (the page and the PDF)
        "parts": [{"key": key, "label": label,
                   "cells": [row["cells"][index] for row in types] + [totals[index]]}
                  for index, (key, label) in enumerate(columns(attendance))],
        "note": note,
        "base_note": _("Confirmed registrations, with those cancelled by answering that they would not "
                       "come; shares are of these."),
    }
