"""A visitor registers on the public form, gets the e-mail, and manages it through the link."""

import email
import email.policy
import re

from icalendar import Calendar

from eventhub.registration.models import Registration
from eventhub.registration.tickets import grouped_ticket_code
from tests.factories import make_session, make_type, open_event, register


def _form(**overrides):
    data = {"full_name": "Nguyễn Thị Quý Trúc", "email": "truc@example.vn", "phone": "0912 345 678",
            "organization": "Sở KH&CN TP.HCM", "consent": "y"}
    data.update(overrides)
    return data


def _manage_path(response) -> str:
    return response.headers["Location"].split("?")[0]


def test_event_page_offers_the_types_with_places_left(client, db):
    event = open_event()
    make_type(event, name="Khách tham quan", capacity=100)
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Khách tham quan" in html and "Còn 100 chỗ" in html


def test_visitor_registers_and_gets_the_ticket_by_email(client, db, smtp_server):
    event = open_event(name="Ngày hội Khởi nghiệp vùng 2026")
    rtype = make_type(event, capacity=10)
    response = client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form())
    assert response.status_code == 302
    reg = db.session.scalar(db.select(Registration))
    assert reg.status.value == "confirmed" and reg.phone == "+84912345678" and reg.locale == "vi"
    page = client.get(_manage_path(response)).get_data(as_text=True)
    assert "Đã xác nhận" in page and "data:image/svg+xml" in page
    assert grouped_ticket_code(reg.ticket_code) in page  # in groups of four, to read out

    message = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    assert "Ngày hội Khởi nghiệp vùng 2026" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Nguyễn Thị Quý Trúc" in body and grouped_ticket_code(reg.ticket_code) in body
    assert re.search(r"http://localhost/r/\S+", body).group(0).endswith(_manage_path(response))
    attachments = [part for part in message.iter_attachments()]
    assert attachments[0].get_content_type() == "image/png"
    assert attachments[0].get_content().startswith(b"\x89PNG")


def test_english_registration_gets_english_mail(client, db, smtp_server):
    event = open_event()
    rtype = make_type(event)
    client.get("/?lang=en")
    client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form())
    message = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    assert message["Subject"].startswith("Your registration is confirmed")


def test_form_errors_are_shown_next_to_the_fields_and_nothing_is_stored(client, db):
    event = open_event()
    rtype = make_type(event)
    html = client.post(f"/events/{event.slug}/register/{rtype.code}",
                       data=_form(email="khong-hop-le", phone="123", consent="")).get_data(as_text=True)
    for field in ("email", "phone", "consent"):
        assert f'id="{field}-error"' in html
    assert 'value="Nguyễn Thị Quý Trúc"' in html
    assert db.session.scalar(db.select(Registration)) is None


def test_custom_questions_are_asked_and_checked(client, db):
    from eventhub.registration import catalog

    event = open_event()
    rtype = make_type(event)
    catalog.add_question(rtype, key="sector", label="Lĩnh vực", kind="single_choice", required=True,
                         options=["AI", "Fintech"])
    html = client.get(f"/events/{event.slug}/register/{rtype.code}").get_data(as_text=True)
    assert "Lĩnh vực" in html
    missing = client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form())
    assert 'id="q_sector-error"' in missing.get_data(as_text=True)
    ok = client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form(q_sector="AI"))
    assert ok.status_code == 302
    assert db.session.scalar(db.select(Registration)).answers_by_key == {"sector": "AI"}


def test_sold_out_and_duplicate_say_so(client, db):
    event = open_event()
    rtype = make_type(event, capacity=1)
    client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form())
    again = client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form())
    assert "đã được dùng để đăng ký" in again.get_data(as_text=True)
    other = client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form(email="b@example.vn"))
    assert "hết chỗ" in other.get_data(as_text=True).lower()
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def test_closed_registration_shows_no_form(client, db):
    event = open_event()
    rtype = make_type(event)
    event.registration_open = False
    db.session.commit()
    page = client.get(f"/events/{event.slug}/register/{rtype.code}").get_data(as_text=True)
    assert "Đã đóng đăng ký" in page and "<form" not in page.split("<main")[1]
    client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form())
    assert db.session.scalar(db.select(Registration)) is None


def test_cancel_through_the_manage_link_moves_the_waitlist_up(client, db):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True)
    first = client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form())
    client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form(email="next@example.vn"))
    path = _manage_path(first)
    assert client.post(f"{path}/cancel").status_code == 302
    statuses = dict(db.session.execute(db.select(Registration.email, Registration.status)).all())
    assert statuses["truc@example.vn"].value == "cancelled"
    assert statuses["next@example.vn"].value == "confirmed"
    assert "Đã hủy" in client.get(path).get_data(as_text=True)


def test_manage_link_is_unguessable_and_only_opens_its_own_registration(client, db):
    event = open_event()
    rtype = make_type(event)
    _reg, token = register(event, rtype)
    assert client.get(f"/r/{token}").status_code == 200
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    assert client.get(f"/r/{tampered}").status_code == 404
    assert client.get("/r/garbage").status_code == 404


def test_edit_details_and_sessions_and_calendar(client, db):
    event = open_event()
    rtype = make_type(event)
    talk = make_session(event, title="AI cho đô thị thông minh", capacity=2)
    reg, token = register(event, rtype)
    response = client.post(f"/r/{token}/edit", data={"full_name": "Lê Văn Tám", "phone": "0912345678",
                                                      "organization": "Mekong AI"})
    assert response.status_code == 302
    assert db.session.get(Registration, reg.id).full_name == "Lê Văn Tám"
    assert client.post(f"/r/{token}/sessions", data={"sessions": [str(talk.id)]}).status_code == 302
    ics = Calendar.from_ical(client.get(f"/r/{token}/sessions.ics").data)
    summaries = [str(item.get("summary")) for item in ics.walk("VEVENT")]
    assert summaries == ["AI cho đô thị thông minh"]
    agenda = Calendar.from_ical(client.get(f"/events/{event.slug}/agenda.ics").data)
    assert len(list(agenda.walk("VEVENT"))) == 1


def test_download_and_erase_personal_data(client, db):
    event = open_event()
    rtype = make_type(event, capacity=1)
    reg, token = register(event, rtype, full_name="Võ Thị Sáu", phone="0912345678")
    data = client.get(f"/r/{token}/data.json").get_json()
    assert data["full_name"] == "Võ Thị Sáu" and data["consent"]["given_at"]
    assert client.post(f"/r/{token}/erase", data={"confirm": "yes"}).status_code == 302
    erased = db.session.get(Registration, reg.id)
    assert erased.status.value == "cancelled" and "Sáu" not in erased.full_name and erased.phone is None
    assert client.get(f"/r/{token}").status_code == 404  # the old link is dead
    register(event, rtype)  # the seat was freed


def test_ticket_png_only_for_confirmed(client, db):
    event = open_event()
    rtype = make_type(event, requires_approval=True)
    _reg, token = register(event, rtype)
    assert client.get(f"/r/{token}/ticket.png").status_code == 404


def test_cancel_asks_once_more_before_cancelling(client, db):
    event = open_event()
    rtype = make_type(event)
    reg, token = register(event, rtype)
    page = client.get(f"/r/{token}/cancel")
    assert page.status_code == 200
    assert db.session.get(Registration, reg.id).status.value == "confirmed"
    client.post(f"/r/{token}/cancel")
    assert db.session.get(Registration, reg.id).status.value == "cancelled"


def test_an_overlong_organization_is_an_error_next_to_the_field(client, db):
    event = open_event()
    rtype = make_type(event)
    response = client.post(f"/events/{event.slug}/register/{rtype.code}", data=_form(organization="x" * 300))
    assert response.status_code == 200
    assert 'id="organization-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Registration)) is None
