"""Badges: one person's badge as a PDF, and the bulk badge job of an event (api.md)."""

from __future__ import annotations

from functools import wraps

from flask import request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import jobs, permissions
from ..badges import services as badges
from ..downloads import file_response
from ..errors import Forbidden, NotAuthenticated, NotFound, ValidationError
from ..extensions import db
from ..registration.models import Registration, RegistrationType
from .auth import current_api_user
from .registration_access import (
    BINARY,
    MANAGE_TOKEN_HEADER,
    MAX_ID,
    ORGANIZER,
    ORGANIZER_OR_MANAGE_TOKEN,
    STATUSES,
    _manage_token_grants,
    managed_event,
)
from .schemas import ErrorSchema, RequestSchema, refusals

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


def _badge_registration(reg_id: int) -> Registration:
    """The registration for organizers and staff of its event, or for its own manage token.

    As for the other registration endpoints, credentials are checked before existence: 401 without
    any, 403 with wrong ones; organizers learn 404 for an id that names nothing.
    """
    user = current_api_user()
    token_sent = bool(request.headers.get(MANAGE_TOKEN_HEADER, "").strip())
    if user is None and not token_sent:
        raise NotAuthenticated(
            _("Send a valid token (Authorization: Bearer TOKEN) or the registration's manage token."))
    reg = db.session.get(Registration, reg_id) if 1 <= reg_id <= MAX_ID else None
    if reg is not None and user is not None and permissions.can_check_in(user, reg.event):
        return reg
    if token_sent:
        granted = _manage_token_grants(reg_id, reg)
        if granted:
            return reg
        if granted is None:
            raise NotFound(_("There is no such registration."), code="registration_not_found")
    if reg is None and permissions.is_organizer(user):
        raise NotFound(_("There is no such registration."), code="registration_not_found")
    raise Forbidden(_("You are not allowed to do this."), code="forbidden")


def badge_registration_in_path(view):
    """Reads the `id` in the path into `reg` for who may have its badge, before the query is read."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, reg=_badge_registration(kwargs.pop("id")), **kwargs)

    return wrapper


@blp.get("/registrations/<int:id>/badge.pdf")
@badge_registration_in_path
@blp.arguments(BadgeArgsSchema, location="query")
@blp.response(200, BINARY, content_type="application/pdf", description="The badge, one page.")
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`not_confirmed`: no ticket, so no badge")
@refusals(blp, 422)
@blp.doc(security=[*ORGANIZER_OR_MANAGE_TOKEN])
def get_badge(args, reg):
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
