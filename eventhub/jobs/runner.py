"""Starting jobs, running them, and reporting their progress."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import update

from .. import storage
from ..dbtypes import utcnow
from ..errors import EventHubError
from ..extensions import db
from .models import Job, JobState

log = logging.getLogger(__name__)
_TASKS: dict[str, Callable] = {}
PROGRESS_EVERY = 0.5  # seconds between progress writes: the bar moves, the database is not flooded


def task(kind: str):
    """Registers `function(ctx: JobContext, **params)` as the work of jobs of `kind`."""
    def register(function: Callable) -> Callable:
        _TASKS[kind] = function
        return function
    return register


class JobContext:
    """What a task uses to report: how many items in all, how many done, and the result file."""

    def __init__(self, job: Job):
        self.job_id = job.id
        self._done = 0
        self._written_at = 0.0

    def set_total(self, total: int) -> None:
        self._write(total=total)

    def advance(self, n: int = 1) -> None:
        self._done += n
        if time.monotonic() - self._written_at >= PROGRESS_EVERY:
            self._write(done=self._done)

    def save_result(self, data: bytes, filename: str, mimetype: str) -> None:
        key = storage.put(f"jobs/{self.job_id}/{filename}", data)
        self._write(done=self._done, result_key=key, result_filename=filename, result_mimetype=mimetype)

    def _write(self, **values) -> None:
        db.session.execute(update(Job).where(Job.id == self.job_id)
                           .values(heartbeat_at=utcnow(), **values)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        self._written_at = time.monotonic()


def run_job(job_id: str) -> None:
    """Runs a queued job to its end (done or failed); a job already taken is left alone."""
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == JobState.queued)
        .values(state=JobState.running, started_at=utcnow(), heartbeat_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.commit()
    if claimed.rowcount != 1:
        return
    job = db.session.get(Job, job_id)
    context = JobContext(job)
    try:
        _TASKS[job.kind](context, **job.params)
    except Exception as exc:
        db.session.rollback()
        log.exception("Job %s (%s) failed", job_id, job.kind)
        # A broken rule (EventHubError) is said as its message, written for the people who read it.
        reason = exc.describe() if isinstance(exc, EventHubError) else f"{type(exc).__name__}: {exc}"
        _finish(job_id, JobState.failed, error=reason[:2000])
        return
    _finish(job_id, JobState.done, done=context._done)


def _finish(job_id: str, state: JobState, **values) -> None:
    db.session.execute(update(Job).where(Job.id == job_id)
                       .values(state=state, finished_at=utcnow(), heartbeat_at=utcnow(), **values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def fail_abandoned(*, older_than: timedelta = timedelta(minutes=5),
                   queued_older_than: timedelta = timedelta(hours=1)) -> int:
    """Jobs whose worker died (no heartbeat for a while), or that no worker took for an hour (the
    process holding them in memory died), are marked failed: never left running or queued."""
    now = utcnow()
    total = 0
    for state, cutoff in ((JobState.running, older_than), (JobState.queued, queued_older_than)):
        column = Job.heartbeat_at if state == JobState.running else Job.created_at
        result = db.session.execute(
            update(Job).where(Job.state == state, column < now - cutoff)
            .values(state=JobState.failed, finished_at=now,
                    error="The worker stopped before finishing this job; please start it again.")
            .execution_options(synchronize_session=False))
        total += result.rowcount
    db.session.commit()
    return total


def fail_if_abandoned(job: Job) -> Job:
    """Marks `job` failed when it reads as abandoned (the rule of `flask jobs reap`), so a job whose
    worker was killed shows "failed" on its page at once, even where nobody scheduled the reaper."""
    now = utcnow()
    running_for = timedelta(seconds=current_app.config.get("JOBS_ABANDONED_AFTER", 300))
    if ((job.state == JobState.running and (job.heartbeat_at or job.created_at) < now - running_for)
            or (job.state == JobState.queued and job.created_at < now - timedelta(hours=1))):
        fail_abandoned(older_than=running_for)
        db.session.refresh(job)
    return job


def start(kind: str, *, actor=None, event=None, **params) -> Job:
    """Records a job and hands it to the runner; returns it (state `queued`). Commits."""
    if kind not in _TASKS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params, created_by_id=getattr(actor, "id", None),
              event_id=getattr(event, "id", None))
    db.session.add(job)
    db.session.commit()
    try:
        _runner().submit(job.id)
    except Exception as exc:  # the broker (Redis) is down: say so rather than stay queued forever
        log.exception("Job %s could not be handed to a worker", job.id)
        _finish(job.id, JobState.failed, error=f"The job could not be started: {type(exc).__name__}")
        db.session.refresh(job)
    return job


# --- runners ------------------------------------------------------------------------------------------

class _EagerRunner:
    """JOBS_EAGER (tests): the job runs at once, in a fresh app context, before `start` returns."""

    def submit(self, job_id: str) -> None:
        with current_app.app_context():
            run_job(job_id)


class _ThreadRunner:
    """Without Redis: worker threads in this process (the same code as on Celery workers)."""

    def __init__(self, app: Flask, workers: int):
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eventhub-job")
        self.lock = threading.Lock()

    def submit(self, job_id: str) -> None:
        self.pool.submit(self._run, job_id)

    def _run(self, job_id: str) -> None:
        with self.app.app_context():
            run_job(job_id)


class _CeleryRunner:
    def submit(self, job_id: str) -> None:
        from .celery_app import run_job_task

        run_job_task.delay(job_id)


def _runner():
    app = current_app._get_current_object()
    runner = app.extensions.get("eventhub_jobs")
    if runner is None:
        if app.config.get("JOBS_EAGER"):
            runner = _EagerRunner()
        elif app.config.get("REDIS_URL"):
            runner = _CeleryRunner()
        else:
            runner = _ThreadRunner(app, app.config.get("JOBS_THREADS", 1))
        runner = app.extensions.setdefault("eventhub_jobs", runner)
    return runner
