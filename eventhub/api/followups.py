"""Follow-ups of outcomes (issue 19): what each side said came of a meeting or an award, 30 and 90 days on."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..extensions import db
from ..followups.models import OutcomeFollowUp
from .access import ORGANIZER, managed_event
from .pagination import paginate
from .schemas import PageArgsSchema, list_of, refusals

blp = Blueprint("api_followups", __name__, description="Follow-ups of outcomes")


class FollowUpSchema(Schema):
    id = fields.Integer(required=True)
    subject = fields.String(required=True, metadata={"enum": ["meeting", "award"]})
    meeting_id = fields.Integer(metadata={"description": "For a meeting's follow-up."})
    entry_id = fields.Integer(metadata={"description": "For an award's follow-up: the awarded entry."})
    side = fields.String(required=True, metadata={
        "enum": ["investor", "startup", "team"], "description": "Who was asked: a side of the meeting, or a "
                                                                "member of the awarded entry's team."})
    days = fields.Integer(required=True, metadata={"enum": [30, 90]})
    asked_at = fields.DateTime(required=True)
    answered_at = fields.DateTime(required=True, allow_none=True)
    follow_up_meeting = fields.Boolean(required=True)
    pilot = fields.Boolean(required=True)
    investment = fields.Boolean(required=True)
    amount = fields.Integer(required=True, allow_none=True, metadata={"description": "VND, when given."})


def _item(followup: OutcomeFollowUp) -> dict:
    item = {key: getattr(followup, key) for key in (
        "id", "days", "asked_at", "answered_at", "follow_up_meeting", "pilot", "investment", "amount")}
    item.update(subject=followup.subject.value, side=followup.side.value)
    if followup.meeting_id is not None:
        item["meeting_id"] = followup.meeting_id
    else:
        item["entry_id"] = followup.entry_id
    return item


@blp.get("/events/<slug>/follow-ups")
@managed_event
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(FollowUpSchema))
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def list_followups(args, event, user):
    """Who of the event was asked, when, and what they answered (organizers of the event)."""
    query = (db.select(OutcomeFollowUp).where(OutcomeFollowUp.event_id == event.id)
             .order_by(OutcomeFollowUp.id))
    page = paginate(query, args["page"], args["per_page"])
    return {**page, "items": [_item(followup) for followup in page["items"]]}
