"""An outside client that knows only api.md ("Investor matchmaking") walks through the whole feature.

It creates its event with POST /events, signs in with POST /auth/tokens, puts investor and startup
profiles with exactly the stated fields, reads recommendations, requests, accepts and declines,
puts slots, schedules twice (the second run keeps the first run's meetings), reads meetings/mine and
its .ics, and records outcomes – checking every field api.md states and the schedule's hard rules.
"""

from __future__ import annotations

from datetime import datetime
from itertools import combinations

from icalendar import Calendar

from tests.factories import PASSWORD, make_user
from tests.support.api import assert_error, parse_time

API = "/api/v1"
SLUG = "ket-noi-dau-tu-2027"


def _token(client, role, email) -> dict[str, str]:
    user = make_user(role, email=email)
    response = client.post(f"{API}/auth/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def _put_profile(client, headers, body) -> int:
    response = client.put(f"{API}/events/{SLUG}/profiles/me", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert isinstance(answer["id"], int)
    return answer["id"]


def _investor(organization, **extra):
    return {"kind": "investor", "organization": organization, "sectors": ["ai", "fintech"],
            "stages": ["seed", "series_a"], "ticket_min": 100_000, "ticket_max": 500_000, "currency": "USD",
            "contactable": True, **extra}


def _startup(organization, **extra):
    return {"kind": "startup", "organization": organization, "sector": "ai", "stage": "seed",
            "seeking": "Vốn hạt giống cho sản phẩm đầu tiên", "amount": 5_000_000_000, "currency": "VND",
            "contactable": True, **extra}


def _request(client, headers, to_profile_id, **extra):
    return client.post(f"{API}/events/{SLUG}/meeting-requests", headers=headers,
                       json={"to_profile_id": to_profile_id, **extra})


def _requested(client, headers, to_profile_id) -> int:
    response = _request(client, headers, to_profile_id, message="Xin chào, mời anh chị gặp mặt")
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["status"] == "pending" and isinstance(answer["id"], int)
    return answer["id"]


def _answer(client, headers, request_id, verb):
    response = client.post(f"{API}/meeting-requests/{request_id}/{verb}", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == {"accept": "accepted", "decline": "declined"}[verb]
    assert response.get_json()["id"] == request_id


def _slots(n):
    return [{"starts_at": f"2027-03-10T{9 + i:02d}:00:00+07:00",
             "ends_at": f"2027-03-10T{9 + i:02d}:30:00+07:00"} for i in range(n)]


def _check_schedule(answer, slots, tables, people) -> dict[int, dict]:
    """The stated shape and the hard rules; returns the meetings by request id."""
    assert set(answer) >= {"meetings", "unscheduled"}
    times = {(parse_time(s["starts_at"]), parse_time(s["ends_at"])) for s in slots}
    by_request = {}
    for meeting in answer["meetings"]:
        assert set(meeting) >= {"id", "request_id", "starts_at", "ends_at", "table"}
        assert (parse_time(meeting["starts_at"]), parse_time(meeting["ends_at"])) in times
        assert 1 <= meeting["table"] <= tables
        by_request[meeting["request_id"]] = meeting
    for a, b in combinations(answer["meetings"], 2):
        if a["starts_at"] == b["starts_at"]:
            assert a["table"] != b["table"]
            assert not set(people[a["request_id"]]) & set(people[b["request_id"]])
    assert not set(answer["unscheduled"]) & set(by_request)
    return by_request


def test_matchmaking_walkthrough_with_only_the_contract(client, db):
    organizer = _token(client, "organizer", "btc@startup.hochiminhcity.gov.vn")
    mekong = _token(client, "investor", "dautu@mekongcapital.vn")
    angel = _token(client, "investor", "thienthan@angel.vn")
    ai = _token(client, "participant", "ceo@tritue.vn")
    pay = _token(client, "participant", "ceo@vibenthanh.vn")
    farm = _token(client, "participant", "ceo@nongnghiep.vn")
    shy = _token(client, "participant", "ceo@kinkin.vn")
    greedy = _token(client, "participant", "ceo@toham.vn")

    created = client.post(f"{API}/events", headers=organizer, json={
        "slug": SLUG, "name": "Kết nối Đầu tư Khởi nghiệp", "kind": "startup_week",
        "starts_at": "2027-03-10T08:00:00+07:00", "ends_at": "2027-03-10T17:00:00+07:00",
        "venue": "Trung tâm Hội nghị GEM"})
    assert created.status_code == 201, created.get_json()

    # Profiles, with exactly api.md's fields.
    assert_error(client.put(f"{API}/events/{SLUG}/profiles/me", json=_investor("BTC"), headers=organizer),
                 403)
    mekong_id = _put_profile(client, mekong, _investor("Quỹ Đầu tư Mekong Việt"))
    angel_id = _put_profile(client, angel, _investor(
        "Nhà đầu tư thiên thần Sài Gòn", sectors=["agritech", "ai"], stages=["idea", "seed"],
        ticket_min=1_000_000_000, ticket_max=20_000_000_000, currency="VND"))
    ai_id = _put_profile(client, ai, _startup("Công ty CP Trí Tuệ Sài Gòn"))  # 5 tỷ ≈ 200 000 USD
    pay_id = _put_profile(client, pay, _startup("Ví Điện Tử Bến Thành", sector="fintech", stage="series_a",
                                                amount=300_000, currency="USD"))
    farm_id = _put_profile(client, farm, _startup("Nông Nghiệp Số Đồng Tháp", sector="agritech", stage="idea",
                                                  amount=2_000_000_000))
    shy_id = _put_profile(client, shy, _startup("Kín Kín AI", contactable=False))
    greedy_id = _put_profile(client, greedy, _startup("Tham Vọng AI", amount=5_000_000, currency="USD"))
    assert len({mekong_id, angel_id, ai_id, pay_id, farm_id, shy_id, greedy_id}) == 7  # unique ids

    # Recommendations: contactable, other side, past the gates, by score descending.
    assert_error(client.get(f"{API}/events/{SLUG}/recommendations", headers=organizer), 403)
    answer = client.get(f"{API}/events/{SLUG}/recommendations", headers=mekong)
    assert answer.status_code == 200, answer.get_json()
    items = answer.get_json()["items"]
    for item in items:
        assert set(item) >= {"profile_id", "organization", "score", "reasons"}
        assert isinstance(item["score"], int | float) and isinstance(item["reasons"], list)
        assert all(isinstance(r, str) and r for r in item["reasons"])
    assert {i["profile_id"] for i in items} == {ai_id, pay_id}  # farm: sector; shy: hidden; greedy: amount
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    assert {i["profile_id"]: i["organization"] for i in items}[pay_id] == "Ví Điện Tử Bến Thành"
    for_farm = client.get(f"{API}/events/{SLUG}/recommendations", headers=farm).get_json()["items"]
    assert [i["profile_id"] for i in for_farm] == [angel_id]

    # Requests.
    r_mekong_ai = _requested(client, mekong, ai_id)
    assert_error(_request(client, mekong, shy_id), 403, "not_contactable")
    assert_error(_request(client, ai, mekong_id), 409, "already_requested")  # the other direction
    assert_error(_request(client, ai, pay_id), 422)  # the same side
    r_pay_mekong = _requested(client, pay, mekong_id)
    r_angel_ai = _requested(client, angel, ai_id)
    r_farm_angel = _requested(client, farm, angel_id)
    r_angel_greedy = _requested(client, angel, greedy_id)
    assert_error(client.post(f"{API}/meeting-requests/{r_mekong_ai}/accept", headers=mekong), 403)
    _answer(client, ai, r_mekong_ai, "accept")
    _answer(client, mekong, r_pay_mekong, "accept")
    _answer(client, ai, r_angel_ai, "accept")
    _answer(client, angel, r_farm_angel, "accept")
    _answer(client, greedy, r_angel_greedy, "decline")
    assert_error(_request(client, greedy, angel_id), 409, "already_requested")  # whatever the status

    # Slots: two slots of one table for four accepted requests.
    people = {r_mekong_ai: {mekong_id, ai_id}, r_pay_mekong: {pay_id, mekong_id},
              r_angel_ai: {angel_id, ai_id}, r_farm_angel: {farm_id, angel_id}}
    assert_error(client.put(f"{API}/events/{SLUG}/meeting-slots", json={"slots": _slots(2), "tables": 1},
                            headers=mekong), 403)
    put = client.put(f"{API}/events/{SLUG}/meeting-slots", json={"slots": _slots(2), "tables": 1},
                     headers=organizer)
    assert put.status_code == 200, put.get_json()
    assert_error(client.post(f"{API}/events/{SLUG}/meetings/schedule", headers=ai), 403)
    first = client.post(f"{API}/events/{SLUG}/meetings/schedule", headers=organizer)
    assert first.status_code == 200, first.get_json()
    first_meetings = _check_schedule(first.get_json(), _slots(2), 1, people)
    assert len(first_meetings) == 2 and len(first.get_json()["unscheduled"]) == 2
    assert set(first_meetings) | set(first.get_json()["unscheduled"]) == set(people)

    # More room: the run keeps every meeting and adds the rest.
    put = client.put(f"{API}/events/{SLUG}/meeting-slots", json={"slots": _slots(3), "tables": 2},
                     headers=organizer)
    assert put.status_code == 200, put.get_json()
    second = client.post(f"{API}/events/{SLUG}/meetings/schedule", headers=organizer)
    assert second.status_code == 200, second.get_json()
    meetings = _check_schedule(second.get_json(), _slots(3), 2, people)
    assert set(meetings) == set(people) and second.get_json()["unscheduled"] == []
    for request_id, meeting in first_meetings.items():
        assert meetings[request_id] == meeting

    # A person's meetings, JSON and iCalendar.
    mine = client.get(f"{API}/events/{SLUG}/meetings/mine", headers=ai)
    assert mine.status_code == 200, mine.get_json()
    items = mine.get_json()["items"]
    assert {i["id"] for i in items} == {meetings[r_mekong_ai]["id"], meetings[r_angel_ai]["id"]}
    for item in items:
        assert set(item) >= {"id", "starts_at", "ends_at", "table", "with"}
        meeting = next(m for m in meetings.values() if m["id"] == item["id"])
        assert (item["starts_at"], item["ends_at"], item["table"]) == (
            meeting["starts_at"], meeting["ends_at"], meeting["table"])
        other = mekong_id if meeting["request_id"] == r_mekong_ai else angel_id
        organization = "Quỹ Đầu tư Mekong Việt" if other == mekong_id else "Nhà đầu tư thiên thần Sài Gòn"
        assert item["with"] == {"profile_id": other, "organization": organization}
    assert [parse_time(i["starts_at"]) for i in items] == sorted(parse_time(i["starts_at"]) for i in items)
    assert_error(client.get(f"{API}/events/{SLUG}/meetings/mine", headers=organizer), 403)
    ics = client.get(f"{API}/events/{SLUG}/meetings/mine.ics", headers=ai)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    entries = [c for c in Calendar.from_ical(ics.data).walk("VEVENT")]
    assert len(entries) == 2
    assert {e.decoded("dtstart") for e in entries} == {parse_time(i["starts_at"]) for i in items}
    assert any("Mekong" in str(e.get("summary")) for e in entries)

    # Outcomes: either side, before the meeting's time too (it is in 2027).
    meeting_id = meetings[r_mekong_ai]["id"]
    assert_error(client.post(f"{API}/meetings/{meeting_id}/outcome", json={"held": True}, headers=pay), 403)
    assert_error(client.post(f"{API}/meetings/{meeting_id}/outcome", json={"held": True},
                             headers=organizer), 403)
    done = client.post(f"{API}/meetings/{meeting_id}/outcome", json={"held": True, "stage": "term_sheet"},
                       headers=mekong)
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["id"] == meeting_id and body["table"] == meetings[r_mekong_ai]["table"]
    assert body["outcome"]["held"] is True and body["outcome"]["stage"] == "term_sheet"
    assert body["held"] is True and body["stage"] == "term_sheet"  # at the top too, however one reads it
    assert body["with"] == {"profile_id": ai_id, "organization": "Công ty CP Trí Tuệ Sài Gòn"}
    other_side = client.post(f"{API}/meetings/{meeting_id}/outcome", json={"held": True}, headers=ai)
    assert other_side.status_code == 200 and other_side.get_json()["outcome"]["held"] is True
    skipped = client.post(f"{API}/meetings/{meetings[r_farm_angel]['id']}/outcome", json={"held": False},
                          headers=farm)
    assert skipped.status_code == 200 and skipped.get_json()["outcome"]["held"] is False
    assert datetime.fromisoformat(body["starts_at"]).year == 2027
