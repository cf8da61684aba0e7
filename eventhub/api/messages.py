"""Organizers' messages (api.md "Messages and reminders"): send or schedule, list, read one, cancel."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..messaging import services
from ..messaging.audiences import KINDS
from ..messaging.models import Message, MessageState
from .access import ORGANIZER, get_or_404, managed_event
from .pagination import paginate_list
from .schemas import AsSent, ObjectAs, PageArgsSchema, RequestSchema, list_of, refusals

blp = Blueprint("api_messages", __name__, description="Messages")
STATES = [s.value for s in MessageState]


class AudienceSchema(Schema):
    kind = fields.String(required=True, metadata={"enum": list(KINDS)})
    types = fields.List(fields.String(), metadata={"description": "Registrants: registration type codes."})
    statuses = fields.List(fields.String(), metadata={"description": "Registrants: default [\"confirmed\"]."})
    checked_in = fields.Boolean(metadata={"description": "Registrants: true keeps those checked in."})


class MessageCreateSchema(RequestSchema):
    # The service checks each value itself (its own 422 messages, the 413 of a body over 50 KB).
    audience = ObjectAs(AudienceSchema, required=True)
    subject = AsSent(fields.String(), required=True, metadata={"description": "At most 200 characters."})
    body = AsSent(fields.String(), required=True, metadata={"description": "At most 50 KB; placeholders."})
    send_at = AsSent(fields.DateTime(), load_default=None, allow_none=True,
                     metadata={"description": "ISO 8601 with offset; absent: now.", "nullable": True})


class MessageCreatedSchema(Schema):
    id = fields.Integer(required=True)
    recipients = fields.Integer(required=True)
    job_id = fields.String(allow_none=True)


class MessageItemSchema(Schema):
    id = fields.Integer(required=True)
    subject = fields.String(required=True)
    audience = fields.Nested(AudienceSchema, required=True)
    recipients = fields.Integer(required=True)
    sent = fields.Integer(required=True)
    failed = fields.Integer(required=True)
    pending = fields.Integer()
    unsubscribed = fields.Integer()
    send_at = fields.DateTime(format="iso", allow_none=True, required=True)
    state = fields.String(required=True, metadata={"enum": STATES})
    job_id = fields.String(allow_none=True)
    created_at = fields.DateTime(format="iso")
    sent_at = fields.DateTime(format="iso", allow_none=True)
    cancelled_at = fields.DateTime(format="iso", allow_none=True)


def _item(message: Message, figures: dict) -> dict:
    return {"id": message.id, "subject": message.subject, "audience": message.audience,
            "state": message.state.value, "send_at": message.send_at, "job_id": message.job_id,
            "created_at": message.created_at, "sent_at": message.sent_at,
            "cancelled_at": message.cancelled_at, **figures}


def _message(event, message_id: int) -> Message:
    return get_or_404(Message, message_id, code="message_not_found", message=_("There is no such message."),
                      event=event)


@blp.post("/events/<slug>/messages")
@managed_event
@blp.arguments(MessageCreateSchema)
@blp.response(202, MessageCreatedSchema)
@refusals(blp, 401, 403, 404, 413, 422)
@blp.doc(security=ORGANIZER)
def create(body, event, user):
    """Sends a message to an audience now (as a job), or schedules it for `send_at`. With an
    `Idempotency-Key` header, a repeated call with the same key answers with the message the first made."""
    message = services.create_message(event, audience=body["audience"], subject=body["subject"],
                                      body=body["body"], send_at=body["send_at"], actor=user,
                                      request_token=request.headers.get("Idempotency-Key") or None)
    answer = {"id": message.id, "recipients": message.recipients}
    if message.job_id:
        answer["job_id"] = message.job_id
    return answer


@blp.get("/events/<slug>/messages")
@managed_event
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(MessageItemSchema))
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def list_messages(args, event, user):
    """The event's messages, newest first, with their delivery figures."""
    rows = [_item(row.pop("message"), row) for row in services.messages_of(event)]
    return paginate_list(rows, args["page"], args["per_page"])


@blp.get("/events/<slug>/messages/<int:message_id>")
@managed_event
@blp.response(200, MessageItemSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def show(event, user, message_id):
    """One message with its delivery figures."""
    message = _message(event, message_id)
    return _item(message, services.message_figures(message))


@blp.post("/events/<slug>/messages/<int:message_id>/cancel")
@managed_event
@blp.response(200, MessageItemSchema)
@refusals(blp, 401, 403, 404, 409)
@blp.doc(security=ORGANIZER)
def cancel(event, user, message_id):
    """Cancels a scheduled message before it goes; anything else is 409 not_cancellable."""
    message = services.cancel_message(_message(event, message_id), actor=user)
    return _item(message, services.message_figures(message))
