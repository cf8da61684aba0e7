"""Badges: one person's badge as a PDF, and the bulk badge job of an event (api.md)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import jobs, permissions
from ..badges import services as badges
from ..downloads import file_response
from ..errors import ValidationError
from ..extensions import db
from ..registration.models import RegistrationType
from .access import ORGANIZER, ORGANIZER_OR_MANAGE_TOKEN, managed_event, registration_in_path
from .registration_schemas import STATUSES
from .schemas import BINARY, ErrorSchema, RequestSchema, refusals

blp = Blueprint("api_badges", __name__, description="Badges")

LAYOUT = fields.String(validate=validate.OneOf(badges.LAYOUTS), load_default="a6",
                       metadata={"description": "`a6`: one badge a page; `a4-4up`: four an A4 sheet."})


class BadgeArgsSchema(RequestSchema):
    layout = LAYOUT


class BadgeJobSchema(RequestSchema):
    layout = fields.String(required=True, validate=validate.OneOf(badges.LAYOUTS))
    type = fields.String(load_default=None, allow_none=True,
                         metadata={"description": "A registration type's code; none: every type."})
    status = fields.String(load_default="confirmed", validate=validate.OneOf(STATUSES),
                           metadata={"description": "Only confirmed registrations have a ticket, and "
                                                    "so a badge: other statuses give an empty job."})


class JobStartedSchema(RequestSchema):
    job_id = fields.String(required=True)


@blp.get("/registrations/<int:id>/badge.pdf")
@registration_in_path(manage_token=True, predicate=permissions.can_check_in)  # credentials before existence
@blp.arguments(BadgeArgsSchema, location="query")
@blp.response(200, BINARY, content_type="application/pdf", description="The badge, one page.")
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`not_confirmed`: no ticket, so no badge")
@refusals(blp, 422)
@blp.doc(security=[*ORGANIZER_OR_MANAGE_TOKEN])
def get_badge(args, reg, user):
    """One person's badge (organizers and gate staff of its event, or its manage token)."""
    pdf = badges.registration_badge_pdf(reg, args["layout"])
    return file_response(pdf, "application/pdf", f"badge-{reg.event.slug}-{reg.id}.pdf")


@blp.post("/events/<slug>/badges")
@managed_event
@blp.arguments(BadgeJobSchema)
@blp.response(202, JobStartedSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(422, schema=ErrorSchema, description="unknown layout, status or type")
@blp.doc(security=ORGANIZER)
def start_badges(body, event, user):
    """Starts the bulk badge job: one badge per registration, ordered by Vietnamese given name."""
    type_code = body["type"] or None
    if type_code and not db.session.scalar(
            db.select(RegistrationType.id).filter_by(event_id=event.id, code=type_code)):
        raise ValidationError({"type": [_("This event has no registration type with this code.")]})
    job = jobs.start("badges", actor=user, event=event, event_id=event.id, layout=body["layout"],
                     type=type_code, status=body["status"])
    return {"job_id": job.id}
