"""Property-based tests: whatever a client sends to the event and token endpoints, the API never
answers 500, and every answer that is not a success has the error shape of api.md.

The `client` and `db` fixtures are per test, not per example: the database keeps what earlier
examples wrote, so every property below holds whatever is already there.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventhub.events.models import Event
from tests.factories import PASSWORD, make_event, make_user, token_headers
from tests.support.api import assert_error, assert_event
from tests.support.fuzzing import (
    bodies,
    content_types,
    event_bodies,
    fuzz,
    path_slugs,
    query_values,
    raw_bodies,
    text,
)

EVENTS = "/api/v1/events"
TOKENS = "/api/v1/auth/tokens"
CURRENT = "/api/v1/auth/tokens/current"
EMAIL = "tam.nguyen@example.vn"

TOKEN_FIELDS = {
    "email": st.builds(lambda before, email, after: before + email + after,
                       st.text(" \t\n\r\u00a0\u2003", max_size=3),
                       st.sampled_from([EMAIL, EMAIL.upper(), "Tam.Nguyen@Example.VN", "tam@example.vn"]),
                       st.text(" \t\n\r\u00a0\u2003", max_size=3)) | text,
    "password": st.sampled_from([PASSWORD, PASSWORD.upper(), PASSWORD + " ", ""]) | text,
}
token_bodies = bodies(TOKEN_FIELDS, st.just({"email": EMAIL, "password": PASSWORD}))


def _as_json(response):
    """A success answers JSON; any other answer is in the error shape."""
    assert response.status_code != 500, response.get_data(as_text=True)[:500]
    if 200 <= response.status_code < 300:
        return response.get_json() if response.status_code != 204 else None
    assert_error(response)
    return None


def _event_count(db) -> int:
    return len(db.session.scalars(db.select(Event)).all())


@pytest.fixture
def organizer_headers(db):
    return token_headers(make_user("organizer"))


@pytest.fixture
def participant_headers(db):
    return token_headers(make_user("participant"))


@pytest.fixture
def account(db):
    return make_user(email=EMAIL)


@pytest.fixture
def known_events(db):
    make_event(slug="ai-day")
    make_event(slug="startup-week")


@fuzz
@given(body=event_bodies)
def test_creating_events_from_any_json(client, db, organizer_headers, body):
    response = client.post(EVENTS, data=json.dumps(body), content_type="application/json",
                           headers=organizer_headers)
    created = _as_json(response)
    if created is not None:
        assert response.status_code == 201
        assert_event(created)
        assert isinstance(body, dict) and created["slug"] == body["slug"].strip().lower()
        assert client.get(f"{EVENTS}/{created['slug']}").get_json() == created


@fuzz
@given(body=event_bodies, as_participant=st.booleans())
def test_only_organizers_create_events_whatever_the_body(client, db, participant_headers, body,
                                                         as_participant):
    before = _event_count(db)
    headers = participant_headers if as_participant else {}
    response = client.post(EVENTS, data=json.dumps(body), content_type="application/json", headers=headers)
    assert 400 <= response.status_code < 500
    assert_error(response)
    if not as_participant:
        assert response.status_code == 401
    assert _event_count(db) == before


@fuzz
@given(body=event_bodies)
def test_patching_an_event_with_any_json(client, db, organizer_headers, body):
    slug = make_event().slug
    before = client.get(f"{EVENTS}/{slug}").get_json()
    response = client.patch(f"{EVENTS}/{slug}", data=json.dumps(body), content_type="application/json",
                            headers=organizer_headers)
    patched = _as_json(response)
    if patched is None:
        assert client.get(f"{EVENTS}/{slug}").get_json() == before  # a refused change changes nothing
    else:
        assert response.status_code == 200
        assert_event(patched)
        assert client.get(f"{EVENTS}/{patched['slug']}").get_json() == patched


@fuzz
@given(body=raw_bodies, content_type=content_types, method=st.sampled_from(["post", "patch"]))
def test_event_writes_with_any_bytes_and_content_type(client, db, organizer_headers, body, content_type,
                                                      method):
    url = EVENTS if method == "post" else f"{EVENTS}/{make_event().slug}"
    response = getattr(client, method)(url, data=body, content_type=content_type, headers=organizer_headers)
    result = _as_json(response)
    if result is not None:
        assert_event(result)


@fuzz
@given(body=raw_bodies, content_type=content_types,
       target=st.sampled_from([("post", TOKENS), ("delete", CURRENT), ("get", EVENTS)]))
def test_token_and_list_endpoints_with_any_bytes_and_content_type(client, db, body, content_type, target):
    method, url = target
    response = getattr(client, method)(url, data=body, content_type=content_type)
    result = _as_json(response)
    if method == "post":
        assert result is None  # no account exists: no body whatsoever gets a token
    if method == "delete":  # no token: 401, or 400 for a body that cannot be read at all
        assert response.status_code in (400, 401)


@fuzz
@given(body=token_bodies)
def test_tokens_only_for_the_right_credentials(client, db, account, body):
    response = client.post(TOKENS, data=json.dumps(body), content_type="application/json")
    result = _as_json(response)
    right = (isinstance(body, dict) and isinstance(body.get("email"), str)
             and isinstance(body.get("password"), str)
             and body["email"].strip().lower() == EMAIL and body["password"] == PASSWORD)
    if right:
        assert response.status_code == 201, response.get_data(as_text=True)
        assert isinstance(result["token"], str) and result["token"]
    else:
        assert result is None, response.get_data(as_text=True)
        assert response.status_code in (400, 401, 422)


@fuzz
@given(header=st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80),
       scheme=st.sampled_from(["", "Bearer ", "bearer ", "BEARER  ", "Basic "]))
def test_no_made_up_authorization_is_accepted(client, db, header, scheme):
    headers = {"Authorization": scheme + header}
    assert_error(client.delete(CURRENT, headers=headers), 401)
    before = _event_count(db)
    body = {"slug": "x", "name": "x", "kind": "other", "starts_at": "2026-12-14T08:00:00",
            "ends_at": "2026-12-14T09:00:00"}
    assert_error(client.post(EVENTS, json=body, headers=headers), 401)
    assert _event_count(db) == before


@fuzz
@given(slug=path_slugs, method=st.sampled_from(["get", "patch"]))
def test_any_slug_in_the_path(client, db, known_events, organizer_headers, slug, method):
    url = f"{EVENTS}/{quote(slug, safe='')}"
    if method == "get":
        response = client.get(url)
    else:
        response = client.patch(url, json={"venue": "Hội trường B"}, headers=organizer_headers)
    result = _as_json(response)
    if result is None:
        # A NUL cannot even be read (400); any other unknown slug names no event (404).
        expected = 400 if "\x00" in slug else 404
        assert response.status_code == expected, response.get_data(as_text=True)
    else:
        assert response.status_code == 200
        assert slug in {"ai-day", "startup-week"}
        assert result["slug"] == slug


def _as_int(value: str | None, default: int) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return None


@fuzz
@given(page=query_values, per_page=query_values)
def test_any_paging_query(client, db, known_events, page, per_page):
    query = {k: v for k, v in {"page": page, "per_page": per_page}.items() if v is not None}
    response = client.get(EVENTS, query_string=query)
    result = _as_json(response)
    page_n, per_page_n = _as_int(page, 1), _as_int(per_page, 50)
    valid = page_n is not None and per_page_n is not None and 1 <= per_page_n <= 500 and page_n >= 1
    if result is not None:
        assert response.status_code == 200
        assert valid
        assert set(result) == {"items", "page", "per_page", "total"}
        assert (result["page"], result["per_page"]) == (page_n, per_page_n)
        assert result["total"] == 2 and len(result["items"]) <= per_page_n
        assert len(result["items"]) == max(0, min(per_page_n, 2 - (page_n - 1) * per_page_n))
    elif any("\x00" in str(v) for v in query.values()):
        assert_error(response, 400)  # a NUL cannot even be read
    else:
        assert response.status_code == 422
        fields = assert_error(response)["fields"]
        assert fields and set(fields) <= {"page", "per_page"}
        if page_n is not None and per_page_n is not None and page_n <= 1_000_000:
            assert not valid
