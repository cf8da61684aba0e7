"""POST /api/v1/auth/tokens, bearer tokens, revocation, expiry; cookies never authenticate the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import ApiToken
from eventhub.dbtypes import utcnow
from eventhub.events.models import Event
from tests.factories import PASSWORD, login, make_user
from tests.support.api import assert_error, assert_event, assert_field_errors, parse_time

TOKENS = "/api/v1/auth/tokens"
CURRENT = "/api/v1/auth/tokens/current"
EVENTS = "/api/v1/events"


def _new_event(slug: str = "ai-day-2026") -> dict:
    return {"slug": slug, "name": "AI Day 2026", "kind": "ai_day",
            "starts_at": "2026-12-14T08:00:00+07:00", "ends_at": "2026-12-14T17:00:00+07:00",
            "venue": "Saigon Innovation Hub"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _get_token(client, email: str, password: str = PASSWORD) -> str:
    response = client.post(TOKENS, json={"email": email, "password": password})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["token"]


def _event_count(db) -> int:
    return len(db.session.scalars(db.select(Event)).all())


def test_right_credentials_give_a_token_with_its_expiry(client, organizer):
    before = utcnow()
    response = client.post(TOKENS, json={"email": organizer.email, "password": PASSWORD})
    assert response.status_code == 201
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert {"token", "expires_at"} <= set(body)
    assert isinstance(body["token"], str) and len(body["token"]) >= 20
    assert parse_time(body["expires_at"]) > before + timedelta(hours=1)


def test_the_token_authenticates_as_bearer(client, organizer):
    token = _get_token(client, organizer.email)
    response = client.post(EVENTS, json=_new_event(), headers=_bearer(token))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert_event(response.get_json())


def test_each_login_gives_a_different_token(client, organizer):
    assert _get_token(client, organizer.email) != _get_token(client, organizer.email)


def test_wrong_password_unknown_email_and_inactive_account_are_401_alike(client, db):
    user = make_user(email="tam@example.vn")
    inactive = make_user(email="ngu@example.vn")
    inactive.active = False
    db.session.commit()

    wrong = client.post(TOKENS, json={"email": user.email, "password": "not-the-password"})
    unknown = client.post(TOKENS, json={"email": "nobody@example.vn", "password": PASSWORD})
    closed = client.post(TOKENS, json={"email": inactive.email, "password": PASSWORD})

    errors = [assert_error(r, 401) for r in (wrong, unknown, closed)]
    # The same answer whichever part was wrong: nobody can probe for accounts.
    assert errors[0] == errors[1] == errors[2]
    assert not any("token" in (r.get_json() or {}) for r in (wrong, unknown, closed))


def test_email_is_case_insensitive_and_trimmed(client, db):
    make_user(email="quy.truc@example.vn")
    response = client.post(TOKENS, json={"email": "  Quy.Truc@EXAMPLE.vn \t", "password": PASSWORD})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["token"]


def test_password_is_not_trimmed_nor_case_insensitive(client, db):
    user = make_user()
    for password in (PASSWORD.upper(), f" {PASSWORD} "):
        assert_error(client.post(TOKENS, json={"email": user.email, "password": password}), 401)


@pytest.mark.parametrize("body", [{}, {"email": "a@example.vn"}, {"password": PASSWORD},
                                  {"email": None, "password": PASSWORD},
                                  {"email": ["a@example.vn"], "password": PASSWORD},
                                  {"email": "a@example.vn", "password": 12345678}])
def test_missing_or_mistyped_credentials_are_422_with_fields(client, db, body):
    response = client.post(TOKENS, json=body)
    fields = assert_field_errors(response)
    assert set(fields) <= {"email", "password"}


@pytest.mark.parametrize("body", [{"email": "tam\x00@example.vn", "password": PASSWORD},
                                  {"email": "tam@example.vn", "password": "lone \ud800 surrogate"},
                                  {"email": "tam\udfff@example.vn", "password": PASSWORD}])
def test_credentials_no_account_can_have_are_refused_not_a_crash(client, db, body):
    make_user(email="tam@example.vn")
    response = client.post(TOKENS, json=body)
    assert response.status_code in (401, 422)
    assert_error(response)


def test_malformed_json_is_400(client, db):
    response = client.post(TOKENS, data='{"email": "a@example.vn", ', content_type="application/json")
    assert_error(response, 400)


def test_delete_current_revokes_only_that_token(client, organizer):
    token = _get_token(client, organizer.email)
    other = _get_token(client, organizer.email)

    response = client.delete(CURRENT, headers=_bearer(token))
    assert 200 <= response.status_code < 300

    assert_error(client.post(EVENTS, json=_new_event(), headers=_bearer(token)), 401)
    assert_error(client.delete(CURRENT, headers=_bearer(token)), 401)
    # The person's other sessions (another script, another scanner) keep working.
    assert client.post(EVENTS, json=_new_event(), headers=_bearer(other)).status_code == 201


@pytest.mark.parametrize("data", ["[" * 100_000, '{"email": ' + "1" * 10_000 + "}"])
def test_unreadable_json_is_400_not_a_crash(client, db, data):
    assert_error(client.post(TOKENS, data=data, content_type="application/json"), 400)


def test_delete_current_without_a_token_is_401(client, db):
    assert_error(client.delete(CURRENT), 401)


def test_an_expired_token_is_401(client, db, organizer):
    token, record = accounts.issue_token(organizer)
    assert client.post(EVENTS, json=_new_event("first"), headers=_bearer(token)).status_code == 201

    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(EVENTS, json=_new_event("second"), headers=_bearer(token))
    assert_error(response, 401)
    assert _event_count(db) == 1


def test_the_token_of_an_account_made_inactive_stops_working(client, db, organizer):
    token = _get_token(client, organizer.email)
    organizer.active = False
    db.session.commit()
    assert_error(client.post(EVENTS, json=_new_event(), headers=_bearer(token)), 401)


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer not-a-token", "Basic dXNlcjpwdw==",
                                    "Token abc", "Bearer " + "x" * 5000])
def test_bad_authorization_headers_are_401(client, organizer, header):
    response = client.post(EVENTS, json=_new_event(), headers={"Authorization": header})
    assert_error(response, 401)


def test_only_a_hash_of_the_token_is_stored(client, db, organizer):
    token = _get_token(client, organizer.email)
    stored = db.session.scalars(db.select(ApiToken)).all()
    assert len(stored) == 1
    assert token not in stored[0].token_hash


def test_a_cookie_session_does_not_authenticate_api_writes(client, db, organizer):
    response = login(client, organizer)
    assert response.status_code == 302
    assert organizer.full_name in client.get("/").get_data(as_text=True)  # the session is real

    assert_error(client.post(EVENTS, json=_new_event()), 401)
    assert _event_count(db) == 0


def test_a_cookie_session_does_not_authenticate_an_api_patch(client, db, organizer):
    created = client.post(EVENTS, json=_new_event(), headers=_bearer(_get_token(client, organizer.email)))
    assert created.status_code == 201
    assert login(client, organizer).status_code == 302
    assert_error(client.patch(f"{EVENTS}/ai-day-2026", json={"name": "Renamed"}), 401)
    assert db.session.scalar(db.select(Event.name)) == "AI Day 2026"


def test_the_api_needs_no_csrf_token(client, db, organizer, monkeypatch):
    monkeypatch.setitem(client.application.config, "WTF_CSRF_ENABLED", True)
    # The switch is effective: the HTML form now refuses a post without its CSRF token.
    assert login(client, organizer).status_code != 302

    token = _get_token(client, organizer.email)
    assert client.post(EVENTS, json=_new_event(), headers=_bearer(token)).status_code == 201
    assert client.patch(f"{EVENTS}/ai-day-2026", json={"name": "Renamed"},
                        headers=_bearer(token)).status_code == 200
    assert 200 <= client.delete(CURRENT, headers=_bearer(token)).status_code < 300
