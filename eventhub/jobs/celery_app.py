"""Celery with Redis as the broker: `celery -A eventhub.jobs.celery_app worker`.

The worker builds the same Flask app (from the same environment) and runs the same `run_job`.
`acks_late` with `reject_on_worker_lost`: a worker killed mid-job gives the job back to the queue;
`run_job` then finds it `running` and leaves it to `flask jobs reap`, which marks it failed.
"""

from __future__ import annotations

import os

from celery import Celery

from .. import create_app
from .runner import run_job

celery = Celery("eventhub", broker=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
celery.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                   broker_connection_retry_on_startup=True,
                   task_default_queue=os.environ.get("CELERY_QUEUE", "eventhub"))
_app = None


@celery.task(name="eventhub.run_job")
def run_job_task(job_id: str) -> None:
    global _app
    if _app is None:
        _app = create_app()
    with _app.app_context():
        run_job(job_id)
