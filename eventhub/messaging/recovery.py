"""Messages that stopped half-way are started again, each minute from the mail thread.

`create_message` commits the draft, then starts it; `send_message` commits the start, the recipients and
the job's row together, then the job queues the e-mails. A process that dies in between, a broker that is
down (jobs.start marks the job failed) or a job that raises would leave a message `draft` or `sending`
for ever: this sweep starts drafts left over a minute, and gives a message in `sending` whose job failed,
ended, vanished or was abandoned a fresh job. A second job is harmless: recipients already queued are
skipped (the job's conditional UPDATE), so everyone gets the message once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from .. import mail
from ..dbtypes import utcnow
from ..extensions import db
from ..jobs.models import Job, JobState, new_job_id
from ..jobs.runner import fail_if_abandoned
from . import services
from .models import Message, MessageState

DRAFT_LEFT_AFTER = timedelta(minutes=1)  # create_message starts a draft at once: older, its start was lost
BATCH = 20  # messages one sweep looks at (the next minute takes the rest)
JOB_KIND = "messages.send"


def _job_is_alive(message: Message) -> bool:
    """Whether the message's job may still queue its e-mails (queued or running, not abandoned)."""
    job = db.session.get(Job, message.job_id) if message.job_id else None
    if job is None:
        job = _job_by_params(message)  # started, but its id not yet recorded on the message
    if job is None:
        return False
    job = fail_if_abandoned(job)  # a worker that stopped heart-beating: the job is failed, shown so
    return job.state in (JobState.queued, JobState.running)


def _job_by_params(message: Message) -> Job | None:
    """The newest `messages.send` job of this message, found among its event's jobs (a handful)."""
    candidates = db.session.scalars(
        db.select(Job).where(Job.kind == JOB_KIND, Job.event_id == message.event_id)
        .order_by(Job.created_at.desc()).limit(200))
    return next((job for job in candidates if (job.params or {}).get("message_id") == message.id), None)


def _restart(message_id: int, seen: str | None) -> bool:
    """Claims the message (conditional on the job id seen stuck, so two sweeps restart it once) and starts
    a fresh job. The claim's mark names no job: should this process die too, the next sweep finds the job
    missing and tries again."""
    mark = new_job_id()
    claimed = db.session.execute(
        update(Message).where(Message.id == message_id, Message.state == MessageState.sending,
                              Message.job_id.is_(None) if seen is None else Message.job_id == seen)
        .values(job_id=mark).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.rollback()
        return False
    services.start_job(db.session.get(Message, message_id))  # commits the claim with the job's row
    return True


@mail.periodic
def resume_stuck_messages(*, now: datetime | None = None) -> int:
    """Starts drafts whose start was lost and restarts messages in `sending` whose job is not running;
    returns how many this call (re)started."""
    now = now or utcnow()
    drafts = list(db.session.scalars(
        db.select(Message.id).where(Message.state == MessageState.draft,
                                    Message.created_at <= now - DRAFT_LEFT_AFTER)
        .order_by(Message.id).limit(BATCH)))
    sending = list(db.session.scalars(
        db.select(Message).where(Message.state == MessageState.sending).order_by(Message.id).limit(BATCH)))
    stuck = [(message.id, message.job_id) for message in sending if not _job_is_alive(message)]
    db.session.rollback()  # nothing held while jobs start
    started = sum(1 for message_id in drafts if services.send_message(message_id, now=now) is not None)
    return started + sum(1 for message_id, seen in stuck if _restart(message_id, seen))
