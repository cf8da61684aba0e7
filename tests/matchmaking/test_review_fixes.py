"""Fixes of the review: sectors api.md does not list, outcomes of both sides at once, a cancelled
meeting's outcome, and the personal-data export."""

from __future__ import annotations

import threading

import pytest

from eventhub.extensions import db as _db
from eventhub.matchmaking import outcomes, scheduling
from eventhub.matchmaking.errors import MeetingCancelled
from eventhub.matchmaking.models import Meeting
from tests.api.support import assert_error
from tests.factories import login, token_headers
from tests.matchmaking.factories import accepted, investor, make_slots, scheduled, startup
from tests.racing import race


def _url(event, tail):
    return f"/api/v1/events/{event.slug}{tail}"


def test_any_short_sector_is_accepted_and_matched_whatever_its_case(client, match):
    event, fund = match["event"], match["fund"]
    body = {"kind": "investor", "organization": "Quỹ Proptech Sài Gòn", "sectors": ["PropTech", "ai"],
            "stages": ["seed"], "ticket_min": 1, "ticket_max": 10**12, "currency": "VND", "contactable": True}
    answer = client.put(_url(event, "/profiles/me"), json=body, headers=token_headers(fund.user))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["sectors"] == ["ai", "proptech"]
    house = startup(event, organization="Nhà Thông Minh Thủ Đức", sector="Proptech")
    assert house.sector == "proptech"
    found = client.get(_url(event, "/recommendations"), headers=token_headers(fund.user)).get_json()["items"]
    assert house.id in {item["profile_id"] for item in found}
    login(client, house.user)
    page = client.get(f"/events/{event.slug}/matchmaking/profile")
    assert page.status_code == 200 and '<option selected value="proptech">' in page.get_data(as_text=True)
    for sectors in (["x" * 21], [""], [None], [3], "ai", []):
        error = assert_error(client.put(_url(event, "/profiles/me"), json={**body, "sectors": sectors},
                                        headers=token_headers(fund.user)), 422)
        assert all(name.startswith("sectors") for name in error["fields"]), error


def test_both_sides_recording_outcomes_at_once_both_count(app, match):
    event = match["event"]
    make_slots(event, count=2, tables=1)
    scheduled(event, (match["fund"], match["ai"]))
    meeting_id = _db.session.scalar(_db.select(Meeting.id))

    def say(profile_id, **values):
        def job():
            meeting = _db.session.get(Meeting, meeting_id)
            side = meeting.investor if meeting.investor_profile_id == profile_id else meeting.startup
            outcomes.record_outcome(meeting, side, **values)
            return "ok"
        return job

    for _round in range(3):
        assert race(app, [say(match["fund"].id, held=True, stage="due_diligence"),
                           say(match["ai"].id, held=False)]) == ["ok", "ok"]
        _db.session.expire_all()
        meeting = _db.session.get(Meeting, meeting_id)
        assert (meeting.investor_held, meeting.startup_held) == (True, False)
        assert meeting.held and meeting.stage.value == "due_diligence"
        outcomes.record_outcome(meeting, meeting.investor, held=False)  # back to the start
        assert meeting.stage is None


def test_an_outcome_for_a_meeting_cancelled_meanwhile_is_refused(app, match):
    event = match["event"]
    make_slots(event, count=1, tables=1)
    scheduled(event, (match["fund"], match["ai"]))
    stale = _db.session.scalar(_db.select(Meeting))  # loaded before the organizer cancels it

    def cancel():
        with app.app_context():
            scheduling.cancel_meeting(_db.session.get(Meeting, stale.id))
            _db.session.remove()

    thread = threading.Thread(target=cancel)
    thread.start()
    thread.join(timeout=60)
    assert stale.status.value == "scheduled"  # what this session still believes
    with pytest.raises(MeetingCancelled):
        outcomes.record_outcome(stale, match["fund"], held=True)
    _db.session.expire_all()
    assert _db.session.get(Meeting, stale.id).investor_held is None


def test_my_data_download_holds_my_matchmaking_profile_requests_and_meetings(client, match):
    event, fund, ai = match["event"], match["fund"], match["ai"]
    make_slots(event, count=1, tables=1)
    accepted(ai, fund, message="Chúng tôi muốn giới thiệu sản phẩm nhận diện giọng nói tiếng Việt")
    scheduling.run_scheduler(event, time_limit=2)
    meeting = _db.session.scalar(_db.select(Meeting))
    outcomes.record_outcome(meeting, ai, held=True, note="Anh Quỹ hẹn gặp lại tuần sau")
    outcomes.record_outcome(meeting, fund, held=True, note="Ghi chú riêng của quỹ")
    other = investor(event, organization="Quỹ khác")
    login(client, ai.user)
    data = client.get("/account/data.json").get_json()
    [profile] = data["matchmaking_profiles"]
    assert profile["id"] == ai.id and profile["kind"] == "startup" and profile["event"] == event.slug
    assert profile["organization"] == "Công ty CP Trí Tuệ Sài Gòn" and profile["amount"] == 5_000_000_000
    [sent] = profile["meeting_requests"]
    assert sent["direction"] == "sent" and sent["with"] == "Quỹ Đầu tư Mekong Việt"
    assert sent["message"].endswith("giọng nói tiếng Việt") and sent["status"] == "accepted"
    [met] = profile["meetings"]
    assert met["note"] == "Anh Quỹ hẹn gặp lại tuần sau" and met["held"] is True and met["table"] == 1
    assert "Ghi chú riêng của quỹ" not in str(data)  # the other side's note is theirs
    assert other.organization not in str(data)


def test_seeking_as_text_a_list_or_a_flag_is_accepted(client, match):
    event, ai = match["event"], match["ai"]
    body = {"kind": "startup", "organization": "Công ty CP Trí Tuệ Sài Gòn", "sector": "ai", "stage": "seed",
            "amount": 5_000_000_000, "currency": "VND", "contactable": True}
    for seeking, stored in (("Vốn hạt giống", "Vốn hạt giống"), (["vốn", "cố vấn"], "vốn, cố vấn"),
                            (True, ""), (None, "")):
        answer = client.put(_url(event, "/profiles/me"), json={**body, "seeking": seeking},
                            headers=token_headers(ai.user))
        assert answer.status_code == 200, answer.get_json()
        assert answer.get_json()["seeking"] == stored
    for seeking in ({"a": 1}, 7, [1]):
        assert_error(client.put(_url(event, "/profiles/me"), json={**body, "seeking": seeking},
                                headers=token_headers(ai.user)), 422)


def test_an_investor_may_ask_a_whole_room_of_startups(client, match):
    event, fund = match["event"], match["fund"]
    crowd = [startup(event, organization=f"Khởi nghiệp Sài Gòn số {n}") for n in range(30)]
    for one in crowd:
        answer = client.post(_url(event, "/meeting-requests"), json={"to_profile_id": one.id},
                             headers=token_headers(fund.user))
        assert answer.status_code == 201, answer.get_json()
