"""Who may call an endpoint, settled before its body is read: the event or row its path names (404), the
token (401) and the permission (403), in the error shape of api.md.

Ids come from `<int:…>` in the path, which the converter (converters.py) bounds to the id range.
"""

from __future__ import annotations

import hmac
from functools import wraps

from flask import request
from flask_babel import gettext as _
from marshmallow import validate

from .. import permissions
from ..errors import Forbidden, NotAuthenticated, NotFound
from ..events import services as events
from ..events.models import Event
from ..extensions import db
from ..registration.models import Registration
from ..registration.tickets import read_manage_token
from .auth import current_api_user, require, require_user

MANAGE_TOKEN_HEADER = "X-Manage-Token"
ORGANIZER = [{"bearerAuth": []}]
ORGANIZER_OR_MANAGE_TOKEN = [{"bearerAuth": []}, {"manageToken": []}]
SLUG = validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def checked_slug(slug: str) -> str:
    """`slug` when it can be one; a path that is no slug names no event (PostgreSQL refuses a NUL in it)."""
    if len(slug) > 80 or not SLUG.regex.fullmatch(slug):
        raise NotFound(_("There is no such event."), code="event_not_found")
    return slug


def get_event(slug: str) -> Event:
    """The event at this address (404 for none)."""
    return events.get_event(checked_slug(slug))


def get_or_404(model, object_id: int, *, code: str, message: str | None = None, event: Event | None = None):
    """The `model` row with this id; 404 `code` when there is none, or when it belongs to another `event`."""
    found = db.session.get(model, object_id)
    if found is None or (event is not None and found.event_id != event.id):
        raise NotFound(message, code=code)
    return found


# --- decorators: `slug` in the path becomes `event` -------------------------------------------------------

def event_in_path(view):
    """Reads `slug` into `event` (404 for no such event) before the body is read."""
    @wraps(view)
    def wrapper(*args, slug, **kwargs):
        return view(*args, event=get_event(slug), **kwargs)

    return wrapper


def signed_in_event(view):
    """`event` and the token's `user`: 401 before the body is read, 404 for no such event."""
    @wraps(view)
    def wrapper(*args, slug, **kwargs):
        user = require_user()
        return view(*args, event=get_event(slug), user=user, **kwargs)

    return wrapper


def event_for(predicate):
    """`event` and `user` for whom `predicate(user, event)` allows: 401 without a token, 404 for no such
    event, 403 for others."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, slug, **kwargs):
            require_user()
            event = get_event(slug)
            user = require(predicate, event)
            return view(*args, event=event, user=user, **kwargs)

        return wrapper

    return decorator


def managed_event(view):
    """`event` and `user` for an organizer of it: 401 without a token, 404 for no such event, then 403."""
    return event_for(permissions.can_manage_event)(view)


# --- registrations: organizers of their event, or their manage token ------------------------------------

def manage_token_grants(reg_id: int, reg: Registration | None) -> bool | None:
    """True when the X-Manage-Token header is the manage token of this registration, False when it
    is some other or no genuine token, None when it is a genuine token of this id whose registration
    no longer exists."""
    found = read_manage_token(request.headers.get(MANAGE_TOKEN_HEADER, "").strip())
    if found is None or found[0] != reg_id:
        return False
    if reg is None:
        return None
    return hmac.compare_digest(reg.manage_nonce.encode(), found[1].encode())


def manage_token_sent() -> bool:
    """Whether the request carries an X-Manage-Token header at all."""
    return bool(request.headers.get(MANAGE_TOKEN_HEADER, "").strip())


def authorized_registration(reg_id: int, *, manage_token: bool,
                            predicate=permissions.can_manage_event) -> tuple[Registration, object]:
    """The registration and the API user (None when a manage token opened it) for whom `predicate`
    allows on its event, or its own manage token.

    Credentials are checked before existence: nobody without rights over registrations learns
    which ids exist (401 without credentials, 403 with wrong ones); organizers learn 404.
    """
    user = current_api_user()
    token_sent = manage_token and manage_token_sent()
    if user is None and not token_sent:
        raise NotAuthenticated(
            _("Send a valid token (Authorization: Bearer TOKEN) or the registration's manage token.")
            if manage_token else _("Send a valid token: Authorization: Bearer TOKEN."),
            code="not_authenticated")
    reg = db.session.get(Registration, reg_id)
    if reg is not None and user is not None and predicate(user, reg.event):
        return reg, user
    if token_sent:
        granted = manage_token_grants(reg_id, reg)
        if granted:
            return reg, None
        if granted is None:
            raise NotFound(_("There is no such registration."), code="registration_not_found")
    if reg is None and permissions.is_organizer(user):
        raise NotFound(_("There is no such registration."), code="registration_not_found")
    raise Forbidden(_("You are not allowed to do this."), code="forbidden")


def registration_in_path(*, manage_token: bool, predicate=permissions.can_manage_event):
    """Reads the `id` in the path into `reg` and `user`: who `predicate` allows on its event (or its
    manage token)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            reg_id = kwargs.pop("id")  # `{id}` in the path, as api.md writes it
            reg, user = authorized_registration(reg_id, manage_token=manage_token, predicate=predicate)
            return view(*args, reg=reg, user=user, **kwargs)

        return wrapper

    return decorator
