"""Celery with Redis as the broker: `celery -A eventhub.jobs.celery_app worker`.

The worker builds the same Flask app (from the same environment) and runs the same `run_job`; the
client and its settings are broker.py's, which web processes use to send jobs by name.
`acks_late` with `reject_on_worker_lost`: a worker killed mid-job gives the job back to the queue;
`run_job` then finds it `running` and leaves it to `flask jobs reap`, which marks it failed. A worker
stopped with SIGTERM (warm shutdown) finishes the jobs it runs before it exits.
"""

from __future__ import annotations

from .. import create_app
from .broker import RUN_JOB, celery
from .runner import run_job

_app = None


@celery.task(name=RUN_JOB)
def run_job_task(job_id: str) -> None:
    global _app
    if _app is None:
        _app = create_app()
    with _app.app_context():
        run_job(job_id)
