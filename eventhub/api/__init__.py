"""/api/v1: thin JSON handlers over the same services as the pages.

flask-smorest generates `openapi.json` from the marshmallow schemas that also parse every
request and shape every answer, so the published description cannot drift from the code.
"""

from __future__ import annotations

import json

from flask import Flask, request
from flask_babel import gettext as _
from flask_smorest import Api

from ..errors import EventHubError
from ..extensions import csrf
from .schemas import ErrorSchema, as_sent2properties


class EventHubApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        # errors.py answers for the whole app, in the error shape that api.md fixes.
        pass


api = EventHubApi()


def _refuse_unreadable_json() -> None:
    """400 for a JSON body that cannot be read at all.

    JSON nested deeper than the parser's recursion limit (RecursionError) or with a number too long
    to convert (ValueError) escapes the readers of webargs and of the login rate limits as a 500.
    """
    if not request.path.startswith("/api/") or not request.is_json:
        return
    data = request.get_data(cache=True)
    if not data.strip():
        return  # no body: the schema says which fields are missing
    try:
        json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise EventHubError(_("The body is not valid JSON."), code="malformed_json") from exc


def init_api(app: Flask) -> None:
    from . import access, auth, checkin, events, jobs, registration_setup, registrations, tokens
    from .badges import blp as badges_blp
    from .booths import blp as booths_blp
    from .certificates import blp as certificates_blp
    from .contests import blp as contests_blp
    from .followups import blp as followups_blp
    from .matchmaking import blp as matchmaking_blp
    from .messages import blp as messages_blp
    from .organizations import blp as organizations_blp
    from .programmes import blp as programmes_blp
    from .reports import blp as reports_blp
    from .surveys import blp as surveys_blp

    api.init_app(app, spec_kwargs={
        "info": {"description": "The EventHub HTTP API, version 1 (see api.md)."},
    })
    api.ma_plugin.converter.add_attribute_function(as_sent2properties)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme(
        "manageToken", {"type": "apiKey", "in": "header", "name": access.MANAGE_TOKEN_HEADER,
                        "description": "The manage token given when registering."})
    for blueprint in (tokens.blp, events.blp, registration_setup.blp, registrations.blp, jobs.blp,
                      checkin.blp, badges_blp, reports_blp, contests_blp, booths_blp, certificates_blp,
                      matchmaking_blp, messages_blp, programmes_blp, organizations_blp, surveys_blp,
                      followups_blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix="/api/v1")
    auth.init_app(app)
    app.before_request(_refuse_unreadable_json)
