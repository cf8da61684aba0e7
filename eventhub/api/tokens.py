"""POST /auth/tokens and DELETE /auth/tokens/current."""

from __future__ import annotations

from flask import g
from flask_smorest import Blueprint
from marshmallow import fields

from ..accounts import services as accounts
from ..extensions import limiter
from ..ratelimits import login_account_key, login_limit_per_account, login_limit_per_ip
from .auth import require_user
from .schemas import RequestSchema, refusals

blp = Blueprint("api_tokens", __name__, description="Authentication tokens")


class TokenRequestSchema(RequestSchema):
    email = fields.String(required=True)
    password = fields.String(required=True)


class TokenSchema(RequestSchema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


@blp.post("/auth/tokens")
@limiter.limit(login_limit_per_ip)
@limiter.limit(login_limit_per_account, key_func=login_account_key)
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@refusals(blp, 401, 429)
def create_token(body):
    """Exchanges an e-mail and password for a bearer token."""
    user = accounts.authenticate(body["email"], body["password"])
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

