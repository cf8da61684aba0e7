"""Input no database can store is refused at the door, for pages and the API alike.

PostgreSQL refuses NUL in text; without this guard a NUL in a form field, a query string or a
path would surface as a 500 deep inside a query.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _

from .errors import EventHubError


def _has_nul(text) -> bool:
    return isinstance(text, str) and "\x00" in text  # a multipart part werkzeug could not decode is None


def _refuse_nul() -> None:
    if _has_nul(request.path) or any(_has_nul(key) or _has_nul(value)
                                     for source in (request.args, request.form)
                                     for key, value in source.items(multi=True)):
        raise EventHubError(_("The request contains characters that are not allowed."),
                            code="bad_request")


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul)
