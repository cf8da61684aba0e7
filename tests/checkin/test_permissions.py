"""Who may check people in and see the numbers – and gate staff see nothing else of the registrations."""

from __future__ import annotations

import pytest

from eventhub.checkin import services
from eventhub.checkin.models import CheckIn
from eventhub.registration.models import Registration
from tests.factories import login, token_headers
from tests.support.api import assert_error

API = "/api/v1"
CHECKINS = f"{API}/events/startup-week/checkins"
STATS = f"{API}/events/startup-week/stats"
ALLOWED = ["organizer", "event_organizer", "staff", "event_staff"]
REFUSED = ["participant", "other_staff"]


def _checkins(db) -> int:
    return db.session.scalar(db.select(db.func.count(CheckIn.id)))


# --- the API --------------------------------------------------------------------------------------

def test_the_api_needs_a_token(client, db, gate):
    code = gate["truc"].ticket_code
    assert_error(client.post(CHECKINS, json={"ticket_code": code}), 401,
                 "not_authenticated")
    assert_error(client.get(STATS), 401, "not_authenticated")
    assert _checkins(db) == 0


def test_a_signed_in_browser_session_does_not_open_the_api(client, db, gate, accounts):
    login(client, accounts["organizer"])
    response = client.post(CHECKINS, json={"ticket_code": gate["truc"].ticket_code})
    assert_error(response, 401, "not_authenticated")
    assert _checkins(db) == 0


@pytest.mark.parametrize("role", ALLOWED)
def test_organizers_and_gate_staff_check_in_through_the_api(client, db, gate, accounts, role):
    headers = token_headers(accounts[role])
    response = client.post(CHECKINS, json={"ticket_code": gate["truc"].ticket_code},
                           headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert db.session.get(CheckIn, response.get_json()["checkin_id"]).staff_id == accounts[role].id
    assert client.get(STATS, headers=headers).status_code == 200


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_403_and_nothing_is_checked_in(client, db, gate, accounts, role):
    headers = token_headers(accounts[role])
    response = client.post(CHECKINS, json={"ticket_code": gate["truc"].ticket_code},
                           headers=headers)
    assert_error(response, 403, "forbidden")
    assert_error(client.get(STATS, headers=headers), 403, "forbidden")
    assert _checkins(db) == 0


def test_permission_is_checked_before_the_ticket(client, db, gate, accounts):
    # A participant learns nothing about codes: 403 whatever the code.
    headers = token_headers(accounts["participant"])
    for code in ["garbage", gate["truc"].ticket_code]:
        assert_error(client.post(CHECKINS, json={"ticket_code": code},
                                 headers=headers), 403)


@pytest.mark.parametrize("role", ["staff", "event_staff"])
def test_gate_staff_cannot_list_export_or_change_registrations_in_the_api(client, db, gate, accounts, role):
    headers = token_headers(accounts[role])
    reg = gate["truc"]
    for path in ["/events/startup-week/registrations", "/events/startup-week/registrations.csv",
                 "/events/startup-week/registrations.xlsx", f"/registrations/{reg.id}"]:
        assert_error(client.get(API + path, headers=headers), 403)
    assert_error(client.post(f"{API}/registrations/{reg.id}/cancel", json={}, headers=headers), 403)
    assert_error(client.post(f"{API}/registrations/{gate['pending'].id}/approve", headers=headers), 403)
    checkin = services.check_in(gate["event"], reg.ticket_code)
    assert_error(client.post(f"{API}/events/startup-week/checkins/{checkin.id}/undo", headers=headers), 403)
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).status.value == "confirmed"
    assert db.session.get(CheckIn, checkin.id).undone_at is None


# --- the pages ------------------------------------------------------------------------------------

PAGES = ["/events/startup-week/checkin", "/events/startup-week/checkin/stats"]


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_send_strangers_to_sign_in(client, db, gate, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ALLOWED)
def test_organizers_and_gate_staff_use_the_desk(client, db, gate, accounts, role):
    login(client, accounts[role])
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    response = client.post("/events/startup-week/checkin", data={"ticket_code": gate["truc"].ticket_code})
    assert response.status_code == 200 and 'data-result="ok"' in response.get_data(as_text=True)
    assert _checkins(db) == 1


@pytest.mark.parametrize("role", REFUSED)
def test_others_are_refused_the_desk(client, db, gate, accounts, role):
    login(client, accounts[role])
    for path in PAGES:
        assert client.get(path).status_code == 403, path
    reg = gate["truc"]
    scan = client.post("/events/startup-week/checkin", data={"ticket_code": reg.ticket_code})
    assert scan.status_code == 403
    assert client.post(f"/events/startup-week/checkin/registrations/{reg.id}").status_code == 403
    assert client.post("/events/startup-week/checkin/gate", data={"gate": "Cổng A"}).status_code == 403
    assert _checkins(db) == 0


@pytest.mark.parametrize("role", ["staff", "event_staff"])
def test_gate_staff_get_403_on_the_registration_pages(client, db, gate, accounts, role):
    login(client, accounts[role])
    reg = gate["truc"]
    for path in ["/events/startup-week/registrations", "/events/startup-week/registrations.csv",
                 "/events/startup-week/registrations.xlsx", f"/events/startup-week/registrations/{reg.id}",
                 "/events/startup-week/registrations/new", "/events/startup-week/registration-types",
                 "/events/startup-week/manage", "/events/startup-week/audit"]:
        assert client.get(path).status_code == 403, path
    assert client.post(f"/events/startup-week/registrations/{reg.id}/cancel").status_code == 403
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).status.value == "confirmed"


@pytest.mark.parametrize("role", ["staff", "event_staff"])
def test_only_organizers_undo(client, db, gate, accounts, role):
    checkin = services.check_in(gate["event"], gate["truc"].ticket_code)
    login(client, accounts[role])
    page = client.get("/events/startup-week/checkin").get_data(as_text=True)
    assert f"/checkin/{checkin.id}/undo" not in page
    assert client.post(f"/events/startup-week/checkin/{checkin.id}/undo").status_code == 403
    db.session.expire_all()
    assert db.session.get(CheckIn, checkin.id).undone_at is None


def test_the_other_events_staff_cannot_use_this_desk_but_their_own(client, db, gate, other_event, accounts):
    login(client, accounts["other_staff"])
    assert client.get("/events/ai-day/checkin").status_code == 200
    assert client.get("/events/startup-week/checkin").status_code == 403
