"""A stopping process's background threads give back what they hold (issue 22): the mail thread the rest
of its round, a job thread its job, which another process's runner then takes up and finishes."""

from __future__ import annotations

import threading
import time

from eventhub import jobs
from eventhub.extensions import db as _db
from eventhub.jobs.models import Job, JobState
from eventhub.jobs.runner import _ThreadRunner, resume_queued, run_job
from eventhub.mail import outbox
from eventhub.mail.models import EmailStatus, OutboundEmail

STOP_AFTER_ONE = threading.Event()


@outbox.builder("test.stop_after_one")
def _build_and_stop(n: int):
    STOP_AFTER_ONE.set()  # the process is told to stop while the first e-mail is being sent
    return None


@jobs.task("test.counts")
def _counts(ctx: jobs.JobContext, n: int):
    ctx.set_total(n)
    for _ in range(n):
        ctx.advance()
    ctx.save_result(b"counted", "counts.txt", "text/plain")


def test_a_stopping_mail_round_finishes_one_e_mail_and_gives_the_rest_back(app, db):
    STOP_AFTER_ONE.clear()
    for n in range(3):
        outbox.queue("test.stop_after_one", to=f"a{n}@example.vn", n=n)
    _db.session.info.pop("outbox_dirty", None)  # delivered by hand below
    _db.session.commit()
    assert outbox.deliver_due(stop=STOP_AFTER_ONE) == (1, 0)
    emails = _db.session.scalars(db.select(OutboundEmail).order_by(OutboundEmail.id)).all()
    assert [e.status for e in emails] == [EmailStatus.sent, EmailStatus.pending, EmailStatus.pending]
    assert [e.attempts for e in emails] == [1, 0, 0]  # given back uncounted, due at once
    assert outbox.deliver_due() == (2, 0)


def test_a_stopping_job_goes_back_to_the_queue_and_another_runner_finishes_it(app, db):
    job = Job(kind="test.counts", params={"n": 5})
    _db.session.add(job)
    _db.session.commit()
    stopping = threading.Event()
    stopping.set()
    run_job(job.id, stopping=stopping)
    _db.session.expire_all()
    released = _db.session.get(Job, job.id)
    assert (released.state, released.done, released.started_at) == (JobState.queued, 0, None)

    runner = _ThreadRunner(app, workers=1)
    app.extensions["eventhub_jobs"] = runner
    try:
        assert resume_queued() == 1
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _db.session.get(Job, job.id).state != JobState.done:
            time.sleep(0.05)
            _db.session.expire_all()
        assert runner.stop(grace=5, give_back=5)
    finally:
        app.extensions.pop("eventhub_jobs", None)
    finished = _db.session.get(Job, job.id)
    assert (finished.state, finished.done, finished.total) == (JobState.done, 5, 5)
    assert resume_queued() == 0  # a process without a thread runner takes nothing up
