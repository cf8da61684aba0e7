"""The answer to "will you come?" (issue 18): yes is recorded, no cancels as cancelling does (the seat goes
to the waiting list), only a confirmed registration answers; the page, the API, and the event's
`reminder_hours` setting."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.audit.models import AuditEntry
from eventhub.dbtypes import utcnow
from eventhub.events.models import Event
from eventhub.mail.models import OutboundEmail
from eventhub.registration import services
from eventhub.registration.attendance import set_attendance
from eventhub.registration.errors import AttendanceClosed, NotConfirmed
from eventhub.registration.models import Registration
from tests.factories import login, make_event, make_type, make_user, open_event, register, token_headers
from tests.support.api import assert_error, assert_registration

API = "/api/v1"


def _event(**overrides):
    starts = (utcnow() + timedelta(days=2)).replace(second=0, microsecond=0)
    return open_event(starts_at=starts, ends_at=starts + timedelta(hours=9), **overrides)


def _fresh(db, reg_id: int) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, reg_id)


def _kinds(db) -> list[str]:
    return list(db.session.scalars(db.select(OutboundEmail.kind).order_by(OutboundEmail.id)))


# --- the service ---------------------------------------------------------------------------------------

def test_yes_is_recorded_and_audited(db):
    event = _event()
    reg, _ = register(event, make_type(event))
    set_attendance(reg, True)
    reg = _fresh(db, reg.id)
    assert (reg.status.value, reg.attending) == ("confirmed", True) and reg.attendance_at is not None
    [entry] = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "registration.attendance"))
    assert entry.changes == {"attending": [None, True]}


def test_no_cancels_frees_the_seat_and_moves_the_waiting_list(db):
    event = _event()
    rtype = make_type(event, capacity=1, waitlist=True)
    reg, _ = register(event, rtype)
    waiting, _ = register(event, rtype)
    set_attendance(reg, True)
    set_attendance(reg, False)  # the latest answer wins
    reg = _fresh(db, reg.id)
    assert (reg.status.value, reg.attending) == ("cancelled", False)
    assert _fresh(db, waiting.id).status.value == "confirmed"
    assert _kinds(db)[-2:] == ["registration.cancelled", "registration.promoted"]
    actions = list(db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.action.like("registration.%")).order_by(AuditEntry.id)))
    assert actions.count("registration.attendance") == 2 and "registration.cancelled" not in actions


def test_only_a_confirmed_registration_answers(db):
    event = _event()
    rtype = make_type(event, capacity=1, waitlist=True)
    reg, _ = register(event, rtype)
    waiting, _ = register(event, rtype)
    with pytest.raises(NotConfirmed):
        set_attendance(waiting, True)
    set_attendance(reg, False)
    with pytest.raises(NotConfirmed) as refused:
        set_attendance(_fresh(db, reg.id), True)  # a no cannot be undone
    assert refused.value.status == 409 and refused.value.code == "not_confirmed"
    assert _fresh(db, reg.id).attending is False


def test_no_answer_once_the_event_is_over(db):
    event = _event()
    reg, _ = register(event, make_type(event))
    with pytest.raises(AttendanceClosed):
        set_attendance(reg, False, now=event.ends_at)
    assert _fresh(db, reg.id).status.value == "confirmed"


# --- the pages -----------------------------------------------------------------------------------------

def _answer_links(page: str) -> dict[str, str]:
    """The manage page's answer buttons: {answer: the link's classes}."""
    return {answer: classes for classes, answer in
            re.findall(r'<a class="([^"]*)" href="/r/[^"]+/attendance\?answer=(yes|no)"', page)}


def test_the_manage_page_offers_both_answers_then_only_the_other_one(client, db):
    event = _event()
    reg, token = register(event, make_type(event))
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert set(_answer_links(page)) == {"yes", "no"}
    assert "Bạn chưa trả lời" in page
    # Full-size buttons (a small one is under a thumb's 44 px).
    assert all("btn-sm" not in classes.split() for classes in _answer_links(page).values())
    client.post(f"/r/{token}/attendance", data={"answer": "yes"})
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Bạn đã báo sẽ tham dự" in page
    assert list(_answer_links(page)) == ["no"] and "btn-sm" not in _answer_links(page)["no"].split()
    services.cancel_registration(_fresh(db, reg.id))
    assert "attendance?answer" not in client.get(f"/r/{token}").get_data(as_text=True)


WAITLIST_WORDS = "chỗ của bạn chuyển ngay cho người tiếp theo trong danh sách chờ"
GIVEN_BACK_WORDS = "chỗ của bạn được trả lại để người khác đăng ký"


def test_the_page_changes_nothing_and_says_what_no_does(client, db):
    event = _event()
    reg, token = register(event, make_type(event, capacity=10, waitlist=True))
    page = client.get(f"/r/{token}/attendance?answer=no")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and WAITLIST_WORDS in html and "Tôi không tham dự được" in html
    assert "Tôi vẫn tham dự</button>" not in html  # only the chosen answer's button
    assert _fresh(db, reg.id).attending is None
    # A POST without a valid answer shows the page again; nothing changes.
    assert client.post(f"/r/{token}/attendance", data={"answer": "maybe"}).status_code == 200
    assert _fresh(db, reg.id).status.value == "confirmed"


def test_without_a_waiting_list_no_gives_the_place_back(client, db, app):
    """A type without a waiting list promises nobody the seat: the page, the manage page, the message after
    the answer and the reminder say the place is given back for someone else to register."""
    from eventhub.registration.reminder_mail import build_reminder

    event = _event()
    reg, token = register(event, make_type(event, capacity=10))
    for url in (f"/r/{token}/attendance?answer=no", f"/r/{token}"):
        html = client.get(url).get_data(as_text=True)
        assert GIVEN_BACK_WORDS in html and "danh sách chờ" not in html, url
    with app.test_request_context():
        reminder = build_reminder(reg.id)
    for part in (reminder.get_body(("plain",)), reminder.get_body(("html",))):
        assert GIVEN_BACK_WORDS in part.get_content() and "danh sách chờ" not in part.get_content()
    done = client.post(f"/r/{token}/attendance", data={"answer": "no"}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert GIVEN_BACK_WORDS in html and "danh sách chờ" not in html
    assert _fresh(db, reg.id).status.value == "cancelled"


def test_with_a_waiting_list_the_reminder_says_the_seat_goes_to_it(db, app):
    from eventhub.registration.reminder_mail import build_reminder

    event = _event()
    reg, _ = register(event, make_type(event, capacity=1, waitlist=True))
    with app.test_request_context():
        text = build_reminder(reg.id).get_body(("plain",)).get_content()
    assert "danh sách chờ" in text and GIVEN_BACK_WORDS not in text


def test_an_answer_on_a_cancelled_registration_is_refused_with_a_message(client, db):
    event = _event()
    reg, token = register(event, make_type(event))
    services.cancel_registration(reg)
    response = client.post(f"/r/{token}/attendance", data={"answer": "yes"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Chỉ đăng ký đã được xác nhận" in response.get_data(as_text=True)
    assert _fresh(db, reg.id).attending is None


def test_a_wrong_token_is_a_404(client, db):
    assert client.get("/r/not-a-token/attendance?answer=yes").status_code == 404
    assert client.post("/r/not-a-token/attendance", data={"answer": "no"}).status_code == 404


# --- the API -------------------------------------------------------------------------------------------

def _attendance(client, reg_id: int, body, headers=None):
    return client.post(f"{API}/registrations/{reg_id}/attendance", json=body, headers=headers or {})


def test_the_manage_token_answers_through_the_api(client, db):
    event = _event()
    rtype = make_type(event, capacity=1, waitlist=True)
    reg, token = register(event, rtype)
    waiting, _ = register(event, rtype)
    manage = {"X-Manage-Token": token}
    yes = _attendance(client, reg.id, {"attending": True}, manage)
    assert yes.status_code == 200
    body = assert_registration(yes.get_json())
    assert body["attending"] is True and body["attendance_at"] and body["status"] == "confirmed"
    no = _attendance(client, reg.id, {"attending": False}, manage)
    assert no.status_code == 200
    assert (no.get_json()["status"], no.get_json()["attending"]) == ("cancelled", False)
    assert _fresh(db, waiting.id).status.value == "confirmed"
    again = _attendance(client, reg.id, {"attending": True}, manage)
    assert_error(again, 409, "not_confirmed")
    shown = client.get(f"{API}/registrations/{waiting.id}", headers=token_headers(make_user("organizer")))
    assert shown.get_json()["attending"] is None and shown.get_json()["attendance_at"] is None


def test_an_organizer_of_the_event_may_answer_for_a_registrant(client, db):
    organizer = make_user("organizer")
    event = _event()
    reg, _ = register(event, make_type(event))
    response = _attendance(client, reg.id, {"attending": True}, token_headers(organizer))
    assert response.status_code == 200 and response.get_json()["attending"] is True


@pytest.mark.parametrize("body", [{}, {"attending": "yes"}, {"attending": 1}, {"attending": None},
                                  [True], "true"])
def test_anything_but_true_or_false_is_a_422(client, db, body):
    event = _event()
    reg, token = register(event, make_type(event))
    response = _attendance(client, reg.id, body, {"X-Manage-Token": token})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert _fresh(db, reg.id).attending is None


def test_the_api_refuses_strangers(client, db):
    event = _event()
    reg, _token = register(event, make_type(event))
    _other, other_token = register(event, make_type(event))
    assert_error(_attendance(client, reg.id, {"attending": False}), 401, "not_authenticated")
    participant = token_headers(make_user("participant"))
    assert _attendance(client, reg.id, {"attending": False}, participant).status_code == 403
    # Another registration's manage token opens nothing of this one.
    assert _attendance(client, reg.id, {"attending": False}, {"X-Manage-Token": other_token}).status_code \
        in (403, 404)
    organizer = token_headers(make_user("organizer"))
    assert _attendance(client, 987654, {"attending": True}, organizer).status_code == 404
    assert _fresh(db, reg.id).status.value == "confirmed"


def test_answering_after_the_event_ended_is_a_409(client, db):
    starts = utcnow() - timedelta(days=1)
    event = open_event(starts_at=starts, ends_at=starts + timedelta(hours=2))
    reg, token = register(event, make_type(event))
    assert_error(_attendance(client, reg.id, {"attending": False}, {"X-Manage-Token": token}), 409,
                 "attendance_closed")


# --- the event's reminder_hours ----------------------------------------------------------------------

def _event_body(**overrides) -> dict:
    body = {"slug": "ngay-hoi-2027", "name": "Ngày hội Khởi nghiệp 2027", "kind": "regional_day",
            "starts_at": "2027-03-14T08:00:00+07:00", "ends_at": "2027-03-14T17:00:00+07:00"}
    body.update(overrides)
    return body


def test_reminder_hours_defaults_to_24_and_is_set_through_the_api(client, db, organizer_headers):
    created = client.post(f"{API}/events", json=_event_body(), headers=organizer_headers)
    assert created.status_code == 201 and created.get_json()["reminder_hours"] == 24
    patched = client.patch(f"{API}/events/ngay-hoi-2027", json={"reminder_hours": 0},
                           headers=organizer_headers)
    assert patched.status_code == 200 and patched.get_json()["reminder_hours"] == 0
    assert client.get(f"{API}/events/ngay-hoi-2027").get_json()["reminder_hours"] == 0
    other = client.post(f"{API}/events", json=_event_body(slug="khac", reminder_hours=720),
                        headers=organizer_headers)
    assert other.status_code == 201 and other.get_json()["reminder_hours"] == 720


@pytest.mark.parametrize("value", [-1, 721, "24", 2.5, True, None])
def test_reminder_hours_outside_0_to_720_is_a_422(client, db, organizer_headers, value):
    created = client.post(f"{API}/events", json=_event_body(reminder_hours=value), headers=organizer_headers)
    assert created.status_code == 422, created.get_data(as_text=True)
    assert "reminder_hours" in created.get_json()["error"]["fields"]
    make_event(slug="co-san")
    patched = client.patch(f"{API}/events/co-san", json={"reminder_hours": value}, headers=organizer_headers)
    assert patched.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(db.select(Event.reminder_hours).where(Event.slug == "co-san")) == 24


def test_the_event_form_sets_reminder_hours_and_shows_its_errors(client, db):
    organizer = make_user("organizer")
    event = make_event(actor=organizer)
    grant_event_role(organizer, event, "organizer")
    login(client, organizer)
    form = client.get(f"/events/{event.slug}/edit").get_data(as_text=True)
    assert "0 = không nhắc" in form and 'name="reminder_hours"' in form
    data = {"name": event.name, "slug": event.slug, "kind": "regional_day", "starts_at": "2027-03-14T08:00",
            "ends_at": "2027-03-14T17:00", "venue": "Hội trường A"}
    refused = client.post(f"/events/{event.slug}/edit", data={**data, "reminder_hours": "721"})
    assert refused.status_code == 200 and "Từ 0 đến 720 giờ" in refused.get_data(as_text=True)
    saved = client.post(f"/events/{event.slug}/edit", data={**data, "reminder_hours": "48"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).reminder_hours == 48
    # A form sent without the field (an older page left open) keeps the setting.
    assert client.post(f"/events/{event.slug}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).reminder_hours == 48


def test_the_audit_log_reads_the_answers_in_words(client, db):
    organizer = make_user("organizer")
    event = _event()
    grant_event_role(organizer, event, "organizer")
    yes, _ = register(event, make_type(event), full_name="Lê Thị Hồng Nhung")
    no, _ = register(event, make_type(event), full_name="Phạm Văn Đức")
    set_attendance(yes, True)
    set_attendance(no, False)
    login(client, organizer)
    page = client.get(f"/events/{event.slug}/audit").get_data(as_text=True)
    assert "Lê Thị Hồng Nhung đã trả lời câu hỏi “Bạn có tham dự không?”: vẫn tham dự" in page
    assert "Phạm Văn Đức đã trả lời câu hỏi “Bạn có tham dự không?”: không tham dự được" in page
