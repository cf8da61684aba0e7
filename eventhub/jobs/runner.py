"""Starting jobs, running them, and reporting their progress."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import update

from .. import storage
from ..dbtypes import utcnow
from ..errors import EventHubError
from ..extensions import db
from ..mail import periodic
from . import broker
from .models import Job, JobState

log = logging.getLogger(__name__)
_TASKS: dict[str, Callable] = {}
PROGRESS_EVERY = 0.5  # seconds between progress writes: the bar moves, the database is not flooded
RESUME_BATCH = 20  # queued jobs a process takes up at a time (runs claim them one by one anyway)


class JobReleased(Exception):
    """The process is stopping: the job goes back to the queue, for another process to run from the start."""


def task(kind: str):
    """Registers `function(ctx: JobContext, **params)` as the work of jobs of `kind`."""
    def register(function: Callable) -> Callable:
        _TASKS[kind] = function
        return function
    return register


class JobContext:
    """What a task uses to report: how many items in all, how many done, and the result file."""

    def __init__(self, job: Job, stopping: threading.Event | None = None):
        self.job_id = job.id
        self._done = 0
        self._written_at = 0.0
        self._stopping = stopping

    def set_total(self, total: int) -> None:
        self._give_back_if_stopping()
        self._write(total=total)

    def advance(self, n: int = 1) -> None:
        self._done += n
        self._give_back_if_stopping()  # before the write: the unfinished step is rolled back with the job
        if time.monotonic() - self._written_at >= PROGRESS_EVERY:
            self._write(done=self._done)

    def _give_back_if_stopping(self) -> None:
        if self._stopping is not None and self._stopping.is_set():
            raise JobReleased()

    def save_result(self, data: bytes, filename: str, mimetype: str) -> None:
        key = storage.put(f"jobs/{self.job_id}/{filename}", data)
        self._write(done=self._done, result_key=key, result_filename=filename, result_mimetype=mimetype)

    def _write(self, **values) -> None:
        db.session.execute(update(Job).where(Job.id == self.job_id)
                           .values(heartbeat_at=utcnow(), **values)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        self._written_at = time.monotonic()


def run_job(job_id: str, *, stopping: threading.Event | None = None) -> None:
    """Runs a queued job to its end (done or failed); a job already taken is left alone. Once `stopping`
    is set, the job is given back to the queue at its next progress report (tasks run again from the start:
    badges and certificates are recorded at the end or idempotently)."""
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.state == JobState.queued)
        .values(state=JobState.running, started_at=utcnow(), heartbeat_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.commit()
    if claimed.rowcount != 1:
        return
    job = db.session.get(Job, job_id)
    context = JobContext(job, stopping)
    try:
        _TASKS[job.kind](context, **job.params)
    except JobReleased:
        db.session.rollback()
        _release(job_id)
        log.info("Job %s (%s) given back to the queue: this process is stopping", job_id, job.kind)
        return
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


def _release(job_id: str) -> None:
    db.session.execute(update(Job).where(Job.id == job_id, Job.state == JobState.running)
                       .values(state=JobState.queued, started_at=None, heartbeat_at=None, done=0)
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
        self.stopping = threading.Event()  # set: running jobs give their work back at their next report
        self.closed = False
        self.futures: dict[str, Future] = {}  # job id → its run, until it ends

    def submit(self, job_id: str) -> None:
        with self.lock:
            if self.closed or job_id in self.futures:
                return  # stopping: the job stays queued for another process (resume_queued)
            future = self.futures[job_id] = self.pool.submit(self._run, job_id)
        future.add_done_callback(lambda _done: self._forget(job_id))

    def _forget(self, job_id: str) -> None:
        with self.lock:
            self.futures.pop(job_id, None)

    def _run(self, job_id: str) -> None:
        with self.app.app_context():
            run_job(job_id, stopping=self.stopping)

    def stop(self, grace: float, give_back: float) -> bool:
        """Takes no more jobs (those not started stay queued); running ones get `grace` seconds to end,
        then `give_back` seconds to return to the queue. True when no job thread is left running."""
        with self.lock:
            self.closed = True
            running = list(self.futures.values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        _done, pending = wait(running, timeout=grace)
        if pending:
            self.stopping.set()
            _done, pending = wait(pending, timeout=give_back)
        return not pending


class _CeleryRunner:
    def submit(self, job_id: str) -> None:
        broker.send(job_id)


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


# --- a process's start and stop -----------------------------------------------------------------------

def resume_queued(*, start_runner: bool = False) -> int:
    """Hands the queued jobs to this process when it runs jobs in threads – those a stopped process gave
    back or never took – and returns how many; each run claims its job, so no job runs twice.
    `start_runner`: make the runner if the process has none yet (at a web worker's start)."""
    runner = _runner() if start_runner else current_app.extensions.get("eventhub_jobs")
    if not isinstance(runner, _ThreadRunner) or runner.closed:
        return 0  # Celery keeps its own queue; eager runs never wait
    ids = list(db.session.scalars(db.select(Job.id).where(Job.state == JobState.queued)
                                  .order_by(Job.created_at).limit(RESUME_BATCH)))
    db.session.rollback()  # the read's transaction is not held while the jobs run
    for job_id in ids:
        runner.submit(job_id)
    return len(ids)


periodic(resume_queued)  # each minute, from the web process's mail thread


def stop_threads(app: Flask, *, grace: float = 10, give_back: float = 10) -> bool:
    """At a process's exit: the in-process job threads end their jobs or give them back (see
    _ThreadRunner.stop). True when none is left running."""
    runner = app.extensions.get("eventhub_jobs")
    if not isinstance(runner, _ThreadRunner):
        return True
    return runner.stop(grace, give_back)
