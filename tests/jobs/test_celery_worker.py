"""With REDIS_URL set, a job goes through Redis to a real Celery worker process and ends done.

Needs Redis on 127.0.0.1:6379 (`.ci/run` starts it). The worker is `celery -A
eventhub.jobs.celery_app worker` in a subprocess, on the test's own database and file storage, on
a queue of its own so that nothing else in Redis is taken.
"""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventhub import jobs, storage
from eventhub.jobs.models import Job, JobState
from tests.factories import make_type, make_user, open_event, register

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def celery_worker(app, database_url, tmp_path):
    from eventhub.jobs import celery_app
    from eventhub.jobs.runner import _CeleryRunner

    queue = f"eventhub-test-{secrets.token_hex(4)}"
    files = tmp_path / "files"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "CELERY_QUEUE": queue,
           "FILE_STORAGE_DIR": str(files), "EVENTHUB_INSTANCE_PATH": str(tmp_path / "instance"),
           "MAIL_DELIVERY": "worker",
           # a worker starts as production does (no EVENTHUB_CONFIG is production): it needs a real key
           "EVENTHUB_CONFIG": "production", "SECRET_KEY": secrets.token_hex(32)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "eventhub.jobs.celery_app", "worker", "--pool", "solo",
         "--queues", queue, "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    previous = celery_app.celery.conf.broker_url, celery_app.celery.conf.task_default_queue
    celery_app.celery.conf.update(broker_url=REDIS_URL, task_default_queue=queue)
    app.config["FILE_STORAGE_DIR"] = str(files)
    app.extensions["eventhub_jobs"] = _CeleryRunner()
    yield worker
    app.extensions.pop("eventhub_jobs", None)
    app.config["FILE_STORAGE_DIR"] = None
    celery_app.celery.conf.update(broker_url=previous[0], task_default_queue=previous[1])
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def test_a_badge_job_runs_on_a_celery_worker(app, db, celery_worker):
    event = open_event()
    rtype = make_type(event)
    for name in ("Trần Thị An", "Lê Văn Bình", "Nguyễn Chí Cường"):
        register(event, rtype, full_name=name)
    job = jobs.start("badges", actor=make_user("organizer"), event=event, event_id=event.id, layout="a6",
                     type=None, status="confirmed")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        db.session.expire_all()
        state = db.session.get(Job, job.id).state
        if state in (JobState.done, JobState.failed) or celery_worker.poll() is not None:
            break
        time.sleep(0.2)
    db.session.expire_all()
    finished = db.session.get(Job, job.id)
    output = "" if celery_worker.poll() is None else celery_worker.stdout.read().decode(errors="replace")
    assert finished.state == JobState.done, (finished.error, output)
    assert (finished.done, finished.total) == (3, 3)
    assert storage.get(finished.result_key).startswith(b"%PDF")
