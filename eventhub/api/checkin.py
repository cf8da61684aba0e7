"""Check-in at the gate: scanning a ticket, undoing a mistaken check-in, and the live numbers."""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import permissions
from ..checkin import days, services
from ..checkin.models import CheckIn
from ..checkin.services import MAX_GATE_LENGTH
from .access import event_for, get_or_404
from .schemas import ErrorSchema, RequestSchema, refusals

blp = Blueprint("api_checkin", __name__, description="Check-in at the gate")

STAFF = [{"bearerAuth": []}]
PHASES = (days.BEFORE, days.DURING, days.AFTER)
REFUSALS = ("`invalid_ticket` (400), `unknown_ticket` (404), `wrong_event`, `not_confirmed`, "
            "`already_checked_in` (409; the error object also has `checked_in_at` and `gate`)")


class CheckInRequestSchema(RequestSchema):
    ticket_code = fields.String(required=True, metadata={
        "description": "The code as scanned from the ticket's QR code, or as typed: any letter case, "
                       "with spaces or dashes between its characters (tickets print it in groups of four).",
        "example": "MZXW6YTBOI2TAMBQGEZDGNBVGY3TQOJQ"})
    gate = fields.String(load_default="", allow_none=True, validate=validate.Length(max=MAX_GATE_LENGTH),
                         metadata={"example": "Cổng A"})

    @ma.pre_load
    def _refuse_unstorable_text(self, data, **kwargs):
        """A ticket code is never stored: any text in it, however odd, is simply not a ticket (400)."""
        if isinstance(data, Mapping):
            others = {key: value for key, value in data.items() if key != "ticket_code"}
            super()._refuse_unstorable_text(others, **kwargs)
        return data


class CheckedInPersonSchema(ma.Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    type = fields.String(required=True, metadata={"description": "The registration type's code."})
    type_name = fields.String(required=True)
    organization = fields.String(required=True, allow_none=True)


class CheckInResultSchema(ma.Schema):
    result = fields.String(required=True, metadata={"enum": ["ok"]})
    registration = fields.Nested(CheckedInPersonSchema, required=True)
    checkin_id = fields.Integer(required=True)
    checked_in_at = fields.String(required=True, metadata={"format": "date-time"})
    gate = fields.String(required=True)
    event_phase = fields.String(required=True, metadata={
        "enum": list(PHASES),
        "description": "Where the check-in's day falls: an event day, or before or after the event."})
    test_scan = fields.Boolean(required=True, metadata={
        "description": "True outside the event's days: admitted (scanners are tested beforehand) but "
                       "counted apart from the event's figures."})


class CheckInSchema(ma.Schema):
    id = fields.Integer(required=True)
    registration_id = fields.Integer(required=True)
    day = fields.String(required=True, metadata={"format": "date"})
    checked_in_at = fields.String(required=True, metadata={"format": "date-time"})
    gate = fields.String(required=True)
    undone_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})


class TypeCountsSchema(ma.Schema):
    confirmed = fields.Integer(required=True)
    checked_in = fields.Integer(required=True)
    checked_in_event_days = fields.Integer(required=True, metadata={
        "description": "People of this type checked in on the event's own days."})
    checked_in_today = fields.Integer(required=True)


class TestScansSchema(ma.Schema):
    before_event = fields.Integer(required=True)
    after_event = fields.Integer(required=True)


class StatusCountsSchema(ma.Schema):
    confirmed = fields.Integer(required=True)
    waitlisted = fields.Integer(required=True)
    pending_approval = fields.Integer(required=True)
    pending_email = fields.Integer(required=True, metadata={
        "description": "Seats held until the e-mailed link is opened (confirm_email types)."})
    cancelled = fields.Integer(required=True)


class ArrivalSchema(ma.Schema):
    starts_at = fields.String(required=True, metadata={"format": "date-time"})
    ends_at = fields.String(required=True, metadata={"format": "date-time"})
    count = fields.Integer(required=True)


class StatsSchema(ma.Schema):
    registrations = fields.Nested(StatusCountsSchema, required=True)
    checked_in = fields.Integer(required=True, metadata={
        "description": "People checked in: registrations with a check-in not undone, on any day."})
    checked_in_event_days = fields.Integer(required=True, metadata={
        "description": "People checked in on the event's own days (event time): test scans excluded."})
    test_scans = fields.Nested(TestScansSchema, required=True, metadata={
        "description": "Check-ins not undone outside the event's days, before it and after it."})
    today_phase = fields.String(required=True, metadata={"enum": list(PHASES), "description":
                                "Where today falls: an event day, or before or after the event."})
    by_type = fields.Dict(keys=fields.String(), values=fields.Nested(TypeCountsSchema), required=True)
    day = fields.String(required=True, metadata={"format": "date", "description": "Today, event time."})
    checked_in_today = fields.Integer(required=True)
    not_arrived_today = fields.Integer(required=True, metadata={
        "description": "Confirmed registrations not checked in today."})
    by_gate = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                          metadata={"description": "Today's check-ins per gate."})
    arrivals = fields.List(fields.Nested(ArrivalSchema), required=True,
                           metadata={"description": "Today's check-ins per 15 minutes, event time."})


def _local(moment, event) -> str | None:
    return moment.astimezone(event.tz).isoformat(timespec="seconds") if moment else None


def _checkin_json(checkin, event) -> dict:
    return {"id": checkin.id, "registration_id": checkin.registration_id, "day": checkin.day.isoformat(),
            "checked_in_at": _local(checkin.checked_in_at, event), "gate": checkin.gate,
            "undone_at": _local(checkin.undone_at, event)}


@blp.post("/events/<slug>/checkins")
@event_for(permissions.can_check_in)
@blp.arguments(CheckInRequestSchema)
@blp.response(201, CheckInResultSchema)
@blp.alt_response(400, schema=ErrorSchema, description="`invalid_ticket`")
@refusals(blp, 401, 403)
@blp.alt_response(404, schema=ErrorSchema, description="`unknown_ticket`, or no such event")
@blp.alt_response(409, schema=ErrorSchema, description=REFUSALS)
@refusals(blp, 422)
@blp.doc(security=STAFF)
def check_in(body, event, user):
    """Checks in the holder of a scanned ticket (organizers and gate staff); once per event day."""
    checkin = services.check_in(event, body["ticket_code"], gate=body["gate"] or "", staff=user)
    reg = checkin.registration
    phase = services.phase_of(checkin, event)
    return {"result": "ok", "checkin_id": checkin.id, "checked_in_at": _local(checkin.checked_in_at, event),
            "gate": checkin.gate, "event_phase": phase, "test_scan": phase != days.DURING,
            "registration": {"id": reg.id, "full_name": reg.full_name, "type": reg.registration_type.code,
                             "type_name": reg.registration_type.name, "organization": reg.organization}}


@blp.post("/events/<slug>/checkins/<int:checkin_id>/undo")
@event_for(permissions.can_manage_event)
@blp.response(200, CheckInSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`already_undone`")
@blp.doc(security=STAFF)
def undo(event, user, checkin_id):
    """Undoes a mistaken check-in (organizers); the ticket is admitted again that day. Audited."""
    checkin = get_or_404(CheckIn, checkin_id, code="checkin_not_found", event=event)
    return _checkin_json(services.undo_check_in(checkin, actor=user), event)


@blp.get("/events/<slug>/stats")
@event_for(permissions.can_check_in)
@blp.response(200, StatsSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=STAFF)
def stats(event, user):
    """Registrations by status, people checked in (in total, by type), and today's live numbers."""
    return services.stats(event)
