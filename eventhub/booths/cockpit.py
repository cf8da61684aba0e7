"""What booths tell the organizer's cockpit: applications to review, those sent back for changes, and
approved exhibitors without a booth. One query."""

from __future__ import annotations

from collections import Counter

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import exists, func

from ..extensions import db
from ..hooks import CockpitPart, Decision, Figure
from ..i18n import format_number
from .models import BoothPlacement, Exhibitor, ExhibitorStatus

S = ExhibitorStatus


def load(event, user) -> CockpitPart | None:
    placed = exists().where(BoothPlacement.exhibitor_id == Exhibitor.id)
    rows = db.session.execute(
        db.select(Exhibitor.status, func.count(Exhibitor.id), func.count(Exhibitor.id).filter(~placed))
        .where(Exhibitor.event_id == event.id).group_by(Exhibitor.status)).all()
    if not rows:
        return None
    counts, unplaced = Counter(), 0
    for status, n, n_unplaced in rows:
        counts[status] = n
        if status == S.approved:
            unplaced = n_unplaced
    applications = "booths_admin.applications"
    allocation = url_for("booths_admin.allocation_page", slug=event.slug)
    figures = [
        Figure(_l("Applications to review"), counts[S.submitted],
               url_for(applications, slug=event.slug, status=S.submitted.value)),
        Figure(_l("Sent back for changes"), counts[S.changes_requested],
               url_for(applications, slug=event.slug, status=S.changes_requested.value),
               note=_l("waiting for the startup")),
        Figure(_l("Approved exhibitors without a booth"), unplaced, allocation, total=counts[S.approved]),
    ]
    decisions = []
    if counts[S.submitted]:
        decisions.append(Decision(
            ngettext("%(n)s booth application waits for your review",
                     "%(n)s booth applications wait for your review", counts[S.submitted],
                     n=format_number(counts[S.submitted])),
            counts[S.submitted], url_for(applications, slug=event.slug, status=S.submitted.value)))
    if unplaced:
        decisions.append(Decision(
            ngettext("%(n)s approved exhibitor has no booth yet",
                     "%(n)s approved exhibitors have no booth yet", unplaced, n=format_number(unplaced)),
            unplaced, allocation))
    return CockpitPart(_l("Exhibition booths"), url_for(applications, slug=event.slug), figures, decisions,
                       order=50)
