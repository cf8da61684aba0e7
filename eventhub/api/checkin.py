"""Check-in at the gate: scanning a ticket, undoing a mistaken check-in, and the live numbers."""

from __future__ import annotations

from collections.abc import Mapping
from functools import wraps

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import permissions
from ..checkin import days, offline, services
from ..checkin.models import CheckIn
from ..checkin.services import MAX_GATE_LENGTH
from ..registration.models import EventSession
from .access import event_for, get_or_404
from .schemas import AsSent, ErrorSchema, RequestSchema, refusals

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


class SessionCheckInRequestSchema(CheckInRequestSchema):
    class Meta:
        exclude = ("gate",)  # a session's door is its own gate


class SessionCheckInResultSchema(ma.Schema):
    result = fields.String(required=True, metadata={"enum": ["ok"]})
    registration = fields.Nested(CheckedInPersonSchema, required=True)
    walk_in = fields.Boolean(required=True, metadata={
        "description": "True for a person who did not book the session, admitted while a seat was free."})
    checked_in_at = fields.String(required=True, metadata={"format": "date-time"})


class SessionAttendanceSchema(ma.Schema):
    booked = fields.Integer(required=True, metadata={"description": "Seats booked (held) in the session."})
    checked_in = fields.Integer(required=True, metadata={
        "description": "People scanned in at the session's door, walk-ins included."})
    walk_ins = fields.Integer(required=True, metadata={
        "description": "Those of them who had not booked the session."})


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


SESSION_REFUSALS = ("`invalid_ticket` (400), `unknown_ticket` (404), `wrong_event`, `not_confirmed`, "
                    "`session_full` (a person who did not book, no seat left), `already_checked_in` (409)")


def _person_json(reg) -> dict:
    return {"id": reg.id, "full_name": reg.full_name, "type": reg.registration_type.code,
            "type_name": reg.registration_type.name, "organization": reg.organization}


def _session_in_path(view):
    """The event's session named by the path, loaded before the body is read: another event's session is
    404 whatever was sent."""
    @wraps(view)
    def wrapper(*args, event, session_id, **kwargs):
        session = get_or_404(EventSession, session_id, code="session_not_found", event=event)
        return view(*args, event=event, session=session, **kwargs)

    return wrapper


@blp.post("/events/<slug>/sessions/<int:session_id>/checkins")
@event_for(permissions.can_check_in)
@_session_in_path
@blp.arguments(SessionCheckInRequestSchema)
@blp.response(201, SessionCheckInResultSchema)
@blp.alt_response(400, schema=ErrorSchema, description="`invalid_ticket`")
@refusals(blp, 401, 403)
@blp.alt_response(404, schema=ErrorSchema, description="`unknown_ticket`, or no such event or session")
@blp.alt_response(409, schema=ErrorSchema, description=SESSION_REFUSALS)
@refusals(blp, 422)
@blp.doc(security=STAFF)
def session_check_in(body, event, user, session):
    """Admits a person at a workshop's door (organizers and gate staff): booked people, and walk-ins
    while a seat is free; each person once per session."""
    entry = services.check_in_session(event, session, body["ticket_code"], staff=user)
    return {"result": "ok", "registration": _person_json(entry.registration), "walk_in": entry.walk_in,
            "checked_in_at": _local(entry.checked_in_at, event)}


@blp.get("/events/<slug>/sessions/<int:session_id>/attendance")
@event_for(permissions.can_check_in)
@blp.response(200, SessionAttendanceSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=STAFF)
def session_attendance(event, user, session_id):
    """Seats booked in a session, people scanned in at its door, and the walk-ins among them."""
    session = get_or_404(EventSession, session_id, code="session_not_found", event=event)
    return services.session_attendance(session)


# --- check-in without a network (api.md, "Check-in without a network") ------------------------------

class KitPersonSchema(ma.Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    type = fields.String(required=True, metadata={"description": "The registration type's code."})
    organization = fields.String(required=True, allow_none=True)
    ticket_fingerprint = fields.String(required=True, metadata={
        "description": "Lowercase hex SHA-256 of the ticket code exactly as the registration API gives "
                       "it (UTF-8). The code itself is never in the kit.",
        "pattern": "^[0-9a-f]{64}$"})


class KitCheckInSchema(ma.Schema):
    registration_id = fields.Integer(required=True)
    day = fields.String(required=True, metadata={"format": "date", "description": "Event time."})
    gate = fields.String(required=True)
    checked_in_at = fields.String(required=True, metadata={"format": "date-time"})


class KitEventSchema(ma.Schema):
    slug = fields.String(required=True)
    timezone = fields.String(required=True, metadata={"description": "The zone of check-in days."})
    first_day = fields.String(required=True, metadata={
        "format": "date", "description": "The event's first day (event time): a scan before it is a test."})
    last_day = fields.String(required=True, metadata={
        "format": "date", "description": "The event's last day (event time): a scan after it is a test."})


class OfflineKitSchema(ma.Schema):
    generated_at = fields.String(required=True, metadata={"format": "date-time"})
    event = fields.Nested(KitEventSchema, required=True)
    registrations = fields.List(fields.Nested(KitPersonSchema), required=True, metadata={
        "description": "The confirmed registrations; no ticket codes, e-mails or phones."})
    checkins = fields.List(fields.Nested(KitCheckInSchema), required=True, metadata={
        "description": "The event's check-ins not undone, every day."})


class BatchScanSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    ticket_code = AsSent(fields.String(), load_default=None, metadata={
        "description": "As scanned or typed: any letter case, spaces or dashes between characters. "
                       "Anything that is not a genuine code answers `invalid_ticket` for this scan."})
    gate = fields.String(load_default="", allow_none=True, validate=validate.Length(max=MAX_GATE_LENGTH))
    scanned_at = AsSent(fields.String(metadata={"format": "date-time"}), load_default=None, metadata={
        "description": "When the device scanned it, ISO 8601 with an offset. Missing, unreadable or "
                       "more than 5 minutes ahead of the server → `invalid_scan` for this scan.",
        "example": "2026-12-14T08:50:00+07:00"})


class BatchRequestSchema(RequestSchema):
    device = fields.String(load_default="", allow_none=True,
                           validate=validate.Length(max=offline.MAX_DEVICE_LENGTH), metadata={
        "description": "The scanner's own name, kept with the check-ins it makes (white space collapsed, "
                       "control characters removed).", "example": "Máy quét cổng A"})
    scans = fields.List(fields.Nested(BatchScanSchema), required=True, metadata={
        "description": f"At most {offline.MAX_BATCH} scans; more → `413 too_large`."})

    @ma.pre_load
    def _refuse_too_many(self, data, **kwargs):
        """Counted before each scan is read: a huge batch costs nothing."""
        if isinstance(data, Mapping) and isinstance(data.get("scans"), list) \
                and len(data["scans"]) > offline.MAX_BATCH:
            raise offline.BatchTooLarge()
        return data


class BatchResultSchema(ma.Schema):
    ticket_code = fields.String(required=True, allow_none=True, metadata={"description": "As sent."})
    result = fields.String(required=True, metadata={"enum": [
        "ok", "invalid_ticket", "unknown_ticket", "wrong_event", "not_confirmed", "already_checked_in",
        "invalid_scan"]})
    checked_in_at = fields.String(metadata={"format": "date-time", "description":
                                            "`ok` and `already_checked_in`: the day's check-in."})
    gate = fields.String(metadata={"description": "`ok` and `already_checked_in`: the check-in's gate."})


class BatchAnswerSchema(ma.Schema):
    results = fields.List(fields.Nested(BatchResultSchema), required=True,
                          metadata={"description": "One per scan, in the order sent."})


@blp.get("/events/<slug>/checkin/offline-kit")
@event_for(permissions.can_check_in)
@blp.response(200, OfflineKitSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=STAFF)
def offline_kit(event, user):
    """Everything a desk needs to admit people while the network is down (organizers and gate staff)."""
    return offline.offline_kit(event)


@blp.post("/events/<slug>/checkins/batch")
@event_for(permissions.can_check_in)
@blp.arguments(BatchRequestSchema)
@blp.response(200, BatchAnswerSchema)
@refusals(blp, 401, 403, 404, 413, 422)
@blp.doc(security=STAFF)
def check_in_batch(body, event, user):
    """Decides the scans a desk made offline, each as of its `scanned_at`; the earliest of a day wins."""
    return {"results": offline.check_in_batch(event, body["scans"], device=body.get("device") or "",
                                              staff=user)}
