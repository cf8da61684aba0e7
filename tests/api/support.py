"""What every /api/v1 answer promises (api.md, "Conventions"), as assertions the API tests share."""

from __future__ import annotations

import re
from datetime import datetime

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$")
EVENT_KEYS = {"slug", "name", "kind", "starts_at", "ends_at", "venue", "registration_open"}
KINDS = {"startup_week", "regional_day", "ai_day", "other"}


def _describe(response) -> str:
    return f"{response.status_code} {response.get_data(as_text=True)[:800]}"


def assert_error(response, status: int | None = None, code: str | None = None) -> dict:
    """The answer is an error in exactly the shape of api.md; returns its `error` object.

    `{"error": {"code": "snake_case", "message": "…"}}`, plus `"fields": {"name": ["…"]}` on a 422 only.
    """
    if status is not None:
        assert response.status_code == status, _describe(response)
    assert 400 <= response.status_code <= 599, _describe(response)
    assert response.status_code != 500, _describe(response)
    assert response.mimetype == "application/json", _describe(response)
    body = response.get_json()
    assert isinstance(body, dict) and set(body) == {"error"}, _describe(response)
    error = body["error"]
    assert isinstance(error, dict), _describe(response)
    allowed = {"code", "message", "fields"} if response.status_code == 422 else {"code", "message"}
    assert {"code", "message"} <= set(error) <= allowed, _describe(response)
    assert isinstance(error["code"], str) and SNAKE_CASE.match(error["code"]), _describe(response)
    assert isinstance(error["message"], str) and error["message"].strip(), _describe(response)
    if "fields" in error:
        fields = error["fields"]
        assert isinstance(fields, dict) and fields, _describe(response)
        for name, messages in fields.items():
            assert isinstance(name, str) and name, _describe(response)
            assert isinstance(messages, list) and messages, _describe(response)
            assert all(isinstance(m, str) and m.strip() for m in messages), _describe(response)
    if code is not None:
        assert error["code"] == code, _describe(response)
    return error


def assert_field_errors(response, *names: str) -> dict:
    """A 422 in the error shape whose `fields` name (at least) these fields."""
    error = assert_error(response, 422)
    assert "fields" in error, _describe(response)
    missing = set(names) - set(error["fields"])
    assert not missing, f"no message for {missing}: {_describe(response)}"
    return error["fields"]


def parse_time(value) -> datetime:
    """An ISO 8601 time with its offset, as api.md promises for every time."""
    assert isinstance(value, str) and ISO_WITH_OFFSET.match(value), value
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None, value
    return parsed


def assert_event(data) -> dict:
    """The representation of an event that api.md lists."""
    assert isinstance(data, dict), data
    assert set(data) >= EVENT_KEYS, data
    assert isinstance(data["slug"], str) and re.fullmatch(r"[a-z0-9-]+", data["slug"]), data
    assert isinstance(data["name"], str) and data["name"], data
    assert data["kind"] in KINDS, data
    assert isinstance(data["venue"], str), data
    assert isinstance(data["registration_open"], bool), data
    assert parse_time(data["ends_at"]) >= parse_time(data["starts_at"]), data
    return data
