"""The job page with its progress bar, and the result download, for people signed in."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, url_for
from flask_login import current_user, login_required

from .. import permissions, storage
from ..downloads import file_response
from ..extensions import db
from .labels import JOB_LABELS
from .models import Job, JobState
from .runner import fail_if_abandoned

bp = Blueprint("jobs", __name__)


@bp.app_context_processor
def _job_labels():
    return {"job_labels": JOB_LABELS}


def load_visible_job(job_id: str, user) -> Job:
    job = db.session.get(Job, job_id) if len(job_id) <= 32 else None
    if job is None:
        abort(404)
    if not permissions.can_view_job(user, job):
        abort(403)
    return fail_if_abandoned(job)


def job_status(job: Job, result_url: str) -> dict:
    """The answer of api.md for a job (the page's script reads the same)."""
    status = {"state": job.state.value, "done": job.done, "total": job.total}
    if job.state == JobState.done and job.result_key:
        status["result_url"] = result_url
    if job.state == JobState.failed:
        status["error"] = job.error or ""
    return status


@bp.get("/jobs/<job_id>")
@login_required
def show(job_id: str):
    job = load_visible_job(job_id, current_user)
    return render_template("jobs/show.html", job=job)


@bp.get("/jobs/<job_id>/status.json")
@login_required
def status(job_id: str):
    job = load_visible_job(job_id, current_user)
    return jsonify(job_status(job, url_for(".result", job_id=job.id)))


@bp.get("/jobs/<job_id>/result")
@login_required
def result(job_id: str):
    job = load_visible_job(job_id, current_user)
    if job.state != JobState.done or not job.result_key or not storage.exists(job.result_key):
        abort(404)
    return file_response(storage.get(job.result_key), job.result_mimetype, job.result_filename)
