"""GET /jobs/{job_id} and its result, for who started the job or an organizer."""

from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from .. import permissions, storage
from ..downloads import file_response
from ..errors import NotFound
from ..extensions import db
from ..jobs.models import Job, JobState
from ..jobs.routes import job_status
from ..jobs.runner import fail_if_abandoned
from .auth import require
from .schemas import refusals

blp = Blueprint("api_jobs", __name__, description="Background jobs")


class JobStatusSchema(Schema):
    state = fields.String(required=True, metadata={"enum": [s.value for s in JobState]})
    done = fields.Integer(required=True)
    total = fields.Integer(required=True)
    result_url = fields.String()
    error = fields.String()


def _job(job_id: str) -> Job:
    job = db.session.get(Job, job_id) if len(job_id) <= 32 else None
    if job is None:
        raise NotFound(code="job_not_found")
    return fail_if_abandoned(job)


@blp.get("/jobs/<job_id>")
@blp.response(200, JobStatusSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=[{"bearerAuth": []}])
def get_job(job_id):
    """A job's state and progress; `result_url` once it is done."""
    job = _job(job_id)
    require(permissions.can_view_job, job)
    return job_status(job, url_for(".get_result", job_id=job.id))


@blp.get("/jobs/<job_id>/result")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream",
              description="The job's file (a PDF for badges and certificates).")
@refusals(blp, 401, 403, 404)
@blp.doc(security=[{"bearerAuth": []}])
def get_result(job_id):
    """Downloads the result of a finished job, with the same authorization."""
    job = _job(job_id)
    require(permissions.can_view_job, job)
    if job.state != JobState.done or not job.result_key or not storage.exists(job.result_key):
        raise NotFound(code="result_not_ready")
    return file_response(storage.get(job.result_key), job.result_mimetype, job.result_filename)
