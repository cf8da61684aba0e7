"""The organizers' page, its XLSX and the API list: who was asked, what they answered, in words on pages
and as codes in the API; nobody but the event's organizers sees them."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from eventhub.extensions import db as _db
from tests.factories import login, make_event, make_user, token_headers
from tests.followups.helpers import answered, awarded_entry, held_meeting


def _answered_event():
    event = make_event(name="Ngày hội Khởi nghiệp Đồng Tháp")
    meeting = held_meeting(event)
    answered(meeting, side="startup", days=90, pilot=True, investment=True, amount=2_000_000_000)
    entry = awarded_entry(event, members=1, pending=0)
    answered(entry=entry, member=entry.members[0], side="team")
    return event, meeting, entry


def test_the_page_lists_answers_in_words(db, client):
    event, meeting, entry = _answered_event()
    login(client, make_user("organizer"))
    page = client.get(f"/events/{event.slug}/follow-ups")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Một dự án thí điểm, Một khoản đầu tư" in text
    assert meeting.startup.organization in text and entry.title in text
    assert "2.000.000.000" in text
    assert ">investment<" not in text and ">team<" not in text  # codes stay in the API


def test_the_xlsx_has_labels(db, client):
    event, _meeting, _entry = _answered_event()
    login(client, make_user("organizer"))
    answer = client.get(f"/events/{event.slug}/follow-ups.xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Về" and "Số tiền (VND)" in rows[0]
    assert any(row[6] == "Một dự án thí điểm, Một khoản đầu tư" and row[7] == 2_000_000_000 for row in rows)
    assert any(row[1] == "Thành viên nhóm" and row[6] == "Chưa có" for row in rows)


def test_only_the_events_organizers_see_them(db, client):
    event, _meeting, _entry = _answered_event()
    assert client.get(f"/events/{event.slug}/follow-ups").status_code in (302, 401, 403)
    login(client, make_user("participant"))
    assert client.get(f"/events/{event.slug}/follow-ups").status_code == 403
    assert client.get(f"/events/{event.slug}/follow-ups.xlsx").status_code == 403
    headers = token_headers(make_user("participant"))
    assert client.get(f"/api/v1/events/{event.slug}/follow-ups", headers=headers).status_code == 403


def test_the_api_lists_codes(db, client):
    event, meeting, entry = _answered_event()
    organizer = token_headers(make_user("organizer"))
    answer = client.get(f"/api/v1/events/{event.slug}/follow-ups", headers=organizer)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["total"] == 2 and body["page"] == 1
    by_subject = {item["subject"]: item for item in body["items"]}
    meeting_item = by_subject["meeting"]
    assert meeting_item["meeting_id"] == meeting.id and "entry_id" not in meeting_item
    assert (meeting_item["side"], meeting_item["days"], meeting_item["pilot"], meeting_item["investment"],
            meeting_item["follow_up_meeting"], meeting_item["amount"]) == ("startup", 90, True, True, False,
                                                                          2_000_000_000)
    assert by_subject["award"]["entry_id"] == entry.id and by_subject["award"]["side"] == "team"
    assert set(meeting_item) >= {"id", "asked_at", "answered_at"}
    assert client.get("/api/v1/events/no-such-event/follow-ups",
                      headers=token_headers(make_user("organizer"))).status_code == 404
    _db.session.rollback()
