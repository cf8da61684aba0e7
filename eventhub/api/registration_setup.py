"""Registration types and their questions, and workshop sessions (organizers set them up)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_smorest import Blueprint

from ..downloads import file_response
from ..errors import NotFound
from ..registration import catalog, services
from ..registration.ical import sessions_ics
from .access import ORGANIZER, event_in_path, managed_event
from .pagination import paginate_list
from .registration_schemas import (
    QuestionCreateSchema,
    QuestionSchema,
    RegistrationTypeCreateSchema,
    RegistrationTypeSchema,
    SessionCreateSchema,
    SessionSchema,
)
from .schemas import BINARY, ErrorSchema, PageArgsSchema, list_of, refusals

blp = Blueprint("api_registration_setup", __name__, description="Registration types, questions and sessions")


# --- registration types and their questions --------------------------------------------------------

@blp.get("/events/<slug>/registration-types")
@event_in_path
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(RegistrationTypeSchema))
@refusals(blp, 404)
def list_types(args, event):
    """The event's registration types with their seats left and questions."""
    return paginate_list(catalog.types_of(event), args["page"], args["per_page"])


@blp.post("/events/<slug>/registration-types")
@managed_event  # 401, 404, 403 before the body is read
@blp.arguments(RegistrationTypeCreateSchema)
@blp.response(201, RegistrationTypeSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`code_taken`")
@blp.doc(security=ORGANIZER)
def create_type(body, event, user):
    """Creates a registration type (organizers of the event); times without offset are local."""
    return catalog.create_type(event, actor=user, **body)


@blp.post("/events/<slug>/registration-types/<code>/questions")
@managed_event
@blp.arguments(QuestionCreateSchema)
@blp.response(201, QuestionSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def add_question(body, event, user, code):
    """Adds a custom question to a registration type (organizers); answers go in `answers.<key>`."""
    rtype = services.find_type(event, code)
    if rtype is None:
        raise NotFound(_("This event has no such registration type."), code="type_not_found")
    return catalog.add_question(rtype, actor=user, **body)


# --- sessions --------------------------------------------------------------------------------------

@blp.get("/events/<slug>/sessions")
@event_in_path
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(SessionSchema))
@refusals(blp, 404)
def list_sessions(args, event):
    """The event's sessions, earliest first, with their seats left."""
    return paginate_list(catalog.sessions_of(event), args["page"], args["per_page"])


@blp.get("/events/<slug>/sessions.ics")
@event_in_path
@blp.response(200, BINARY, content_type="text/calendar", description="The agenda as iCalendar.")
@refusals(blp, 404)
def sessions_calendar(event):
    """The agenda as an iCalendar file."""
    body = sessions_ics(catalog.sessions_of(event), name=event.name)
    return file_response(body, "text/calendar", f"{event.slug}-sessions.ics", private=False)


@blp.post("/events/<slug>/sessions")
@managed_event
@blp.arguments(SessionCreateSchema)
@blp.response(201, SessionSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def create_session(body, event, user):
    """Creates a workshop or conference session (organizers); times without offset are local."""
    return catalog.create_session(event, actor=user, **body)


