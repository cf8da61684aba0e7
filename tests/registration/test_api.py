"""/api/v1 registration: types, questions, sessions, registering, the manage token, approval, lists and
exports, as api.md ("Registration") promises them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import icalendar
import openpyxl
import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.extensions import limiter
from eventhub.registration import services
from eventhub.registration.catalog import types_of
from eventhub.registration.models import (
    EventSession,
    Registration,
    RegistrationStatus,
    RegistrationType,
)
from eventhub.registration.tickets import make_manage_token
from tests.factories import (
    HCMC,
    make_event,
    make_session,
    make_type,
    make_user,
    open_event,
    register,
    token_headers,
)
from tests.support.api import (
    assert_created_registration,
    assert_error,
    assert_field_errors,
    assert_list,
    assert_registration,
    parse_time,
)

API = "/api/v1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(event, tail: str) -> str:
    return f"{API}/events/{event.slug}/{tail}"


def _person(type_code: str, n: int | str = 1, **overrides) -> dict:
    body = {"type": type_code, "full_name": f"Trần Thị Khách {n}", "email": f"khach{n}@example.vn",
            "consent": True}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def _post_registration(client, event, body, **kwargs):
    return client.post(_url(event, "registrations"), json=body, **kwargs)


def _registrations(db) -> list[Registration]:
    db.session.expire_all()
    return db.session.scalars(db.select(Registration).order_by(Registration.id)).all()


def _manage(token: str) -> dict[str, str]:
    return {"X-Manage-Token": token}


@pytest.fixture
def event(db):
    return open_event(slug="ai-day-2026", name="AI Day 2026")


@pytest.fixture
def visitor(event):
    return make_type(event, code="visitor", name="Khách tham quan", capacity=None)


# --- registration types ----------------------------------------------------------------------------

def test_an_organizer_creates_a_registration_type(client, event, organizer, organizer_headers):
    body = {"code": "startup", "name": "Startup", "capacity": 50, "waitlist": True, "requires_approval": True,
            "description": "Gian hàng khởi nghiệp"}
    response = client.post(_url(event, "registration-types"), json=body, headers=organizer_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert {k: created[k] for k in ("code", "name", "capacity", "waitlist", "requires_approval",
                                    "description", "remaining")} == {**body, "remaining": 50}
    assert isinstance(created["id"], int) and created["questions"] == []
    stored = services.find_type(event, "startup")
    assert (stored.capacity, stored.waitlist, stored.requires_approval) == (50, True, True)


def test_the_types_list_is_public_with_seats_remaining(client, event):
    limited = make_type(event, code="limited", capacity=3)
    make_type(event, code="open", capacity=None)
    register(event, limited)
    response = client.get(_url(event, "registration-types"))
    assert response.status_code == 200
    items = {item["code"]: item for item in assert_list(response.get_json())}
    assert set(items) == {"limited", "open"}
    assert (items["limited"]["capacity"], items["limited"]["remaining"]) == (3, 2)
    assert items["open"]["capacity"] is None and items["open"]["remaining"] is None
    assert response.get_json()["total"] == 2


def test_a_type_window_without_offset_is_read_in_the_events_time_zone(client, organizer_headers, db):
    event = open_event(timezone="Asia/Tokyo")
    body = {"code": "early", "name": "Early", "capacity": None, "waitlist": False, "requires_approval": False,
            "opens_at": "2026-11-01T09:00", "closes_at": "2026-12-01T00:00:00Z"}
    created = client.post(_url(event, "registration-types"), json=body, headers=organizer_headers).get_json()
    assert created["opens_at"] == "2026-11-01T09:00:00+09:00"
    assert created["closes_at"] == "2026-12-01T09:00:00+09:00"
    assert services.find_type(event, "early").opens_at == datetime(2026, 11, 1, 0, 0, tzinfo=UTC)


def test_a_taken_code_is_409_code_taken(client, event, visitor, organizer_headers):
    body = {"code": "visitor", "name": "Again", "capacity": 1, "waitlist": False, "requires_approval": False}
    assert_error(client.post(_url(event, "registration-types"), json=body, headers=organizer_headers),
                 409, "code_taken")
    assert [t.name for t in types_of(event)] == ["Khách tham quan"]


@pytest.mark.parametrize("changes, field", [
    ({"code": "Not A Code"}, "code"), ({"code": ...}, "code"), ({"name": ...}, "name"),
    ({"name": "  "}, "name"),
    ({"capacity": -1}, "capacity"), ({"capacity": "10"}, "capacity"), ({"capacity": 2.5}, "capacity"),
    ({"capacity": True}, "capacity"), ({"capacity": 10**12}, "capacity"),
    ({"opens_at": "2026-12-02T00:00", "closes_at": "2026-12-01T00:00"}, "closes_at"),
    ({"opens_at": "0001-01-01T00:00:00+14:00"}, "opens_at"), ({"closes_at": "soon"}, "closes_at"),
    ({"waitlist": "maybe"}, "waitlist"),
])
def test_invalid_type_fields_are_422_naming_the_field(client, event, organizer_headers, changes, field):
    body = {"code": "vip", "name": "VIP", "capacity": 10, "waitlist": False, "requires_approval": False}
    body = {k: v for k, v in {**body, **changes}.items() if v is not ...}
    assert_field_errors(client.post(_url(event, "registration-types"), json=body, headers=organizer_headers),
                        field)
    assert types_of(event) == []


def test_only_organizers_of_the_event_create_types(client, db, event, participant_headers):
    body = {"code": "vip", "name": "VIP", "capacity": 10, "waitlist": False, "requires_approval": False}
    url = _url(event, "registration-types")
    assert_error(client.post(url, json=body), 401)
    assert_error(client.post(url, json=body, headers={"Authorization": "Bearer nonsense"}), 401)
    assert_error(client.post(url, json=body, headers=participant_headers), 403)
    partner = make_user("participant")
    other = make_event()
    grant_event_role(partner, other, "organizer")
    assert_error(client.post(url, json=body, headers=token_headers(partner)), 403)
    grant_event_role(partner, event, "organizer")
    assert client.post(url, json=body, headers=token_headers(partner)).status_code == 201
    assert [t.code for t in types_of(event)] == ["vip"]


def test_types_of_an_unknown_event_are_404(client, db, organizer_headers):
    assert_error(client.get(f"{API}/events/no-such-event/registration-types"), 404)
    body = {"code": "vip", "name": "VIP", "capacity": 10, "waitlist": False, "requires_approval": False}
    assert_error(client.post(f"{API}/events/no-such-event/registration-types", json=body,
                             headers=organizer_headers), 404)


# --- custom questions ------------------------------------------------------------------------------

def test_an_organizer_adds_a_question_that_registrations_must_answer(client, event, visitor,
                                                                     organizer_headers):
    question = {"key": "company_size", "label": "Quy mô công ty", "kind": "single_choice",
                "options": ["1-10", "11-50", "51+"], "required": True, "help_text": "Số nhân viên"}
    response = client.post(_url(event, "registration-types/visitor/questions"), json=question,
                           headers=organizer_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert {k: created[k] for k in question} == question
    listed = client.get(_url(event, "registration-types")).get_json()["items"][0]
    assert [q["key"] for q in listed["questions"]] == ["company_size"]

    missing = _post_registration(client, event, _person("visitor", 1))
    assert assert_field_errors(missing, "answers.company_size")
    wrong = _post_registration(client, event, _person("visitor", 2, answers={"company_size": "huge"}))
    assert_field_errors(wrong, "answers.company_size")
    right = _post_registration(client, event, _person("visitor", 3, answers={"company_size": "11-50"}))
    reg = assert_created_registration(right)
    shown = client.get(f"{API}/registrations/{reg['id']}", headers=_manage(reg["manage_token"])).get_json()
    assert shown["answers"] == {"company_size": "11-50"}


@pytest.mark.parametrize("question, field", [
    ({"key": "Bad Key", "label": "x", "kind": "short_text"}, "key"),
    ({"key": "k", "label": "", "kind": "short_text"}, "label"),
    ({"key": "k", "label": "x", "kind": "essay"}, "kind"),
    ({"key": "k", "label": "x", "kind": "single_choice", "options": ["only one"]}, "options"),
    ({"key": "k", "label": "x"}, "kind"),
])
def test_invalid_questions_are_422(client, event, visitor, organizer_headers, question, field):
    assert_field_errors(client.post(_url(event, "registration-types/visitor/questions"), json=question,
                                    headers=organizer_headers), field)


def test_a_question_key_once_per_type(client, event, visitor, organizer_headers):
    url = _url(event, "registration-types/visitor/questions")
    question = {"key": "size", "label": "Size", "kind": "number"}
    assert client.post(url, json=question, headers=organizer_headers).status_code == 201
    assert_field_errors(client.post(url, json=question, headers=organizer_headers), "key")


def test_questions_need_an_organizer_and_a_known_type(client, event, visitor, organizer_headers,
                                                      participant_headers):
    question = {"key": "size", "label": "Size", "kind": "number"}
    assert_error(client.post(_url(event, "registration-types/visitor/questions"), json=question), 401)
    assert_error(client.post(_url(event, "registration-types/visitor/questions"), json=question,
                             headers=participant_headers), 403)
    assert_error(client.post(_url(event, "registration-types/nobody/questions"), json=question,
                             headers=organizer_headers), 404, "type_not_found")


# --- sessions --------------------------------------------------------------------------------------

def test_an_organizer_creates_a_session_read_in_the_events_time_zone(client, db, event, organizer_headers):
    body = {"title": "AI trong y tế", "starts_at": "2026-12-14T09:00", "ends_at": "2026-12-14T10:30:00+07:00",
            "room": "Phòng A", "capacity": 40, "speakers": ["TS. Lê Văn Tám"], "description": "Thảo luận"}
    response = client.post(_url(event, "sessions"), json=body, headers=organizer_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert isinstance(created["id"], int)
    assert created["starts_at"] == "2026-12-14T09:00:00+07:00"
    assert created["ends_at"] == "2026-12-14T10:30:00+07:00"
    assert (created["remaining"], created["capacity"], created["speakers"]) == (40, 40, ["TS. Lê Văn Tám"])
    stored = db.session.get(EventSession, created["id"])
    assert stored.starts_at == datetime(2026, 12, 14, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("changes, field", [
    ({"title": ...}, "title"), ({"starts_at": ...}, "starts_at"),
    ({"ends_at": "2026-12-14T08:00"}, "ends_at"),
    ({"capacity": -5}, "capacity"), ({"capacity": "many"}, "capacity"), ({"speakers": "Tám"}, "speakers"),
    ({"starts_at": "9999-12-31T23:59:59-12:00"}, "starts_at"), ({"room": "x" * 201}, "room"),
])
def test_invalid_session_fields_are_422(client, db, event, organizer_headers, changes, field):
    body = {"title": "T", "starts_at": "2026-12-14T09:00", "ends_at": "2026-12-14T10:00", "room": "A",
            "capacity": None}
    body = {k: v for k, v in {**body, **changes}.items() if v is not ...}
    assert_field_errors(client.post(_url(event, "sessions"), json=body, headers=organizer_headers), field)
    assert db.session.scalars(db.select(EventSession)).all() == []


def test_only_organizers_create_sessions(client, event, participant_headers):
    body = {"title": "T", "starts_at": "2026-12-14T09:00", "ends_at": "2026-12-14T10:00", "room": "A",
            "capacity": None}
    assert_error(client.post(_url(event, "sessions"), json=body), 401)
    assert_error(client.post(_url(event, "sessions"), json=body, headers=participant_headers), 403)


def test_sessions_list_with_seats_remaining(client, event, visitor):
    small = make_session(event, title="Small", capacity=2)
    make_session(event, title="Open", capacity=None,
                 starts_at=datetime(2026, 12, 14, 13, 0, tzinfo=HCMC),
                 ends_at=datetime(2026, 12, 14, 14, 0, tzinfo=HCMC))
    register(event, visitor, session_ids=[small.id])
    items = assert_list(client.get(_url(event, "sessions")).get_json())
    assert [(i["title"], i["remaining"]) for i in items] == [("Small", 1), ("Open", None)]
    assert items[0]["starts_at"] == "2026-12-14T09:00:00+07:00"


def test_the_agenda_is_a_parseable_icalendar(client, event):
    first = make_session(event, title="Khai mạc", room="Hội trường")
    make_session(event, title="Đô thị thông minh", starts_at=datetime(2026, 12, 14, 13, 0, tzinfo=HCMC),
                 ends_at=datetime(2026, 12, 14, 14, 0, tzinfo=HCMC))
    response = client.get(_url(event, "sessions.ics"))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.data)
    items = calendar.walk("VEVENT")
    assert [str(i["SUMMARY"]) for i in items] == ["Khai mạc", "Đô thị thông minh"]
    assert items[0].decoded("DTSTART") == first.starts_at
    assert str(items[0]["LOCATION"]) == "Hội trường"
    assert_error(client.get(f"{API}/events/nope/sessions.ics"), 404)


# --- registering -----------------------------------------------------------------------------------

def test_anyone_registers_without_a_token_and_gets_a_ticket(client, db, event, visitor):
    response = _post_registration(client, event, _person("visitor", organization="Saigon Innovation Hub",
                                                         phone="0912 345 678"))
    created = assert_created_registration(response)
    assert created["status"] == "confirmed" and len(created["ticket_code"]) >= 16
    [stored] = _registrations(db)
    assert (stored.id, stored.ticket_code) == (created["id"], created["ticket_code"])
    assert stored.phone == "+84912345678"


def test_a_bad_bearer_token_does_not_stop_anyone_registering(client, db, event, visitor):
    response = _post_registration(client, event, _person("visitor"), headers={"Authorization": "Bearer nope"})
    assert assert_created_registration(response)["status"] == "confirmed"


def test_a_full_type_with_a_waiting_list_waitlists_without_a_ticket(client, event):
    make_type(event, code="limited", capacity=1, waitlist=True)
    assert assert_created_registration(_post_registration(client, event, _person("limited", 1)))["status"] \
        == "confirmed"
    waiting = assert_created_registration(_post_registration(client, event, _person("limited", 2)))
    assert waiting["status"] == "waitlisted" and "ticket_code" not in waiting


def test_a_type_requiring_approval_is_pending_without_a_ticket(client, event):
    make_type(event, code="startup", requires_approval=True)
    created = assert_created_registration(_post_registration(client, event, _person("startup")))
    assert created["status"] == "pending_approval" and "ticket_code" not in created


def test_the_same_email_case_insensitive_and_trimmed_is_409_already_registered(client, db, event, visitor):
    first = assert_created_registration(
        _post_registration(client, event, _person("visitor", email="tam@example.vn")))
    again = _post_registration(client, event, _person("visitor", 2, email="  TAM@Example.VN "))
    assert_error(again, 409, "already_registered")
    assert len(_registrations(db)) == 1
    # once cancelled, the e-mail may register again
    client.post(f"{API}/registrations/{first['id']}/cancel", headers=_manage(first["manage_token"]))
    assert_created_registration(
        _post_registration(client, event, _person("visitor", 3, email="Tam@example.vn")))


def test_a_full_type_without_waiting_list_is_409_sold_out(client, db, event):
    make_type(event, code="limited", capacity=1)
    assert_created_registration(_post_registration(client, event, _person("limited", 1)))
    assert_error(_post_registration(client, event, _person("limited", 2)), 409, "sold_out")
    assert len(_registrations(db)) == 1


def test_a_full_session_is_409_session_full_and_registers_nothing(client, db, event, visitor):
    talk = make_session(event, capacity=1)
    other = make_session(event, capacity=5, starts_at=datetime(2026, 12, 14, 13, 0, tzinfo=HCMC),
                         ends_at=datetime(2026, 12, 14, 14, 0, tzinfo=HCMC))
    first = assert_created_registration(_post_registration(client, event, _person("visitor", 1,
                                                                                 sessions=[talk.id])))
    refused = _post_registration(client, event, _person("visitor", 2, sessions=[other.id, talk.id]))
    assert_error(refused, 409, "session_full")
    assert [r.id for r in _registrations(db)] == [first["id"]]
    remaining = {i["id"]: i["remaining"] for i in client.get(_url(event, "sessions")).get_json()["items"]}
    assert remaining == {talk.id: 0, other.id: 5}


@pytest.mark.parametrize("changes, field", [
    ({"consent": ...}, "consent"), ({"consent": False}, "consent"), ({"consent": "true"}, "consent"),
    ({"consent": 1}, "consent"), ({"email": "not-an-email"}, "email"), ({"email": ...}, "email"),
    ({"phone": "12"}, "phone"), ({"phone": "0912 ABC"}, "phone"), ({"type": "nobody"}, "type"),
    ({"type": ...}, "type"), ({"full_name": ...}, "full_name"), ({"full_name": "   "}, "full_name"),
    ({"sessions": [999999]}, "sessions"), ({"sessions": "all"}, "sessions"), ({"answers": []}, "answers"),
    ({"organization": "x" * 201}, "organization"), ({"full_name": 42}, "full_name"),
])
def test_invalid_registrations_are_422_naming_the_field(client, db, event, visitor, changes, field):
    body = _person("visitor", **changes)
    assert_field_errors(_post_registration(client, event, body), field)
    assert _registrations(db) == []


def test_a_body_that_is_not_an_object_is_422(client, db, event, visitor):
    assert_error(_post_registration(client, event, ["visitor"]), 422)
    assert_error(client.post(_url(event, "registrations"), data="{", content_type="application/json"), 400)
    assert _registrations(db) == []


def test_closed_registration_is_403_registration_closed(client, db, visitor):
    closed = make_event(registration_open=False)
    make_type(closed, code="visitor")
    assert_error(_post_registration(client, closed, _person("visitor")), 403, "registration_closed")
    event = visitor.event
    make_type(event, code="late", closes_at=datetime(2020, 1, 1, tzinfo=UTC))
    make_type(event, code="future", opens_at=datetime.now(UTC) + timedelta(days=30))
    assert_error(_post_registration(client, event, _person("late")), 403, "registration_closed")
    assert_error(_post_registration(client, event, _person("future")), 403, "registration_closed")
    assert _registrations(db) == []


def test_registering_for_an_unknown_event_is_404(client, db):
    assert_error(client.post(f"{API}/events/no-such-event/registrations", json=_person("visitor")), 404)


def test_the_per_email_rate_limit_answers_429_with_retry_after(app, client, event, visitor):
    previous = app.config["REGISTRATION_LIMIT_PER_EMAIL"]
    app.config["REGISTRATION_LIMIT_PER_EMAIL"] = "2 per minute"
    limiter.reset()
    try:
        answers = [_post_registration(client, event, _person("nobody-type", 1, email="spam@example.vn"))
                   for _ in range(3)]
        other = _post_registration(client, event, _person("visitor", 2, email="ham@example.vn"))
    finally:
        app.config["REGISTRATION_LIMIT_PER_EMAIL"] = previous
        limiter.reset()
    assert [a.status_code for a in answers[:2]] == [422, 422]
    assert_error(answers[2], 429, "rate_limited")
    assert int(answers[2].headers["Retry-After"]) >= 1
    assert_created_registration(other)


def test_the_per_ip_rate_limit_answers_429(app, client, event, visitor):
    previous = app.config["REGISTRATION_LIMIT_PER_IP"]
    app.config["REGISTRATION_LIMIT_PER_IP"] = "2 per minute"
    limiter.reset()
    try:
        answers = [_post_registration(client, event, _person("visitor", n)) for n in range(3)]
    finally:
        app.config["REGISTRATION_LIMIT_PER_IP"] = previous
        limiter.reset()
    assert [a.status_code for a in answers[:2]] == [201, 201]
    assert_error(answers[2], 429, "rate_limited")
    assert "Retry-After" in answers[2].headers


# --- reading a registration ------------------------------------------------------------------------

def test_the_manage_token_reads_its_registration(client, event, visitor):
    talk = make_session(event)
    body = _person("visitor", full_name="Nguyễn Thị Trúc", email="Truc@Example.vn", phone="0912345678",
                   organization="  Saigon   Innovation Hub ", sessions=[talk.id], locale="en")
    created = assert_created_registration(_post_registration(client, event, body))
    response = client.get(f"{API}/registrations/{created['id']}", headers=_manage(created["manage_token"]))
    assert response.status_code == 200
    shown = assert_registration(response.get_json())
    assert {k: v for k, v in shown.items() if k != "created_at"} == {
        "id": created["id"], "event": "ai-day-2026", "type": "visitor", "status": "confirmed",
        "full_name": "Nguyễn Thị Trúc", "email": "truc@example.vn", "phone": "+84912345678",
        "organization": "Saigon Innovation Hub", "answers": {}, "sessions": [talk.id],
        "ticket_code": created["ticket_code"], "attending": None, "attendance_at": None}
    created_at = parse_time(shown["created_at"])
    assert created_at.utcoffset() == timedelta(hours=7)
    assert abs(created_at - datetime.now(UTC)) < timedelta(minutes=5)


def test_created_at_is_in_the_events_own_time_zone(client, db, organizer_headers):
    event = open_event(timezone="Asia/Tokyo")
    make_type(event, code="visitor")
    created = assert_created_registration(_post_registration(client, event, _person("visitor")))
    shown = client.get(f"{API}/registrations/{created['id']}", headers=organizer_headers).get_json()
    assert parse_time(shown["created_at"]).utcoffset() == timedelta(hours=9)


def test_organizers_of_the_event_read_any_of_its_registrations(client, db, event, visitor, organizer_headers):
    reg, _token = register(event, visitor)
    response = client.get(f"{API}/registrations/{reg.id}", headers=organizer_headers)
    assert assert_registration(response.get_json())["id"] == reg.id
    partner = make_user("participant")
    grant_event_role(partner, event, "organizer")
    assert client.get(f"{API}/registrations/{reg.id}", headers=token_headers(partner)).status_code == 200
    outsider = make_user("participant")
    grant_event_role(outsider, make_event(), "organizer")
    assert_error(client.get(f"{API}/registrations/{reg.id}", headers=token_headers(outsider)), 403)


def test_reading_a_registration_needs_credentials(client, db, event, visitor):
    reg, _token = register(event, visitor)
    assert_error(client.get(f"{API}/registrations/{reg.id}"), 401)
    assert_error(client.get(f"{API}/registrations/{reg.id + 1000}"), 401)  # unknown alike: 401
    assert_error(client.get(f"{API}/registrations/{reg.id}", headers=_manage("")), 401)


def test_wrong_credentials_are_403_and_reveal_no_ids(client, db, event, visitor, participant_headers):
    reg, _token = register(event, visitor)
    other, other_token = register(event, visitor)
    unknown = other.id + 1000
    for reg_id in (reg.id, unknown):
        url = f"{API}/registrations/{reg_id}"
        assert_error(client.get(url, headers=_manage(other_token)), 403)
        assert_error(client.get(url, headers=_manage("garbage")), 403)
        assert_error(client.get(url, headers=participant_headers), 403)
    # a genuine-looking token for this id but with the wrong nonce
    assert_error(client.get(f"{API}/registrations/{reg.id}", headers=_manage(make_manage_token(reg.id, "x"))),
                 403)
    # a tampered signature (not its last base64 letter, whose low bits are padding that decodes alike)
    forged = other_token[:-5] + ("A" if other_token[-5] != "A" else "B") + other_token[-4:]
    assert_error(client.get(f"{API}/registrations/{other.id}", headers=_manage(forged)), 403)


def test_an_organizer_asking_for_an_unknown_id_gets_404(client, db, organizer_headers):
    for reg_id in (1, 999999, 2**31, 10**30):
        assert_error(client.get(f"{API}/registrations/{reg_id}", headers=organizer_headers), 404)
    assert_error(client.get(f"{API}/registrations/abc", headers=organizer_headers), 404)


def test_an_erased_registrations_old_manage_token_stops_working(client, db, event, visitor):
    reg, token = register(event, visitor)
    assert client.get(f"{API}/registrations/{reg.id}", headers=_manage(token)).status_code == 200
    services.erase_personal_data(reg)
    assert_error(client.get(f"{API}/registrations/{reg.id}", headers=_manage(token)), 403)


# --- cancelling and the waiting list --------------------------------------------------------------

def test_the_manage_token_cancels_and_cancelling_twice_is_fine(client, db, event, visitor):
    created = assert_created_registration(_post_registration(client, event, _person("visitor")))
    url = f"{API}/registrations/{created['id']}"
    for _attempt in range(2):
        response = client.post(f"{url}/cancel", headers=_manage(created["manage_token"]))
        assert response.status_code == 200
        assert response.get_json() == {"status": "cancelled"}
    shown = assert_registration(client.get(url, headers=_manage(created["manage_token"])).get_json())
    assert shown["status"] == "cancelled" and "ticket_code" not in shown


def test_cancelling_moves_the_oldest_waitlisted_up_with_a_ticket(client, db, event):
    make_type(event, code="limited", capacity=1, waitlist=True)
    talk = make_session(event, capacity=1)
    holder = assert_created_registration(_post_registration(client, event, _person("limited", 1,
                                                                                  sessions=[talk.id])))
    first = assert_created_registration(_post_registration(client, event, _person("limited", 2,
                                                                                 sessions=[talk.id])))
    second = assert_created_registration(_post_registration(client, event, _person("limited", 3)))
    assert (first["status"], second["status"]) == ("waitlisted", "waitlisted")
    types = client.get(_url(event, "registration-types")).get_json()["items"]
    assert types[0]["remaining"] == 0

    cancel = client.post(f"{API}/registrations/{holder['id']}/cancel",
                         headers=_manage(holder["manage_token"]))
    assert cancel.status_code == 200

    moved = assert_registration(client.get(f"{API}/registrations/{first['id']}",
                                           headers=_manage(first["manage_token"])).get_json())
    assert moved["status"] == "confirmed" and moved["ticket_code"]
    assert moved["sessions"] == [talk.id]
    still = client.get(f"{API}/registrations/{second['id']}", headers=_manage(second["manage_token"]))
    assert assert_registration(still.get_json())["status"] == "waitlisted"
    assert client.get(_url(event, "registration-types")).get_json()["items"][0]["remaining"] == 0
    assert client.get(_url(event, "sessions")).get_json()["items"][0]["remaining"] == 0


def test_a_move_up_on_a_type_requiring_approval_is_pending(client, db, event, organizer_headers):
    make_type(event, code="startup", capacity=1, waitlist=True, requires_approval=True)
    holder = assert_created_registration(_post_registration(client, event, _person("startup", 1)))
    waiting = assert_created_registration(_post_registration(client, event, _person("startup", 2)))
    assert (holder["status"], waiting["status"]) == ("pending_approval", "waitlisted")
    client.post(f"{API}/registrations/{holder['id']}/cancel", headers=organizer_headers)
    moved = client.get(f"{API}/registrations/{waiting['id']}", headers=organizer_headers).get_json()
    assert assert_registration(moved)["status"] == "pending_approval" and "ticket_code" not in moved


def test_cancelling_needs_the_organizer_or_that_manage_token(client, db, event, visitor, organizer_headers,
                                                             participant_headers):
    reg, _token = register(event, visitor)
    _other, other_token = register(event, visitor)
    url = f"{API}/registrations/{reg.id}/cancel"
    assert_error(client.post(url), 401)
    assert_error(client.post(url, headers=_manage(other_token)), 403)
    assert_error(client.post(url, headers=participant_headers), 403)
    assert _registrations(db)[0].status == RegistrationStatus.confirmed
    response = client.post(url, json={"reason": "Trùng lịch"}, headers=organizer_headers)
    assert response.get_json() == {"status": "cancelled"}
    stored = _registrations(db)[0]
    assert (stored.status, stored.cancel_reason) == (RegistrationStatus.cancelled, "Trùng lịch")
    assert_error(client.post(f"{API}/registrations/999999/cancel", headers=organizer_headers), 404)


# --- approval --------------------------------------------------------------------------------------

@pytest.fixture
def startup(event):
    return make_type(event, code="startup", capacity=1, waitlist=True, requires_approval=True)


def test_approving_a_pending_registration_confirms_it_with_a_ticket(client, db, event, startup,
                                                                    organizer_headers):
    reg, _token = register(event, startup)
    response = client.post(f"{API}/registrations/{reg.id}/approve", headers=organizer_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    approved = assert_registration(response.get_json())
    assert approved["status"] == "confirmed" and approved["ticket_code"] == _registrations(db)[0].ticket_code
    assert_error(client.post(f"{API}/registrations/{reg.id}/approve", headers=organizer_headers),
                 409, "not_pending")
    assert_error(client.post(f"{API}/registrations/{reg.id}/reject", headers=organizer_headers),
                 409, "not_pending")


def test_rejecting_cancels_frees_the_seat_and_moves_the_waiting_list_up(client, db, event, startup,
                                                                        organizer_headers):
    reg, _token = register(event, startup)
    waiting, _waiting_token = register(event, startup)
    assert waiting.status == RegistrationStatus.waitlisted
    response = client.post(f"{API}/registrations/{reg.id}/reject", json={"reason": "Không phù hợp"},
                           headers=organizer_headers)
    assert response.status_code == 200
    rejected = assert_registration(response.get_json())
    assert rejected["status"] == "cancelled" and "ticket_code" not in rejected
    statuses = {r.id: (r.status, r.cancel_reason) for r in _registrations(db)}
    assert statuses == {reg.id: (RegistrationStatus.cancelled, "Không phù hợp"),
                        waiting.id: (RegistrationStatus.pending_approval, None)}
    assert db.session.get(RegistrationType, startup.id).taken == 1


def test_approving_or_rejecting_waitlisted_or_cancelled_is_409(client, db, event, startup, organizer_headers):
    _holder, _token = register(event, startup)
    waiting, _token2 = register(event, startup)
    for action in ("approve", "reject"):
        assert_error(client.post(f"{API}/registrations/{waiting.id}/{action}", headers=organizer_headers),
                     409, "not_pending")
    services.cancel_registration(waiting)
    assert_error(client.post(f"{API}/registrations/{waiting.id}/approve", headers=organizer_headers),
                 409, "not_pending")


def test_only_organizers_approve_or_reject(client, db, event, startup, participant_headers):
    reg, token = register(event, startup)
    for action in ("approve", "reject"):
        url = f"{API}/registrations/{reg.id}/{action}"
        assert_error(client.post(url), 401)
        assert_error(client.post(url, headers=_manage(token)), 401)  # the registrant decides nothing
        assert_error(client.post(url, headers=participant_headers), 403)
    assert _registrations(db)[0].status == RegistrationStatus.pending_approval


def test_a_reason_too_long_is_422(client, db, event, startup, organizer_headers):
    reg, _token = register(event, startup)
    assert_field_errors(client.post(f"{API}/registrations/{reg.id}/reject", json={"reason": "x" * 501},
                                    headers=organizer_headers), "reason")
    assert _registrations(db)[0].status == RegistrationStatus.pending_approval


# --- organizers' list ------------------------------------------------------------------------------

@pytest.fixture
def crowd(event, visitor):
    vip = make_type(event, code="vip", requires_approval=True)
    people = {}
    for name, rtype, extra in [("Trần Văn Bình", visitor, {"phone": "0912 345 678"}),
                               ("Nguyễn Thị An", visitor, {"organization": "Đại học Bách khoa"}),
                               ("Lê Minh Đức", vip, {}), ("Phạm Dũng", visitor, {}), ("Hoàng Dung", vip, {}),
                               ("Võ Thị Ánh", visitor, {})]:
        people[name], _token = register(event, rtype, full_name=name, **extra)
    services.cancel_registration(people["Võ Thị Ánh"])
    return people


def _names(client, event, headers, query: str = "") -> list[str]:
    response = client.get(_url(event, f"registrations?{query}"), headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["full_name"] for item in assert_list(response.get_json(), assert_registration)]


def test_the_list_holds_every_registration_with_its_representation(client, event, crowd, organizer_headers):
    body = client.get(_url(event, "registrations"), headers=organizer_headers).get_json()
    items = assert_list(body, assert_registration)
    assert body["total"] == 6 and len(items) == 6
    by_name = {item["full_name"]: item for item in items}
    assert by_name["Lê Minh Đức"]["status"] == "pending_approval"
    assert "ticket_code" not in by_name["Võ Thị Ánh"] and "ticket_code" in by_name["Trần Văn Bình"]


def test_sort_name_orders_by_vietnamese_given_name(client, event, crowd, organizer_headers):
    assert _names(client, event, organizer_headers, "sort=name") == [
        "Nguyễn Thị An", "Võ Thị Ánh", "Trần Văn Bình", "Hoàng Dung", "Phạm Dũng", "Lê Minh Đức"]


def test_filters_by_status_and_type(client, event, crowd, organizer_headers):
    assert sorted(_names(client, event, organizer_headers, "status=pending_approval")) == [
        "Hoàng Dung", "Lê Minh Đức"]
    assert _names(client, event, organizer_headers, "type=vip&sort=name") == ["Hoàng Dung", "Lê Minh Đức"]
    assert _names(client, event, organizer_headers, "status=cancelled") == ["Võ Thị Ánh"]
    assert _names(client, event, organizer_headers, "type=nobody") == []
    assert len(_names(client, event, organizer_headers, "status=&type=&q=&sort=")) == 6


def test_search_ignores_diacritics_and_case(client, event, crowd, organizer_headers):
    assert _names(client, event, organizer_headers, "q=nguyen") == ["Nguyễn Thị An"]
    assert _names(client, event, organizer_headers, "q=DUC") == ["Lê Minh Đức"]
    assert _names(client, event, organizer_headers, "q=dung&sort=name") == ["Hoàng Dung", "Phạm Dũng"]
    assert _names(client, event, organizer_headers, "q=bach khoa") == ["Nguyễn Thị An"]
    assert _names(client, event, organizer_headers, "q=0912345") == ["Trần Văn Bình"]
    assert _names(client, event, organizer_headers, "q=100%") == []


def test_the_list_pages(client, event, crowd, organizer_headers):
    seen = []
    for page in (1, 2, 3):
        body = client.get(_url(event, f"registrations?sort=name&per_page=2&page={page}"),
                          headers=organizer_headers).get_json()
        assert (body["page"], body["per_page"], body["total"]) == (page, 2, 6)
        seen += [item["full_name"] for item in body["items"]]
    assert len(seen) == len(set(seen)) == 6


@pytest.mark.parametrize("query, field", [("status=gone", "status"), ("sort=age", "sort"),
                                          ("per_page=501", "per_page"), ("page=0", "page")])
def test_bad_list_queries_are_422(client, event, organizer_headers, query, field):
    assert_field_errors(client.get(_url(event, f"registrations?{query}"), headers=organizer_headers), field)


def test_only_organizers_list_registrations(client, event, participant_headers, organizer_headers):
    assert_error(client.get(_url(event, "registrations")), 401)
    assert_error(client.get(_url(event, "registrations"), headers=participant_headers), 403)
    assert_error(client.get(f"{API}/events/nope/registrations", headers=organizer_headers), 404)


# --- exports ---------------------------------------------------------------------------------------

@pytest.fixture
def exported(event, visitor, organizer_headers, client):
    url = _url(event, "registration-types/visitor/questions")
    question = {"key": "idea", "label": "Ý tưởng", "kind": "short_text"}
    assert client.post(url, json=question, headers=organizer_headers).status_code == 201
    register(event, visitor, full_name="Nguyễn Văn Độc", organization="=cmd|' /C calc'!A0",
             phone="+84912345678", answers={"idea": "@SUM(1+1)"})
    register(event, visitor, full_name="Trần Thị Lành", organization="-2+3", answers={"idea": "Bình thường"})


def test_the_csv_export_is_utf8_with_bom_and_neutralized(client, event, exported, organizer_headers):
    response = client.get(_url(event, "registrations.csv"), headers=organizer_headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "registrations-ai-day-2026.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8")[1:])))
    by_name = {row["full_name"]: row for row in rows}
    assert set(by_name) == {"Nguyễn Văn Độc", "Trần Thị Lành"}
    doc = by_name["Nguyễn Văn Độc"]
    assert doc["organization"] == "'=cmd|' /C calc'!A0"
    assert doc["phone"] == "+84912345678"
    assert doc["Ý tưởng"] == "'@SUM(1+1)"
    assert by_name["Trần Thị Lành"]["organization"] == "'-2+3"
    assert by_name["Trần Thị Lành"]["Ý tưởng"] == "Bình thường"
    assert doc["status"] == "confirmed" and len(doc["ticket_code"]) >= 16


def test_the_xlsx_export_opens_in_openpyxl_without_formulas(client, event, exported, organizer_headers):
    response = client.get(_url(event, "registrations.xlsx"), headers=organizer_headers)
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "registrations-ai-day-2026.xlsx" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    # For people (the CSV keeps the codes): headers in the reader's language, Vietnamese by default.
    assert header[:4] == ["Mã đăng ký", "Trạng thái", "Loại đăng ký", "Họ và tên"] and "Ý tưởng" in header
    records = {row[3]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert records["Nguyễn Văn Độc"]["Tổ chức/đơn vị"] == "'=cmd|' /C calc'!A0"
    assert records["Nguyễn Văn Độc"]["Số điện thoại"] == "0912 345 678"  # as typed (the CSV keeps E.164)
    assert records["Nguyễn Văn Độc"]["Ý tưởng"] == "'@SUM(1+1)"
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)


def test_exports_are_for_organizers_only(client, event, participant_headers, organizer_headers):
    for tail in ("registrations.csv", "registrations.xlsx"):
        assert_error(client.get(_url(event, tail)), 401)
        assert_error(client.get(_url(event, tail), headers=participant_headers), 403)
        assert_error(client.get(f"{API}/events/nope/{tail}", headers=organizer_headers), 404)


# --- the description ------------------------------------------------------------------------------

def test_the_registration_routes_are_described_with_their_content_types(client, db):
    spec = client.get(f"{API}/openapi.json").get_json()
    paths = spec["paths"]
    for path, method in [("/api/v1/events/{slug}/registration-types", "post"),
                         ("/api/v1/events/{slug}/registrations", "post"),
                         ("/api/v1/registrations/{id}", "get"),
                         ("/api/v1/registrations/{id}/cancel", "post")]:
        assert method in paths[path], (path, method)
    def content(path):
        return paths[f"/api/v1/events/{{slug}}/{path}"]["get"]["responses"]["200"]["content"]

    assert "text/csv" in content("registrations.csv")
    assert XLSX in content("registrations.xlsx")
    assert "text/calendar" in content("sessions.ics")
    assert {"manageToken": []} in paths["/api/v1/registrations/{id}"]["get"]["security"]
    assert spec["components"]["securitySchemes"]["manageToken"] == {
        "type": "apiKey", "in": "header", "name": "X-Manage-Token",
        "description": "The manage token given when registering."}
