"""/api/v1: thin JSON handlers over the same services as the pages.

flask-smorest generates `openapi.json` from the marshmallow schemas that also parse every
request and shape every answer, so the published description cannot drift from the code.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from ..extensions import csrf
from .schemas import ErrorSchema


class EventHubApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        # errors.py answers for the whole app, in the error shape that api.md fixes.
        pass


api = EventHubApi()


def init_api(app: Flask) -> None:
    from . import auth, events, tokens

    api.init_app(app, spec_kwargs={
        "info": {"description": "The EventHub HTTP API, version 1 (see api.md)."},
    })
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in (tokens.blp, events.blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix="/api/v1")
    auth.init_app(app)
