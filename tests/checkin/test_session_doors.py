"""Workshop doors (issue 17.2, api.md "Check-in without a network, and at workshop doors"):
POST /events/{slug}/sessions/{id}/checkins and GET …/sessions/{id}/attendance."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from eventhub.accounts.services import erase_user
from eventhub.checkin import services
from eventhub.checkin.models import SessionCheckIn
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from eventhub.hooks import export_personal_data
from eventhub.registration.models import EventSession
from tests.factories import (
    HCMC,
    PASSWORD,
    make_session,
    make_type,
    make_user,
    open_event,
    register,
    token_headers,
)
from tests.support.api import assert_error, describe
from tests.support.racing import race

API = "/api/v1/events"


def door(session) -> str:
    return f"{API}/startup-week/sessions/{session.id}/checkins"


def attendance(client, session, headers) -> dict:
    response = client.get(f"{API}/startup-week/sessions/{session.id}/attendance", headers=headers)
    assert response.status_code == 200, describe(response)
    return response.get_json()


@pytest.fixture
def workshop(gate):
    """A workshop of two seats: Trúc booked one; Dũng did not book."""
    event = gate["event"]
    session = make_session(event, title="Hội thảo Đô thị thông minh", capacity=2)
    booked, _t = register(event, gate["visitor"], full_name="Hoàng Thị Lan", email="lan@example.vn",
                          session_ids=[session.id])
    return {**gate, "session": session, "booked": booked}


@pytest.fixture
def staff(gate):
    return token_headers(make_user("staff", full_name="Trương Thanh Tâm"))


def test_booked_person_is_admitted_with_the_gate_answers_shape(client, workshop, staff):
    lan = workshop["booked"]
    response = client.post(door(workshop["session"]), json={"ticket_code": lan.ticket_code}, headers=staff)
    assert response.status_code == 201, describe(response)
    body = response.get_json()
    assert body["result"] == "ok" and body["walk_in"] is False
    assert body["registration"] == {"id": lan.id, "full_name": "Hoàng Thị Lan", "type": "visitor",
                                    "type_name": "Khách tham quan", "organization": None}
    assert attendance(client, workshop["session"], staff) == {"booked": 1, "checked_in": 1, "walk_ins": 0}


def test_codes_in_any_case_with_spaces_and_dashes(client, workshop, staff):
    code = workshop["booked"].ticket_code
    typed = "-".join(code[i:i + 4] for i in range(0, len(code), 4)).lower().replace("-", " ", 2)
    response = client.post(door(workshop["session"]), json={"ticket_code": typed}, headers=staff)
    assert response.status_code == 201, describe(response)


def test_same_person_twice_is_already_checked_in(client, workshop, staff):
    for reg in (workshop["booked"], workshop["truc"]):  # booked, and a walk-in
        first = client.post(door(workshop["session"]), json={"ticket_code": reg.ticket_code}, headers=staff)
        assert first.status_code == 201, describe(first)
        assert_error(client.post(door(workshop["session"]), json={"ticket_code": reg.ticket_code},
                                 headers=staff), 409, "already_checked_in")
    assert attendance(client, workshop["session"], staff) == {"booked": 1, "checked_in": 2, "walk_ins": 1}


def test_walk_ins_while_a_seat_is_free_then_session_full(client, workshop, staff):
    session = workshop["session"]  # capacity 2, one booked: one walk-in seat
    truc = client.post(door(session), json={"ticket_code": workshop["truc"].ticket_code}, headers=staff)
    assert truc.status_code == 201 and truc.get_json()["walk_in"] is True, describe(truc)
    dung = workshop["dung"].ticket_code
    assert_error(client.post(door(session), json={"ticket_code": dung}, headers=staff), 409, "session_full")
    # The booked person still comes in: the seat was theirs.
    lan = client.post(door(session), json={"ticket_code": workshop["booked"].ticket_code}, headers=staff)
    assert lan.status_code == 201, describe(lan)
    assert attendance(client, session, staff) == {"booked": 1, "checked_in": 2, "walk_ins": 1}


def test_a_session_without_capacity_is_unlimited(client, gate, staff):
    session = make_session(gate["event"], capacity=None)
    people = [register(gate["event"], gate["visitor"])[0] for _ in range(5)]
    for reg in people:
        response = client.post(door(session), json={"ticket_code": reg.ticket_code}, headers=staff)
        assert response.status_code == 201, describe(response)
    assert attendance(client, session, staff) == {"booked": 0, "checked_in": 5, "walk_ins": 5}


def test_refusals(client, workshop, other_event, staff):
    session = workshop["session"]
    assert_error(client.post(door(session), json={"ticket_code": other_event["reg"].ticket_code},
                             headers=staff), 409, "wrong_event")
    assert workshop["cancelled"].ticket_code  # a cancelled registration keeps its (now void) ticket
    for reg in (workshop["cancelled"],):
        assert_error(client.post(door(session), json={"ticket_code": reg.ticket_code}, headers=staff),
                     409, "not_confirmed")
    assert_error(client.post(door(session), json={"ticket_code": "NOT-A-TICKET"}, headers=staff),
                 400, "invalid_ticket")
    other_session = make_session(other_event["event"])
    for path in (f"{API}/startup-week/sessions/{other_session.id}/checkins",
                 f"{API}/startup-week/sessions/999999/checkins"):
        assert_error(client.post(path, json={"ticket_code": workshop["booked"].ticket_code}, headers=staff),
                     404)
    assert_error(client.get(f"{API}/startup-week/sessions/{other_session.id}/attendance", headers=staff), 404)
    assert _db.session.scalar(_db.select(_db.func.count(SessionCheckIn.id))) == 0


def test_who_may_scan_at_a_door(client, workshop, accounts):
    session, code = workshop["session"], workshop["booked"].ticket_code
    for name in ("participant", "other_staff"):
        headers = token_headers(accounts[name])
        assert_error(client.post(door(session), json={"ticket_code": code}, headers=headers), 403)
        assert_error(client.get(f"{API}/startup-week/sessions/{session.id}/attendance", headers=headers), 403)
    assert_error(client.post(door(session), json={"ticket_code": code}), 401)
    for name in ("event_staff", "event_organizer", "organizer"):
        headers = token_headers(accounts[name])
        assert attendance(client, session, headers)["booked"] == 1
    headers = token_headers(accounts["event_staff"])
    response = client.post(door(session), json={"ticket_code": code}, headers=headers)
    assert response.status_code == 201, describe(response)


def _door_job(event_id: int, session_id: int, code: str):
    def job():
        event = _db.session.get(Event, event_id)
        entry = services.check_in_session(event, _db.session.get(EventSession, session_id), code)
        return "walk_in" if entry.walk_in else "ok"
    return job


def test_two_doors_at_once_never_over_admit_nor_record_twice(app, db):
    event = open_event()
    rtype = make_type(event)
    event_id = event.id
    for _round in range(3):
        session = make_session(event, capacity=3)
        booked = register(event, rtype, session_ids=[session.id])[0]
        codes = [register(event, rtype)[0].ticket_code for _ in range(6)]
        session_id = session.id
        # Six walk-ins for the two seats left, and the booked person at four doors at once.
        jobs = [_door_job(event_id, session_id, code) for code in codes]
        jobs += [_door_job(event_id, session_id, booked.ticket_code) for _ in range(4)]
        outcomes = race(app, jobs)
        assert Counter(outcomes[:6]) == {"walk_in": 2, "session_full": 4}, outcomes
        assert Counter(outcomes[6:]) == {"ok": 1, "already_checked_in": 3}, outcomes
        db.session.expire_all()
        rows = list(db.session.scalars(db.select(SessionCheckIn)
                                       .where(SessionCheckIn.session_id == session_id)))
        assert len(rows) == 3 and len({r.registration_id for r in rows}) == 3


def test_the_same_walk_in_at_many_doors_is_recorded_once(app, db):
    event = open_event()
    rtype = make_type(event)
    session = make_session(event, capacity=5)
    code = register(event, rtype)[0].ticket_code
    outcomes = race(app, [_door_job(event.id, session.id, code) for _ in range(6)])
    assert Counter(outcomes) == {"walk_in": 1, "already_checked_in": 5}, outcomes


def test_export_and_erasure_of_a_persons_session_checkins(client, workshop):
    user = make_user("participant", email="lan.account@example.vn")
    lan = workshop["booked"]
    lan.user_id = user.id
    _db.session.commit()
    services.check_in_session(workshop["event"], workshop["session"], lan.ticket_code)
    exported = export_personal_data(user)["session_checkins"]
    assert [(e["registration"], e["session"], e["walk_in"]) for e in exported] == [
        (lan.id, workshop["session"].id, False)]
    assert exported[0]["session_title"] == "Hội thảo Đô thị thông minh"
    erase_user(user, PASSWORD)
    assert _db.session.scalar(_db.select(_db.func.count(SessionCheckIn.id))) == 0


def test_erasing_a_registration_through_its_link_removes_its_session_checkins(client, workshop, staff):
    """Decree 13, one registration: the workshops it was scanned in at go with it; nothing else does."""
    from eventhub.audit.models import AuditEntry
    from eventhub.checkin.models import CheckIn
    from eventhub.registration.models import Registration, SessionChoice

    event, lans = workshop["event"], workshop["session"]
    session = make_session(event, title="Pháp lý cho startup", capacity=3)
    other_session = make_session(event, title="Gọi vốn vòng hạt giống", capacity=None)
    mai, token = register(event, workshop["visitor"], full_name="Đỗ Thị Mai", email="mai@example.vn",
                          session_ids=[session.id])
    organizer = token_headers(make_user("organizer"))
    for reg, doors in ((mai, (session, other_session)), (workshop["booked"], (lans,)),
                       (workshop["truc"], (session, other_session))):
        for entered in doors:
            response = client.post(door(entered), json={"ticket_code": reg.ticket_code}, headers=staff)
            assert response.status_code == 201, describe(response)
    services.check_in(event, mai.ticket_code, gate="Cổng A")
    report = f"{API}/startup-week/report"
    before = client.get(report, headers=organizer).get_json()
    assert attendance(client, session, staff) == {"booked": 1, "checked_in": 2, "walk_ins": 1}
    assert attendance(client, other_session, staff) == {"booked": 0, "checked_in": 2, "walk_ins": 2}

    erased = client.post(f"/r/{token}/erase", data={"confirm": "yes"})
    assert erased.status_code == 302

    _db.session.expire_all()
    left = _db.session.execute(_db.select(SessionCheckIn.registration_id, SessionCheckIn.session_id)).all()
    assert sorted(left) == sorted([(workshop["booked"].id, lans.id), (workshop["truc"].id, session.id),
                                   (workshop["truc"].id, other_session.id)])
    assert attendance(client, session, staff) == {"booked": 0, "checked_in": 1, "walk_ins": 1}
    assert attendance(client, other_session, staff) == {"booked": 0, "checked_in": 1, "walk_ins": 1}
    assert attendance(client, lans, staff) == {"booked": 1, "checked_in": 1, "walk_ins": 0}
    after = client.get(report, headers=organizer).get_json()
    assert after["session_checkins"] == before["session_checkins"] - 2
    # Nothing else is lost: the others' bookings, the sessions, the registration's nameless row and its
    # gate check-in (a number, a day, a gate: the day's attendance stays true), and the log of the erasure.
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(SessionChoice).where(
        SessionChoice.registration_id == workshop["booked"].id, SessionChoice.holding.is_(True))) == 1
    assert _db.session.get(EventSession, other_session.id) is not None
    assert _db.session.get(Registration, mai.id).full_name == "—"
    assert [(c.registration_id, c.gate) for c in _db.session.scalars(_db.select(CheckIn))] == [
        (mai.id, "Cổng A")]
    assert _db.session.scalar(_db.select(AuditEntry.id).where(
        AuditEntry.action == "registration.erased", AuditEntry.object_id == str(mai.id))) is not None


def test_a_scan_on_another_day_keeps_the_api_answers_and_the_sessions_day_makes_it_real(client, db, workshop,
                                                                                       staff, monkeypatch):
    """A door tested the day before (the session is on 14/12): 201 and counted by the API as before; on the
    session's day the same person comes in (201, not already_checked_in), then twice is 409 again."""
    lan, session = workshop["booked"], workshop["session"]
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2026, 12, 13, 16, 0, tzinfo=HCMC))
    response = client.post(door(session), json={"ticket_code": lan.ticket_code}, headers=staff)
    assert response.status_code == 201, describe(response)
    assert attendance(client, session, staff) == {"booked": 1, "checked_in": 1, "walk_ins": 0}
    again = client.post(door(session), json={"ticket_code": lan.ticket_code}, headers=staff)
    assert_error(again, 409, "already_checked_in")  # the same test day: once
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2026, 12, 14, 8, 50, tzinfo=HCMC))
    response = client.post(door(session), json={"ticket_code": lan.ticket_code}, headers=staff)
    assert response.status_code == 201, describe(response)
    entry = db.session.scalars(db.select(SessionCheckIn)).one()
    assert entry.checked_in_at == datetime(2026, 12, 14, 8, 50, tzinfo=HCMC)
    assert attendance(client, session, staff) == {"booked": 1, "checked_in": 1, "walk_ins": 0}
    assert_error(client.post(door(session), json={"ticket_code": lan.ticket_code}, headers=staff),
                 409, "already_checked_in")
