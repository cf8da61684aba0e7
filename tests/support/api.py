"""What every /api/v1 answer promises (api.md, "Conventions"), as assertions the API tests share."""

from __future__ import annotations

import re
from datetime import datetime

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$")
EVENT_KEYS = {"slug", "name", "kind", "starts_at", "ends_at", "venue", "registration_open"}
KINDS = {"startup_week", "regional_day", "ai_day", "other"}


def describe(response) -> str:
    """The status and the start of the body, for an assertion's message."""
    return f"{response.status_code} {response.get_data(as_text=True)[:800]}"


def assert_error(response, status: int | None = None, code: str | None = None) -> dict:
    """The answer is an error in exactly the shape of api.md; returns its `error` object.

    `{"error": {"code": "snake_case", "message": "…"}}`, plus `"fields": {"name": ["…"]}` on a 422 only.
    """
    if status is not None:
        assert response.status_code == status, describe(response)
    assert 400 <= response.status_code <= 599, describe(response)
    assert response.status_code != 500, describe(response)
    assert response.mimetype == "application/json", describe(response)
    body = response.get_json()
    assert isinstance(body, dict) and set(body) == {"error"}, describe(response)
    error = body["error"]
    assert isinstance(error, dict), describe(response)
    allowed = {"code", "message", "fields"} if response.status_code == 422 else {"code", "message"}
    assert {"code", "message"} <= set(error) <= allowed, describe(response)
    assert isinstance(error["code"], str) and SNAKE_CASE.match(error["code"]), describe(response)
    assert isinstance(error["message"], str) and error["message"].strip(), describe(response)
    if "fields" in error:
        fields = error["fields"]
        assert isinstance(fields, dict) and fields, describe(response)
        for name, messages in fields.items():
            assert isinstance(name, str) and name, describe(response)
            assert isinstance(messages, list) and messages, describe(response)
            assert all(isinstance(m, str) and m.strip() for m in messages), describe(response)
    if code is not None:
        assert error["code"] == code, describe(response)
    return error


def assert_field_errors(response, *names: str) -> dict:
    """A 422 in the error shape whose `fields` name (at least) these fields."""
    error = assert_error(response, 422)
    assert "fields" in error, describe(response)
    missing = set(names) - set(error["fields"])
    assert not missing, f"no message for {missing}: {describe(response)}"
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


REGISTRATION_KEYS = {"id", "event", "type", "status", "full_name", "email", "phone", "organization",
                     "answers", "sessions", "created_at", "attending", "attendance_at"}
STATUSES = {"confirmed", "waitlisted", "pending_approval", "cancelled", "pending_email"}
TICKET_CODE = re.compile(r"^[A-Za-z0-9_-]{16,}$")  # safe in a URL and a QR code


def assert_list(body, item_check=None) -> list:
    """The list envelope of api.md; returns its items, each checked by `item_check`."""
    assert isinstance(body, dict) and set(body) == {"items", "page", "per_page", "total"}, body
    assert isinstance(body["items"], list), body
    assert all(isinstance(body[k], int) and not isinstance(body[k], bool)
               for k in ("page", "per_page", "total")), body
    assert len(body["items"]) <= body["per_page"] <= 500 and body["total"] >= 0, body
    if item_check is not None:
        for item in body["items"]:
            item_check(item)
    return body["items"]


def assert_registration(data) -> dict:
    """A registration as api.md shows it everywhere; `ticket_code` exactly when confirmed."""
    assert isinstance(data, dict), data
    ticket = {"ticket_code"} if data.get("status") == "confirmed" else set()
    assert set(data) == REGISTRATION_KEYS | ticket, data
    assert isinstance(data["id"], int) and not isinstance(data["id"], bool), data
    assert isinstance(data["event"], str) and re.fullmatch(r"[a-z0-9-]+", data["event"]), data
    assert isinstance(data["type"], str) and data["type"], data
    assert data["status"] in STATUSES, data
    assert isinstance(data["full_name"], str) and data["full_name"], data
    assert isinstance(data["email"], str) and "@" in data["email"], data
    assert data["phone"] is None or isinstance(data["phone"], str), data
    assert data["organization"] is None or isinstance(data["organization"], str), data
    assert isinstance(data["answers"], dict), data
    assert isinstance(data["sessions"], list) and all(isinstance(i, int) for i in data["sessions"]), data
    if ticket:
        assert isinstance(data["ticket_code"], str) and TICKET_CODE.match(data["ticket_code"]), data
    parse_time(data["created_at"])
    return data


def assert_created_registration(response) -> dict:
    """`201 {"id","status","ticket_code"?,"manage_token"}`, the ticket exactly when confirmed."""
    assert response.status_code == 201, describe(response)
    data = response.get_json()
    assert isinstance(data, dict), describe(response)
    ticket = {"ticket_code"} if data.get("status") == "confirmed" else set()
    assert set(data) == {"id", "status", "manage_token"} | ticket, describe(response)
    assert data["status"] in {"confirmed", "waitlisted", "pending_approval"}, describe(response)
    assert isinstance(data["manage_token"], str) and data["manage_token"], describe(response)
    if ticket:
        assert TICKET_CODE.match(data["ticket_code"]), describe(response)
    return data
