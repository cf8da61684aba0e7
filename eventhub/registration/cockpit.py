"""What registration tells the organizer's cockpit: places taken per type, approvals, the waiting list
and when registration opens or closes. Two queries, whatever the number of registrations."""

from __future__ import annotations

from collections import Counter

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func

from ..dbtypes import utcnow
from ..extensions import db
from ..hooks import CockpitPart, Deadline, Decision, Figure
from ..i18n import format_number
from . import catalog
from .models import SEAT_HOLDING, Registration, RegistrationStatus

S = RegistrationStatus


def load(event, user) -> CockpitPart | None:
    types = catalog.types_of(event)
    if not types:
        return None
    counts: dict[int, Counter] = {rtype.id: Counter() for rtype in types}
    rows = db.session.execute(db.select(Registration.registration_type_id, Registration.status,
                                        func.count(Registration.id))
                              .where(Registration.event_id == event.id)
                              .group_by(Registration.registration_type_id, Registration.status))
    for type_id, status, n in rows:
        counts.setdefault(type_id, Counter())[status] += n
    total = sum(counts.values(), Counter())
    listing = "registration_admin.registrations"

    figures = [Figure(rtype.name, sum(counts[rtype.id][s] for s in SEAT_HOLDING),
                      url_for(listing, slug=event.slug, type=rtype.code), total=rtype.capacity,
                      note=_("registered of %(n)s places", n=format_number(rtype.capacity)) if rtype.capacity
                      else _("registered, no limit"), meter=True)
               for rtype in types]
    figures.append(Figure(_l("Waiting for approval"), total[S.pending_approval],
                          url_for(listing, slug=event.slug, status=S.pending_approval.value)))
    figures.append(Figure(_l("On the waiting list"), total[S.waitlisted],
                          url_for(listing, slug=event.slug, status=S.waitlisted.value)))

    decisions = []
    if total[S.pending_approval]:
        decisions.append(Decision(
            ngettext("%(n)s registration waits for your approval",
                     "%(n)s registrations wait for your approval", total[S.pending_approval],
                     n=format_number(total[S.pending_approval])),
            total[S.pending_approval],
            url_for(listing, slug=event.slug, status=S.pending_approval.value, sort="oldest")))

    now = utcnow()
    deadlines = []
    for rtype in types:
        edit = url_for("registration_admin.edit_type", slug=event.slug, type_id=rtype.id)
        if rtype.opens_at and rtype.opens_at > now:
            deadlines.append(Deadline(_("Registration opens: %(type)s", type=rtype.name), rtype.opens_at,
                                      edit))
        if rtype.closes_at and rtype.closes_at > now:
            deadlines.append(Deadline(_("Registration closes: %(type)s", type=rtype.name), rtype.closes_at,
                                      edit))
    return CockpitPart(_l("Registrations"), url_for(listing, slug=event.slug), figures, decisions,
                       deadlines, order=10)
