"""Background jobs with progress: bulk badges, certificates, bulk e-mail.

A job is a row (who started it, what, state, done/total, result file, error). `start()` records
it and hands the work to a runner: in-process (a worker thread, or at once when JOBS_EAGER) – or,
with REDIS_URL set, to Celery workers (`celery -A eventhub.jobs.celery_app worker`). The task
functions are the same either way; they report progress through `JobContext`.
"""

from .runner import JobContext, start, task

__all__ = ["JobContext", "start", "task"]
