"""POST /auth/tokens and DELETE /auth/tokens/current."""

from __future__ import annotations

import marshmallow as ma
from flask import g
from flask_smorest import Blueprint
from marshmallow import fields
from werkzeug.exceptions import TooManyRequests

from ..accounts import services as accounts
from ..accounts import throttle
from ..accounts.models import EventRoleKind, Role
from ..events.models import Event
from ..extensions import db
from .auth import require_user
from .schemas import RequestSchema, refusals

blp = Blueprint("api_tokens", __name__, description="Authentication tokens")


class TokenRequestSchema(RequestSchema):
    email = fields.String(required=True)
    password = fields.String(required=True)


class TokenSchema(RequestSchema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


class EventRoleSchema(ma.Schema):
    event = fields.String(required=True, allow_none=True, metadata={"description": "The event's slug."})
    role = fields.String(required=True, metadata={"enum": [r.value for r in EventRoleKind]})


class AccountSchema(ma.Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    full_name = fields.String(required=True)
    email_verified = fields.Boolean(required=True, metadata={
        "description": "Whether the owner opened the link sent to the address (api.md: a proven address)."})
    roles = fields.List(fields.String(metadata={"enum": [r.value for r in Role]}), required=True)
    event_roles = fields.List(fields.Nested(EventRoleSchema), required=True)


@blp.post("/auth/tokens")
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@refusals(blp, 401, 429)
def create_token(body):
    """Exchanges an e-mail and password for a bearer token."""
    # Failed attempts only, in the budgets the sign-in page shares (accounts/throttle.py).
    try:
        user = throttle.sign_in(body["email"], body["password"])
    except throttle.TooManyFailures as exc:
        raise TooManyRequests(exc.message, retry_after=exc.retry_after) from None
    token, record = accounts.issue_token(user)
    return {"token": token, "expires_at": record.expires_at}


@blp.delete("/auth/tokens/current")
@blp.response(204)
@refusals(blp, 401)
@blp.doc(security=[{"bearerAuth": []}])
def revoke_current_token():
    """Revokes the token this request carries."""
    require_user()
    accounts.revoke_token(g.api_token)
    return ""



@blp.get("/auth/me")
@blp.response(200, AccountSchema)
@refusals(blp, 401)
@blp.doc(security=[{"bearerAuth": []}])
def me():
    """The token's account: whether its e-mail address is proven, and its roles (global, then per event)."""
    user = require_user()
    slugs = dict(db.session.execute(db.select(Event.id, Event.slug).where(
        Event.id.in_([grant.event_id for grant in user.event_roles]))).tuples().all())
    return {"id": user.id, "email": user.email, "full_name": user.full_name,
            "email_verified": user.email_verified, "roles": [user.role.value],
            "event_roles": [{"event": slugs.get(grant.event_id), "role": grant.role.value}
                            for grant in user.event_roles]}
