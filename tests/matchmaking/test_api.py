"""The matchmaking API exactly as api.md states it: shapes, status codes, error codes."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar

from eventhub.matchmaking import figures, requesting
from eventhub.matchmaking.models import Meeting
from tests.factories import HCMC, make_user, token_headers
from tests.matchmaking.factories import DAY, accepted, investor, make_slots, startup
from tests.matchmaking.helpers import headers_of
from tests.support.api import assert_error, assert_field_errors, assert_list, parse_time

BASE = "/api/v1/events/startup-week"


def _investor_body(**kw):
    body = {"kind": "investor", "organization": "Quỹ Sen Vàng Capital", "sectors": ["ai", "edtech"],
            "stages": ["pre_seed", "seed"], "ticket_min": 20_000, "ticket_max": 400_000, "currency": "USD",
            "contactable": True}
    body.update(kw)
    return body


def _startup_body(**kw):
    body = {"kind": "startup", "organization": "Công ty CP Học Vui", "sector": "edtech", "stage": "seed",
            "seeking": "Vốn và đối tác trường học", "amount": 2_500_000_000, "currency": "VND",
            "contactable": True}
    body.update(kw)
    return body


# --- profiles -----------------------------------------------------------------------------------------

def test_an_investor_account_puts_an_investor_profile(client, match):
    user = make_user("investor")
    response = client.put(f"{BASE}/profiles/me", json=_investor_body(), headers=token_headers(user))
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert isinstance(data["id"], int) and data["kind"] == "investor"
    assert data["sectors"] == ["ai", "edtech"] and data["currency"] == "USD"
    again = client.put(f"{BASE}/profiles/me", json=_investor_body(organization="Quỹ Sen Vàng"),
                       headers=token_headers(user))
    assert again.status_code == 200 and again.get_json()["id"] == data["id"]
    assert again.get_json()["organization"] == "Quỹ Sen Vàng"


def test_a_participant_account_puts_a_startup_profile_and_ids_are_shared(client, match):
    user = make_user("participant")
    response = client.put(f"{BASE}/profiles/me", json=_startup_body(), headers=token_headers(user))
    assert response.status_code == 200
    data = response.get_json()
    assert data["kind"] == "startup" and data["stage"] == "seed" and data["amount"] == 2_500_000_000
    assert data["id"] not in {match["fund"].id, match["ai"].id, match["farm"].id}


def test_wrong_kind_is_a_422_and_other_roles_a_403(client, match):
    participant = token_headers(make_user("participant"))
    assert_field_errors(client.put(f"{BASE}/profiles/me", json=_investor_body(), headers=participant), "kind")
    for role in ("organizer", "staff", "judge"):
        response = client.put(f"{BASE}/profiles/me", json=_startup_body(),
                              headers=token_headers(make_user(role)))
        assert_error(response, 403, "profile_not_allowed")
    assert_error(client.put(f"{BASE}/profiles/me", json=_startup_body()), 401)
    assert_error(client.put("/api/v1/events/no-such/profiles/me", json=_startup_body(),
                            headers=participant), 404)


def test_bad_profile_input_is_refused_field_by_field(client, match):
    headers = token_headers(make_user("investor"))
    cases = [
        ({"sectors": ["x" * 21]}, "sectors"), ({"stages": []}, "stages"), ({"ticket_min": "nhiều"},
                                                                          "ticket_min"),
        ({"ticket_min": 10, "ticket_max": 5}, "ticket_max"), ({"ticket_max": 10**30}, "ticket_max"),
        ({"currency": "EUR"}, "currency"), ({"organization": ""}, "organization"),
        ({"organization": "A\x00B"}, "organization"), ({"contactable": "có"}, "contactable"),
        ({"ticket_min": 1.5}, "ticket_min"),
    ]
    for change, name in cases:
        assert_field_errors(client.put(f"{BASE}/profiles/me", json=_investor_body(**change),
                                       headers=headers), name)
    startup_headers = token_headers(make_user("participant"))
    for change, name in [({"stage": "unicorn"}, "stage"), ({"deck_url": "javascript:alert(1)"}, "deck_url"),
                         ({"amount": -1}, "amount"), ({"sector": None}, "sector")]:
        assert_field_errors(client.put(f"{BASE}/profiles/me", json=_startup_body(**change),
                                       headers=startup_headers), name)
    for body in ([], "x", {"kind": 5}):
        assert_error(client.put(f"{BASE}/profiles/me", json=body, headers=startup_headers), 422)


# --- recommendations --------------------------------------------------------------------------------------

def test_recommendations_pass_the_gates_and_say_why(client, match):
    far = startup(match["event"], organization="Công ty Ngoài Khung", amount=50_000_000_000)
    hidden = startup(match["event"], organization="Công ty Ẩn Danh", contactable=False)
    usd = startup(match["event"], organization="Fintech Đô La", sector="fintech", amount=200_000,
                  currency="USD")
    response = client.get(f"{BASE}/recommendations", headers=headers_of(match["fund"]))
    items = assert_list(response.get_json())
    ids = [item["profile_id"] for item in items]
    assert set(ids) == {match["ai"].id, usd.id}
    assert far.id not in ids and hidden.id not in ids and match["farm"].id not in ids
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    first = next(i for i in items if i["profile_id"] == match["ai"].id)
    assert first["organization"] == "Công ty CP Trí Tuệ Sài Gòn"
    assert len(first["reasons"]) == 4 and all(isinstance(r, str) and r for r in first["reasons"])
    english = client.get(f"{BASE}/recommendations?lang=en", headers=headers_of(match["fund"])).get_json()
    reasons = next(i for i in english["items"] if i["profile_id"] == match["ai"].id)["reasons"]
    assert reasons == ["same sector: AI", "stage: seed", "amount within the ticket size",
                       "invests in Vietnam"]
    # and the other way round: the startup sees the fund
    seen = client.get(f"{BASE}/recommendations", headers=headers_of(match["ai"])).get_json()
    assert [i["profile_id"] for i in seen["items"]] == [match["fund"].id]


def test_recommendations_need_a_profile(client, match):
    assert_error(client.get(f"{BASE}/recommendations", headers=token_headers(make_user("investor"))), 403,
                 "profile_required")
    assert_error(client.get(f"{BASE}/recommendations"), 401)


# --- requests ----------------------------------------------------------------------------------------------

def test_request_accept_and_the_rules_of_api_md(client, match, outbox):
    fund, ai, farm = match["fund"], match["ai"], match["farm"]
    response = client.post(f"{BASE}/meeting-requests", json={"to_profile_id": fund.id, "message": "Chào anh"},
                           headers=headers_of(ai))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "pending" and isinstance(created["id"], int)
    mails = [p.read_bytes().decode() for p in outbox.glob("*.eml")]
    assert any(fund.user.email in m for m in mails)
    # the same pair again, either direction, whatever the status
    assert_error(client.post(f"{BASE}/meeting-requests", json={"to_profile_id": fund.id},
                             headers=headers_of(ai)),
                 409, "already_requested")
    assert_error(client.post(f"{BASE}/meeting-requests", json={"to_profile_id": ai.id},
                             headers=headers_of(fund)), 409, "already_requested")
    # same side
    assert_field_errors(client.post(f"{BASE}/meeting-requests", json={"to_profile_id": farm.id},
                                    headers=headers_of(ai)), "to_profile_id")
    # only the recipient answers
    assert_error(client.post(f"/api/v1/meeting-requests/{created['id']}/accept", headers=headers_of(ai)), 403)
    assert_error(client.post(f"/api/v1/meeting-requests/{created['id']}/accept",
                             headers=headers_of(farm)), 403)
    ok = client.post(f"/api/v1/meeting-requests/{created['id']}/accept", headers=headers_of(fund))
    assert ok.status_code == 200 and ok.get_json()["status"] == "accepted"
    assert_error(client.post(f"/api/v1/meeting-requests/{created['id']}/decline", headers=headers_of(fund)),
                 409, "request_not_pending")
    assert_error(client.post(f"{BASE}/meeting-requests", json={"to_profile_id": ai.id},
                             headers=headers_of(fund)), 409, "already_requested")
    assert_error(client.post("/api/v1/meeting-requests/999999/accept", headers=headers_of(fund)), 404)
    assert_error(client.post("/api/v1/meeting-requests/1/accept"), 401)


def test_decline_and_not_contactable(client, match):
    fund, farm = match["fund"], match["farm"]
    quiet = investor(match["event"], organization="Quỹ Kín Tiếng", contactable=False)
    assert_error(client.post(f"{BASE}/meeting-requests", json={"to_profile_id": quiet.id},
                             headers=headers_of(farm)), 403, "not_contactable")
    created = client.post(f"{BASE}/meeting-requests", json={"to_profile_id": farm.id},
                          headers=headers_of(fund)).get_json()
    declined = client.post(f"/api/v1/meeting-requests/{created['id']}/decline", headers=headers_of(farm))
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"


def test_bad_request_input(client, match):
    headers = headers_of(match["ai"])
    for body in ({}, {"to_profile_id": "1"}, {"to_profile_id": True}, {"to_profile_id": 1.5},
                 {"to_profile_id": match["fund"].id, "message": 7},
                 {"to_profile_id": match["fund"].id, "message": "x" * 2001},
                 {"to_profile_id": match["fund"].id, "message": "a\x00"}):
        assert_error(client.post(f"{BASE}/meeting-requests", json=body, headers=headers), 422)
    for unknown in (0, -3, 2**31, 2**63, 999_999):
        response = client.post(f"{BASE}/meeting-requests", json={"to_profile_id": unknown}, headers=headers)
        assert response.status_code in (404, 422), response.get_json()
        assert_error(response)


def test_the_cap_on_pending_outgoing_requests(app, client, match):
    app.config["MATCH_PENDING_CAP"] = 2
    try:
        funds = [investor(match["event"]) for _ in range(3)]
        headers = headers_of(match["ai"])
        for fund in funds[:2]:
            assert client.post(f"{BASE}/meeting-requests", json={"to_profile_id": fund.id},
                               headers=headers).status_code == 201
        assert_error(client.post(f"{BASE}/meeting-requests", json={"to_profile_id": funds[2].id},
                                 headers=headers), 409, "too_many_pending_requests")
        first = requesting.outgoing(match["ai"])[-1]
        requesting.accept(first, first.to_profile)  # an answer frees a place
        assert client.post(f"{BASE}/meeting-requests", json={"to_profile_id": funds[2].id},
                           headers=headers).status_code == 201
    finally:
        app.config.pop("MATCH_PENDING_CAP")


# --- slots, the scheduler, meetings ------------------------------------------------------------------------

def _slot_body(n=3, tables=2, start=DAY):
    return {"slots": [{"starts_at": (start + timedelta(minutes=20 * i)).isoformat(),
                       "ends_at": (start + timedelta(minutes=20 * (i + 1))).isoformat()} for i in range(n)],
            "tables": tables}


def test_slots_are_set_by_organizers_only(client, match):
    headers = token_headers(match["organizer"])
    response = client.put(f"{BASE}/meeting-slots", json=_slot_body(), headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert len(body["slots"]) == 3 and body["tables"] == 2
    assert parse_time(body["slots"][0]["starts_at"]) == DAY
    assert_error(client.put(f"{BASE}/meeting-slots", json=_slot_body(),
                            headers=headers_of(match["fund"])), 403)
    assert_error(client.put(f"{BASE}/meeting-slots", json=_slot_body()), 401)


def test_overlapping_slots_and_bad_tables_are_refused(client, match):
    headers = token_headers(match["organizer"])
    overlapping = {"slots": [{"starts_at": DAY.isoformat(),
                              "ends_at": (DAY + timedelta(minutes=30)).isoformat()},
                             {"starts_at": (DAY + timedelta(minutes=20)).isoformat(),
                              "ends_at": (DAY + timedelta(minutes=40)).isoformat()}], "tables": 3}
    assert_field_errors(client.put(f"{BASE}/meeting-slots", json=overlapping, headers=headers), "slots")
    for body in ({**_slot_body(), "tables": 0}, {**_slot_body(), "tables": "2"}, {"slots": "x", "tables": 2},
                 {"slots": [{"starts_at": DAY.isoformat(), "ends_at": DAY.isoformat()}], "tables": 1},
                 {"slots": [{"starts_at": "0001-01-01T00:00:00", "ends_at": "9999-12-31T23:59:59"}],
                  "tables": 1},
                 {"tables": 2}):
        assert_error(client.put(f"{BASE}/meeting-slots", json=body, headers=headers), 422)


def test_schedule_then_agendas_and_calendars_of_both_sides(client, match, outbox):
    fund, ai = match["fund"], match["ai"]
    second = startup(match["event"], organization="Thanh Toán Nhanh", sector="fintech")
    accepted(ai, fund)
    accepted(fund, second)
    headers = token_headers(match["organizer"])
    client.put(f"{BASE}/meeting-slots", json=_slot_body(3, 2), headers=headers)
    response = client.post(f"{BASE}/meetings/schedule", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["unscheduled"] == [] and len(body["meetings"]) == 2
    for meeting in body["meetings"]:
        assert set(meeting) == {"id", "request_id", "starts_at", "ends_at", "table"}
        assert 1 <= meeting["table"] <= 2
        assert parse_time(meeting["ends_at"]) - parse_time(meeting["starts_at"]) == timedelta(minutes=20)
    assert body["meetings"][0]["starts_at"] != body["meetings"][1]["starts_at"]  # the fund meets both
    again = client.post(f"{BASE}/meetings/schedule", headers=headers).get_json()
    assert again["meetings"] == body["meetings"]  # re-running moves nothing
    mine = client.get(f"{BASE}/meetings/mine", headers=headers_of(ai)).get_json()
    items = assert_list(mine)
    assert len(items) == 1 and items[0]["with"] == {"profile_id": fund.id, "organization": fund.organization}
    assert {"id", "starts_at", "ends_at", "table", "with"} <= set(items[0])
    fund_items = client.get(f"{BASE}/meetings/mine", headers=headers_of(fund)).get_json()["items"]
    assert len(fund_items) == 2
    ics = client.get(f"{BASE}/meetings/mine.ics", headers=headers_of(ai))
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    event = next(c for c in Calendar.from_ical(ics.data).walk("VEVENT"))
    assert str(event["uid"]) == f"meeting-{items[0]['id']}@localhost" and int(event["sequence"]) == 0
    assert fund.organization in str(event["summary"])
    mails = " ".join(p.read_bytes().decode(errors="replace") for p in outbox.glob("*.eml"))
    assert ai.user.email in mails and second.user.email in mails


def test_removing_a_slot_with_meetings_is_a_409(client, match):
    accepted(match["ai"], match["fund"])
    headers = token_headers(match["organizer"])
    client.put(f"{BASE}/meeting-slots", json=_slot_body(1, 1), headers=headers)
    client.post(f"{BASE}/meetings/schedule", headers=headers)
    later = _slot_body(2, 1, start=DAY + timedelta(hours=2))
    assert_error(client.put(f"{BASE}/meeting-slots", json=later, headers=headers), 409, "slot_in_use")
    kept = _slot_body(1, 1)
    kept["slots"] += later["slots"]
    assert client.put(f"{BASE}/meeting-slots", json=kept, headers=headers).status_code == 200


def test_unscheduled_when_slots_run_out(client, match):
    fund = match["fund"]
    others = [startup(match["event"], organization=f"Khởi Nghiệp {i}") for i in range(3)]
    for other in others:
        accepted(other, fund)
    headers = token_headers(match["organizer"])
    client.put(f"{BASE}/meeting-slots", json=_slot_body(2, 5), headers=headers)
    body = client.post(f"{BASE}/meetings/schedule", headers=headers).get_json()
    assert len(body["meetings"]) == 2 and len(body["unscheduled"]) == 1
    assert_error(client.post(f"{BASE}/meetings/schedule", headers=headers_of(fund)), 403)


def test_outcomes_by_either_side_and_the_figures(client, match, db):
    fund, ai = match["fund"], match["ai"]
    accepted(ai, fund)
    make_slots(match["event"], 1, 1)
    client.post(f"{BASE}/meetings/schedule", headers=token_headers(match["organizer"]))
    meeting = db.session.scalar(db.select(Meeting))
    response = client.post(f"/api/v1/meetings/{meeting.id}/outcome",
                           json={"held": True, "stage": "due_diligence", "note": "Đội ngũ mạnh"},
                           headers=headers_of(fund))
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["outcome"]["held"] is True and data["outcome"]["stage"] == "due_diligence"
    assert data["note"] == "Đội ngũ mạnh"
    theirs = client.post(f"/api/v1/meetings/{meeting.id}/outcome", json={"held": True},
                         headers=headers_of(ai)).get_json()
    # the fund's note stays private
    assert theirs["note"] == "" and theirs["outcome"]["held_by_startup"] is True
    assert figures.meetings_held(match["event"].id) == 1  # held by both: counted once
    assert figures.projects_connected(match["event"].id) == 1
    assert figures.investor_count(match["event"].id) == 1
    assert figures.outcome_counts(match["event"].id)["due_diligence"] == 1
    assert_error(client.post(f"/api/v1/meetings/{meeting.id}/outcome", json={"held": True},
                             headers=headers_of(match["farm"])), 403)
    assert_error(client.post(f"/api/v1/meetings/{meeting.id}/outcome", json={"held": "yes"},
                             headers=headers_of(ai)), 422)
    assert_error(client.post(f"/api/v1/meetings/{meeting.id}/outcome", json={"held": True, "stage": "ipo"},
                             headers=headers_of(ai)), 422)
    assert_error(client.post(f"/api/v1/meetings/{meeting.id}/outcome", json={"held": False,
                                                                             "stage": "invested"},
                             headers=headers_of(ai)), 422)
    assert_error(client.post("/api/v1/meetings/999999/outcome", json={"held": True},
                             headers=headers_of(ai)), 404)
    assert_error(client.post(f"/api/v1/meetings/{meeting.id}/outcome", json={"held": True}), 401)


def test_the_meeting_time_does_not_restrict_recording_an_outcome(client, match, db):
    accepted(match["ai"], match["fund"])
    make_slots(match["event"], 1, 1, start=datetime(2030, 1, 1, 9, 0, tzinfo=HCMC))
    client.post(f"{BASE}/meetings/schedule", headers=token_headers(match["organizer"]))
    meeting = db.session.scalar(db.select(Meeting))
    response = client.post(f"/api/v1/meetings/{meeting.id}/outcome", json={"held": False},
                           headers=headers_of(match["ai"]))
    assert response.status_code == 200 and response.get_json()["outcome"]["held"] is False


def test_event_organizers_may_run_it_and_gate_staff_may_not(client, match):
    from eventhub.accounts.services import grant_event_role

    partner, gate = make_user("participant"), make_user("staff")
    grant_event_role(partner, match["event"], "organizer")
    grant_event_role(gate, match["event"], "staff")
    response = client.put(f"{BASE}/meeting-slots", json=_slot_body(), headers=token_headers(partner))
    assert response.status_code == 200
    assert_error(client.put(f"{BASE}/meeting-slots", json=_slot_body(), headers=token_headers(gate)), 403)
    assert_error(client.post(f"{BASE}/meetings/schedule", headers=token_headers(gate)), 403)
    assert_error(client.post("/api/v1/events/nope/meetings/schedule", headers=token_headers(partner)), 404)


def test_scheduling_without_slots_lists_every_accepted_request_as_unscheduled(client, match):
    request = accepted(match["ai"], match["fund"])
    body = client.post(f"{BASE}/meetings/schedule", headers=token_headers(match["organizer"])).get_json()
    assert body == {"meetings": [], "unscheduled": [request.id]}


def test_the_openapi_description_lists_the_matchmaking_calls(client, db):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/events/{slug}/profiles/me", "/api/v1/events/{slug}/recommendations",
                 "/api/v1/events/{slug}/meeting-requests", "/api/v1/meeting-requests/{id}/accept",
                 "/api/v1/meeting-requests/{id}/decline", "/api/v1/events/{slug}/meeting-slots",
                 "/api/v1/events/{slug}/meetings/schedule", "/api/v1/events/{slug}/meetings/mine",
                 "/api/v1/events/{slug}/meetings/mine.ics", "/api/v1/meetings/{id}/outcome"):
        assert path in paths, sorted(paths)


def test_a_slot_whose_meetings_are_cancelled_can_go_and_the_calendar_keeps_the_cancellation(client, match,
                                                                                            db):
    from eventhub.matchmaking import scheduling

    accepted(match["ai"], match["fund"])
    headers = token_headers(match["organizer"])
    client.put(f"{BASE}/meeting-slots", json=_slot_body(1, 1), headers=headers)
    client.post(f"{BASE}/meetings/schedule", headers=headers)
    meeting = db.session.scalar(db.select(Meeting))
    scheduling.cancel_meeting(meeting)
    later = _slot_body(1, 1, start=DAY + timedelta(hours=3))
    assert client.put(f"{BASE}/meeting-slots", json=later, headers=headers).status_code == 200
    db.session.refresh(meeting)
    assert meeting.slot_id is None and meeting.status.value == "cancelled"
    assert client.get(f"{BASE}/meetings/mine", headers=headers_of(match["ai"])).get_json()["items"] == []
    ics = client.get(f"{BASE}/meetings/mine.ics", headers=headers_of(match["ai"]))
    item = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert str(item["status"]) == "CANCELLED" and int(item["sequence"]) == 1
    assert item.decoded("dtstart") == DAY
    # and the scheduler does not bring a cancelled meeting back
    body = client.post(f"{BASE}/meetings/schedule", headers=headers).get_json()
    assert body == {"meetings": [], "unscheduled": []}
