"""Named errors raised by services, and the handlers that turn any error into HTML or API JSON."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .extensions import db, limiter

log = logging.getLogger(__name__)


class EventHubError(Exception):
    """A rule was broken; `code` is the stable machine name that `api.md` promises."""

    status = 400
    code = "bad_request"
    default_message = _l("The request could not be processed.")

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 fields: dict[str, list[str]] | None = None, extra: dict | None = None):
        self.message = str(message) if message is not None else None
        if code:
            self.code = code
        self.fields = fields
        self.extra = extra or {}
        super().__init__(self.message or self.code)

    def describe(self) -> str:
        return self.message or str(self.default_message)


class ValidationError(EventHubError):
    status = 422
    code = "validation_error"
    default_message = _l("Some fields are not valid.")

    def __init__(self, fields: dict[str, list[str]], message: str | None = None, **kw):
        super().__init__(message, fields=fields, **kw)


class NotAuthenticated(EventHubError):
    status = 401
    code = "not_authenticated"
    default_message = _l("Please sign in.")


class Forbidden(EventHubError):
    status = 403
    code = "forbidden"
    default_message = _l("You are not allowed to do this.")


class NotFound(EventHubError):
    status = 404
    code = "not_found"
    default_message = _l("Not found.")


class Conflict(EventHubError):
    status = 409
    code = "conflict"
    default_message = _l("This conflicts with the current state.")


# Status codes of plain HTTP errors mapped to the stable codes of the API.
HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}

HTTP_MESSAGES = {
    400: _l("The request could not be read."),
    401: _l("Please sign in."),
    403: _l("You are not allowed to do this."),
    404: _l("The page you are looking for does not exist."),
    405: _l("This method is not allowed here."),
    409: _l("This conflicts with the current state."),
    413: _l("The upload is too large."),
    415: _l("This content type is not supported."),
    422: _l("Some fields are not valid."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. The team has been told."),
    503: _l("The service is temporarily unavailable."),
}


def wants_json() -> bool:
    """The API (and health check) always answers JSON; pages answer HTML."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_body(code: str, message: str, fields: dict | None = None, extra: dict | None = None):
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    if extra:
        error.update(extra)
    return {"error": error}


def _json_response(status: int, code: str, message: str, fields=None, extra=None, headers=None):
    response = jsonify(error_body(code, message, fields, extra))
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _html_response(status: int, message: str, headers=None):
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/generic.html"
    return render_template(template, status=status, message=message), status, headers or {}


def json_error(error: EventHubError):
    """The API's error shape for `error`, for a page's route that a script calls with JSON."""
    return _json_response(error.status, error.code, error.describe(),
                          error.fields if error.status == 422 else None, error.extra)


def handle_eventhub_error(error: EventHubError):
    if wants_json():
        return json_error(error)
    return _html_response(error.status, error.describe())


# marshmallow speaks English only; its messages are mapped onto our catalogs.
_FIELD_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field cannot be empty."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid number.": _l("Enter a number."),
    "Not a valid boolean.": _l("Enter true or false."),
    "Not a valid datetime.": _l("Enter a date and time in ISO 8601, e.g. 2020-12-14T08:00:00+07:00."),
    "Not a valid list.": _l("Enter a list."),
    "Not a valid mapping type.": _l("Enter an object."),
    "Invalid input type.": _l("The body must be a JSON object."),
    "String does not match expected pattern.": _l("Not in the expected format."),
    "Not a valid email address.": _l("This e-mail address is not valid."),
}
_FIELD_MESSAGE_PREFIXES = {
    "Must be one of:": _l("Choose one of: %(choices)s"),
    "Longer than maximum length": _l("This is too long."),
    "Shorter than minimum length": _l("This is too short."),
    "Length must be between": _l("The length is not allowed."),
    "Must be greater than or equal to": _l("This value is out of the allowed range."),
    "Must be less than or equal to": _l("This value is out of the allowed range."),
}


def translate_field_message(message: str) -> str:
    if message in _FIELD_MESSAGES:
        return str(_FIELD_MESSAGES[message])
    for prefix, translated in _FIELD_MESSAGE_PREFIXES.items():
        if message.startswith(prefix):
            return str(translated) % {"choices": message[len(prefix):].strip().rstrip(".")}
    return message


def _flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """Turns webargs/marshmallow nested messages into {"field": [...], "a.b": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, msgs in _flatten(value, name).items():
                flat.setdefault(field, []).extend(msgs)
    elif isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = [translate_field_message(str(m)) for m in messages]
    elif isinstance(messages, list | tuple):
        for index, value in enumerate(messages):
            for field, msgs in _flatten(value, f"{prefix}.{index}").items():
                flat.setdefault(field, []).extend(msgs)
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def api_fields_from_webargs(data: dict | None) -> dict[str, list[str]] | None:
    messages = (data or {}).get("messages")
    if not messages:
        return None
    # webargs keys messages by location first ("json", "query"); clients want field names.
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "form", "files", "headers",
                                                         "view_args", "json_or_form"}:
        merged: dict = {}
        for value in messages.values():
            merged.update(_flatten(value))
        return merged
    return _flatten(messages)


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    headers = dict(error.get_headers()) if status in (405, 429) else {}
    headers.pop("Content-Type", None)
    if status == 429:
        retry = getattr(error, "retry_after", None) or _retry_after_from_limiter()
        headers.setdefault("Retry-After", str(retry))
    message = str(HTTP_MESSAGES.get(status, error.description or ""))
    if wants_json():
        data = getattr(error, "data", None)
        fields = api_fields_from_webargs(data) if status == 422 else None
        code = HTTP_CODES.get(status, "error")
        if status == 400 and data and "json" in (data.get("messages") or {}):
            code, message = "malformed_json", _("The body is not valid JSON.")
        return _json_response(status, code, message, fields, headers=headers)
    return _html_response(status, message, headers)


def _retry_after_from_limiter() -> int:
    limit = getattr(request, "view_rate_limit", None)
    if limit is None:
        return 60
    try:
        reset_at, _remaining = limiter.limiter.get_window_stats(limit[0], *limit[1])
        return max(1, int(reset_at - time.time()))
    except Exception:  # pragma: no cover - the storage went away; a minute is a safe answer
        return 60


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    # The endpoint, not the path: paths carry manage and reset tokens, which logs must not keep.
    log.exception("Unhandled error on %s %s", request.method, request.endpoint)
    if current_app.config.get("PROPAGATE_EXCEPTIONS") and current_app.testing:
        raise error
    db.session.rollback()
    message = str(HTTP_MESSAGES[500])
    if wants_json():
        return _json_response(500, "internal_error", message)
    return _html_response(500, message)


def _database_unavailable(error: Exception) -> bool:
    """The database went away (restarted, connection killed, pool exhausted, SQLite busy): not a bug."""
    if isinstance(error, InterfaceError | PoolTimeout):
        return True
    if not isinstance(error, OperationalError):
        return False
    return (error.connection_invalidated or type(error.orig).__module__.startswith("psycopg")
            or "database is locked" in str(error.orig))


def handle_database_error(error: Exception):
    """503 with Retry-After while the database is unreachable; the next request gets a fresh connection
    (the dead one invalidated the pool; idle ones are pinged: extensions.py), so the app recovers
    without a restart."""
    if not _database_unavailable(error):
        return handle_unexpected(error)
    log.warning("Database unavailable on %s %s: %s", request.method, request.endpoint, type(error).__name__)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the session is discarded at the end of the request
        log.debug("rollback after a lost connection failed", exc_info=True)
    message, headers = str(HTTP_MESSAGES[503]), {"Retry-After": "5"}
    if wants_json():
        return _json_response(503, HTTP_CODES[503], message, headers=headers)
    try:
        return _html_response(503, message, headers)
    except Exception:  # the page itself needs the database (the signed-in user): plain text then
        return message, 503, {**headers, "Content-Type": "text/plain; charset=utf-8"}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(EventHubError, handle_eventhub_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    for database_error in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(database_error, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
