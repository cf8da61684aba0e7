"""JSON shapes of the matchmaking API: profiles, recommendations, requests, slots, meetings."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from ..matchmaking.models import FollowUp, Meeting, MeetingRequest, Profile, Stage
from .schemas import RequestSchema

STAGES = [s.value for s in Stage]
FOLLOW_UPS = [s.value for s in FollowUp]


def local_time(value, event) -> str:
    """A stored (UTC) time in the event's zone, ISO 8601 with its offset."""
    return value.astimezone(event.tz).isoformat()


def StrictBoolean(**kwargs):
    """true or false only – not "yes", "on" or 1 as marshmallow would otherwise accept."""
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


class ProfileInSchema(RequestSchema):
    kind = fields.String(validate=validate.OneOf(["investor", "startup"]),
                         metadata={"description": "Must be the account's kind: investor accounts hold "
                                                  "investor profiles, participant accounts startup ones."})
    organization = fields.String(required=True)
    tax_code = fields.String(allow_none=True, validate=validate.Length(max=40), metadata={
        "description": "Mã số thuế (optional): 10 digits, or 13 for a branch; stored normalized."})
    contactable = StrictBoolean()
    currency = fields.String(validate=validate.OneOf(["VND", "USD"]))
    # investors
    investor_type = fields.String(metadata={"enum": ["fund", "angel", "corporate", "public"]})
    sectors = fields.List(fields.String())
    stages = fields.List(fields.String(metadata={"enum": STAGES}))
    ticket_min = fields.Integer(strict=True)
    ticket_max = fields.Integer(strict=True)
    countries = fields.List(fields.String(), metadata={"example": ["VN", "SG"]})
    thesis = fields.String()
    # startups
    sector = fields.String(metadata={"example": "ai"})
    stage = fields.String(metadata={"enum": STAGES})
    seeking = fields.Raw(allow_none=True, metadata={
        "description": "What the startup seeks: text (a list of texts is joined).",
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
    amount = fields.Integer(strict=True)
    traction = fields.String()
    deck_url = fields.String(allow_none=True)


class ProfileSchema(ma.Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    organization = fields.String(required=True)
    contactable = fields.Boolean(required=True)
    currency = fields.String(required=True)
    investor_type = fields.String()
    sectors = fields.List(fields.String())
    stages = fields.List(fields.String())
    ticket_min = fields.Integer()
    ticket_max = fields.Integer()
    countries = fields.List(fields.String())
    thesis = fields.String()
    sector = fields.String()
    stage = fields.String()
    seeking = fields.String()
    amount = fields.Integer()
    traction = fields.String()
    deck_url = fields.String(allow_none=True)


def profile_json(profile: Profile) -> dict:
    data = {"id": profile.id, "kind": profile.kind.value, "organization": profile.organization,
            "contactable": profile.contactable, "currency": profile.currency.value}
    if profile.is_investor:
        data.update(investor_type=profile.investor_type.value if profile.investor_type else None,
                    sectors=profile.sectors, stages=profile.stages, ticket_min=profile.ticket_min,
                    ticket_max=profile.ticket_max, countries=profile.countries, thesis=profile.thesis)
    else:
        data.update(sector=profile.sector, stage=profile.stage.value if profile.stage else None,
                    seeking=profile.seeking, amount=profile.amount, traction=profile.traction,
                    deck_url=profile.deck_url)
    return data


class RecommendationSchema(ma.Schema):
    profile_id = fields.Integer(required=True)
    organization = fields.String(required=True)
    score = fields.Float(required=True, metadata={"description": "0 … 1, higher fits better."})
    reasons = fields.List(fields.String(), required=True)


class MeetingRequestInSchema(RequestSchema):
    to_profile_id = fields.Integer(required=True, strict=True)
    message = fields.String(allow_none=True, load_default=None)


class MeetingRequestSchema(ma.Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": ["pending", "accepted", "declined"]})
    from_profile_id = fields.Integer()
    to_profile_id = fields.Integer()
    message = fields.String()
    created_at = fields.String()


def request_json(request: MeetingRequest) -> dict:
    return {"id": request.id, "status": request.status.value, "from_profile_id": request.from_profile_id,
            "to_profile_id": request.to_profile_id, "message": request.message,
            "created_at": local_time(request.created_at, request.from_profile.event)}


class SlotInSchema(RequestSchema):
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)


class SlotsInSchema(RequestSchema):
    slots = fields.List(fields.Nested(SlotInSchema), required=True)
    tables = fields.Integer(required=True, strict=True)


class SlotSchema(ma.Schema):
    id = fields.Integer(required=True)
    starts_at = fields.String(required=True)
    ends_at = fields.String(required=True)
    tables = fields.Integer(required=True)


class SlotsSchema(ma.Schema):
    slots = fields.List(fields.Nested(SlotSchema), required=True)
    tables = fields.Integer(required=True)


class ScheduledMeetingSchema(ma.Schema):
    id = fields.Integer(required=True)
    request_id = fields.Integer(required=True)
    starts_at = fields.String(required=True)
    ends_at = fields.String(required=True)
    table = fields.Integer(required=True)


class ScheduleSchema(ma.Schema):
    meetings = fields.List(fields.Nested(ScheduledMeetingSchema), required=True)
    unscheduled = fields.List(fields.Integer(), required=True)


class WithSchema(ma.Schema):
    profile_id = fields.Integer(required=True)
    organization = fields.String(required=True)


class OutcomeSchema(ma.Schema):
    held = fields.Boolean(required=True, metadata={"description": "Held, as either side says."})
    held_by_investor = fields.Boolean(allow_none=True)
    held_by_startup = fields.Boolean(allow_none=True)
    stage = fields.String(allow_none=True, metadata={"enum": FOLLOW_UPS})


class MyMeetingSchema(ma.Schema):
    id = fields.Integer(required=True)
    starts_at = fields.String(required=True)
    ends_at = fields.String(required=True)
    table = fields.Integer(required=True)
    status = fields.String(metadata={"enum": ["scheduled", "cancelled"]})
    sequence = fields.Integer()
    request_id = fields.Integer()
    with_ = fields.Nested(WithSchema, data_key="with", attribute="with", required=True)
    outcome = fields.Nested(OutcomeSchema)
    held = fields.Boolean(metadata={"description": "The outcome's `held`, also at the top."})
    stage = fields.String(allow_none=True, metadata={
        "enum": FOLLOW_UPS, "description": "The outcome's `stage`, also at the top."})
    note = fields.String(metadata={"description": "Your own private note; the other side never sees it."})


def meeting_json(meeting: Meeting, profile: Profile) -> dict:
    other, event, side = meeting.other(profile), meeting.event, meeting.side_of(profile)
    outcome = meeting.as_outcome()
    return {"id": meeting.id, "request_id": meeting.request_id,
            "starts_at": local_time(meeting.starts_at, event), "ends_at": local_time(meeting.ends_at, event),
            "table": meeting.table_number, "status": meeting.status.value, "sequence": meeting.sequence,
            "with": {"profile_id": other.id, "organization": other.organization},
            "outcome": outcome, "held": outcome["held"], "stage": outcome["stage"],
            "note": meeting.note_of(side)}


class OutcomeInSchema(RequestSchema):
    held = StrictBoolean(required=True)
    stage = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(FOLLOW_UPS))
    note = fields.String(allow_none=True, load_default=None)
