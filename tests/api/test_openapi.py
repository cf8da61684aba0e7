"""GET /api/v1/openapi.json describes every /api/v1 route of the app; GET /healthz."""

from __future__ import annotations

import re

import pytest

OPENAPI = "/api/v1/openapi.json"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _api_routes(app) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every /api/v1 rule the app serves, found in its URL map."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == OPENAPI:
            continue
        path = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routes |= {(path, method.lower()) for method in rule.methods - IGNORED_METHODS}
    return routes


@pytest.fixture
def spec(client):
    response = client.get(OPENAPI)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_the_description_is_openapi_3(spec):
    assert re.match(r"^3\.\d+\.\d+$", spec["openapi"])
    assert spec["info"]["title"] and spec["info"]["version"]
    assert isinstance(spec["paths"], dict) and spec["paths"]


def test_the_url_map_has_the_routes_of_api_md(app):
    # Guards the discovery below: were it to find nothing, the next test would prove nothing.
    assert {("/api/v1/auth/tokens", "post"), ("/api/v1/auth/tokens/current", "delete"),
            ("/api/v1/events", "get"), ("/api/v1/events", "post"), ("/api/v1/events/{slug}", "get"),
            ("/api/v1/events/{slug}", "patch")} <= _api_routes(app)


def test_every_api_route_of_the_app_is_described(app, spec):
    described = {(path, method) for path, operations in spec["paths"].items() for method in operations
                 if method in {"get", "post", "put", "patch", "delete"}}
    missing = _api_routes(app) - described
    assert not missing, f"routes missing from openapi.json: {sorted(missing)}"


def test_described_paths_exist_in_the_app(app, spec):
    served = {path for path, _method in _api_routes(app)}
    assert set(spec["paths"]) <= served


def test_every_operation_has_a_success_answer_and_its_path_parameters(spec):
    for path, operations in spec["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for method, operation in operations.items():
            if method == "parameters":
                continue
            statuses = set(operation["responses"])
            assert any(s.startswith("2") for s in statuses), (path, method, statuses)
            declared = {p["name"] for p in operations.get("parameters", []) + operation.get("parameters", [])
                        if p.get("in") == "path"}
            assert names <= declared, (path, method)


def test_writes_that_need_a_token_say_so(spec):
    for path, method in [("/api/v1/events", "post"), ("/api/v1/events/{slug}", "patch"),
                         ("/api/v1/auth/tokens/current", "delete")]:
        operation = spec["paths"][path][method]
        assert {"bearerAuth": []} in operation.get("security", []), (path, method)
        assert "401" in operation["responses"], (path, method)
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_error_schema_is_the_shape_of_api_md(spec):
    schemas = spec["components"]["schemas"]
    error = schemas["Error"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorDetail")
    detail = schemas["ErrorDetail"]
    assert {"code", "message", "fields"} <= set(detail["properties"])
    assert {"code", "message"} <= set(detail["required"])


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
