"""A schema-driven fuzz of the whole API: schemathesis generates requests for every operation of
/api/v1/openapi.json (features that land later are covered by the same document) and checks that no
answer is a 500 and that every answer matches what the document promises (status codes, content types,
bodies).

Slow (about a minute and a half): marked `slow`, run once by `make test` after the fast suite.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from eventhub import create_app
from tests.factories import token_headers
from tests.support.database import empty_tables
from tests.support.world import build_world

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 25  # per operation: well under a minute for the whole API on two cores
OPENAPI = "/api/v1/openapi.json"


def _operations() -> list[str]:
    """The operations' labels ("GET /api/v1/events"), read from a throwaway app's document."""
    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return [result.ok().label for result in schemathesis.openapi.from_wsgi(OPENAPI, app).get_all_operations()]


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def world(app):
    """One event with people and the role accounts; a global organizer's token signs the requests."""
    from eventhub.extensions import db

    with app.app_context():
        empty_tables()
        built = build_world()
        known = {"slug": built.event.slug, "id": built.registration.id, "job_id": built.job.id,
                 "checkin_id": built.checkin.id, "code": built.rtype.code}
        info = {"headers": token_headers(built.users["global_organizer"]), "known": known}
    yield info
    with app.app_context():
        db.session.rollback()
        empty_tables()
        db.session.remove()


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi(OPENAPI, app)


@pytest.mark.parametrize("label", OPERATIONS)
def test_the_api_keeps_its_openapi_promises(app, api_schema, world, label):
    operation = next(r.ok() for r in api_schema.get_all_operations() if r.ok().label == label)

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        # Half the cases aim at objects that exist, so the rules behind the 404s are reached too.
        params = case.path_parameters or {}
        if params and sum(len(str(v)) for v in params.values()) % 2 == 0:
            for name in params:
                if name in world["known"]:
                    params[name] = world["known"][name]
        headers = dict(case.headers or {})
        headers.setdefault("Authorization", world["headers"]["Authorization"])
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
