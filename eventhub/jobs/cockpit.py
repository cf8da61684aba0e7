"""What background jobs tell the organizer's cockpit: the event's jobs that failed and were not run again
with success since (a failure that a later run of the same kind mended needs no one; one merely queued
or running has mended nothing yet). Two queries."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func
from sqlalchemy.orm import aliased

from ..extensions import db
from ..hooks import CockpitPart, Decision
from ..i18n import format_datetime, format_number
from .labels import JOB_LABELS
from .models import Job, JobState

SHOWN = 3  # the latest failures named one by one; the rest are counted


def _unmended(event):
    later = aliased(Job)
    mended = (db.select(later.id).where(later.event_id == Job.event_id, later.kind == Job.kind,
                                        later.created_at > Job.created_at, later.state == JobState.done)
              .exists())
    return (Job.event_id == event.id, Job.state == JobState.failed, ~mended)


def load(event, user) -> CockpitPart | None:
    condition = _unmended(event)
    total = db.session.scalar(db.select(func.count(Job.id)).where(*condition)) or 0
    if not total:
        return None
    latest = db.session.scalars(db.select(Job).where(*condition).order_by(Job.created_at.desc())
                                .limit(SHOWN)).all()
    decisions = [Decision(_("The job “%(job)s” failed on %(when)s",
                            job=JOB_LABELS.get(job.kind, _("A background job")),
                            when=format_datetime(job.created_at, event.tz)), 1,
                          url_for("jobs.show", job_id=job.id), urgent=True)
                 for job in latest]
    if total > SHOWN:
        rest = total - SHOWN
        decisions.append(Decision(ngettext("and %(n)s more failed job", "and %(n)s more failed jobs",
                                           rest, n=format_number(rest)), rest,
                                  url_for("jobs.show", job_id=latest[-1].id), urgent=True))
    return CockpitPart(_l("Background jobs"), url_for("jobs.show", job_id=latest[0].id), decisions=decisions,
                       order=90)
