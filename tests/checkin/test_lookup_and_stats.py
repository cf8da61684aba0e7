"""Finding people without their QR code, and the live numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from eventhub.checkin import services
from tests.checkin.helpers import MORNING
from tests.factories import HCMC, make_user, register


def _names(people) -> list[str]:
    return [p.registration.full_name for p in people]


@pytest.mark.parametrize("q", [
    "nguyen thi quy truc", "NGUYỄN THỊ QUÝ TRÚC", "Quy Truc", "truc", "trúc", "  TrUc  ", "thi truc",
    "truc.nguyen@example.vn", "TRUC.NGUYEN@EXAMPLE", "0912 345 678", "0912345678", "+84 912 345 678",
    "+84912345678", "84912345678", "0912.345.678", "345 678", "doi moi",
])
def test_manual_look_up_ignores_diacritics_case_and_phone_spelling(db, gate, q):
    assert _names(services.find_people(gate["event"], q)) == ["Nguyễn Thị Quý Trúc"]


def test_look_up_finds_only_this_events_people_and_shows_every_status(db, gate, other_event):
    assert _names(services.find_people(gate["event"], "nam")) == []  # Đặng Hoài Nam is at the other event
    found = services.find_people(gate["event"], "example.vn")
    assert sorted(p.registration.status.value for p in found) == [
        "cancelled", "confirmed", "confirmed", "pending_approval", "waitlisted"]
    # Ordered by given name, the Vietnamese way: Dũng, Huy, Ngọc, Tâm, Trúc.
    assert [n.split()[-1] for n in _names(found)] == ["Dũng", "Huy", "Ngọc", "Tâm", "Trúc"]


@pytest.mark.parametrize("q", ["", "   ", None, "\x00", "zzz-nobody", "%", "_", "0000 000 000"])
def test_look_up_of_nothing_or_nobody_finds_no_one(db, gate, q):
    assert services.find_people(gate["event"], q) == []


def test_look_up_shows_who_is_already_checked_in_today(db, gate):
    services.check_in(gate["event"], gate["truc"].ticket_code, gate="Cổng A", now=MORNING)
    found = {p.registration.full_name: p for p in services.find_people(gate["event"], "example", now=MORNING)}
    assert found["Nguyễn Thị Quý Trúc"].checked_in_today is not None
    assert found["Lê Văn Dũng"].checked_in_today is None
    tomorrow = services.find_people(gate["event"], "truc", now=MORNING + timedelta(days=1))
    assert tomorrow[0].checked_in_today is None


def test_stats_before_anyone_arrives(db, gate):
    numbers = services.stats(gate["event"], now=MORNING)
    assert numbers["registrations"] == {"confirmed": 2, "waitlisted": 1, "pending_approval": 1,
                                        "cancelled": 1, "pending_email": 0}
    assert numbers["checked_in"] == 0 and numbers["checked_in_today"] == 0
    assert numbers["not_arrived_today"] == 2
    assert numbers["by_type"] == {
        "visitor": {"confirmed": 2, "checked_in": 0, "checked_in_event_days": 0, "checked_in_today": 0},
        "vip": {"confirmed": 0, "checked_in": 0, "checked_in_event_days": 0, "checked_in_today": 0}}
    assert numbers["checked_in_event_days"] == 0
    assert numbers["test_scans"] == {"before_event": 0, "after_event": 0}
    assert numbers["today_phase"] == "event_day"
    assert numbers["by_gate"] == {} and numbers["arrivals"] == []
    assert numbers["day"] == "2026-12-14"


def test_stats_count_people_in_total_and_arrivals_today(db, gate):
    event, visitor = gate["event"], gate["visitor"]
    extra = [register(event, visitor, full_name=f"Khách Thứ {i}")[0] for i in range(3)]
    day1 = MORNING.replace(hour=8, minute=0)
    services.check_in(event, gate["truc"].ticket_code, gate="Cổng A", now=day1 + timedelta(minutes=2))
    services.check_in(event, gate["dung"].ticket_code, gate="Cổng B", now=day1 + timedelta(minutes=14))
    day2 = day1 + timedelta(days=1)
    services.check_in(event, gate["truc"].ticket_code, gate="Cổng A", now=day2 + timedelta(minutes=1))
    services.check_in(event, extra[0].ticket_code, gate="Cổng A", now=day2 + timedelta(minutes=12))
    services.check_in(event, extra[1].ticket_code, gate="Cổng B", now=day2 + timedelta(minutes=31))
    mistake = services.check_in(event, extra[2].ticket_code, gate="Cổng B", now=day2 + timedelta(minutes=33))
    services.undo_check_in(mistake, actor=make_user("organizer"))

    numbers = services.stats(event, now=day2 + timedelta(minutes=50))
    # People, not scans: Trúc came twice and counts once; the undone check-in does not count.
    assert numbers["checked_in"] == 4
    assert numbers["checked_in_today"] == 3
    # Dũng and the one whose check-in was undone have not come today.
    assert numbers["not_arrived_today"] == 2
    # A check-in never changes a status: everyone is still confirmed.
    assert numbers["registrations"]["confirmed"] == 5
    assert numbers["by_type"]["visitor"] == {"confirmed": 5, "checked_in": 4, "checked_in_event_days": 4,
                                             "checked_in_today": 3}
    assert numbers["by_type"]["vip"] == {"confirmed": 0, "checked_in": 0, "checked_in_event_days": 0,
                                         "checked_in_today": 0}
    assert numbers["checked_in_event_days"] == 4
    assert numbers["by_gate"] == {"Cổng A": 2, "Cổng B": 1}
    assert numbers["day"] == "2026-12-15"
    assert numbers["arrivals"] == [
        {"starts_at": "2026-12-15T08:00+07:00", "ends_at": "2026-12-15T08:15+07:00", "count": 2},
        {"starts_at": "2026-12-15T08:15+07:00", "ends_at": "2026-12-15T08:30+07:00", "count": 0},
        {"starts_at": "2026-12-15T08:30+07:00", "ends_at": "2026-12-15T08:45+07:00", "count": 1},
        {"starts_at": "2026-12-15T08:45+07:00", "ends_at": "2026-12-15T09:00+07:00", "count": 0},
    ]


def test_stats_today_is_the_event_day(db, gate):
    """00:10 in Ho Chi Minh City is the previous day in UTC: it belongs to the new event day."""
    event = gate["event"]
    services.check_in(event, gate["truc"].ticket_code, now=datetime(2026, 12, 14, 23, 50, tzinfo=HCMC))
    services.check_in(event, gate["dung"].ticket_code, now=datetime(2026, 12, 15, 0, 10, tzinfo=HCMC))
    numbers = services.stats(event, now=datetime(2026, 12, 15, 0, 20, tzinfo=HCMC))
    assert numbers["checked_in_today"] == 1 and numbers["checked_in"] == 2
    assert [(slot["starts_at"], slot["count"]) for slot in numbers["arrivals"]] == [
        ("2026-12-15T00:00+07:00", 1), ("2026-12-15T00:15+07:00", 0)]  # up to now, 00:20


def test_stats_of_one_event_ignore_the_others(db, gate, other_event):
    services.check_in(other_event["event"], other_event["reg"].ticket_code, now=MORNING)
    assert services.stats(gate["event"], now=MORNING)["checked_in"] == 0
    assert services.stats(other_event["event"], now=MORNING)["checked_in"] == 1
