"""Investor matchmaking (api.md "Investor matchmaking"): profiles, recommendations, requests,
slots, the scheduler, a person's meetings and outcomes. Thin handlers over the matchmaking services."""

from __future__ import annotations

from functools import wraps

from flask_babel import gettext as _
from flask_smorest import Blueprint

from ..downloads import file_response
from ..matchmaking import outcomes, profiles, recommendations, requesting, scheduling, slots
from ..matchmaking.errors import NotParticipant, NotRecipient, ProfileNotFound, ProfileRequired
from ..matchmaking.ical import meetings_ics
from ..matchmaking.labels import reasons_text
from ..matchmaking.models import Meeting, MeetingRequest, Profile
from .access import ORGANIZER, get_event, get_or_404, managed_event, signed_in_event
from .auth import require_user
from .matchmaking_schemas import (
    MeetingRequestInSchema,
    MeetingRequestSchema,
    MyMeetingSchema,
    OutcomeInSchema,
    ProfileInSchema,
    ProfileSchema,
    RecommendationSchema,
    ScheduleSchema,
    SlotsInSchema,
    SlotsSchema,
    local_time,
    meeting_json,
    profile_json,
    request_json,
)
from .pagination import paginate_list
from .schemas import BINARY, ErrorSchema, PageArgsSchema, list_of, refusals

blp = Blueprint("api_matchmaking", __name__, description="Investor matchmaking")


# --- who -------------------------------------------------------------------------------------------

def profile_owner(view):
    """`event` and the token user's `profile` in it: 401, 404 for no such event, 403 without a profile."""
    @wraps(view)
    def wrapper(*args, slug, **kwargs):
        user = require_user()
        event = get_event(slug)
        profile = profiles.profile_of(event, user)
        if profile is None:
            raise ProfileRequired()
        return view(*args, event=event, profile=profile, **kwargs)
    return wrapper


def meeting_side(view):
    """`meeting` and the token user's `profile` in it: 401, 404 for no such meeting, 403 for others."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = require_user()
        meeting_id = kwargs.pop("id")
        meeting = get_or_404(Meeting, meeting_id, code="meeting_not_found",
                             message=_("There is no such meeting."))
        profile = next((p for p in (meeting.investor, meeting.startup) if p.user_id == user.id), None)
        if profile is None:
            raise NotParticipant()
        return view(*args, meeting=meeting, profile=profile, **kwargs)
    return wrapper


# --- profiles and recommendations ---------------------------------------------------------------------

@blp.put("/events/<slug>/profiles/me")
@signed_in_event
@blp.arguments(ProfileInSchema)
@blp.response(200, ProfileSchema)
@refusals(blp, 401)
@blp.alt_response(403, schema=ErrorSchema, description="`profile_not_allowed`: neither an investor nor a "
                                                        "participant account")
@refusals(blp, 404, 422)
@blp.doc(security=ORGANIZER)
def put_my_profile(body, event, user):
    """Creates or replaces your profile: investor accounts an investor one, participants a startup one."""
    return profile_json(profiles.save_profile(event, user, body))


@blp.get("/events/<slug>/profiles/me")
@profile_owner
@blp.response(200, ProfileSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def get_my_profile(event, profile):
    """Your profile for this event."""
    return profile_json(profile)


@blp.get("/events/<slug>/recommendations")
@profile_owner
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(RecommendationSchema))
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def get_recommendations(args, event, profile):
    """Contactable profiles of the other side that pass the hard gates, best fit first."""
    items = [{"profile_id": r.profile_id, "organization": r.organization, "score": r.score,
              "reasons": reasons_text(r.reasons)} for r in recommendations.recommendations(profile)]
    return paginate_list(items, args["page"], args["per_page"])


# --- requests ------------------------------------------------------------------------------------------

@blp.post("/events/<slug>/meeting-requests")
@profile_owner
@blp.arguments(MeetingRequestInSchema)
@blp.response(201, MeetingRequestSchema)
@refusals(blp, 401)
@blp.alt_response(403, schema=ErrorSchema, description="`not_contactable`, `profile_required`")
@refusals(blp, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`already_requested`, `too_many_pending_requests`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def post_meeting_request(body, event, profile):
    """Asks a profile of the other side for a meeting, with an optional message."""
    recipient = profiles.get_profile(event, body["to_profile_id"])
    if recipient is None:
        raise ProfileNotFound()
    return request_json(requesting.send_request(profile, recipient, body["message"]))


def _request_for_recipient(request_id: int) -> tuple[MeetingRequest, Profile]:
    user = require_user()
    request = get_or_404(MeetingRequest, request_id, code="request_not_found",
                         message=_("There is no such meeting request."))
    recipient = request.to_profile
    if recipient.user_id != user.id:
        raise NotRecipient()
    return request, recipient


@blp.post("/meeting-requests/<int:id>/accept")
@blp.response(200, MeetingRequestSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`request_not_pending`")
@blp.doc(security=ORGANIZER)
def accept_request(id):
    """The recipient accepts; organizers' scheduler then places the meeting."""
    request, recipient = _request_for_recipient(id)
    return request_json(requesting.accept(request, recipient))


@blp.post("/meeting-requests/<int:id>/decline")
@blp.response(200, MeetingRequestSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`request_not_pending`")
@blp.doc(security=ORGANIZER)
def decline_request(id):
    """The recipient declines."""
    request, recipient = _request_for_recipient(id)
    return request_json(requesting.decline(request, recipient))


# --- slots and the scheduler ------------------------------------------------------------------------------

def _slots_json(event) -> dict:
    found = slots.slots_of(event)
    return {"slots": [{"id": s.id, "starts_at": local_time(s.starts_at, event),
                       "ends_at": local_time(s.ends_at, event), "tables": s.tables} for s in found],
            "tables": max((s.tables for s in found), default=0)}


@blp.put("/events/<slug>/meeting-slots")
@managed_event
@blp.arguments(SlotsInSchema)
@blp.response(200, SlotsSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`slot_in_use`: a removed slot holds meetings")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def put_slots(body, event, user):
    """Replaces the event's meeting slots (not overlapping) and their number of tables."""
    slots.set_slots(event, body["slots"], body["tables"], actor=user)
    return _slots_json(event)


@blp.get("/events/<slug>/meeting-slots")
@managed_event
@blp.response(200, SlotsSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def get_slots(event, user):
    """The event's meeting slots."""
    return _slots_json(event)


@blp.post("/events/<slug>/meetings/schedule")
@managed_event
@blp.response(200, ScheduleSchema)
@refusals(blp, 401, 403, 404, 409)
@blp.doc(security=ORGANIZER)
def run_schedule(event, user):
    """Places accepted requests in free (slot, table)s; keeps meetings already scheduled."""
    result = scheduling.run_scheduler(event, actor=user)
    return {"meetings": [{"id": m.id, "request_id": m.request_id, "starts_at": local_time(m.starts_at, event),
                          "ends_at": local_time(m.ends_at, event), "table": m.table_number}
                         for m in result.meetings],
            "unscheduled": result.unscheduled}


# --- a person's meetings and outcomes -----------------------------------------------------------------------

@blp.get("/events/<slug>/meetings/mine")
@profile_owner
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(MyMeetingSchema))
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def my_meetings(args, event, profile):
    """Your scheduled meetings, earliest first."""
    items = [meeting_json(m, profile) for m in scheduling.meetings_of(profile)]
    return paginate_list(items, args["page"], args["per_page"])


@blp.get("/events/<slug>/meetings/mine.ics")
@profile_owner
@blp.response(200, BINARY, content_type="text/calendar",
              description="Your meetings; cancelled ones stay, with STATUS:CANCELLED.")
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def my_meetings_ics(event, profile):
    """Your meetings as iCalendar: a stable UID per meeting, SEQUENCE rising when moved or cancelled."""
    body = meetings_ics(profile, scheduling.meetings_of(profile, include_cancelled=True))
    return file_response(body, "text/calendar", f"{event.slug}-meetings.ics")


@blp.post("/meetings/<int:id>/outcome")
@meeting_side
@blp.arguments(OutcomeInSchema)
@blp.response(200, MyMeetingSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`meeting_cancelled`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def post_outcome(body, meeting, profile):
    """Either side says whether the meeting was held, and where it led; the note stays private."""
    outcomes.record_outcome(meeting, profile, held=body["held"], stage=body["stage"], note=body["note"])
    return meeting_json(meeting, profile)
