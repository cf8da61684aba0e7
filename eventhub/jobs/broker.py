"""The Celery client that web processes and the Celery worker share (Redis as the broker).

Web processes send a job by the task's name (`send`), so they never import the worker's module
(celery_app.py, which builds the Flask app and runs `run_job`); the dependency goes one way:
celery_app → runner → broker. Without the `workers` extra there is no client, and jobs run in-process.

`acks_late` with `reject_on_worker_lost`: a worker killed mid-job gives the job back to the queue.
"""

from __future__ import annotations

import os

try:
    from celery import Celery
except ImportError:  # no `workers` extra: jobs run in threads of the web process
    Celery = None

RUN_JOB = "eventhub.run_job"

celery = None
if Celery is not None:
    celery = Celery("eventhub", broker=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    celery.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                       broker_connection_retry_on_startup=True,
                       task_default_queue=os.environ.get("CELERY_QUEUE", "eventhub"))


def send(job_id: str) -> None:
    """Queues the job for a Celery worker."""
    if celery is None:
        raise RuntimeError("REDIS_URL is set but Celery is not installed: pip install '.[workers]'")
    celery.send_task(RUN_JOB, args=[job_id])
