"""The job seam: a job records who, what, state and progress; its result downloads with the same rights."""

import time
from datetime import timedelta

import pytest

from eventhub import jobs, storage
from eventhub.dbtypes import utcnow
from eventhub.jobs.models import Job, JobState
from eventhub.jobs.runner import _ThreadRunner, fail_abandoned
from tests.factories import login, make_event, make_user, token_headers


@jobs.task("test.squares")
def _squares(ctx: jobs.JobContext, n: int, fail_at: int | None = None):
    ctx.set_total(n)
    lines = []
    for i in range(n):
        if i == fail_at:
            raise RuntimeError(f"item {i} is broken")
        lines.append(str(i * i))
        ctx.advance()
    ctx.save_result("\n".join(lines).encode(), "squares.txt", "text/plain")


def test_a_job_runs_to_done_with_progress_and_a_result(app, db):
    user = make_user("organizer")
    job = jobs.start("test.squares", actor=user, n=5)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert (job.state, job.done, job.total) == (JobState.done, 5, 5)
    assert storage.get(job.result_key) == b"0\n1\n4\n9\n16"
    assert job.started_at and job.finished_at


def test_a_failing_job_says_why_and_never_stays_running(app, db):
    job = jobs.start("test.squares", actor=make_user("organizer"), n=5, fail_at=3)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state == JobState.failed and "item 3 is broken" in job.error


def test_api_status_and_result_for_the_starter_and_organizers_only(client, db):
    starter, other, organizer = make_user("participant"), make_user("participant"), make_user("organizer")
    job = jobs.start("test.squares", actor=starter, n=3)
    response = client.get(f"/api/v1/jobs/{job.id}", headers=token_headers(starter))
    assert response.status_code == 200
    status = response.get_json()
    assert status == {"state": "done", "done": 3, "total": 3, "result_url": f"/api/v1/jobs/{job.id}/result"}
    result = client.get(status["result_url"], headers=token_headers(starter))
    assert result.status_code == 200 and result.data == b"0\n1\n4"
    assert client.get(f"/api/v1/jobs/{job.id}", headers=token_headers(organizer)).status_code == 200
    assert client.get(f"/api/v1/jobs/{job.id}", headers=token_headers(other)).status_code == 403
    assert client.get(status["result_url"], headers=token_headers(other)).status_code == 403
    assert client.get(f"/api/v1/jobs/{job.id}").status_code == 401
    assert client.get("/api/v1/jobs/nope", headers=token_headers(starter)).status_code == 404


def test_failed_job_status_has_the_error(client, db):
    starter = make_user("organizer")
    job = jobs.start("test.squares", actor=starter, n=4, fail_at=0)
    status = client.get(f"/api/v1/jobs/{job.id}", headers=token_headers(starter)).get_json()
    assert status["state"] == "failed" and "item 0" in status["error"] and "result_url" not in status


def test_the_progress_page_and_its_status(client, db):
    starter = make_user("organizer")
    event = make_event()
    job = jobs.start("test.squares", actor=starter, event=event, n=2)
    login(client, starter)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'class="progress' in page and "job-progress.js" in page
    assert client.get(f"/jobs/{job.id}/status.json").get_json()["state"] == "done"
    assert client.get(f"/jobs/{job.id}/result").data == b"0\n1"


def test_the_in_process_thread_runner_finishes_the_job(app, db):
    runner = _ThreadRunner(app, workers=1)
    app.extensions["eventhub_jobs"] = runner
    try:
        job = jobs.start("test.squares", actor=make_user("organizer"), n=50)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(Job, job.id).state in (JobState.done, JobState.failed):
                break
            time.sleep(0.05)
    finally:
        app.extensions.pop("eventhub_jobs", None)
        runner.pool.shutdown(wait=True)
    assert db.session.get(Job, job.id).state == JobState.done


def test_a_job_whose_worker_died_is_marked_failed(db):
    job = Job(kind="test.squares", state=JobState.running, heartbeat_at=utcnow() - timedelta(minutes=10))
    db.session.add(job)
    db.session.commit()
    assert fail_abandoned(older_than=timedelta(minutes=5)) == 1
    db.session.refresh(job)
    assert job.state == JobState.failed and job.error


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../../b", "", "a" * 300])
def test_storage_refuses_keys_that_leave_its_folder(app, key):
    with app.app_context(), pytest.raises(ValueError):
        storage.put(key, b"x")


def test_a_job_that_no_worker_took_for_an_hour_is_failed(db):
    job = Job(kind="test.squares", state=JobState.queued, created_at=utcnow() - timedelta(hours=2))
    fresh = Job(kind="test.squares", state=JobState.queued)
    db.session.add_all([job, fresh])
    db.session.commit()
    assert fail_abandoned() == 1
    db.session.refresh(job)
    db.session.refresh(fresh)
    assert job.state == JobState.failed and fresh.state == JobState.queued


def test_a_broker_that_is_down_fails_the_job_instead_of_leaving_it_queued(app, db):
    class _DownBroker:
        def submit(self, job_id):
            raise ConnectionError("Redis is not answering")

    app.extensions["eventhub_jobs"] = _DownBroker()
    try:
        job = jobs.start("test.squares", actor=make_user("organizer"), n=1)
    finally:
        app.extensions.pop("eventhub_jobs", None)
    assert job.state == JobState.failed and "could not be started" in job.error
