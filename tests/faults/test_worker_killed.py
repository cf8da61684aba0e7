"""A worker process killed (SIGKILL) in the middle of a badge job: the job never stays "running". Its
heartbeat stops, so its page and the API show it failed once the silence passes JOBS_ABANDONED_AFTER,
and `flask jobs reap` does the same for every such job; a new job then runs to the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pytest

from eventhub.extensions import db as _db
from eventhub.jobs.models import Job, JobState
from eventhub.jobs.runner import fail_abandoned
from tests.factories import make_type, make_user, open_event, register, token_headers
from tests.support.world import sign_in

pytestmark = pytest.mark.slow

WORKER = textwrap.dedent("""
    import sys, time
    from eventhub import create_app
    from eventhub.badges import services as badges
    from eventhub.jobs.runner import run_job

    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                      "FILE_STORAGE_DIR": sys.argv[2]})
    badges.CHUNK_SIZE = 2
    render = badges.render_badges
    def slow(data, layout):  # a slow printer: the job is sure to be mid-way when it is killed
        time.sleep(0.4)
        return render(data, layout)
    badges.render_badges = slow
    with app.app_context():
        run_job(sys.argv[3])
""")


def _queued_badge_job(event, organizer) -> Job:
    params = {"event_id": event.id, "layout": "a6", "type": None, "status": "confirmed"}
    job = Job(kind="badges", params=params, created_by_id=organizer.id, event_id=event.id)
    _db.session.add(job)
    _db.session.commit()
    return job


def _state(job_id: str) -> Job:
    _db.session.expire_all()
    return _db.session.get(Job, job_id)


def _start_and_kill(app, job_id: str, files) -> Job:
    command = [sys.executable, "-c", WORKER, app.config["SQLALCHEMY_DATABASE_URI"], str(files), job_id]
    worker = subprocess.Popen(command, cwd=os.getcwd())
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = _state(job_id)
            if job.state == JobState.running and job.done > 0:
                break
            assert worker.poll() is None, "the worker ended before it could be killed"
            time.sleep(0.1)
        else:
            raise AssertionError("the job never got going")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    job = _state(job_id)
    assert job.state == JobState.running and 0 < job.done < job.total  # as the dead worker left it
    return job


@pytest.fixture
def badge_event(db):
    organizer = make_user("organizer")
    event = open_event(slug="badge-day")
    rtype = make_type(event, code="visitor")
    for i in range(16):
        register(event, rtype, full_name=f"Nguyễn Văn Khách {i}", email=f"k{i}@example.vn", notify=False)
    return event, organizer


def test_the_page_shows_a_killed_job_failed_once_its_heartbeat_stops(app, db, badge_event, tmp_path,
                                                                    monkeypatch):
    event, organizer = badge_event
    job = _start_and_kill(app, _queued_badge_job(event, organizer).id, tmp_path)
    client = app.test_client()
    sign_in(client, organizer)
    # A fresh heartbeat: it could still be alive; it is not declared dead yet.
    assert client.get(f"/jobs/{job.id}/status.json").get_json()["state"] == "running"
    monkeypatch.setitem(app.config, "JOBS_ABANDONED_AFTER", 1)
    time.sleep(1.5)
    status = client.get(f"/jobs/{job.id}/status.json").get_json()
    assert status["state"] == "failed"
    assert "stopped" in status["error"]
    assert client.get(f"/jobs/{job.id}").status_code == 200
    api = client.get(f"/api/v1/jobs/{job.id}", headers=token_headers(organizer)).get_json()
    assert api["state"] == "failed"
    # Starting the badges again works, to the end.
    again = _queued_badge_job(event, organizer)
    from eventhub.jobs.runner import run_job

    run_job(again.id)
    finished = _state(again.id)
    assert finished.state == JobState.done and finished.done == finished.total == 16


def test_reap_marks_every_abandoned_job_failed(app, db, badge_event, tmp_path):
    event, organizer = badge_event
    job = _start_and_kill(app, _queued_badge_job(event, organizer).id, tmp_path)
    assert fail_abandoned(older_than=timedelta(minutes=5)) == 0  # the heartbeat is recent
    time.sleep(1.1)
    result = app.test_cli_runner().invoke(args=["jobs", "reap", "--minutes", "0"])
    assert result.exit_code == 0 and "Marked 1 abandoned" in result.output, result.output
    assert _state(job.id).state == JobState.failed
