"""The HTML pages: people's profile, recommendations, requests, inbox, agenda (page, PDF,
calendar) and outcomes; organizers' slots, scheduler, grid with lock, move and cancel; who may."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from icalendar import Calendar

from eventhub.matchmaking import scheduling
from eventhub.matchmaking.models import Meeting, MeetingRequest, MeetingSlot, MeetingStatus, Profile
from tests.factories import login, make_user
from tests.matchmaking.factories import accepted, investor, make_slots, startup

BASE = "/events/startup-week/matchmaking"


def _text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as document:
        return " ".join(" ".join((page.extract_text() or "") for page in document.pages).split())


def test_a_participant_creates_a_startup_profile_with_the_form(client, db, match):
    user = make_user("participant", full_name="Võ Thị Ánh Dương")
    login(client, user)
    assert client.get(BASE).status_code == 302  # no profile yet: sent to the form
    page = client.get(f"{BASE}/profile")
    assert page.status_code == 200 and "amount" in page.get_data(as_text=True)
    bad = client.post(f"{BASE}/profile", data={"organization": "Ánh Dương Edu", "sector": "edtech",
                                               "stage": "seed", "amount": "", "currency": "VND"})
    assert bad.status_code == 200 and "is-invalid" in bad.get_data(as_text=True)
    ok = client.post(f"{BASE}/profile", data={"organization": "Công ty CP Ánh Dương Edu", "sector": "edtech",
                                              "stage": "seed", "amount": "2000000000", "currency": "VND",
                                              "contactable": "y", "seeking": "Đối tác trường học"})
    assert ok.status_code == 302
    profile = db.session.scalar(db.select(Profile).where(Profile.user_id == user.id))
    assert profile.organization == "Công ty CP Ánh Dương Edu" and profile.kind.value == "startup"
    assert profile.seeking == "Đối tác trường học" and profile.contactable is True
    assert "Công ty CP Ánh Dương Edu" in _text(client.get(f"{BASE}/profile"))


def test_an_investor_fills_the_investor_form(client, db, match):
    user = make_user("investor")
    login(client, user)
    response = client.post(f"{BASE}/profile", data={
        "organization": "Quỹ Hạt Giống Phương Nam", "investor_type": "fund", "sectors": ["ai", "edtech"],
        "stages": ["seed"], "ticket_min": "10000", "ticket_max": "200000", "currency": "USD",
        "countries": ["VN"], "thesis": "Công nghệ giáo dục", "contactable": "y"})
    assert response.status_code == 302
    profile = db.session.scalar(db.select(Profile).where(Profile.user_id == user.id))
    assert profile.sectors == ["ai", "edtech"] and profile.currency.value == "USD"
    page = _text(client.get(BASE))
    assert "Công ty CP Trí Tuệ Sài Gòn" in page  # 5 bn VND = 200,000 USD: inside the ticket


def test_find_request_accept_and_meet_on_both_agendas(client, db, match, outbox):
    fund, ai = match["fund"], match["ai"]
    login(client, ai.user)
    page = _text(client.get(BASE))
    assert "Quỹ Đầu tư Mekong Việt" in page and "AI" in page
    form = client.get(f"{BASE}/request/{fund.id}")
    assert form.status_code == 200
    sent = client.post(f"{BASE}/request/{fund.id}", data={"message": "Chúng tôi làm trợ lý ảo tiếng Việt"})
    assert sent.status_code == 302
    request = db.session.scalar(db.select(MeetingRequest))
    assert request.message == "Chúng tôi làm trợ lý ảo tiếng Việt"
    assert "Chúng tôi làm trợ lý ảo tiếng Việt" in _text(client.get(f"{BASE}/inbox"))
    # the ask button is gone once asked
    assert f"request/{fund.id}" not in client.get(BASE).get_data(as_text=True)
    client.post("/logout")
    login(client, fund.user)
    inbox = _text(client.get(f"{BASE}/inbox"))
    assert "Công ty CP Trí Tuệ Sài Gòn" in inbox and "Chúng tôi làm trợ lý ảo tiếng Việt" in inbox
    assert client.post(f"{BASE}/requests/{request.id}/accept").status_code == 302
    db.session.refresh(request)
    assert request.status.value == "accepted"
    # organizers place it
    client.post("/logout")
    login(client, match["organizer"])
    made = client.post(f"{BASE}/manage", data={"day": "2026-12-14", "start": "09:00", "end": "10:00",
                                              "minutes": "20", "tables": "4"})
    assert made.status_code == 302
    assert db.session.scalar(db.select(db.func.count(MeetingSlot.id))) == 3
    assert client.post(f"{BASE}/manage/schedule").status_code == 302
    grid = _text(client.get(f"{BASE}/manage/meetings"))
    assert "Quỹ Đầu tư Mekong Việt" in grid and "Công ty CP Trí Tuệ Sài Gòn" in grid
    # both agendas, the PDF and the calendar
    for profile in (fund, ai):
        client.post("/logout")
        login(client, profile.user)
        other = ai if profile is fund else fund
        agenda = _text(client.get(f"{BASE}/agenda"))
        assert other.organization in agenda and "09:00" in agenda
        pdf = client.get(f"{BASE}/agenda.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        text = _pdf_text(pdf.data)
        assert other.organization in text and profile.organization in text and "14/12/2026" in text
        ics = client.get(f"{BASE}/agenda.ics")
        event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
        assert other.organization in str(event["summary"]) and str(event["status"]) == "CONFIRMED"


def test_organizers_move_lock_and_cancel_and_calendars_follow(client, db, match):
    event, fund, ai = match["event"], match["fund"], match["ai"]
    second = startup(event, organization="Thanh Toán Nhanh", sector="fintech")
    accepted(ai, fund)
    accepted(second, fund)
    make_slots(event, 4, 1)
    scheduling.run_scheduler(event, time_limit=1)
    first, other = sorted(db.session.scalars(db.select(Meeting)), key=lambda m: m.request_id)
    login(client, match["organizer"])
    # into the other meeting's place: refused, with the reason
    refused = client.post(f"{BASE}/manage/meetings/{first.id}/move", data={"slot": other.slot_id,
                                                                           "table": "1"})
    assert refused.status_code == 200
    assert "Quỹ Đầu tư Mekong Việt" in _text(refused)  # who is busy, or which table is taken
    free = next(s for s in db.session.scalars(db.select(MeetingSlot))
                if s.id not in {first.slot_id, other.slot_id})
    assert client.post(f"{BASE}/manage/meetings/{first.id}/move",
                       data={"slot": free.id, "table": "1"}).status_code == 302
    db.session.refresh(first)
    assert first.slot_id == free.id and first.sequence == 1
    client.post("/logout")
    login(client, ai.user)
    event_ics = Calendar.from_ical(client.get(f"{BASE}/agenda.ics").data).walk("VEVENT")[0]
    assert int(event_ics["sequence"]) == 1 and str(event_ics["uid"]).startswith(f"meeting-{first.id}@")
    client.post("/logout")
    login(client, match["organizer"])
    assert client.post(f"{BASE}/manage/meetings/{first.id}/lock").status_code == 302
    client.post(f"{BASE}/manage/meetings/{first.id}/cancel")
    db.session.refresh(first)
    assert first.status == MeetingStatus.scheduled  # locked: not cancelled
    client.post(f"{BASE}/manage/meetings/{first.id}/unlock")
    client.post(f"{BASE}/manage/meetings/{first.id}/cancel")
    db.session.refresh(first)
    assert first.status == MeetingStatus.cancelled and first.sequence == 2
    client.post("/logout")
    login(client, ai.user)
    cancelled = Calendar.from_ical(client.get(f"{BASE}/agenda.ics").data).walk("VEVENT")[0]
    assert str(cancelled["status"]) == "CANCELLED" and int(cancelled["sequence"]) == 2
    assert "Quỹ Đầu tư Mekong Việt" not in _text(client.get(f"{BASE}/agenda"))


def test_outcome_form_and_organizers_see_counts_never_notes(client, db, match):
    event, fund, ai = match["event"], match["fund"], match["ai"]
    accepted(ai, fund)
    make_slots(event, 1, 1)
    scheduling.run_scheduler(event, time_limit=1)
    meeting = db.session.scalar(db.select(Meeting))
    login(client, fund.user)
    response = client.post(f"{BASE}/meetings/{meeting.id}/outcome",
                           data={"held": "yes", "stage": "term_sheet",
                                 "note": "Bí mật: định giá 3 triệu USD"})
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.investor_held is True and meeting.stage.value == "term_sheet"
    client.post("/logout")
    login(client, ai.user)
    assert "Bí mật" not in _text(client.get(f"{BASE}/meetings/{meeting.id}/outcome"))
    client.post("/logout")
    login(client, match["organizer"])
    grid = client.get(f"{BASE}/manage/meetings").get_data(as_text=True)
    assert "Bí mật" not in grid
    assert re.search(r'fw-bold">1</div><div class="small">', grid)  # one held


@pytest.mark.parametrize("role", ["organizer", "staff", "judge"])
def test_who_may_open_people_pages(client, db, match, role):
    login(client, make_user(role))
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/profile").status_code == 403


@pytest.mark.parametrize("path", ["/manage", "/manage/meetings"])
def test_organizer_pages_are_for_organizers(client, db, match, path):
    assert client.get(BASE + path).status_code == 302  # anonymous: sign in
    for user in (match["fund"].user, match["ai"].user, make_user("staff")):
        login(client, user)
        assert client.get(BASE + path).status_code == 403
        client.post("/logout")
    login(client, match["organizer"])
    assert client.get(BASE + path).status_code == 200


def test_people_cannot_answer_or_record_for_others(client, db, match):
    event, fund, ai = match["event"], match["fund"], match["ai"]
    request = accepted(ai, fund)
    make_slots(event, 1, 1)
    scheduling.run_scheduler(event, time_limit=1)
    meeting = db.session.scalar(db.select(Meeting))
    login(client, match["farm"].user)
    assert client.get(f"{BASE}/meetings/{meeting.id}/outcome").status_code == 404
    client.post(f"{BASE}/requests/{request.id}/decline")
    db.session.refresh(request)
    assert request.status.value == "accepted"


def test_a_hidden_profile_cannot_be_asked_from_the_page(client, db, match):
    quiet = investor(match["event"], organization="Quỹ Kín Tiếng", contactable=False)
    login(client, match["ai"].user)
    client.post(f"{BASE}/request/{quiet.id}", data={"message": "Xin gặp"})
    assert db.session.scalar(db.select(db.func.count(MeetingRequest.id))) == 0
    assert "Quỹ Kín Tiếng" not in _text(client.get(f"{BASE}/browse"))
    assert client.get(f"{BASE}/request/999999").status_code == 404


def test_browse_filters_by_sector_and_stage(client, db, match):
    login(client, match["fund"].user)
    page = _text(client.get(f"{BASE}/browse?sector=agritech"))
    assert "Nông Nghiệp Số Đồng Tháp" in page and "Công ty CP Trí Tuệ Sài Gòn" not in page
    assert "300.000.000 ₫" in page  # the amount it raises, in đồng
    assert "Nông Nghiệp Số Đồng Tháp" not in _text(client.get(f"{BASE}/browse?stage=seed"))


def test_slots_form_refuses_bad_input_and_in_use_slots(client, db, match):
    accepted(match["ai"], match["fund"])
    make_slots(match["event"], 1, 1)
    scheduling.run_scheduler(match["event"], time_limit=1)
    login(client, match["organizer"])
    bad = client.post(f"{BASE}/manage", data={"day": "2026-12-14", "start": "10:00", "end": "09:00",
                                             "minutes": "20", "tables": "3"})
    assert bad.status_code == 200 and "is-invalid" in bad.get_data(as_text=True)
    in_use = client.post(f"{BASE}/manage", data={"day": "2026-12-14", "start": "13:00", "end": "14:00",
                                                "minutes": "20", "tables": "3"})
    assert in_use.status_code == 200 and "alert-danger" in in_use.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(MeetingSlot.id))) == 1




def test_the_calendar_feed_address_works_without_signing_in(client, db, match):
    event, fund, ai = match["event"], match["fund"], match["ai"]
    accepted(ai, fund)
    make_slots(event, 1, 1)
    scheduling.run_scheduler(event, time_limit=1)
    login(client, ai.user)
    page = client.get(f"{BASE}/agenda").get_data(as_text=True)
    feed = re.search(r'id="feed-url" type="text" readonly value="http://[^/]+'
                     r'(/matchmaking/calendar/[^"]+)"', page)
    assert feed, page
    client.post("/logout")
    response = client.get(feed.group(1))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    item = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert fund.organization in str(item["summary"])
    assert client.get(feed.group(1).replace(".ics", "x.ics")).status_code == 404
    assert client.get("/matchmaking/calendar/forged.ics").status_code == 404


def test_moving_to_nonsense_is_a_form_error_not_a_crash(client, db, match):
    accepted(match["ai"], match["fund"])
    make_slots(match["event"], 1, 1)
    scheduling.run_scheduler(match["event"], time_limit=1)
    meeting = db.session.scalar(db.select(Meeting))
    login(client, match["organizer"])
    for data in ({"slot": str(10**30), "table": "1"}, {"slot": "abc", "table": "1"},
                 {"slot": "0", "table": "1"}, {"slot": str(meeting.slot_id), "table": "99"}):
        response = client.post(f"{BASE}/manage/meetings/{meeting.id}/move", data=data)
        assert response.status_code == 200, data
    db.session.refresh(meeting)
    assert meeting.sequence == 0
