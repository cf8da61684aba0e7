"""Certificates (api.md "Badges, certificates and jobs"): issue as a job, list, verify, PDF, revoke."""

from __future__ import annotations

from functools import wraps

from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from .. import jobs, permissions
from ..certificates import holders, services
from ..certificates.models import Certificate, CertificateKind, CertificateStatus
from ..dbtypes import MAX_ID
from ..downloads import file_response
from ..errors import Forbidden, NotAuthenticated
from ..extensions import db
from ..registration.models import Registration
from ..vietnamese import normalize_text
from .access import (
    ORGANIZER,
    ORGANIZER_OR_MANAGE_TOKEN,
    manage_token_grants,
    manage_token_sent,
    managed_event,
)
from .auth import current_api_user, require, require_user
from .badges import JobStartedSchema
from .pagination import paginate
from .schemas import BINARY, PageArgsSchema, RequestSchema, list_of, refusals

blp = Blueprint("api_certificates", __name__, description="Certificates")
KINDS = [k.value for k in CertificateKind]
STATUSES = [s.value for s in CertificateStatus]


class IssueSchema(RequestSchema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    registration_ids = fields.List(
        fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=holders.MAX_IDS),
        metadata={"description": "Only these registrations' people; without: everyone of the kind."},
    )
    session_id = fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={
            "description": "Only with kind participation: of this session (a workshop) of the event, "
            "the people scanned in at its door, walk-ins included; each certificate names the session."
        },
    )


def _session_title(cert: Certificate) -> str | None:
    return (cert.details or {}).get("session") or None


class CertificateFilterSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))


class CertificateItemSchema(Schema):
    serial = fields.String(required=True)
    registration_id = fields.Integer(allow_none=True, required=True)
    kind = fields.Function(lambda c: c.kind.value, required=True, metadata={"type": "string", "enum": KINDS})
    holder_name = fields.String(required=True)
    status = fields.Function(lambda c: c.status.value, required=True,
                             metadata={"type": "string", "enum": STATUSES})
    title = fields.String()
    issued_at = fields.DateTime(format="iso")
    session = fields.Function(_session_title, allow_none=True, metadata={"type": "string", "nullable": True})


class CertificatePublicSchema(Schema):
    serial = fields.String(required=True)
    holder_name = fields.String(required=True)
    event = fields.Function(lambda c: c.event.name, required=True,
                            metadata={"type": "string", "description": "The event's name."})
    event_slug = fields.Function(lambda c: c.event.slug, metadata={"type": "string"})
    kind = fields.Function(lambda c: c.kind.value, required=True, metadata={"type": "string", "enum": KINDS})
    title = fields.String(required=True)
    issued_at = fields.DateTime(format="iso", required=True)
    status = fields.Function(lambda c: c.status.value, required=True,
                             metadata={"type": "string", "enum": STATUSES})
    revoked_at = fields.DateTime(format="iso", allow_none=True)
    revoke_reason = fields.String(allow_none=True)
    session = fields.Function(
        _session_title,
        allow_none=True,
        metadata={"type": "string", "nullable": True,
                  "description": "The session (a workshop) a participation certificate was issued for."},
    )


class RevokeSchema(RequestSchema):
    reason = fields.String(required=True, validate=validate.Length(max=services.MAX_REASON))


@blp.post("/events/<slug>/certificates")
@managed_event
@blp.arguments(IssueSchema)
@blp.response(202, JobStartedSchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def issue(body, event, user):
    """Starts issuing certificates of a kind as a job; the same person keeps the same serial."""
    ids, session_id = body["registration_ids"], body["session_id"]
    holders.check_issue(event, body["kind"], ids, session_id)
    job = jobs.start(
        "certificates",
        actor=user,
        event=event,
        event_id=event.id,
        certificate_kind=body["kind"],
        registration_ids=sorted(set(ids)) if ids is not None else None,
        actor_id=user.id,
        session_id=session_id,
    )
    return {"job_id": job.id}


@blp.get("/events/<slug>/certificates")
@managed_event
@blp.arguments(CertificateFilterSchema, location="query")
@blp.response(200, list_of(CertificateItemSchema))
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def list_certificates(args, event, user):
    """The event's certificates."""
    stmt = services.for_event(event, kind=args.get("kind"), status=args.get("status"))
    return paginate(stmt, args["page"], args["per_page"])


@blp.get("/certificates/<serial>")
@blp.response(200, CertificatePublicSchema)
@refusals(blp, 404)
def get_certificate(serial):
    """Anyone: whether a certificate is valid, whose it is, of which event."""
    return services.get(serial)


def _pdf_certificate(serial: str) -> Certificate:
    user = current_api_user()
    token_sent = manage_token_sent()
    if user is None and not token_sent:
        raise NotAuthenticated(
            _("Send a valid token (Authorization: Bearer TOKEN) or the registration's manage token.")
        )
    cert = services.get(serial)
    if user is not None and permissions.can_manage_event(user, cert.event):
        return cert
    if token_sent and cert.registration_id:
        reg = db.session.get(Registration, cert.registration_id)
        if manage_token_grants(cert.registration_id, reg):
            return cert
    raise Forbidden(_("You are not allowed to do this."), code="forbidden")


@blp.get("/certificates/<serial>.pdf")
@blp.response(200, BINARY, content_type="application/pdf",
              description="The certificate; once revoked, with ĐÃ THU HỒI / REVOKED across every page.")
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER_OR_MANAGE_TOKEN)
def get_certificate_pdf(serial):
    """The certificate's PDF (organizers of its event, or its holder's manage token)."""
    cert = _pdf_certificate(serial)
    return file_response(services.served_pdf(cert), "application/pdf", services.pdf_filename(cert))


def managed_certificate(view):
    """`cert` for an organizer of its event: 401 without a token, 404 for no such serial, 403 for others
    – before the body is read."""

    @wraps(view)
    def wrapper(*args, serial, **kwargs):
        require_user()
        cert = services.get(serial)
        user = require(permissions.can_manage_event, cert.event)
        return view(*args, cert=cert, user=user, **kwargs)

    return wrapper


@blp.post("/certificates/<serial>/revoke")
@managed_certificate
@blp.arguments(RevokeSchema)
@blp.response(200, CertificatePublicSchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def revoke(body, cert, user):
    """Revokes a certificate with a reason; revoking it again changes nothing."""
    return services.revoke(cert, normalize_text(body["reason"]), actor=user)
