"""Bearer-token authentication for /api/v1. Cookies never authenticate the API."""

from __future__ import annotations

from functools import wraps

from flask import Flask, g, request
from flask_babel import gettext as _

from ..accounts.services import user_for_token
from ..errors import Forbidden, NotAuthenticated


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _load_api_user() -> None:
    g.api_user = None
    g.api_token = None
    if not request.path.startswith("/api/"):
        return
    token = _bearer_token()
    found = user_for_token(token) if token else None
    if found:
        g.api_user, g.api_token = found


def current_api_user():
    return g.get("api_user")


def require_user():
    """The token's user, or 401 when the request carries no valid token."""
    user = current_api_user()
    if user is None:
        raise NotAuthenticated(_("Send a valid token: Authorization: Bearer TOKEN."),
                               code="not_authenticated")
    return user


def require(predicate, *args):
    """The token's user if `predicate(user, *args)` allows it; 401 or 403 otherwise."""
    user = require_user()
    if not predicate(user, *args):
        raise Forbidden(_("You are not allowed to do this."), code="forbidden")
    return user


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        require_user()
        return view(*args, **kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    app.before_request(_load_api_user)
