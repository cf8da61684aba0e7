"""The registration API reads `type` and `organization` from the raw JSON before the schema (to read the
event, its type and the organization in one statement): text the schema refuses with a 422 must not
reach the database first (PostgreSQL refuses NUL: a 500 there before the fix)."""

from __future__ import annotations

import pytest

from tests.factories import make_type, open_event

SLUG = "raw-json"
URL = f"/api/v1/events/{SLUG}/registrations"


@pytest.mark.parametrize("field, value", [
    ("type", "visitor\x00"),
    ("type", "\ud800"),
    ("organization", "Sao\x00Viet"),
    ("organization", "\x00"),
    ("organization", "\udfff Công ty"),
])
def test_unstorable_text_in_type_or_organization_is_a_422_not_a_500(client, db, field, value):
    event = open_event(slug=SLUG)
    make_type(event, code="visitor")
    body = {"type": "visitor", "full_name": "Nguyễn Thị Trúc", "email": "truc@example.vn", "consent": True,
            field: value}
    response = client.post(URL, json=body)
    assert response.status_code == 422, (response.status_code, response.get_data(as_text=True)[:300])
