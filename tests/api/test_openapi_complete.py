"""openapi.json says what every operation takes and answers: a schema for every body an operation reads
and for every success answer with content, and a type for every property of every schema (issue 15)."""

from __future__ import annotations

import pytest

OPENAPI = "/api/v1/openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}
WRITES = {"post", "put", "patch", "delete"}
# Writes that read no body: the path names the action. A new write takes a body with a schema, or goes here.
BODILESS = {
    ("delete", "/api/v1/auth/tokens/current"),
    ("post", "/api/v1/contests/{id}/assign"),
    ("post", "/api/v1/contests/{id}/publish"),
    ("post", "/api/v1/contests/{id}/unpublish"),
    ("post", "/api/v1/contests/{id}/votes/undo"),
    ("post", "/api/v1/events/{slug}/checkins/{checkin_id}/undo"),
    ("post", "/api/v1/events/{slug}/meetings/schedule"),
    ("post", "/api/v1/events/{slug}/messages/{message_id}/cancel"),
    ("post", "/api/v1/meeting-requests/{id}/accept"),
    ("post", "/api/v1/meeting-requests/{id}/decline"),
    ("post", "/api/v1/registrations/{id}/approve"),
    ("post", "/api/v1/surveys/{survey_id}/send"),
}
JSON = "application/json"
BINARY = {"type": "string", "format": "binary"}  # a file: PDF, CSV, XLSX, iCalendar
TYPED = {"type", "$ref", "allOf", "oneOf", "anyOf"}


@pytest.fixture
def spec(client):
    response = client.get(OPENAPI)
    assert response.status_code == 200
    return response.get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def untyped(schema: dict, where: str) -> list[str]:
    """Where in `schema` a value is left undescribed: a property, an item, a map's values (`{}`, a Raw)."""
    found = [] if TYPED & set(schema) else [where]
    for name, prop in schema.get("properties", {}).items():
        found += untyped(prop, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        found += untyped(schema["items"], f"{where}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        found += untyped(schema["additionalProperties"], f"{where}{{}}")
    for key in ("allOf", "oneOf", "anyOf"):
        for index, member in enumerate(schema.get(key, [])):
            found += untyped(member, f"{where}.{key}[{index}]")
    return found


def body_problems(spec) -> list[str]:
    problems = []
    for method, path, operation in operations(spec):
        body = operation.get("requestBody")
        if (method, path) in BODILESS:
            if body is not None:
                problems.append(f"{method} {path}: takes a body after all, remove it from BODILESS")
            continue
        if method not in WRITES and body is None:
            continue
        if body is None or not body.get("content"):
            problems.append(f"{method} {path}: no request body described")
            continue
        for content_type, content in body["content"].items():
            schema = content.get("schema")
            if not schema or not (TYPED & set(schema)):
                problems.append(f"{method} {path}: {content_type} body without a schema")
    return problems


def answer_problems(spec) -> list[str]:
    problems = []
    for method, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            if not status.startswith("2") or status == "204":
                continue  # 204 has no body; 3xx redirects and errors are not success answers
            content = response.get("content")
            if not content:
                problems.append(f"{method} {path} {status}: answer without a schema")
                continue
            for content_type, described in content.items():
                schema = described.get("schema") or {}
                if content_type == JSON and not (TYPED & set(schema)):
                    problems.append(f"{method} {path} {status}: JSON answer without a schema")
                elif content_type != JSON and schema != BINARY:
                    problems.append(f"{method} {path} {status}: {content_type} is not a binary string")
    return problems


def property_problems(spec) -> list[str]:
    problems = []
    for name, schema in spec["components"]["schemas"].items():
        problems += untyped(schema, name)
    for method, path, operation in operations(spec):  # schemas written inline in an operation
        for content_type, content in (operation.get("requestBody") or {}).get("content", {}).items():
            problems += untyped(content.get("schema") or {}, f"{method} {path} {content_type}")
        for status, response in operation["responses"].items():
            for content_type, content in (response.get("content") or {}).items():
                problems += untyped(content.get("schema") or {}, f"{method} {path} {status} {content_type}")
    return problems


def test_every_body_an_operation_reads_has_a_schema(spec):
    problems = body_problems(spec)
    assert not problems, "\n".join(problems)


def test_every_success_answer_with_content_has_a_schema(spec):
    problems = answer_problems(spec)
    assert not problems, "\n".join(problems)


def test_every_property_of_every_schema_has_a_type(spec):
    problems = property_problems(spec)
    assert not problems, "\n".join(problems)


def test_the_walk_finds_what_it_looks_for(spec):
    """Guards the checks above: they see the contests API, a file answer and the upload of a deck."""
    paths = spec["paths"]
    contest = paths["/api/v1/contests/{id}"]["get"]["responses"]["200"]["content"][JSON]["schema"]
    assert contest == {"$ref": "#/components/schemas/Contest"}
    schemas = spec["components"]["schemas"]
    assert {"criteria", "rounds", "published_at"} <= set(schemas["Contest"]["properties"])
    deck = paths["/api/v1/entries/{id}/deck.pdf"]["get"]["responses"]["200"]["content"]
    assert deck == {"application/pdf": {"schema": BINARY}}
    upload = paths["/api/v1/entries/{id}/files"]["post"]["requestBody"]["content"]["multipart/form-data"]
    file = schemas[upload["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]["file"]
    assert file["type"] == "string" and file["format"] == "binary"
    assert untyped({"type": "object", "properties": {"raw": {}}}, "Old") == ["Old.raw"]
    assert untyped({"type": "object", "additionalProperties": {}}, "Map") == ["Map{}"]
