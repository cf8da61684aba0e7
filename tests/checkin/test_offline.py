"""Check-in without a network (api.md): the offline kit, and batches of scans judged as of `scanned_at`."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import datetime
from itertools import pairwise

import pytest

from eventhub.checkin import offline, services
from eventhub.checkin.models import CheckIn
from eventhub.events.models import Event
from eventhub.extensions import db as _db
from tests.checkin.helpers import MORNING, at
from tests.factories import HCMC, make_type, make_user, open_event, register, token_headers
from tests.reports import conftest as reports_conftest
from tests.support.api import assert_error, describe
from tests.support.racing import race

API = "/api/v1/events/startup-week"
KIT = f"{API}/checkin/offline-kit"
BATCH = f"{API}/checkins/batch"
count_queries = reports_conftest.count_queries  # the fixture, shared with the reports' tests



def live(db, reg_id):
    db.session.expire_all()
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.registration_id == reg_id,
                                                            CheckIn.undone_at.is_(None))
                                   .order_by(CheckIn.day)))



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
    # The event's days (its zone), so the desk shows a scan outside them as a test scan offline too.
    event = gate["event"]
    assert kit["event"] == {"slug": event.slug, "timezone": event.timezone,
                            "first_day": "2026-12-14", "last_day": "2026-12-18"}


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


@pytest.mark.parametrize("scanned_at", [
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC: not a 500
    "0001-01-01T00:00:00+00:00",
    "1970-01-01T07:00:00+07:00",  # a phone whose clock went back
    "2026-11-13T08:00:00+07:00",  # 31 days before the event: not a scanner test
])
def test_scans_dated_long_before_the_event_are_invalid(client, gate, staff, clock, scanned_at):
    results = send(client, staff, [{"ticket_code": gate["truc"].ticket_code, "scanned_at": scanned_at},
                                   {"ticket_code": gate["dung"].ticket_code, "scanned_at": at(8, 0)}])
    assert [r["result"] for r in results] == ["invalid_scan", "ok"]
    assert live(_db, gate["truc"].id) == []


def test_a_scanner_test_weeks_before_the_event_is_still_decided(client, gate, staff, clock):
    results = send(client, staff, [{"ticket_code": gate["truc"].ticket_code,
                                    "scanned_at": "2026-11-20T10:00:00+07:00"}])
    assert results[0]["result"] == "ok" and results[0]["checked_in_at"] == "2026-11-20T10:00:00+07:00"


def test_a_gate_name_that_cannot_be_kept_refuses_that_scan_only(gate, clock):
    """The service itself (the desk's route has no schema in front of it): one bad scan must not hold
    back the rest of a desk's queue."""
    results = offline.check_in_batch(gate["event"], [
        {"ticket_code": gate["truc"].ticket_code, "gate": "Cổng " * 20, "scanned_at": at(8, 0)},
        {"ticket_code": gate["dung"].ticket_code, "gate": "Cổng B", "scanned_at": at(8, 1)}])
    assert [r["result"] for r in results] == ["invalid_scan", "ok"]


def test_an_unknown_but_genuine_ticket(client, gate, staff, clock):
    from eventhub.registration.tickets import make_ticket_code, ticket_key

    code = make_ticket_code(ticket_key())
    results = send(client, staff, [{"ticket_code": code, "scanned_at": at(8, 0)}])
    assert results[0]["result"] == "unknown_ticket"


def test_more_than_a_thousand_scans_is_413_and_a_thousand_are_decided_together(client, gate, staff, clock,
                                                                                count_queries):
    event, visitor = gate["event"], gate["visitor"]
    scans = [{"ticket_code": "x", "scanned_at": at(8, 0)}] * 1001
    assert_error(client.post(BATCH, json={"device": "d", "scans": scans}, headers=staff), 413, "too_large")
    codes = [register(event, visitor)[0].ticket_code for _ in range(510)]
    few = [{"ticket_code": c, "gate": "A", "scanned_at": at(8, i % 60)} for i, c in enumerate(codes[:5])] * 2
    with count_queries() as ten:
        send(client, staff, few, device="phone-2")
    scans = [{"ticket_code": c, "gate": "A", "scanned_at": at(8, i % 60)}
             for i, c in enumerate(codes[10:])] * 2
    with count_queries() as thousand:
        results = send(client, staff, scans)
    assert Counter(r["result"] for r in results) == {"ok": 500, "already_checked_in": 500}
    # decided in a few statements for the whole batch, not one round trip per scan (its speed:
    # benchmarks/bench_checkin.py)
    assert thousand.count <= ten.count + 10, (ten.count, thousand.count)


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
        # Each move is audited with the values it replaced: the log is one chain, ending at the winner.
        moves = [e.changes for e in _entries("checkin.moved_earlier")
                 if e.changes["registration_id"] == reg_id]
        assert all(m["checked_in_at"][0] > m["checked_in_at"][1] for m in moves), moves
        assert all(a["checked_in_at"][1] == b["checked_in_at"][0] and a["gate"][1] == b["gate"][0]
                   for a, b in pairwise(moves)), moves
        if moves:
            assert (moves[-1]["checked_in_at"][1], moves[-1]["gate"][1]) == ("2026-12-14T01:25:00+00:00",
                                                                            "Cổng 5")


# --- the scanning device, and the audit of what a batch changed (issue 17) --------------------------

def _entries(action):
    _db.session.expire_all()
    from eventhub.audit.models import AuditEntry

    return list(_db.session.scalars(_db.select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)))


def test_check_ins_keep_the_device_cleaned_as_a_gate_name(client, gate, staff, clock):
    scans = [{"ticket_code": gate["truc"].ticket_code, "gate": "A", "scanned_at": at(8, 1)}]
    send(client, staff, scans, device="  Máy\tquét \x01 cổng   A  ")
    assert [r.device for r in live(_db, gate["truc"].id)] == ["Máy quét cổng A"]
    # 61 characters, of which white space collapses to 60: as a gate, cleaned before it is measured
    assert offline.check_in_batch(gate["event"], [dict(scans[0], ticket_code=gate["dung"].ticket_code)],
                                  device="d" * 58 + "  x", now=clock)[0]["result"] == "ok"
    assert [r.device for r in live(_db, gate["dung"].id)] == ["d" * 58 + " x"]
    # no device, or null: an empty name, as online check-ins have
    for device in (None, ""):
        response = client.post(BATCH, json={"device": device, "scans": []}, headers=staff)
        assert response.status_code == 200 and response.get_json() == {"results": []}


@pytest.mark.parametrize("device", ["x" * 61, "Điện thoại " * 6, 42, ["a"], {"a": 1}, "a\x00b"])
def test_a_device_name_that_cannot_be_kept_is_422_and_records_nothing(client, gate, staff, clock, device):
    scans = [{"ticket_code": gate["truc"].ticket_code, "scanned_at": at(8, 0)}]
    error = assert_error(client.post(BATCH, json={"device": device, "scans": scans}, headers=staff),
                         422, "validation_error")
    assert set(error["fields"]) == {"device"}
    assert live(_db, gate["truc"].id) == [] and _entries("checkin.batch_synced") == []


def test_the_service_refuses_a_device_longer_than_60_after_cleaning(gate, clock):
    from eventhub.errors import ValidationError

    scans = [{"ticket_code": gate["truc"].ticket_code, "scanned_at": at(8, 0)}]
    with pytest.raises(ValidationError) as refused:
        offline.check_in_batch(gate["event"], scans, device="Máy " + "x" * 57, now=clock)
    assert set(refused.value.fields) == {"device"}
    assert live(_db, gate["truc"].id) == []


def test_a_moved_check_in_takes_the_scans_device_and_is_audited(client, gate, staff, clock):
    truc, event = gate["truc"], gate["event"]
    services.check_in(event, truc.ticket_code, gate="Cổng A", now=datetime(2026, 12, 14, 9, 5, tzinfo=HCMC))
    scans = [{"ticket_code": truc.ticket_code, "gate": "Cổng B", "scanned_at": at(8, 50)},
             {"ticket_code": gate["dung"].ticket_code, "gate": "Cổng B", "scanned_at": at(8, 51)},
             {"ticket_code": "rác", "scanned_at": at(8, 52)},
             {"ticket_code": gate["cancelled"].ticket_code, "scanned_at": at(8, 53)},
             {"ticket_code": truc.ticket_code, "gate": "Cổng B", "scanned_at": at(8, 54)}]
    results = send(client, staff, scans, device="Điện thoại Lan")
    assert [r["result"] for r in results] == ["ok", "ok", "invalid_ticket", "not_confirmed",
                                              "already_checked_in"]
    [row] = live(_db, truc.id)
    assert (row.gate, row.device, row.checked_in_at) == ("Cổng B", "Điện thoại Lan",
                                                         datetime(2026, 12, 14, 8, 50, tzinfo=HCMC))
    [moved] = _entries("checkin.moved_earlier")
    user_id = _db.session.scalar(_db.select(CheckIn.staff_id).where(CheckIn.id == row.id))
    assert (moved.object_type, moved.object_id, moved.event_id, moved.actor_id) == (
        "checkin", str(row.id), event.id, user_id)
    assert moved.changes == {"registration_id": truc.id, "day": "2026-12-14",
                             "checked_in_at": ["2026-12-14T02:05:00+00:00", "2026-12-14T01:50:00+00:00"],
                             "gate": ["Cổng A", "Cổng B"], "device": ["", "Điện thoại Lan"]}
    [synced] = _entries("checkin.batch_synced")
    assert (synced.object_type, synced.object_id, synced.actor_id) == ("event", str(event.id), user_id)
    assert synced.changes == {"device": "Điện thoại Lan", "scans": 5, "recorded": 1, "moved": 1, "refused": 2}
    # Sent again: the same answers, nothing new in the log.
    assert send(client, staff, scans, device="Điện thoại Lan") == results
    assert len(_entries("checkin.moved_earlier")) == 1 and len(_entries("checkin.batch_synced")) == 1
    # A later scan, from another device, moves nothing and is not audited.
    send(client, staff, [{"ticket_code": truc.ticket_code, "gate": "C", "scanned_at": at(9, 0)}], device="x")
    assert len(_entries("checkin.moved_earlier")) == 1 and len(_entries("checkin.batch_synced")) == 1


def test_the_audit_log_reads_the_move_and_the_sync(client, gate, staff, clock):
    from tests.factories import login

    truc, event = gate["truc"], gate["event"]
    services.check_in(event, truc.ticket_code, gate="Cổng A", now=datetime(2026, 12, 14, 9, 5, tzinfo=HCMC))
    send(client, staff, [{"ticket_code": truc.ticket_code, "gate": "Cổng B", "scanned_at": at(8, 50)}],
         device="Điện thoại Lan")
    send(client, staff, [{"ticket_code": gate["dung"].ticket_code, "scanned_at": at(8, 55)}], device="")
    login(client, make_user("organizer"))
    pages = {}
    for lang in ("vi", "en"):
        response = client.get(f"/events/{event.slug}/audit?lang={lang}&area=checkin")
        assert response.status_code == 200
        pages[lang] = " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)
                                      .split("<main", 1)[-1]).replace("&#34;", '"').split())
    vi, en = pages["vi"], pages["en"]
    assert ("Trương Thanh Tâm chuyển lượt check-in của Nguyễn Thị Quý Trúc sang một lần quét sớm hơn "
            "lúc không có mạng") in vi
    assert re.search(r"09:05\s*→\s*14/12/2026 08:50", vi), vi
    # The device's id is a technical detail among the fields, never in a sentence.
    assert re.search(r"Cổng A\s*→\s*Cổng B", vi), vi
    assert re.search(r"Mã thiết bị:\s*—\s*→\s*Điện thoại Lan", vi), vi
    assert vi.count("Trương Thanh Tâm đồng bộ các lượt quét của một bàn check-in ngoại tuyến") == 2, vi
    assert re.search(r"Mã thiết bị:\s*Điện thoại Lan", vi), vi
    assert "trên thiết bị" not in vi and "“Điện thoại Lan”" not in vi
    assert re.search(r"Lượt check-in mới:\s*1", vi) and re.search(r"Lượt quét gửi lên:\s*1", vi), vi
    assert ("Trương Thanh Tâm moved the check-in of Nguyễn Thị Quý Trúc to an earlier scan made offline"
            in en)
    assert en.count("Trương Thanh Tâm synced the scans of an offline desk") == 2, en
    assert re.search(r"Device ID:\s*—\s*→\s*Điện thoại Lan", en), en
    for code in ("checkin.", "moved_earlier", "batch_synced", "registration_id", "recorded"):
        assert code not in vi and code not in en, code


def test_a_thousand_scans_that_each_move_a_check_in(client, gate, staff, clock):
    """(Their speed is measured by benchmarks/bench_checkin.py, not asserted here.)"""
    event, visitor = gate["event"], gate["visitor"]
    people = [register(event, visitor)[0] for _ in range(500)]
    _db.session.execute(_db.insert(CheckIn), [
        {"event_id": event.id, "registration_id": reg.id, "day": datetime(2026, 12, 14).date(),
         "checked_in_at": datetime(2026, 12, 14, 10, 0, tzinfo=HCMC), "gate": "Online"} for reg in people])
    _db.session.commit()
    scans = [{"ticket_code": reg.ticket_code, "gate": "B", "scanned_at": at(8, i % 60)}
             for i, reg in enumerate(people)]
    scans += [dict(scan, scanned_at=at(9, 30)) for scan in scans]
    results = send(client, staff, scans, device="phone-9")
    assert Counter(r["result"] for r in results) == {"ok": 500, "already_checked_in": 500}
    assert len(_entries("checkin.moved_earlier")) == 500
    assert _entries("checkin.batch_synced")[0].changes["moved"] == 500
    assert {r.device for r in _db.session.scalars(_db.select(CheckIn))} == {"phone-9"}


def test_the_desks_recent_list_tags_offline_check_ins_in_words(client, gate, staff, clock):
    from tests.factories import login

    scan = {"ticket_code": gate["truc"].ticket_code, "gate": "Cổng B", "scanned_at": at(8, 50)}
    send(client, staff, [scan], device="Điện thoại Lan")
    services.check_in(gate["event"], gate["dung"].ticket_code, gate="Cổng A", now=MORNING)
    login(client, make_user("staff"))
    for lang, tag in (("vi", ">ngoại tuyến</span>"), ("en", ">offline</span>")):
        html = client.get(f"/events/startup-week/checkin?lang={lang}").get_data(as_text=True)
        recent = re.search(r'<section id="checkin-recent".*?</section>', html, re.S).group(0)
        items = re.findall(r"<li.*?</li>", recent, re.S)
        [truc] = [i for i in items if "Nguyễn Thị Quý Trúc" in i]
        [dung] = [i for i in items if "Lê Văn Dũng" in i]
        assert "Cổng B" in truc and tag in truc and "Điện thoại Lan" not in truc  # words, not the id
        assert "Cổng A" in dung and tag not in dung  # checked in online


@pytest.mark.parametrize("online_first", [0, 2], ids=["all new", "half checked in online"])
def test_batches_with_many_shared_tickets_in_different_orders_never_fail(app, db, online_first):
    """Four desks sync at once, each its own order of the same 40 tickets (none, or half of them checked in
    online already): every batch is answered (no deadlock surfaces), each ticket ends with one check-in,
    the earliest."""
    import random

    event = open_event()
    rtype = make_type(event)
    event_id = event.id
    now = datetime(2026, 12, 14, 18, 0, tzinfo=HCMC)
    tickets = [(reg.id, reg.ticket_code) for reg, _t in (register(event, rtype) for _ in range(40))]
    for _reg_id, code in tickets[::online_first] if online_first else []:
        services.check_in(event, code, gate="online", now=datetime(2026, 12, 14, 9, 0, tzinfo=HCMC))
    rng = random.Random(17)

    def job(desk):
        order = tickets[:]
        rng.shuffle(order)
        scans = [{"ticket_code": code, "gate": f"Cổng {desk}", "scanned_at": at(8, 10 + desk + (i % 7))}
                 for i, (_reg_id, code) in enumerate(order)]

        def run():
            results = offline.check_in_batch(_db.session.get(Event, event_id), scans, device=f"d{desk}",
                                             now=now)
            return Counter(r["result"] for r in results)
        return run, {code: scan["scanned_at"] for (_r, code), scan in zip(order, scans, strict=True)}

    jobs = [job(desk) for desk in range(4)]
    for _round in range(3):
        outcomes = race(app, [run for run, _times in jobs])
        assert all(isinstance(o, Counter) and sum(o.values()) == 40 for o in outcomes), outcomes
    for reg_id, code in tickets:
        rows = live(db, reg_id)
        earliest = min(datetime.fromisoformat(times[code]) for _run, times in jobs)
        assert len(rows) == 1 and rows[0].checked_in_at == earliest, (rows, earliest)
