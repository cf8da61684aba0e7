"""Who may use a registration endpoint: the event in the path, organizers, the manage token."""

from __future__ import annotations

import hmac
from functools import wraps

from flask import request
from flask_babel import gettext as _

from .. import permissions
from ..dbtypes import MAX_ID
from ..errors import Forbidden, NotAuthenticated, NotFound
from ..extensions import db
from ..registration import queries
from ..registration.models import QuestionKind, Registration, RegistrationStatus
from ..registration.tickets import read_manage_token
from .auth import current_api_user, require, require_user
from .events import _get_event

MANAGE_TOKEN_HEADER = "X-Manage-Token"
STATUSES = [status.value for status in RegistrationStatus]
QUESTION_KINDS = [kind.value for kind in QuestionKind]
SORTS = sorted(queries.SORTS)
BINARY = {"type": "string", "format": "binary"}

ORGANIZER = [{"bearerAuth": []}]
ORGANIZER_OR_MANAGE_TOKEN = [{"bearerAuth": []}, {"manageToken": []}]



def event_in_path(view):
    """Reads `slug` into `event` (404 for no such event) before the body is read."""
    @wraps(view)
    def wrapper(*args, slug, **kwargs):
        return view(*args, event=_get_event(slug), **kwargs)

    return wrapper


def managed_event(view):
    """`event` for an organizer of it: 401 without a token, 404 for no such event, 403 for others."""
    @wraps(view)
    def wrapper(*args, slug, **kwargs):
        require_user()
        event = _get_event(slug)
        user = require(permissions.can_manage_event, event)
        return view(*args, event=event, user=user, **kwargs)

    return wrapper


def _manage_token_grants(reg_id: int, reg: Registration | None) -> bool | None:
    """True when the X-Manage-Token header is the manage token of this registration, False when it
    is some other or no genuine token, None when it is a genuine token of this id whose registration
    no longer exists."""
    found = read_manage_token(request.headers.get(MANAGE_TOKEN_HEADER, "").strip())
    if found is None or found[0] != reg_id:
        return False
    if reg is None:
        return None
    return hmac.compare_digest(reg.manage_nonce.encode(), found[1].encode())


def _authorized_registration(reg_id: int, *, manage_token: bool) -> tuple[Registration, object]:
    """The registration and the API user (None when a manage token opened it).

    Credentials are checked before existence: nobody without rights over registrations learns
    which ids exist (401 without credentials, 403 with wrong ones); organizers learn 404.
    """
    user = current_api_user()
    token_sent = manage_token and bool(request.headers.get(MANAGE_TOKEN_HEADER, "").strip())
    if user is None and not token_sent:
        raise NotAuthenticated(
            _("Send a valid token (Authorization: Bearer TOKEN) or the registration's manage token.")
            if manage_token else _("Send a valid token: Authorization: Bearer TOKEN."),
            code="not_authenticated")
    reg = db.session.get(Registration, reg_id) if 1 <= reg_id <= MAX_ID else None
    if reg is not None and user is not None and permissions.can_manage_event(user, reg.event):
        return reg, user
    if token_sent:
        granted = _manage_token_grants(reg_id, reg)
        if granted:
            return reg, None
        if granted is None:
            raise NotFound(_("There is no such registration."), code="registration_not_found")
    if reg is None and permissions.is_organizer(user):
        raise NotFound(_("There is no such registration."), code="registration_not_found")
    raise Forbidden(_("You are not allowed to do this."), code="forbidden")


def registration_in_path(*, manage_token: bool):
    """Reads the `id` in the path into `reg` and `user`: organizers of its event (or its manage token)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            reg_id = kwargs.pop("id")  # `{id}` in the path, as api.md writes it
            reg, user = _authorized_registration(reg_id, manage_token=manage_token)
            return view(*args, reg=reg, user=user, **kwargs)

        return wrapper

    return decorator


