"""POST /events/{slug}/checkins and GET /events/{slug}/stats, in the shapes api.md fixes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventhub.checkin import services
from eventhub.checkin.models import CheckIn
from eventhub.registration.tickets import make_ticket_code, ticket_key
from tests.checkin.helpers import MORNING
from tests.factories import make_user, token_headers
from tests.support.api import assert_error, assert_field_errors, describe, parse_time

API = "/api/v1"
CHECKINS = f"{API}/events/startup-week/checkins"
STATS = f"{API}/events/startup-week/stats"


@pytest.fixture
def staff_headers(gate):
    return token_headers(make_user("staff", full_name="Trương Thanh Tâm"))


def assert_already_checked_in(response, *, gate: str | None = None) -> dict:
    """409 already_checked_in: the error shape of api.md plus `checked_in_at` and `gate`."""
    assert response.status_code == 409, describe(response)
    body = response.get_json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "checked_in_at", "gate"}, body
    assert error["code"] == "already_checked_in" and error["message"].strip(), body
    assert parse_time(error["checked_in_at"]).utcoffset() == timedelta(hours=7), body
    assert isinstance(error["gate"], str), body
    if gate is not None:
        assert error["gate"] == gate, body
    return error


def test_a_scan_answers_201_with_the_person(client, db, gate, staff_headers):
    reg = gate["truc"]
    response = client.post(CHECKINS, json={"ticket_code": reg.ticket_code, "gate": "Cổng A"},
                           headers=staff_headers)
    assert response.status_code == 201, describe(response)
    body = response.get_json()
    assert set(body) == {"result", "registration", "checkin_id", "checked_in_at", "gate", "event_phase",
                         "test_scan"}, body
    assert body["result"] == "ok" and body["gate"] == "Cổng A"
    assert body["registration"] == {"id": reg.id, "full_name": "Nguyễn Thị Quý Trúc", "type": "visitor",
                                    "type_name": "Khách tham quan", "organization": "Công ty Cổ phần Đổi Mới"}
    assert parse_time(body["checked_in_at"]).utcoffset() == timedelta(hours=7)
    checkin = db.session.get(CheckIn, body["checkin_id"])
    assert checkin.registration_id == reg.id and checkin.gate == "Cổng A"


def test_the_gate_is_optional(client, gate, staff_headers):
    response = client.post(CHECKINS, json={"ticket_code": gate["dung"].ticket_code}, headers=staff_headers)
    assert response.status_code == 201 and response.get_json()["gate"] == ""
    response = client.post(CHECKINS, json={"ticket_code": gate["truc"].ticket_code, "gate": None},
                           headers=staff_headers)
    assert response.status_code == 201 and response.get_json()["registration"]["organization"]


def test_a_person_without_organization_answers_null(client, gate, staff_headers):
    response = client.post(CHECKINS, json={"ticket_code": gate["dung"].ticket_code}, headers=staff_headers)
    assert response.status_code == 201 and response.get_json()["registration"]["organization"] is None


def test_the_second_scan_today_is_409_with_when_and_where(client, gate, staff_headers):
    code = gate["truc"].ticket_code
    first = client.post(CHECKINS, json={"ticket_code": code, "gate": "Cổng A"}, headers=staff_headers)
    second = client.post(CHECKINS, json={"ticket_code": code, "gate": "Cổng B"}, headers=staff_headers)
    error = assert_already_checked_in(second, gate="Cổng A")
    assert parse_time(error["checked_in_at"]) == parse_time(first.get_json()["checked_in_at"])


@pytest.mark.parametrize(("ticket", "status", "code"), [
    (lambda g, o: g["truc"].ticket_code[:-2], 400, "invalid_ticket"),
    (lambda g, o: "A" * 32, 400, "invalid_ticket"),
    (lambda g, o: "", 400, "invalid_ticket"),
    (lambda g, o: "Z" * 101, 400, "invalid_ticket"),
    (lambda g, o: "Z" * 100_000, 400, "invalid_ticket"),
    (lambda g, o: g["truc"].ticket_code[:10] + "\x00" + g["truc"].ticket_code[11:], 400, "invalid_ticket"),
    (lambda g, o: g["truc"].ticket_code[:10] + "\ud800" + g["truc"].ticket_code[11:], 400, "invalid_ticket"),
    (lambda g, o: make_ticket_code(b"forged"), 400, "invalid_ticket"),
    (lambda g, o: make_ticket_code(ticket_key()), 404, "unknown_ticket"),
    (lambda g, o: o["reg"].ticket_code, 409, "wrong_event"),
    (lambda g, o: g["cancelled"].ticket_code, 409, "not_confirmed"),
], ids=["truncated", "unsigned", "empty", "101-chars", "100k-chars", "nul", "lone-surrogate", "forged",
        "unknown", "other-event", "cancelled"])
def test_refusals_have_the_codes_of_api_md(client, gate, other_event, staff_headers, ticket, status, code):
    response = client.post(CHECKINS, json={"ticket_code": ticket(gate, other_event), "gate": "Cổng A"},
                           headers=staff_headers)
    assert_error(response, status, code)


@pytest.mark.parametrize("who", ["pending", "waitlisted", "cancelled"])
def test_not_confirmed_says_which_status(client, gate, staff_headers, who):
    from eventhub.checkin.services import check_in_registration
    from eventhub.errors import EventHubError

    # Pending and waitlisted registrations have no ticket code at all; by hand they are refused alike.
    with pytest.raises(EventHubError) as caught:
        check_in_registration(gate["event"], gate[who])
    assert caught.value.code == "not_confirmed"
    if gate[who].ticket_code:
        response = client.post(CHECKINS, json={"ticket_code": gate[who].ticket_code},
                               headers={**staff_headers, "Accept-Language": "en"})
        error = assert_error(response, 409, "not_confirmed")
        assert "cancelled" in error["message"]


@pytest.mark.parametrize(("body", "fields"), [
    ({}, ["ticket_code"]),
    ({"ticket_code": None}, ["ticket_code"]),
    ({"ticket_code": 12345}, ["ticket_code"]),
    ({"ticket_code": ["A" * 32]}, ["ticket_code"]),
    ({"ticket_code": "X", "gate": "C" * 61}, ["gate"]),
    ({"ticket_code": "X", "gate": "Cổng\x00A"}, ["gate"]),
    ({"ticket_code": "X", "gate": 7}, ["gate"]),
])
def test_fields_that_are_not_text_or_too_long_are_422(client, gate, staff_headers, body, fields):
    assert_field_errors(client.post(CHECKINS, json=body, headers=staff_headers), *fields)


@pytest.mark.parametrize("raw", [b"{", b"[1, 2", b"\xff\xfe", b'"just a string"', b"[]", b"null"])
def test_unreadable_bodies_are_refused_without_a_500(client, gate, staff_headers, raw):
    response = client.post(CHECKINS, data=raw, content_type="application/json", headers=staff_headers)
    assert response.status_code in (400, 422)
    assert_error(response)


def test_an_unknown_event_is_404(client, gate, staff_headers):
    response = client.post(f"{API}/events/no-such-event/checkins", json={"ticket_code": "X"},
                           headers=staff_headers)
    assert_error(response, 404, "event_not_found")
    assert_error(client.get(f"{API}/events/no-such-event/stats", headers=staff_headers), 404)
    assert_error(client.get(f"{API}/events/NOT%20A%20SLUG/stats", headers=staff_headers), 404)


def test_a_checked_in_registration_is_still_confirmed_in_the_api(client, gate, staff_headers):
    reg = gate["truc"]
    response = client.post(CHECKINS, json={"ticket_code": reg.ticket_code}, headers=staff_headers)
    assert response.status_code == 201
    organizer = token_headers(make_user("organizer"))
    data = client.get(f"{API}/registrations/{reg.id}", headers=organizer).get_json()
    assert data["status"] == "confirmed" and data["ticket_code"] == reg.ticket_code


def test_stats_have_the_shape_of_api_md(client, gate, staff_headers):
    services.check_in(gate["event"], gate["truc"].ticket_code, gate="Cổng A", now=MORNING)
    client.post(CHECKINS, json={"ticket_code": gate["dung"].ticket_code, "gate": "Cổng B"},
                headers=staff_headers)
    response = client.get(STATS, headers=staff_headers)
    assert response.status_code == 200, describe(response)
    body = response.get_json()
    assert {"registrations", "checked_in", "by_type"} <= set(body)
    # api.md's four, plus pending_email (seats held until the e-mailed link is opened; added in 2026-12)
    assert body["registrations"] == {"confirmed": 2, "waitlisted": 1, "pending_approval": 1, "cancelled": 1,
                                     "pending_email": 0}
    assert body["checked_in"] == 2
    assert set(body["by_type"]) == {"visitor", "vip"}
    assert {k: body["by_type"]["visitor"][k] for k in ("confirmed", "checked_in")} == {"confirmed": 2,
                                                                                      "checked_in": 2}
    assert {k: body["by_type"]["vip"][k] for k in ("confirmed", "checked_in")} == {"confirmed": 0,
                                                                                  "checked_in": 0}
    # The extras: today is the real today here, when only Dũng came (Trúc came on 14/12/2026).
    assert body["checked_in_today"] == 1 and body["by_gate"] == {"Cổng B": 1}
    assert body["arrivals"][0]["count"] == 1
    for slot in body["arrivals"]:
        parse_time(slot["starts_at"]), parse_time(slot["ends_at"])


def test_organizers_undo_a_check_in_through_the_api(client, gate, staff_headers):
    checkin = services.check_in(gate["event"], gate["truc"].ticket_code, gate="Cổng A")
    path = f"{CHECKINS}/{checkin.id}/undo"
    assert_error(client.post(path, headers=staff_headers), 403, "forbidden")
    organizer = token_headers(make_user("organizer"))
    response = client.post(path, headers=organizer)
    assert response.status_code == 200, describe(response)
    body = response.get_json()
    assert body["id"] == checkin.id and body["gate"] == "Cổng A"
    parse_time(body["undone_at"])
    assert_error(client.post(path, headers=organizer), 409, "already_undone")
    assert_error(client.post(f"{CHECKINS}/999999/undo", headers=organizer), 404)
    assert_error(client.post(f"{CHECKINS}/99999999999/undo", headers=organizer), 404)
    again = client.post(CHECKINS, json={"ticket_code": gate["truc"].ticket_code}, headers=staff_headers)
    assert again.status_code == 201


def test_the_new_routes_are_in_openapi(client, gate):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    assert "post" in paths[f"{API}/events/{{slug}}/checkins"]
    assert "get" in paths[f"{API}/events/{{slug}}/stats"]
    responses = paths[f"{API}/events/{{slug}}/checkins"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404", "409", "422"} <= set(responses)
