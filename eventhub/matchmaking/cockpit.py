"""What matchmaking tells the organizer's cockpit: meetings requested, accepted and scheduled, and the
accepted requests that still need a table and a time. Two queries."""

from __future__ import annotations

from collections import Counter

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import exists, func

from ..extensions import db
from ..hooks import CockpitPart, Decision, Figure
from ..i18n import format_number
from .models import Meeting, MeetingRequest, MeetingStatus, RequestStatus


def load(event, user) -> CockpitPart | None:
    scheduled = exists().where(Meeting.request_id == MeetingRequest.id,
                               Meeting.status == MeetingStatus.scheduled)
    rows = db.session.execute(
        db.select(MeetingRequest.status, func.count(MeetingRequest.id),
                  func.count(MeetingRequest.id).filter(~scheduled))
        .where(MeetingRequest.event_id == event.id).group_by(MeetingRequest.status)).all()
    meetings = db.session.scalar(db.select(func.count(Meeting.id)).where(
        Meeting.event_id == event.id, Meeting.status == MeetingStatus.scheduled)) or 0
    if not rows and not meetings:
        return None
    counts, waiting = Counter(), 0
    for status, n, n_unscheduled in rows:
        counts[status] = n
        if status == RequestStatus.accepted:
            waiting = n_unscheduled
    planning = url_for("matchmaking_admin.slots_page", slug=event.slug)
    listing = url_for("matchmaking_admin.meetings", slug=event.slug)
    figures = [
        Figure(_l("Meetings requested"), sum(counts.values()), listing,
               note=_l("%(n)s waiting for an answer", n=format_number(counts[RequestStatus.pending]))),
        Figure(_l("Meetings scheduled"), meetings, listing),
        Figure(_l("Accepted, not yet scheduled"), waiting, planning),
    ]
    decisions = []
    if waiting:
        decisions.append(Decision(
            ngettext("%(n)s accepted meeting has no table and time yet: run the scheduler",
                     "%(n)s accepted meetings have no table and time yet: run the scheduler", waiting,
                     n=format_number(waiting)),
            waiting, planning))
    return CockpitPart(_l("Investor matchmaking"), listing, figures, decisions, order=70)
