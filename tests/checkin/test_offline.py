"""Check-in without a network (api.md): the offline kit, and batches of scans judged as of `scanned_at`."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from datetime import datetime

import pytest

from eventhub.checkin import offline, services
from eventhub.checkin.models import CheckIn
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from tests.checkin.helpers import MORNING
from tests.factories import HCMC, make_type, make_user, open_event, register, token_headers
from tests.support.api import assert_error, describe
from tests.support.racing import race

API = "/api/v1/events/startup-week"
KIT = f"{API}/checkin/offline-kit"
BATCH = f"{API}/checkins/batch"


def at(hour: int, minute: int, day: int = 14) -> str:
    return datetime(2026, 12, day, hour, minute, tzinfo=HCMC).isoformat()


def live(db, reg_id):
    db.session.expire_all()
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.registration_id == reg_id,
                                                            CheckIn.undone_at.is_(None))
                                   .order_by(CheckIn.day)))


@pytest.fixture
def clock(monkeypatch):
    """The server's clock at 18:00 on the event's first day (later than every scan below)."""
    now = datetime(2026, 12, 14, 18, 0, tzinfo=HCMC)
    monkeypatch.setattr(offline, "utcnow", lambda: now)
    return now


@pytest.fixture
def staff(gate):
    return token_headers(make_user("staff", full_name="Trương Thanh Tâm"))


def send(client, headers, scans, device="phone-1"):
    response = client.post(BATCH, json={"device": device, "scans": scans}, headers=headers)
    assert response.status_code == 200, describe(response)
    return response.get_json()["results"]


# --- the kit --------------------------------------------------------------------------------------

def test_kit_holds_confirmed_people_with_fingerprints_and_nothing_private(client, gate, staff, clock):
    truc = gate["truc"]
    services.check_in(gate["event"], truc.ticket_code, gate="Cổng A", now=MORNING)
    response = client.get(KIT, headers=staff)
    assert response.status_code == 200, describe(response)
    kit = response.get_json()
    assert {"generated_at", "registrations", "checkins"} <= set(kit)
    people = {p["id"]: p for p in kit["registrations"]}
    assert set(people) == {gate["truc"].id, gate["dung"].id}  # cancelled, pending, waitlisted left out
    mine = people[truc.id]
    assert set(mine) == {"id", "full_name", "type", "organization", "ticket_fingerprint"}
    assert mine == {"id": truc.id, "full_name": "Nguyễn Thị Quý Trúc", "type": "visitor",
                    "organization": "Công ty Cổ phần Đổi Mới",
                    "ticket_fingerprint": hashlib.sha256(truc.ticket_code.encode()).hexdigest()}
    text = response.get_data(as_text=True)
    for secret in (truc.ticket_code, truc.email, "0912", "345 678", gate["dung"].ticket_code):
        assert secret not in text
    assert kit["checkins"] == [{"registration_id": truc.id, "day": "2026-12-14", "gate": "Cổng A",
                                "checked_in_at": "2026-12-14T08:42:00+07:00"}]


def test_kit_fingerprint_is_of_the_code_the_registration_api_gives(client, gate, staff, clock):
    token_body = client.post(f"{API}/registrations", json={
        "type": "visitor", "full_name": "Hồ Thị Hạnh", "email": "hanh@example.vn", "consent": True})
    assert token_body.status_code == 201, describe(token_body)
    code = token_body.get_json()["ticket_code"]
    kit = client.get(KIT, headers=staff).get_json()
    assert hashlib.sha256(code.encode("utf-8")).hexdigest() in {
        p["ticket_fingerprint"] for p in kit["registrations"]}


@pytest.mark.parametrize("who", ["participant", "other_staff"])
def test_kit_and_batch_refuse_people_not_at_this_gate(client, gate, accounts, who):
    headers = token_headers(accounts[who])
    assert_error(client.get(KIT, headers=headers), 403, "forbidden")
    assert_error(client.post(BATCH, json={"scans": []}, headers=headers), 403, "forbidden")
    assert client.get(KIT).status_code == 401


def test_kit_for_event_staff_and_kit_queries_are_bounded(client, gate, accounts, clock):
    event, visitor = gate["event"], gate["visitor"]
    for _ in range(30):
        reg, _t = register(event, visitor)
        services.check_in(event, reg.ticket_code, now=MORNING)
    from sqlalchemy import event as sa_event

    statements = []
    engine = _db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(KIT, headers=token_headers(accounts["event_staff"]))
    finally:
        sa_event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200 and len(response.get_json()["registrations"]) == 32
    assert len(statements) < 12, statements  # auth, event, two for the kit: not one per person


# --- the batch ------------------------------------------------------------------------------------

def test_offline_scan_earlier_than_an_online_check_in_replaces_it(client, gate, staff, clock):
    truc = gate["truc"]
    services.check_in(gate["event"], truc.ticket_code, gate="Cổng A",
                      now=datetime(2026, 12, 14, 9, 5, tzinfo=HCMC))
    results = send(client, staff, [{"ticket_code": truc.ticket_code, "gate": "Cổng B",
                                    "scanned_at": at(8, 50)}])
    assert results == [{"ticket_code": truc.ticket_code, "result": "ok",
                        "checked_in_at": "2026-12-14T08:50:00+07:00", "gate": "Cổng B"}]
    rows = live(_db, truc.id)
    assert len(rows) == 1 and rows[0].gate == "Cổng B" and rows[0].staff.full_name == "Trương Thanh Tâm"
    # The online desk now hears "already" with the winning time and gate.
    with pytest.raises(services.AlreadyCheckedIn) as refused:
        services.check_in(gate["event"], truc.ticket_code, now=datetime(2026, 12, 14, 10, 0, tzinfo=HCMC))
    assert refused.value.extra == {"checked_in_at": "2026-12-14T08:50:00+07:00", "gate": "Cổng B"}


def test_later_offline_scan_is_already_checked_in_with_the_winner(client, gate, staff, clock):
    truc = gate["truc"]
    services.check_in(gate["event"], truc.ticket_code, gate="Cổng A",
                      now=datetime(2026, 12, 14, 8, 0, tzinfo=HCMC))
    results = send(client, staff, [{"ticket_code": truc.ticket_code, "gate": "Cổng B",
                                    "scanned_at": at(8, 50)}])
    assert results[0] == {"ticket_code": truc.ticket_code, "result": "already_checked_in",
                          "checked_in_at": "2026-12-14T08:00:00+07:00", "gate": "Cổng A"}
    assert [r.gate for r in live(_db, truc.id)] == ["Cổng A"]


def test_within_a_batch_the_earliest_wins_whatever_the_order(client, gate, staff, clock):
    code = gate["truc"].ticket_code
    results = send(client, staff, [{"ticket_code": code, "gate": "B", "scanned_at": at(9, 30)},
                                   {"ticket_code": code, "gate": "A", "scanned_at": at(8, 15)},
                                   {"ticket_code": code, "gate": "C", "scanned_at": at(10, 0)}])
    assert [r["result"] for r in results] == ["already_checked_in", "ok", "already_checked_in"]
    assert {(r["checked_in_at"], r["gate"]) for r in results} == {("2026-12-14T08:15:00+07:00", "A")}
    assert len(live(_db, gate["truc"].id)) == 1


@pytest.mark.parametrize("order", ["early_first", "late_first"])
def test_two_devices_in_either_order_end_with_the_earliest(client, gate, staff, clock, order):
    code = gate["truc"].ticket_code
    early = [{"ticket_code": code, "gate": "Cửa Đông", "scanned_at": at(8, 20)}]
    late = [{"ticket_code": code, "gate": "Cửa Tây", "scanned_at": at(8, 40)}]
    first, second = (early, late) if order == "early_first" else (late, early)
    first_results = send(client, staff, first, device="phone-1")
    second_results = send(client, staff, second, device="phone-2")
    assert first_results[0]["result"] == "ok"
    expected = "already_checked_in" if order == "early_first" else "ok"
    assert second_results[0]["result"] == expected
    rows = live(_db, gate["truc"].id)
    assert [(r.gate, r.checked_in_at) for r in rows] == [
        ("Cửa Đông", datetime(2026, 12, 14, 8, 20, tzinfo=HCMC))]
    # Each device resending now hears the final truth: the early scan is the check-in.
    assert send(client, staff, late)[0]["result"] == "already_checked_in"
    assert send(client, staff, early)[0]["result"] == "ok"


def test_resending_a_batch_records_nothing_new_and_answers_the_same(client, gate, staff, clock):
    scans = [{"ticket_code": gate["truc"].ticket_code, "gate": "A", "scanned_at": at(8, 1)},
             {"ticket_code": gate["dung"].ticket_code, "gate": "A", "scanned_at": at(8, 2)},
             {"ticket_code": gate["truc"].ticket_code, "gate": "A", "scanned_at": at(8, 3)},
             {"ticket_code": gate["cancelled"].ticket_code, "scanned_at": at(8, 4)}]
    first = send(client, staff, scans)
    count = _db.session.scalar(_db.select(_db.func.count(CheckIn.id)))
    assert [r["result"] for r in first] == ["ok", "ok", "already_checked_in", "not_confirmed"]
    assert send(client, staff, scans) == first
    assert _db.session.scalar(_db.select(_db.func.count(CheckIn.id))) == count == 2


def test_day_boundaries_are_the_events_zone(client, gate, staff, clock):
    code = gate["truc"].ticket_code
    # 23:59 and 00:01 in Ho Chi Minh City: two days (both on 13 December in UTC: 16:59 and 17:01).
    results = send(client, staff, [{"ticket_code": code, "scanned_at": "2026-12-13T17:01:00+00:00"},
                                   {"ticket_code": code, "scanned_at": "2026-12-13T16:59:00Z"}])
    assert [r["result"] for r in results] == ["ok", "ok"]
    assert [r.day.isoformat() for r in live(_db, gate["truc"].id)] == ["2026-12-13", "2026-12-14"]
    assert [r["checked_in_at"] for r in results] == ["2026-12-14T00:01:00+07:00", "2026-12-13T23:59:00+07:00"]


def test_refusals_invalid_scans_and_codes_as_typed(client, gate, other_event, staff, clock):
    code = gate["dung"].ticket_code
    typed = "-".join(code[i:i + 4] for i in range(0, len(code), 4)).lower()
    scans = [{"ticket_code": "garbage", "scanned_at": at(8, 0)},
             {"ticket_code": other_event["reg"].ticket_code, "scanned_at": at(8, 0)},
             {"ticket_code": gate["cancelled"].ticket_code, "scanned_at": at(8, 0)},
             {"ticket_code": gate["truc"].ticket_code},
             {"ticket_code": gate["truc"].ticket_code, "scanned_at": "hôm qua"},
             {"ticket_code": gate["truc"].ticket_code, "scanned_at": "2026-12-14T08:00:00"},
             {"ticket_code": gate["truc"].ticket_code, "scanned_at": 1765677600},
             {"ticket_code": gate["truc"].ticket_code, "scanned_at": at(18, 6)},
             {"ticket_code": gate["truc"].ticket_code, "scanned_at": at(18, 4)},
             {"ticket_code": typed.replace("-", " ", 2), "gate": "Hội trường", "scanned_at": at(8, 0)}]
    results = send(client, staff, scans)
    assert [r["result"] for r in results] == [
        "invalid_ticket", "wrong_event", "not_confirmed", "invalid_scan", "invalid_scan", "invalid_scan",
        "invalid_scan", "invalid_scan", "ok", "ok"]
    assert results[9]["ticket_code"] == typed.replace("-", " ", 2) and results[9]["gate"] == "Hội trường"
    assert set(results[0]) == {"ticket_code", "result"}


def test_an_unknown_but_genuine_ticket(client, gate, staff, clock):
    from eventhub.registration.tickets import make_ticket_code, ticket_key

    code = make_ticket_code(ticket_key())
    results = send(client, staff, [{"ticket_code": code, "scanned_at": at(8, 0)}])
    assert results[0]["result"] == "unknown_ticket"


def test_more_than_a_thousand_scans_is_413_and_a_thousand_is_fast(client, gate, staff, clock):
    event, visitor = gate["event"], gate["visitor"]
    scans = [{"ticket_code": "x", "scanned_at": at(8, 0)}] * 1001
    assert_error(client.post(BATCH, json={"device": "d", "scans": scans}, headers=staff), 413, "too_large")
    codes = [register(event, visitor)[0].ticket_code for _ in range(500)]
    scans = [{"ticket_code": c, "gate": "A", "scanned_at": at(8, i % 60)} for i, c in enumerate(codes)] * 2
    started = time.perf_counter()
    results = send(client, staff, scans)
    elapsed = time.perf_counter() - started
    print(f"\n1,000-scan batch decided in {elapsed:.3f} s")
    assert Counter(r["result"] for r in results) == {"ok": 500, "already_checked_in": 500}
    assert elapsed < 2.0


def test_test_scans_keep_their_rules(client, gate, staff, clock):
    """A scan before the event's days is admitted and counted apart, as a single check-in is."""
    results = send(client, staff, [{"ticket_code": gate["truc"].ticket_code, "scanned_at": at(9, 0, day=7)}])
    assert results[0]["result"] == "ok"
    rows = live(_db, gate["truc"].id)
    assert services.phase_of(rows[0], gate["event"]) == "before_event"
    assert services.stats(gate["event"], now=MORNING)["test_scans"]["before_event"] == 1


def test_who_wins_is_the_earliest_then_the_first_seen():
    a, b = datetime(2026, 12, 14, 8, 0, tzinfo=HCMC), datetime(2026, 12, 14, 8, 1, tzinfo=HCMC)
    assert offline.wins((a, 5), None)
    assert offline.wins((a, 5), (b, 0)) and not offline.wins((b, 0), (a, 5))
    assert offline.wins((a, 0), (a, 1)) and not offline.wins((a, 1), (a, 0))


def test_two_batches_with_one_ticket_at_once_end_with_the_earliest(app, db):
    event = open_event()
    rtype = make_type(event)
    event_id = event.id
    now = datetime(2026, 12, 14, 18, 0, tzinfo=HCMC)
    tickets = [(reg.id, reg.ticket_code) for reg, _t in (register(event, rtype) for _ in range(4))]

    def job(code, minute, gate):
        def run():
            results = offline.check_in_batch(_db.session.get(Event, event_id), [
                {"ticket_code": code, "gate": gate, "scanned_at": at(8, minute)}], now=now)
            return results[0]["result"]
        return run

    for reg_id, code in tickets:
        outcomes = race(app, [job(code, 30 - i, f"Cổng {i}") for i in range(6)])
        assert all(o in ("ok", "already_checked_in") for o in outcomes), outcomes
        rows = live(db, reg_id)
        assert len(rows) == 1, outcomes
        assert rows[0].gate == "Cổng 5"
        assert rows[0].checked_in_at == datetime(2026, 12, 14, 8, 25, tzinfo=HCMC)
