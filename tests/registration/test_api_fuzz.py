"""Property-based tests: whatever a client sends to the registration endpoints, the API never answers
500, every refusal has the error shape of api.md, and capacity and the one-registration-per-e-mail
rule hold whatever was accepted.

As in tests/api/test_fuzz.py, the `client` and `db` fixtures are per test, not per example: the database keeps
what earlier examples wrote, so every property below holds whatever is already there.
"""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import quote

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from eventhub.registration import catalog
from eventhub.registration.models import (
    SEAT_HOLDING,
    EventSession,
    Question,
    Registration,
    RegistrationStatus,
    RegistrationType,
    SessionChoice,
)
from eventhub.registration.tickets import make_manage_token
from tests.factories import HCMC, make_session, make_type, make_user, open_event, register, token_headers
from tests.support.api import assert_created_registration, assert_error, assert_list, assert_registration
from tests.support.fuzzing import bodies, content_types, fuzz, iso_times, json_values, raw_bodies, text

API = "/api/v1"
SLUG = "ai-day"
REGISTRATIONS = f"{API}/events/{SLUG}/registrations"
TYPES = f"{API}/events/{SLUG}/registration-types"
SESSIONS = f"{API}/events/{SLUG}/sessions"
TYPE_CODES = ["visitor", "limited", "approval", "closed"]


@pytest.fixture
def setup(db):
    """An open event: an unlimited type with optional questions, a small one without waiting list,
    one that needs approval (with a waiting list), one whose window has closed; three sessions."""
    event = open_event(slug=SLUG)
    visitor = make_type(event, code="visitor")
    catalog.add_question(visitor, key="size", label="Size", kind="number")
    catalog.add_question(visitor, key="track", label="Track", kind="multiple_choice", options=["ai", "iot"])
    catalog.add_question(visitor, key="agree", label="Agree", kind="checkbox")
    make_type(event, code="limited", capacity=2)
    make_type(event, code="approval", capacity=1, waitlist=True, requires_approval=True)
    make_type(event, code="closed", closes_at=datetime(2020, 1, 1, tzinfo=HCMC))
    sessions = [make_session(event, capacity=1).id,
                make_session(event, capacity=None, starts_at=datetime(2026, 12, 14, 13, 0, tzinfo=HCMC),
                             ends_at=datetime(2026, 12, 14, 14, 0, tzinfo=HCMC)).id,
                make_session(event, capacity=3, starts_at=datetime(2026, 12, 14, 9, 30, tzinfo=HCMC),
                             ends_at=datetime(2026, 12, 14, 11, 0, tzinfo=HCMC)).id]  # overlaps the first
    return {"event": event, "sessions": sessions}


@pytest.fixture
def organizer_headers(db):
    return token_headers(make_user("organizer"))


emails = st.builds(lambda before, email, after: before + email + after,
                   st.text(" \t\n\u00a0", max_size=2),
                   st.sampled_from(["tam@example.vn", "TAM@Example.VN", "truc.nguyen@example.vn", "a@b.vn",
                                    "khách@ví-dụ.vn", "not-an-email", "a@b", "@example.vn", ""]),
                   st.text(" \t\n", max_size=2))
REGISTRATION_FIELDS = {
    "type": st.sampled_from([*TYPE_CODES, "", "VISITOR", "nobody"]),
    "full_name": st.sampled_from(["Nguyễn Thị Trúc", "  Lê   Văn Tám ", "An", "", "\t"]) | text
    | st.text(min_size=195, max_size=205),
    "email": emails | st.emails().map(str),
    "phone": st.sampled_from(["0912 345 678", "+84912345678", "091234567", "12", "", "+1 650 253 0000"]),
    "organization": text | st.text(min_size=195, max_size=205),
    "answers": st.fixed_dictionaries({}, optional={
        "size": st.sampled_from(["12", "1,5", 3, 2.5, "many", "1e400", float("inf"), True, -1]) | json_values,
        "track": st.sampled_from([["ai"], ["iot", "ai"], "ai", ["nope"], []]) | json_values,
        "agree": st.sampled_from([True, False, "yes", "maybe", 1, 2]) | json_values,
    }),
    "sessions": st.lists(st.sampled_from([1, 2, 3, 0, -1, 999_999, 2**31, 2**63, 10**30]), max_size=4)
    | st.lists(st.booleans(), max_size=2) | st.sampled_from([None, "1", [1.0], ["1"]]),
    "consent": st.just(True) | st.sampled_from([False, "true", 1, None, "yes", [True]]),
    "locale": st.sampled_from(["vi", "en", "fr", "", "EN", "vi-VN"]) | text,
}
valid_registration = st.fixed_dictionaries({
    "type": st.sampled_from(TYPE_CODES), "full_name": st.just("Trần Văn Khách"),
    "email": st.from_regex(r"\A[a-z]{1,10}@example\.vn\Z"), "consent": st.just(True),
})
# Valid bodies with plausible extras, so that many examples get past every check into the seats.
plausible_registration = st.builds(lambda body, extra: {**body, **extra}, valid_registration,
                                   st.fixed_dictionaries({}, optional={
                                       "phone": st.sampled_from(["0912 345 678", "+84 28 3823 4567"]),
                                       "organization": st.sampled_from(["SIHUB", "=cmd", ""]),
                                       "answers": st.fixed_dictionaries({}, optional={
                                           "size": st.integers(0, 500), "track": st.just(["ai"])}),
                                       "sessions": st.lists(st.sampled_from([1, 2, 3]), max_size=3),
                                       "locale": st.sampled_from(["vi", "en"])}))
registration_bodies = bodies(REGISTRATION_FIELDS, valid_registration) | plausible_registration

TYPE_FIELDS = {
    "code": st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,45}\Z") | st.sampled_from(["visitor", "VIP", " vip ", ""])
    | text,
    "name": text | st.text(min_size=195, max_size=205),
    "capacity": st.none() | st.integers(-3, 1_000_003) | st.sampled_from([10**30, 2.5, "10", True]),
    "waitlist": st.booleans() | st.sampled_from(["true", "no", 0, 2, "maybe"]),
    "requires_approval": st.booleans() | st.sampled_from(["yes", 1, None]),
    "description": text,
    "opens_at": iso_times,
    "closes_at": iso_times,
}
valid_type = st.fixed_dictionaries({
    "code": st.from_regex(r"\A[a-z][a-z0-9]{0,10}\Z"), "name": st.just("Khách mời"),
    "capacity": st.none() | st.integers(0, 100), "waitlist": st.booleans(),
    "requires_approval": st.booleans(),
})
type_bodies = bodies(TYPE_FIELDS, valid_type)

SESSION_FIELDS = {
    "title": text | st.text(min_size=295, max_size=305),
    "starts_at": iso_times,
    "ends_at": iso_times,
    "room": text | st.text(min_size=195, max_size=205),
    "capacity": st.none() | st.integers(-3, 1_000_003) | st.sampled_from([10**30, 2.5, "10", False]),
    "speakers": st.lists(text, max_size=3) | text,
    "description": text,
}
valid_session = st.fixed_dictionaries({
    "title": st.just("AI trong y tế"), "starts_at": st.just("2026-12-14T09:00:00+07:00"),
    "ends_at": st.sampled_from(["2026-12-14T10:00:00+07:00", "2026-12-14T10:00"]), "room": st.just("A"),
    "capacity": st.none() | st.integers(0, 100),
})
session_bodies = bodies(SESSION_FIELDS, valid_session)

QUESTION_FIELDS = {
    "key": st.from_regex(r"\A[a-z][a-z0-9_]{0,45}\Z") | st.sampled_from(["size", "Bad Key", ""]) | text,
    "label": text | st.text(min_size=295, max_size=305),
    "kind": st.sampled_from(["short_text", "long_text", "single_choice", "multiple_choice", "checkbox",
                             "number", "essay", ""]) | text,
    "required": st.booleans() | json_values,
    "options": st.lists(text, max_size=4) | text,
    "help_text": text | st.text(min_size=495, max_size=505),
}
valid_question = st.fixed_dictionaries({
    "key": st.from_regex(r"\A[a-z][a-z0-9]{0,10}\Z"), "label": st.just("Câu hỏi"),
    "kind": st.sampled_from(["short_text", "number", "checkbox"]),
})
question_bodies = bodies(QUESTION_FIELDS, valid_question)


def _result(response):
    """A success answers JSON; any other answer is in the error shape (never a 500)."""
    event(f"status {response.status_code}")  # --hypothesis-show-statistics shows what was reached
    assert response.status_code != 500, response.get_data(as_text=True)[:500]
    if 200 <= response.status_code < 300:
        return response.get_json()
    assert_error(response)
    return None


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _assert_capacity_holds(db) -> None:
    """api.md: confirmed + pending for a type, and registrations holding a session, stay ≤ capacity;
    and the `taken` counters agree with the registrations."""
    db.session.expire_all()
    for rtype in db.session.scalars(db.select(RegistrationType)):
        holding = db.session.scalar(db.select(db.func.count(Registration.id)).where(
            Registration.registration_type_id == rtype.id, Registration.status.in_(SEAT_HOLDING)))
        assert holding == rtype.taken
        assert rtype.capacity is None or holding <= rtype.capacity
    for session in db.session.scalars(db.select(EventSession)):
        holding = db.session.scalar(db.select(db.func.count()).select_from(SessionChoice).where(
            SessionChoice.session_id == session.id, SessionChoice.holding.is_(True)))
        assert holding == session.taken
        assert session.capacity is None or holding <= session.capacity
    emails = [r.email_normalized for r in db.session.scalars(
        db.select(Registration).where(Registration.status != RegistrationStatus.cancelled))]
    assert len(emails) == len(set(emails))


@fuzz
@given(body=registration_bodies)
def test_registering_with_any_json(client, db, setup, body):
    before = _count(db, Registration)
    response = client.post(REGISTRATIONS, data=json.dumps(body), content_type="application/json")
    created = _result(response)
    if created is None:
        assert response.status_code in (400, 403, 409, 422), response.get_data(as_text=True)
        assert _count(db, Registration) == before
    else:
        assert_created_registration(response)
        assert isinstance(body, dict) and body.get("consent") is True
        assert body.get("type") in TYPE_CODES and body["type"] != "closed"
        shown = client.get(f"{API}/registrations/{created['id']}",
                           headers={"X-Manage-Token": created["manage_token"]})
        assert shown.status_code == 200
        registration = assert_registration(shown.get_json())
        assert (registration["status"], registration.get("ticket_code")) == (created["status"],
                                                                            created.get("ticket_code"))
        assert registration["type"] == body["type"]
        expected = {"pending_approval", "waitlisted"} if body["type"] == "approval" else {"confirmed"}
        assert created["status"] in expected
        assert registration["email"] == registration["email"].strip().lower()
        assert _count(db, Registration) == before + 1
    _assert_capacity_holds(db)


@fuzz
@given(body=raw_bodies, content_type=content_types)
def test_registering_with_any_bytes_and_content_type(client, db, setup, body, content_type):
    response = client.post(REGISTRATIONS, data=body, content_type=content_type)
    if _result(response) is not None:
        assert_created_registration(response)
    _assert_capacity_holds(db)


@fuzz
@given(body=type_bodies)
def test_creating_registration_types_from_any_json(client, db, setup, organizer_headers, body):
    before = _count(db, RegistrationType)
    response = client.post(TYPES, data=json.dumps(body), content_type="application/json",
                           headers=organizer_headers)
    created = _result(response)
    if created is None:
        assert response.status_code in (400, 409, 422), response.get_data(as_text=True)
        assert _count(db, RegistrationType) == before
    else:
        assert response.status_code == 201
        assert created["code"] == body["code"].strip().lower()
        assert created["remaining"] == created["capacity"]
        listed = client.get(TYPES, query_string={"per_page": 500}).get_json()
        assert created in assert_list(listed)


@fuzz
@given(body=session_bodies)
def test_creating_sessions_from_any_json(client, db, setup, organizer_headers, body):
    before = _count(db, EventSession)
    response = client.post(SESSIONS, data=json.dumps(body), content_type="application/json",
                           headers=organizer_headers)
    created = _result(response)
    if created is None:
        assert response.status_code in (400, 422), response.get_data(as_text=True)
        assert _count(db, EventSession) == before
    else:
        assert response.status_code == 201 and isinstance(created["id"], int)
        assert datetime.fromisoformat(created["ends_at"]) >= datetime.fromisoformat(created["starts_at"])
        listed = client.get(SESSIONS, query_string={"per_page": 500}).get_json()
        assert created in assert_list(listed)
        assert client.get(f"{SESSIONS}.ics").status_code == 200


@fuzz
@given(body=question_bodies)
def test_adding_questions_from_any_json(client, db, setup, organizer_headers, body):
    before = _count(db, Question)
    response = client.post(f"{TYPES}/limited/questions", data=json.dumps(body),
                           content_type="application/json", headers=organizer_headers)
    created = _result(response)
    if created is None:
        assert response.status_code in (400, 422), response.get_data(as_text=True)
        assert _count(db, Question) == before
    else:
        assert response.status_code == 201 and created["key"] == body["key"].strip().lower()


@fuzz
@given(body=raw_bodies, content_type=content_types,
       url=st.sampled_from([TYPES, SESSIONS, f"{TYPES}/visitor/questions"]))
def test_organizer_writes_with_any_bytes_and_content_type(client, db, setup, organizer_headers, body,
                                                          content_type, url):
    _result(client.post(url, data=body, content_type=content_type, headers=organizer_headers))


@fuzz
@given(body=type_bodies | session_bodies, as_participant=st.booleans(),
       url=st.sampled_from([TYPES, SESSIONS, f"{TYPES}/visitor/questions"]))
def test_only_organizers_set_up_registration_whatever_the_body(client, db, setup, body, as_participant, url):
    before = (_count(db, RegistrationType), _count(db, EventSession), _count(db, Question))
    headers = token_headers(make_user("participant")) if as_participant else {}
    response = client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)
    assert_error(response, 403 if as_participant else 401)
    assert (_count(db, RegistrationType), _count(db, EventSession), _count(db, Question)) == before


@pytest.fixture
def registered(setup):
    """Registrations 1 (confirmed), 2 (pending approval) and 3 (waitlisted)."""
    types = {t.code: t for t in catalog.types_of(setup["event"])}
    for code in ("visitor", "approval", "approval"):
        register(setup["event"], types[code], notify=False)


reg_ids = st.integers(0, 2**40) | st.sampled_from([1, 2, 3]) | st.text(min_size=1, max_size=20).filter(
    lambda s: "/" not in s)
header_tokens = st.none() | st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80)


@fuzz
@given(reg_id=reg_ids, token=header_tokens, forged_for=st.none() | st.integers(1, 3),
       action=st.sampled_from(["get", "cancel", "approve", "reject"]))
def test_any_id_and_manage_token(client, db, registered, reg_id, token, forged_for, action):
    headers = {}
    if forged_for is not None:
        token = make_manage_token(forged_for, "not-the-nonce")
    if token is not None:
        headers["X-Manage-Token"] = token
    url = f"{API}/registrations/{quote(str(reg_id), safe='')}"
    response = client.get(url, headers=headers) if action == "get" else client.post(f"{url}/{action}",
                                                                                   headers=headers)
    assert _result(response) is None, response.get_data(as_text=True)  # no made-up token opens anything
    if isinstance(reg_id, str) and not reg_id.isdigit():
        return
    if action in ("approve", "reject") or not (token or "").strip():
        assert response.status_code in (401, 404)
    else:
        assert response.status_code in (403, 404)
    _assert_capacity_holds(db)


filter_values = st.none() | text | st.sampled_from(["", "confirmed", "pending_approval", "cancelled",
                                                    "visitor", "name", "-created", "nguyen", "%", "_"])


@fuzz
@given(status=filter_values, type_code=filter_values, q=filter_values, sort=filter_values,
       per_page=st.none() | st.sampled_from(["1", "500", "501", "0", "x"]))
def test_any_list_query(client, db, setup, organizer_headers, status, type_code, q, sort, per_page):
    values = {"status": status, "type": type_code, "q": q, "sort": sort, "per_page": per_page}
    # Lone surrogates travel as the invalid UTF-8 a client could send.
    query = "&".join(f"{k}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
                     for k, v in values.items() if v is not None)
    response = client.get(f"{REGISTRATIONS}?{query}", headers=organizer_headers)
    result = _result(response)
    if result is not None:
        assert response.status_code == 200
        assert_list(result, assert_registration)
    else:
        assert response.status_code in (400, 422)
