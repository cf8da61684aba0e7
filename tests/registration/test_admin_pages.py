"""Organizers' registration pages: lists, approval, manual registration, exports and set-up."""

import csv
import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from eventhub.accounts.services import grant_event_role
from eventhub.registration.models import EventSession, Question, Registration, RegistrationType
from eventhub.registration.tickets import grouped_ticket_code
from tests.factories import HCMC, login, make_event, make_session, make_type, make_user, open_event, register


def _organizer(client):
    user = make_user("organizer")
    login(client, user)
    client.get("/?lang=en")  # messages in English for the assertions
    return user


def _status(db, reg_id) -> str:
    return db.session.get(Registration, reg_id).status.value


def _count_cell(html: str, code: str, status: str) -> int:
    match = re.search(rf'data-type="{code}" data-status="{status}">(\d+)<', html)
    assert match, (code, status)
    return int(match.group(1))


def _names_in(html: str, names: list[str]) -> list[str]:
    return sorted((n for n in names if n in html), key=html.index)


# --- who may see the pages ------------------------------------------------------------------------

@pytest.fixture
def setup(db):
    event = open_event()
    rtype = make_type(event, code="khach")
    question = _add_question(rtype)
    session = make_session(event)
    reg, _token = register(event, rtype)
    return {"event": event, "type": rtype, "question": question, "session": session, "reg": reg}


def _add_question(rtype, **values):
    from eventhub.registration import catalog

    values = {"key": "linh_vuc", "label": "Lĩnh vực", "kind": "short_text", **values}
    return catalog.add_question(rtype, **values)


def _pages(s) -> list[str]:
    e, t = s["event"].slug, s["type"].id
    return [f"/events/{e}/registrations", f"/events/{e}/registrations?status=pending_approval",
            f"/events/{e}/registrations/{s['reg'].id}", f"/events/{e}/registrations/new",
            f"/events/{e}/registrations.csv", f"/events/{e}/registrations.xlsx",
            f"/events/{e}/registration-types", f"/events/{e}/registration-types/new",
            f"/events/{e}/registration-types/{t}", f"/events/{e}/registration-types/{t}/questions/new",
            f"/events/{e}/registration-types/{t}/questions/{s['question'].id}",
            f"/events/{e}/sessions/manage", f"/events/{e}/sessions/manage/new",
            f"/events/{e}/sessions/manage/{s['session'].id}"]


def test_anonymous_people_are_sent_to_sign_in(client, setup):
    for url in _pages(setup):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"], url
    response = client.post(f"/events/{setup['event'].slug}/registrations/{setup['reg'].id}/cancel")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_participants_are_refused(client, db, setup):
    login(client, make_user("participant"))
    for url in _pages(setup):
        assert client.get(url).status_code == 403, url
    slug, reg = setup["event"].slug, setup["reg"]
    assert client.post(f"/events/{slug}/registrations/{reg.id}/cancel").status_code == 403
    assert client.post(f"/events/{slug}/registration-types/new",
                       data={"code": "x", "name": "X"}).status_code == 403
    assert _status(db, reg.id) == "confirmed"


def test_global_organizers_may_see_every_page(client, setup):
    _organizer(client)
    for url in _pages(setup):
        assert client.get(url).status_code == 200, url


def test_event_organizers_may_manage_their_event_only(client, db, setup):
    partner = make_user("participant")
    grant_event_role(partner, setup["event"], "organizer")
    other = open_event()
    make_type(other)
    login(client, partner)
    for url in _pages(setup):
        assert client.get(url).status_code == 200, url
    for url in (f"/events/{other.slug}/registrations", f"/events/{other.slug}/registrations.csv",
                f"/events/{other.slug}/registration-types", f"/events/{other.slug}/sessions/manage"):
        assert client.get(url).status_code == 403, url


def test_staff_of_an_event_may_not_manage_its_registrations(client, setup):
    staff = make_user("participant")
    grant_event_role(staff, setup["event"], "staff")
    login(client, staff)
    assert client.get(f"/events/{setup['event'].slug}/registrations").status_code == 403


def test_objects_of_another_event_are_not_found(client, setup):
    _organizer(client)
    other = open_event()
    slug = other.slug
    assert client.get(f"/events/{slug}/registrations/{setup['reg'].id}").status_code == 404
    assert client.get(f"/events/{slug}/registration-types/{setup['type'].id}").status_code == 404
    assert client.get(f"/events/{slug}/sessions/manage/{setup['session'].id}").status_code == 404
    assert client.post(f"/events/{slug}/registrations/{setup['reg'].id}/cancel").status_code == 404


def test_manage_page_links_to_the_registration_pages(client, setup):
    _organizer(client)
    html = client.get(f"/events/{setup['event'].slug}/manage").get_data(as_text=True)
    for path in ("registrations", "registration-types", "sessions/manage"):
        assert f'href="/events/{setup["event"].slug}/{path}"' in html


# --- the list -------------------------------------------------------------------------------------

def test_counts_per_type_and_status(client, db):
    event = open_event()
    visitors = make_type(event, code="visitor", capacity=1, waitlist=True)
    startups = make_type(event, code="startup", requires_approval=True)
    register(event, visitors)
    register(event, visitors)
    register(event, visitors)
    register(event, startups)
    cancelled, _ = register(event, startups)
    from eventhub.registration import services

    services.cancel_registration(cancelled)
    _organizer(client)
    html = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert _count_cell(html, "visitor", "confirmed") == 1
    assert _count_cell(html, "visitor", "waitlisted") == 2
    assert _count_cell(html, "startup", "pending_approval") == 1
    assert _count_cell(html, "startup", "cancelled") == 1
    assert _count_cell(html, "startup", "confirmed") == 0
    assert re.search(r'data-status="waitlisted">2<', html.split("<tfoot>")[1])


def test_search_ignores_diacritics_and_case(client, db):
    event = open_event()
    rtype = make_type(event)
    register(event, rtype, full_name="Nguyễn Thị Trúc")
    register(event, rtype, full_name="Lê Văn Bình", organization="Trung tâm Đổi mới")
    _organizer(client)
    html = client.get(f"/events/{event.slug}/registrations?q=nguyen+thi+truc").get_data(as_text=True)
    assert "Nguyễn Thị Trúc" in html and "Lê Văn Bình" not in html
    html = client.get(f"/events/{event.slug}/registrations?q=TRUC").get_data(as_text=True)
    assert "Nguyễn Thị Trúc" in html and "Lê Văn Bình" not in html
    html = client.get(f"/events/{event.slug}/registrations?q=doi+moi").get_data(as_text=True)
    assert "Lê Văn Bình" in html and "Nguyễn Thị Trúc" not in html
    html = client.get(f"/events/{event.slug}/registrations?q=khong+co+ai").get_data(as_text=True)
    assert "Lê Văn Bình" not in html and "Nguyễn Thị Trúc" not in html


def test_status_and_type_filters(client, db):
    event = open_event()
    visitors = make_type(event, code="visitor")
    startups = make_type(event, code="startup", requires_approval=True)
    register(event, visitors, full_name="Phạm Khách Tham Quan")
    register(event, startups, full_name="Võ Khởi Nghiệp")
    _organizer(client)
    base = f"/events/{event.slug}/registrations"
    html = client.get(f"{base}?status=pending_approval").get_data(as_text=True)
    assert "Võ Khởi Nghiệp" in html and "Phạm Khách Tham Quan" not in html
    html = client.get(f"{base}?type=visitor").get_data(as_text=True)
    assert "Phạm Khách Tham Quan" in html and "Võ Khởi Nghiệp" not in html
    html = client.get(f"{base}?type=visitor&status=pending_approval").get_data(as_text=True)
    assert "Phạm Khách Tham Quan" not in html and "Võ Khởi Nghiệp" not in html
    html = client.get(f"{base}?status=confirmed").get_data(as_text=True)
    assert "Phạm Khách Tham Quan" in html and "Võ Khởi Nghiệp" not in html


def test_name_order_follows_the_given_name(client, db):
    event = open_event()
    rtype = make_type(event)
    names = ["Nguyễn Chí Cường", "Trần Thị An", "Lê Văn Bình"]
    for name in names:  # registered in an order that is neither alphabetical nor its reverse
        register(event, rtype, full_name=name)
    _organizer(client)
    html = client.get(f"/events/{event.slug}/registrations?sort=name").get_data(as_text=True)
    assert _names_in(html, names) == ["Trần Thị An", "Lê Văn Bình", "Nguyễn Chí Cường"]
    html = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)  # newest first
    assert _names_in(html, names) == ["Lê Văn Bình", "Trần Thị An", "Nguyễn Chí Cường"]


def test_fifty_a_page_and_the_next_page_keeps_the_filters(client, db):
    event = open_event()
    rtype = make_type(event)
    for n in range(53):
        register(event, rtype, full_name=f"Đặng Khách {n:02d}", email=f"page{n}@example.vn")
    register(event, rtype, full_name="Người Khác", email="other@example.vn")
    _organizer(client)
    first = client.get(f"/events/{event.slug}/registrations?q=dang+khach&sort=name").get_data(as_text=True)
    assert len(re.findall(r"page\d+@example\.vn", first)) == 50
    assert "other@example.vn" not in first
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "q=dang+khach" in next_link and "sort=name" in next_link and "page=2" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert sorted(re.findall(r"page\d+@example\.vn", second)) == ["page50@example.vn", "page51@example.vn",
                                                                  "page52@example.vn"]
    assert 'rel="next"' not in second


# --- exports --------------------------------------------------------------------------------------

def _export_event():
    event = open_event(slug="ai-day-2026")
    rtype = make_type(event)
    register(event, rtype, full_name='=HYPERLINK("http://evil.example","Bấm")', phone="0912 345 678")
    register(event, rtype, full_name="Nguyễn Thị Quý Trúc", organization="-Công ty Đổi mới")
    return event


def test_csv_export_is_utf8_with_bom_and_neutralizes_formulas(client, db):
    event = _export_event()
    _organizer(client)
    response = client.get(f"/events/{event.slug}/registrations.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "registrations-ai-day-2026.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    by_name = {row["full_name"]: row for row in rows}
    assert "Nguyễn Thị Quý Trúc" in by_name
    assert by_name["Nguyễn Thị Quý Trúc"]["organization"] == "'-Công ty Đổi mới"
    formula = by_name["'=HYPERLINK(\"http://evil.example\",\"Bấm\")"]
    assert formula["phone"] == "+84912345678"


def test_xlsx_export_keeps_formula_like_text_as_text(client, db):
    event = _export_event()
    _organizer(client)
    response = client.get(f"/events/{event.slug}/registrations.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "registrations-ai-day-2026.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    name_column = header.index("Full name")  # for people: words in the reader's language, not codes
    cells = [row[name_column] for row in sheet.iter_rows(min_row=2)]
    assert {c.value for c in cells} == {"Nguyễn Thị Quý Trúc", "'=HYPERLINK(\"http://evil.example\",\"Bấm\")"}
    assert all(c.data_type == "s" for c in cells)


def test_xlsx_groups_ticket_codes_as_printed_and_the_csv_keeps_the_code(client, db):
    event = _export_event()
    reg = db.session.scalar(db.select(Registration).where(Registration.full_name == "Nguyễn Thị Quý Trúc"))
    assert reg.status.value == "confirmed" and len(reg.ticket_code) > 8
    _organizer(client)
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/events/{event.slug}/registrations.csv").data.decode("utf-8-sig"))))
    assert {row["ticket_code"] for row in rows if row["full_name"] == reg.full_name} == {reg.ticket_code}
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{event.slug}/registrations.xlsx").data)).active
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if reg.full_name in r)
    shown = row[header.index("Ticket code")]
    assert shown == grouped_ticket_code(reg.ticket_code) and " " in shown  # "R6FY Z24T …", as on the ticket
    assert shown.replace(" ", "") == reg.ticket_code


# --- decisions ------------------------------------------------------------------------------------

def test_approve_from_the_detail_page_issues_a_ticket_and_is_in_the_history(client, db):
    event = open_event()
    rtype = make_type(event, requires_approval=True)
    reg, _ = register(event, rtype, full_name="Hồ Thị Duyệt")
    organizer = _organizer(client)
    url = f"/events/{event.slug}/registrations/{reg.id}"
    assert 'action="' + url + '/approve"' in client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/approve")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    reg = db.session.get(Registration, reg.id)
    assert reg.status.value == "confirmed" and reg.ticket_code
    html = client.get(url).get_data(as_text=True)
    assert "Hồ Thị Duyệt is approved" in html  # the flash message
    assert grouped_ticket_code(reg.ticket_code) in html
    # newest first, as sentences (the audit log's words, issue 16)
    assert html.index("approved the registration of Hồ Thị Duyệt") < html.index("Hồ Thị Duyệt registered")
    assert organizer.full_name in html
    # Approving twice is refused with a message, not an error page.
    html = client.post(f"{url}/approve", follow_redirects=True).get_data(as_text=True)
    assert "Only registrations waiting for approval can be approved or rejected." in html


def test_reject_with_a_reason(client, db):
    event = open_event()
    rtype = make_type(event, requires_approval=True)
    reg, _ = register(event, rtype)
    _organizer(client)
    url = f"/events/{event.slug}/registrations/{reg.id}"
    client.post(f"{url}/reject", data={"reason": "Hồ sơ chưa đầy đủ"})
    reg = db.session.get(Registration, reg.id)
    assert reg.status.value == "cancelled" and reg.cancel_reason == "Hồ sơ chưa đầy đủ"
    html = client.get(url).get_data(as_text=True)
    assert "turned down the registration of" in html and "Hồ sơ chưa đầy đủ" in html
    assert f'{url}/cancel"' not in html  # nothing left to cancel


def test_approval_queue_lists_the_pending_with_buttons_and_returns_to_itself(client, db):
    event = open_event()
    rtype = make_type(event, requires_approval=True)
    other = make_type(event)
    first, _ = register(event, rtype, full_name="Đinh Văn Chờ")
    register(event, other, full_name="Mai Thị Xong")
    _organizer(client)
    queue = f"/events/{event.slug}/registrations?status=pending_approval"
    html = client.get(queue).get_data(as_text=True)
    assert "Đinh Văn Chờ" in html and "Mai Thị Xong" not in html
    assert f'/registrations/{first.id}/approve"' in html and f'/registrations/{first.id}/reject"' in html
    response = client.post(f"/events/{event.slug}/registrations/{first.id}/reject", data={"next": queue})
    assert response.headers["Location"].endswith(queue)
    assert _status(db, first.id) == "cancelled"
    # Only paths on this site are followed.
    response = client.post(f"/events/{event.slug}/registrations/{first.id}/cancel",
                           data={"next": "//evil.example/"})
    assert "evil.example" not in response.headers["Location"]


def test_cancel_moves_the_waitlisted_person_up(client, db):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True)
    seated, _ = register(event, rtype, full_name="Quách Văn Ngồi")
    waiting, _ = register(event, rtype, full_name="Tạ Thị Đợi")
    assert waiting.status.value == "waitlisted"
    _organizer(client)
    base = f"/events/{event.slug}/registrations"
    client.post(f"{base}/{seated.id}/cancel", data={"reason": "Bận việc"})
    assert _status(db, seated.id) == "cancelled"
    assert db.session.get(Registration, seated.id).cancel_reason == "Bận việc"
    assert _status(db, waiting.id) == "confirmed"
    seated_page = client.get(f"{base}/{seated.id}").get_data(as_text=True)
    assert "cancelled the registration of Quách Văn Ngồi" in seated_page
    html = client.get(f"{base}/{waiting.id}").get_data(as_text=True)
    assert "Tạ Thị Đợi moved up from the waiting list" in html
    assert grouped_ticket_code(db.session.get(Registration, waiting.id).ticket_code) in html


def test_detail_shows_answers_sessions_and_consent(client, db):
    event = open_event()
    rtype = make_type(event)
    _add_question(rtype, key="quy_mo", label="Quy mô công ty", kind="single_choice",
                  options=["1–10", "11–50"])
    full = make_session(event, title="Hội thảo Đô thị thông minh", capacity=1)
    register(event, rtype, session_ids=[full.id])
    reg, _ = register(event, rtype, full_name="Vũ Thị Hỏi", phone="0912345678",
                      answers={"quy_mo": "11–50"}, session_ids=[])
    _organizer(client)
    html = client.get(f"/events/{event.slug}/registrations/{reg.id}").get_data(as_text=True)
    assert "Quy mô công ty" in html and "11–50" in html
    assert "0912 345 678" in html
    assert reg.consent_version in html
    assert reg.consent_at.astimezone(HCMC).strftime("%d/%m/%Y %H:%M") in html


def test_detail_shows_whether_a_session_seat_is_held(client, db):
    event = open_event()
    rtype = make_type(event, capacity=1, waitlist=True)
    workshop = make_session(event, title="Hội thảo AI tạo sinh")
    register(event, rtype)
    waiting, _ = register(event, rtype, session_ids=[workshop.id])
    _organizer(client)
    html = client.get(f"/events/{event.slug}/registrations/{waiting.id}").get_data(as_text=True)
    assert "Hội thảo AI tạo sinh" in html and "No seat held" in html and "Seat held" not in html


# --- manual registration --------------------------------------------------------------------------

def _person(**overrides):
    data = {"type": "visitor", "full_name": "Nguyễn Thị Quý Trúc", "email": "truc@example.vn",
            "phone": "0912 345 678", "organization": "Sở KH&CN", "consent": "y"}
    data.update(overrides)
    return data


def test_organizers_register_people_while_registration_is_closed(client, db):
    event = make_event(registration_open=False)
    make_type(event, code="visitor")
    workshop = make_session(event)
    organizer = _organizer(client)
    assert "Registration is closed" in client.get(f"/events/{event.slug}/register/visitor").get_data(
        as_text=True)
    response = client.post(f"/events/{event.slug}/registrations/new",
                           data=_person(sessions=[str(workshop.id)]))
    assert response.status_code == 302
    reg = db.session.scalar(db.select(Registration))
    assert response.headers["Location"].endswith(f"/registrations/{reg.id}")
    assert reg.status.value == "confirmed" and reg.full_name == "Nguyễn Thị Quý Trúc"
    assert reg.created_by_id == organizer.id and reg.phone == "+84912345678"
    assert [c.session_id for c in reg.session_choices] == [workshop.id]
    assert reg.consent_at is not None


def test_manual_registration_needs_the_consent_box(client, db):
    event = open_event()
    make_type(event, code="visitor")
    _organizer(client)
    data = _person()
    del data["consent"]
    html = client.post(f"/events/{event.slug}/registrations/new", data=data).get_data(as_text=True)
    assert 'id="consent-error"' in html
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_manual_registration_shows_service_errors_next_to_fields(client, db):
    event = open_event()
    make_type(event, code="visitor")
    _organizer(client)
    html = client.post(f"/events/{event.slug}/registrations/new",
                       data=_person(email="not-an-email")).get_data(as_text=True)
    assert 'id="email-error"' in html and 'id="phone-error"' not in html
    html = client.post(f"/events/{event.slug}/registrations/new",
                       data=_person(phone="12")).get_data(as_text=True)
    assert 'id="phone-error"' in html
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_manual_registration_conflicts_are_shown_at_the_top(client, db):
    event = open_event()
    rtype = make_type(event, code="visitor", capacity=5)
    register(event, rtype, email="truc@example.vn")
    _organizer(client)
    html = client.post(f"/events/{event.slug}/registrations/new", data=_person()).get_data(as_text=True)
    assert 'class="alert alert-danger"' in html
    assert "This e-mail is already registered for this event." in html
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1


def test_manual_registration_asks_the_chosen_types_questions(client, db):
    event = open_event()
    make_type(event, code="visitor")
    startups = make_type(event, code="startup", name="Startup")
    _add_question(startups, key="san_pham", label="Sản phẩm của bạn", required=True)
    _organizer(client)
    url = f"/events/{event.slug}/registrations/new"
    assert "Sản phẩm của bạn" not in client.get(url).get_data(as_text=True)
    assert "Sản phẩm của bạn" in client.get(f"{url}?type=startup").get_data(as_text=True)
    html = client.post(url, data=_person(type="startup")).get_data(as_text=True)
    assert 'id="q_san_pham-error"' in html
    client.post(url, data=_person(type="startup", q_san_pham="Nền tảng gọi vốn"))
    reg = db.session.scalar(db.select(Registration))
    assert reg.answers_by_key == {"san_pham": "Nền tảng gọi vốn"}


def test_manual_registration_without_types_points_to_creating_one(client, db):
    event = open_event()
    _organizer(client)
    response = client.get(f"/events/{event.slug}/registrations/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/registration-types/new")


# --- registration types and questions -------------------------------------------------------------

def _type_form(**overrides):
    data = {"code": "visitor", "name": "Khách tham quan", "description": "Vào cửa tự do",
            "capacity": "", "waitlist": "y", "opens_at": "2026-12-01T08:00", "closes_at": ""}
    data.update(overrides)
    return data


def test_type_create_and_edit(client, db):
    event = open_event()
    _organizer(client)
    response = client.post(f"/events/{event.slug}/registration-types/new", data=_type_form())
    assert response.status_code == 302
    rtype = db.session.scalar(db.select(RegistrationType))
    assert rtype.capacity is None and rtype.waitlist and not rtype.requires_approval
    assert rtype.opens_at == datetime(2026, 12, 1, 8, 0, tzinfo=HCMC) and rtype.closes_at is None
    page = client.get(f"/events/{event.slug}/registration-types/{rtype.id}").get_data(as_text=True)
    assert 'value="2026-12-01T08:00"' in page  # the event's local time, not UTC
    response = client.post(f"/events/{event.slug}/registration-types/{rtype.id}",
                           data=_type_form(name="Khách mời", capacity="120", waitlist=""))
    assert response.status_code == 302
    rtype = db.session.get(RegistrationType, rtype.id)
    assert (rtype.name, rtype.capacity, rtype.waitlist) == ("Khách mời", 120, False)
    html = client.get(f"/events/{event.slug}/registration-types").get_data(as_text=True)
    assert "Khách mời" in html and "120" in html and "01/12/2026 08:00" in html


def test_type_form_errors_appear_next_to_their_fields(client, db):
    event = open_event()
    rtype = make_type(event, code="visitor", capacity=3)
    make_type(event, code="startup")
    register(event, rtype)
    register(event, rtype)
    _organizer(client)
    url = f"/events/{event.slug}/registration-types/{rtype.id}"
    html = client.post(url, data=_type_form(capacity="1")).get_data(as_text=True)
    assert 'id="capacity-error"' in html and "2 seats are already taken" in html
    assert db.session.get(RegistrationType, rtype.id).capacity == 3
    html = client.post(url, data=_type_form(code="startup")).get_data(as_text=True)
    assert 'id="code-error"' in html
    html = client.post(url, data=_type_form(closes_at="2026-11-01T08:00")).get_data(as_text=True)
    assert 'id="closes_at-error"' in html
    html = client.post(f"/events/{event.slug}/registration-types/new",
                       data=_type_form(code="Có Dấu")).get_data(as_text=True)
    assert 'id="code-error"' in html
    assert db.session.scalar(db.select(db.func.count(RegistrationType.id))) == 2


def test_more_capacity_moves_the_waiting_list_up(client, db):
    event = open_event()
    rtype = make_type(event, code="visitor", capacity=1, waitlist=True)
    register(event, rtype)
    waiting, _ = register(event, rtype)
    _organizer(client)
    client.post(f"/events/{event.slug}/registration-types/{rtype.id}", data=_type_form(capacity="2"))
    assert _status(db, waiting.id) == "confirmed"


def test_questions_are_added_edited_and_hidden_from_the_public_form(client, db):
    event = open_event()
    rtype = make_type(event, code="startup")
    _organizer(client)
    public = f"/events/{event.slug}/register/startup"
    base = f"/events/{event.slug}/registration-types/{rtype.id}/questions"
    response = client.post(f"{base}/new", data={
        "key": "giai_doan", "label": "Giai đoạn phát triển", "kind": "single_choice",
        "options": "Ý tưởng\r\nSản phẩm mẫu\r\nĐã có doanh thu\r\n", "required": "y"})
    assert response.status_code == 302
    question = db.session.scalar(db.select(Question))
    assert question.options == ["Ý tưởng", "Sản phẩm mẫu", "Đã có doanh thu"] and question.required
    html = client.get(public).get_data(as_text=True)
    assert "Giai đoạn phát triển" in html and "Đã có doanh thu" in html

    edit = client.get(f"{base}/{question.id}").get_data(as_text=True)
    assert "Sản phẩm mẫu" in edit
    client.post(f"{base}/{question.id}", data={"label": "Startup đang ở giai đoạn nào?",
                                               "kind": "single_choice",
                                               "options": "Ý tưởng\nĐã có doanh thu"})
    question = db.session.get(Question, question.id)
    assert question.label == "Startup đang ở giai đoạn nào?" and not question.required
    assert question.key == "giai_doan"
    assert "Startup đang ở giai đoạn nào?" in client.get(public).get_data(as_text=True)

    client.post(f"{base}/{question.id}/active", data={"active": "0"})
    assert db.session.get(Question, question.id).active is False
    assert "Startup đang ở giai đoạn nào?" not in client.get(public).get_data(as_text=True)
    type_page = client.get(f"/events/{event.slug}/registration-types/{rtype.id}").get_data(as_text=True)
    assert "Startup đang ở giai đoạn nào?" in type_page  # still listed for organizers, as hidden

    client.post(f"{base}/{question.id}/active", data={"active": "1"})
    assert "Startup đang ở giai đoạn nào?" in client.get(public).get_data(as_text=True)


def test_question_form_errors_appear_next_to_their_fields(client, db):
    event = open_event()
    rtype = make_type(event)
    _add_question(rtype, key="linh_vuc")
    _organizer(client)
    url = f"/events/{event.slug}/registration-types/{rtype.id}/questions/new"
    html = client.post(url, data={"key": "linh_vuc", "label": "Lĩnh vực khác",
                                  "kind": "short_text"}).get_data(as_text=True)
    assert 'id="key-error"' in html
    html = client.post(url, data={"key": "mot_lua_chon", "label": "Chọn", "kind": "single_choice",
                                  "options": "Chỉ một"}).get_data(as_text=True)
    assert 'id="options-error"' in html
    html = client.post(url, data={"key": "x", "label": "X", "kind": "essay"}).get_data(as_text=True)
    assert 'id="kind-error"' in html
    assert db.session.scalar(db.select(db.func.count(Question.id))) == 1


# --- sessions -------------------------------------------------------------------------------------

def _session_form(**overrides):
    data = {"title": "Hội thảo Thành phố thông minh", "description": "Chia sẻ kinh nghiệm",
            "speakers": "TS. Lê Văn Tám\r\nThS. Nguyễn Thị Hoa\r\n", "room": "Hội trường A",
            "starts_at": "2026-12-14T09:00", "ends_at": "2026-12-14T10:30", "capacity": "80"}
    data.update(overrides)
    return data


def test_session_create_and_edit(client, db):
    event = open_event()
    _organizer(client)
    response = client.post(f"/events/{event.slug}/sessions/manage/new", data=_session_form())
    assert response.status_code == 302
    session = db.session.scalar(db.select(EventSession))
    assert session.speakers == ["TS. Lê Văn Tám", "ThS. Nguyễn Thị Hoa"]
    assert session.starts_at == datetime(2026, 12, 14, 9, 0, tzinfo=HCMC) and session.capacity == 80
    html = client.get(f"/events/{event.slug}/sessions/manage").get_data(as_text=True)
    assert "Hội thảo Thành phố thông minh" in html and "14/12/2026 09:00–10:30" in html
    url = f"/events/{event.slug}/sessions/manage/{session.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2026-12-14T09:00"' in page and "ThS. Nguyễn Thị Hoa" in page
    response = client.post(url, data=_session_form(title="Hội thảo Đô thị thông minh", capacity=""))
    assert response.status_code == 302
    session = db.session.get(EventSession, session.id)
    assert session.title == "Hội thảo Đô thị thông minh" and session.capacity is None


def test_session_form_errors_appear_next_to_their_fields(client, db):
    event = open_event()
    rtype = make_type(event)
    workshop = make_session(event, capacity=5)
    register(event, rtype, session_ids=[workshop.id])
    register(event, rtype, session_ids=[workshop.id])
    _organizer(client)
    url = f"/events/{event.slug}/sessions/manage/{workshop.id}"
    html = client.post(url, data=_session_form(capacity="1")).get_data(as_text=True)
    assert 'id="capacity-error"' in html
    html = client.post(url, data=_session_form(ends_at="2026-12-14T08:00")).get_data(as_text=True)
    assert 'id="ends_at-error"' in html
    html = client.post(url, data=_session_form(starts_at="")).get_data(as_text=True)
    assert 'id="starts_at-error"' in html
    assert db.session.get(EventSession, workshop.id).capacity == 5
