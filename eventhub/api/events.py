"""Events: list, create, read, patch."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import permissions
from ..events import services
from ..events.models import EventKind
from . import access
from .access import SLUG
from .auth import require, token_required
from .pagination import paginate
from .schemas import PageArgsSchema, RequestSchema, list_of, refusals

blp = Blueprint("api_events", __name__, description="Events of the series")

KINDS = [kind.value for kind in EventKind]


class EventSchema(RequestSchema):
    id = fields.Integer(dump_only=True)
    slug = fields.String(required=True, validate=[validate.Length(min=1, max=80), SLUG])
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    # Shown in the event's own time zone, with its offset.
    starts_at = fields.DateTime(required=True, attribute="local_starts_at", data_key="starts_at")
    ends_at = fields.DateTime(required=True, attribute="local_ends_at", data_key="ends_at")
    timezone = fields.String(load_default=None, metadata={"example": "Asia/Ho_Chi_Minh"})
    venue = fields.String(load_default="", validate=validate.Length(max=300))
    description = fields.String(load_default="")
    registration_open = fields.Boolean(load_default=False)
    reminder_hours = fields.Integer(load_default=24, strict=True, validate=validate.Range(min=0, max=720),
                                    metadata={"description": "Hours before the start when confirmed "
                                              "registrants are reminded; 0: no reminder."})


class EventCreateSchema(EventSchema):
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)


class EventPatchSchema(RequestSchema):
    slug = fields.String(validate=[validate.Length(min=1, max=80), SLUG])
    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = fields.String(validate=validate.OneOf(KINDS))
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    timezone = fields.String()
    venue = fields.String(validate=validate.Length(max=300))
    description = fields.String()
    registration_open = fields.Boolean()
    reminder_hours = fields.Integer(strict=True, validate=validate.Range(min=0, max=720))


@blp.get("/events")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(EventSchema))
def list_events(args):
    """Every event, soonest first."""
    return paginate(services.events_query(), args["page"], args["per_page"])


@blp.post("/events")
@token_required  # 401 before the body is read
@blp.arguments(EventCreateSchema)
@blp.response(201, EventSchema)
@refusals(blp, 401, 403, 409)
@blp.doc(security=[{"bearerAuth": []}])
def create_event(body):
    """Creates an event (organizers)."""
    user = require(permissions.can_create_event)
    return services.create_event(actor=user, **body)


@blp.get("/events/<slug>")
@blp.response(200, EventSchema)
@refusals(blp, 404)
def get_event(slug):
    """One event."""
    return access.get_event(slug)


@blp.patch("/events/<slug>")
@token_required  # 401 before the body is read
@blp.arguments(EventPatchSchema)
@blp.response(200, EventSchema)
@refusals(blp, 401, 403, 404, 409)
@blp.doc(security=[{"bearerAuth": []}])
def patch_event(body, slug):
    """Changes any of an event's fields, including `registration_open`."""
    event = access.get_event(slug)
    user = require(permissions.can_manage_event, event)
    return services.update_event(event, actor=user, **body)
