"""What the certificate tests share: the day's moment and person, running the job, what it issued."""

from __future__ import annotations

from datetime import datetime

from eventhub import jobs
from eventhub.certificates import services
from eventhub.certificates.models import Certificate
from eventhub.jobs.models import Job, JobState
from tests.factories import HCMC

MORNING = datetime(2026, 12, 14, 8, 30, tzinfo=HCMC)
TRUC = "Nguyễn Thị Quý Trúc"


def run_job(db, event, organizer, kind, registration_ids=None, session_id=None) -> Job:
    """Runs the certificates job; fails the test unless it finished."""
    job_id = jobs.start(
        "certificates",
        actor=organizer,
        event=event,
        event_id=event.id,
        certificate_kind=kind,
        registration_ids=registration_ids,
        actor_id=organizer.id,
        session_id=session_id,
    ).id
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.state == JobState.done, job.error
    return job


def certificates(db, event, kind=None) -> list[Certificate]:
    """The event's certificates as the database has them now."""
    db.session.expire_all()
    return list(db.session.scalars(services.for_event(event, kind=kind)))
