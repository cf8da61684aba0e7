"""Registering, the manage token, approval, and organizers' lists and exports."""

from __future__ import annotations

from functools import wraps

from flask import g, request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from .. import permissions
from ..downloads import XLSX_MIMETYPE
from ..errors import NotFound
from ..events.models import Event
from ..extensions import db, each_statement_commits, limiter
from ..i18n import current_language
from ..ratelimits import (
    REGISTRATION_IP_SCOPE,
    RESEND_EMAIL_SCOPE,
    RESEND_IP_SCOPE,
    client_network_key,
    from_trusted_network,
    registration_email_key,
    registration_limit_per_email,
    registration_limit_per_ip,
    resend_email_key,
    resend_limit_per_email,
    resend_limit_per_ip,
)
from ..registration import attendance as attendance_service
from ..registration import exports, queries, services
from ..registration.errors import SessionFull
from ..registration.models import RegistrationStatus
from .access import (
    ORGANIZER,
    ORGANIZER_OR_MANAGE_TOKEN,
    checked_slug,
    event_in_path,
    managed_event,
    registration_in_path,
)
from .auth import current_api_user
from .pagination import paginate
from .registration_schemas import (
    AcceptedSchema,
    AttendanceAnswerSchema,
    CancelledSchema,
    ReasonSchema,
    RegistrationCreatedSchema,
    RegistrationFilterSchema,
    RegistrationRequestSchema,
    RegistrationSchema,
    ResendRequestSchema,
)
from .schemas import BINARY, ErrorSchema, list_of, refusals

blp = Blueprint("api_registrations", __name__, description="Registrations")
# One instance for every request: a schema class is made anew per request, its fields deep-copied.
REGISTRATION_REQUEST = RegistrationRequestSchema()


def registration_ip_exempt() -> bool:
    """Trusted networks, and an API token of an organizer of the event (registering people on site)."""
    if from_trusted_network():
        return True
    user = g.get("api_user")
    slug = (request.view_args or {}).get("slug")
    if user is None or not isinstance(slug, str):
        return False
    event = db.session.scalar(db.select(Event).filter_by(slug=slug))
    return event is not None and permissions.can_manage_event(user, event)


# --- registering -----------------------------------------------------------------------------------

def event_and_type_in_path(view):
    """As `event_in_path`, with the registration type the body names, its questions and the organization
    read in the same statement (`type` and `organization` read from the JSON ahead of the schema, which
    checks them as ever)."""
    @wraps(view)
    def wrapper(*args, slug, **kwargs):
        body = request.get_json(silent=True)
        body = body if isinstance(body, dict) else {}
        each_statement_commits()  # reads, then a seat and its rows in one statement (seated_write)
        found = services.event_with_type(checked_slug(slug), body.get("type"), body.get("organization"))
        if found.event is None:
            raise NotFound(_("There is no such event."), code="event_not_found")
        return view(*args, event=found.event, preloaded=found, **kwargs)

    return wrapper


@blp.post("/events/<slug>/registrations")
@limiter.shared_limit(registration_limit_per_ip, REGISTRATION_IP_SCOPE, key_func=client_network_key,
                      exempt_when=registration_ip_exempt)
@limiter.limit(registration_limit_per_email, key_func=registration_email_key)
@event_and_type_in_path
@blp.arguments(REGISTRATION_REQUEST)
@blp.response(201, RegistrationCreatedSchema)
@blp.alt_response(403, schema=ErrorSchema, description="`registration_closed`")
@refusals(blp, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`already_registered`, `sold_out`, `session_full`")
@refusals(blp, 422, 429)
def register(body, event, preloaded):
    """Registers a person (anyone, no token); keep `manage_token` to read or cancel it later."""
    try:
        reg, token = services.register(
            event, preloaded=preloaded, type_code=body["type_code"], full_name=body["full_name"],
            email=body["email"],
            consent=body["consent"], phone=body["phone"], organization=body["organization"],
            answers=body["answers"], session_ids=body["sessions"],
            locale=body["locale"] or current_language(), actor=current_api_user())
    except SessionFull as exc:  # the error object of api.md has no room for the service's session_id
        raise SessionFull() from exc
    created = {"id": reg.id, "status": reg.status.value, "manage_token": token}
    if reg.status == RegistrationStatus.confirmed:
        created["ticket_code"] = reg.ticket_code
    if reg.status == RegistrationStatus.pending_email and reg.hold_expires_at:
        created["hold_expires_at"] = reg.hold_expires_at.astimezone(event.tz)
    return created


@blp.post("/events/<slug>/registrations/resend")
@limiter.shared_limit(resend_limit_per_ip, RESEND_IP_SCOPE, key_func=client_network_key,
                      exempt_when=from_trusted_network)
@limiter.shared_limit(resend_limit_per_email, RESEND_EMAIL_SCOPE, key_func=resend_email_key)
@event_in_path
@blp.arguments(ResendRequestSchema)
@blp.response(202, AcceptedSchema)
@refusals(blp, 404, 429)
def resend_links(body, event):
    """E-mails the address's manage links for the event again (anyone, no token).

    `202 {}` whether or not the address is registered, also for an address that is not valid: the
    answer must not tell which addresses have registered.
    """
    services.resend_links(event, body["email"])
    return {}


@blp.get("/registrations/<int:id>")
@registration_in_path(manage_token=True)
@blp.response(200, RegistrationSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER_OR_MANAGE_TOKEN)
def get_registration(reg, user):
    """One registration (organizers of its event, or its manage token in X-Manage-Token)."""
    return reg


@blp.post("/registrations/<int:id>/cancel")
@registration_in_path(manage_token=True)
@blp.arguments(ReasonSchema)
@blp.response(200, CancelledSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER_OR_MANAGE_TOKEN)
def cancel(body, reg, user):
    """Cancels (again is fine); the seat goes at once to the oldest on the waiting list."""
    reg = services.cancel_registration(reg, actor=user, reason=body["reason"])
    return {"status": reg.status.value}


@blp.post("/registrations/<int:id>/attendance")
@registration_in_path(manage_token=True)
@blp.arguments(AttendanceAnswerSchema)
@blp.response(200, RegistrationSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`not_confirmed`, `attendance_closed`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER_OR_MANAGE_TOKEN)
def attendance(body, reg, user):
    """The answer to the reminder's "will you come?"; `false` cancels as cancelling does (the seat goes to
    the waiting list). Only a confirmed registration answers; the latest answer wins."""
    return attendance_service.set_attendance(reg, body["attending"], actor=user)


@blp.post("/registrations/<int:id>/approve")
@registration_in_path(manage_token=False)
@blp.response(200, RegistrationSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`not_pending`")
@blp.doc(security=ORGANIZER)
def approve(reg, user):
    """Confirms a registration waiting for approval (organizers); it is sent its ticket."""
    return services.approve(reg, actor=user)


@blp.post("/registrations/<int:id>/reject")
@registration_in_path(manage_token=False)
@blp.arguments(ReasonSchema)
@blp.response(200, RegistrationSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`not_pending`")
@blp.doc(security=ORGANIZER)
def reject(body, reg, user):
    """Rejects a registration waiting for approval (organizers); its seat is freed as on cancel."""
    return services.reject(reg, actor=user, reason=body["reason"])


# --- organizers' lists and exports -----------------------------------------------------------------

@blp.get("/events/<slug>/registrations")
@managed_event
@blp.arguments(RegistrationFilterSchema, location="query")
@blp.response(200, list_of(RegistrationSchema))
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def list_registrations(args, event, user):
    """The event's registrations, filtered by status, type and search; `sort=name` by given name."""
    stmt = queries.registrations_query(event, status=args.get("status"), type_code=args.get("type_code"),
                                       q=args.get("q"), sort=args["sort"])
    return paginate(stmt, args["page"], args["per_page"])


@blp.get("/events/<slug>/registrations.csv")
@managed_event
@blp.response(200, BINARY, content_type="text/csv",
              description="Every registration, one row each; UTF-8 with BOM.")
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def export_csv(event, user):
    """Every registration as CSV, answers as columns; formula-like text is neutralized."""
    return exports.csv_download(event)


@blp.get("/events/<slug>/registrations.xlsx")
@managed_event
@blp.response(200, BINARY, content_type=XLSX_MIMETYPE, description="Every registration, one row each.")
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def export_xlsx(event, user):
    """Every registration as an Excel workbook, answers as columns."""
    return exports.xlsx_download(event)

