"""No-show figures (issue 18, item 4): of an event's confirmed registrants, per registration type and in
total, who came, who said no, who said yes and stayed away, and who neither came nor answered – counted by
hand on a small event and read back from the API, the dashboard, the workbook, the PDF and the cockpit."""

from __future__ import annotations

import html as html_module
import io
import re
from datetime import datetime, timedelta

import pdfplumber
import pytest
from openpyxl import load_workbook

from eventhub.checkin import services as checkin
from eventhub.dbtypes import utcnow
from eventhub.extensions import db as _db
from eventhub.registration import services as registration
from eventhub.registration.attendance import set_attendance
from eventhub.registration.models import RegistrationStatus, RegistrationType
from eventhub.reports.attendance import event_attendance
from tests.factories import HCMC, login, make_type, make_user, open_event, register, token_headers

REGISTERED = datetime(2026, 10, 20, 10, 0, tzinfo=HCMC)
ANSWERED = datetime(2026, 11, 19, 9, 0, tzinfo=HCMC)  # the reminder's day, before the event
DAY1 = datetime(2026, 11, 20, 8, 40, tzinfo=HCMC)
DAY2 = datetime(2026, 11, 21, 9, 10, tzinfo=HCMC)

# Counted by hand from `held` below.
TYPE_A = {"base": 8, "checked_in": 3, "said_no": 1, "said_yes_absent": 1, "silent_absent": 3, "said_yes": 2}
TYPE_B = {"base": 4, "checked_in": 1, "said_no": 1, "said_yes_absent": 1, "silent_absent": 1, "said_yes": 1}
TYPE_C = dict.fromkeys(TYPE_A, 0)
TOTAL = {key: TYPE_A[key] + TYPE_B[key] for key in TYPE_A}
PARTS = ("checked_in", "said_no", "said_yes_absent", "silent_absent")
WORDS = ("Đã đến", "Báo không đến", "Hẹn đến nhưng vắng", "Vắng, không báo")


def _shares(counts: dict) -> dict:
    return {key: (counts[key] / counts["base"] if counts["base"] else None)
            for key in (*PARTS, "said_yes")}


def _person(event, rtype, name):
    email = f"{name.split()[-1].lower()}.{rtype.code}@vidu.vn"
    reg, _token = register(event, rtype, full_name=name, email=email, notify=False, now=REGISTERED)
    return reg


def _hold_event(**overrides):
    """Types A, B (full, with a waiting list) and C (nobody); every kind of registrant once or more."""
    values = {"slug": "vung-2026", "starts_at": datetime(2026, 11, 20, 8, 0, tzinfo=HCMC),
              "ends_at": datetime(2026, 11, 21, 17, 0, tzinfo=HCMC), **overrides}
    event = open_event(name="Ngày hội Khởi nghiệp vùng 2026", **values)
    a = make_type(event, code="khach", name="Khách tham quan")
    b = make_type(event, code="startup", name="Đại diện startup", capacity=3, waitlist=True)
    make_type(event, code="khach-moi", name="Khách mời", capacity=20)
    people = {key: _person(event, a, name) for key, name in (
        ("came_yes", "Nguyễn Thị Quý Trúc"), ("came_silent", "Lê Văn Dũng"), ("came_twice", "Phạm Thị Ánh"),
        ("said_no", "Võ Minh Đức"), ("yes_away", "Đặng Quốc Huy"), ("silent", "Trần Thu Hà"),
        ("undone", "Hoàng Thị Mai"), ("test_scan", "Bùi Văn Tài"), ("cancelled", "Đỗ Thị Lan"),
        ("yes_then_cancelled", "Ngô Bảo Châu"))}
    people.update({key: _person(event, b, name) for key, name in (
        ("b_came", "Lý Gia Bảo"), ("b_no", "Mai Anh Tuấn"), ("b_yes_away", "Hồ Ngọc Hân"),
        ("b_promoted", "Vũ Đức Long"), ("b_waiting", "Tạ Minh Khôi"))})
    assert people["b_promoted"].status == people["b_waiting"].status == RegistrationStatus.waitlisted
    return event, people


def _answer_and_come(event, people):
    """The answers before the event (the proper service), then the gate on its two days."""
    for key in ("came_yes", "yes_away", "yes_then_cancelled", "b_yes_away"):
        set_attendance(people[key], True, now=ANSWERED)
    for key in ("said_no", "b_no"):  # saying no cancels: B's seat goes to the first on its waiting list
        set_attendance(people[key], False, now=ANSWERED)
    # cancelled without an answer (and after a yes): they gave their seat back, they are not counted
    registration.cancel_registration(people["cancelled"], notify=False, now=ANSWERED)
    registration.cancel_registration(people["yes_then_cancelled"], notify=False, now=ANSWERED)
    _db.session.refresh(people["b_promoted"])
    assert people["b_promoted"].status == RegistrationStatus.confirmed  # confirmed, then stayed away
    checkin.check_in_registration(event, people["test_scan"], now=ANSWERED)  # a scanner test: no attendance
    for key in ("came_yes", "came_twice", "b_came"):
        checkin.check_in_registration(event, people[key], now=DAY1)
    for key in ("came_silent", "came_twice"):
        checkin.check_in_registration(event, people[key], now=DAY2)
    scan = checkin.check_in_registration(event, people["undone"], now=DAY1)
    checkin.undo_check_in(scan, actor=None, now=DAY1 + timedelta(minutes=2))  # the wrong ticket: undone


@pytest.fixture
def held(db):
    event, people = _hold_event()
    _answer_and_come(event, people)
    return event


@pytest.fixture
def organizer(db):
    return make_user("organizer")


def _expected_json(ended: bool = True) -> dict:
    def tally(counts):
        return {**counts, "shares": _shares(counts)}

    return {"ended": ended, "total": tally(TOTAL), "by_type": [
        {"code": "khach", "name": "Khách tham quan", **tally(TYPE_A)},
        {"code": "startup", "name": "Đại diện startup", **tally(TYPE_B)},
        {"code": "khach-moi", "name": "Khách mời", **tally(TYPE_C)}]}


def test_the_api_gives_the_hand_counted_partition(client, held, organizer):
    response = client.get(f"/api/v1/events/{held.slug}/report", headers=token_headers(organizer))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["attendance"] == _expected_json()
    # the figures are still there: not cancelled (A 7, B 3 and one waiting), came on the event's days
    assert (body["registrations"], body["checked_in"]) == (11, 4)
    total = body["attendance"]["total"]
    assert sum(total[key] for key in PARTS) == total["base"]
    assert total["shares"]["checked_in"] == pytest.approx(1 / 3, abs=1e-12)  # not rounded away


def test_the_partition_is_one_query(app, held, count_queries):
    with count_queries() as counted:
        figures = event_attendance(held)
    assert counted.count == 1, counted.statements
    assert figures.total.base == TOTAL["base"]


def _attendance_section(html: str) -> str:
    match = re.search(r'<section aria-labelledby="attendance-heading".*?</section>', html, re.S)
    assert match, "no attendance section"
    return match.group(0)


def _table(section: str) -> dict[str, list[str]]:
    """{row label: [cell text, …]} of the table as a person reads it."""
    rows = {}
    for row in re.findall(r"<tr data-part=\"\w+\">(.*?)</tr>", section, re.S):
        cells = [" ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
                 for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_dashboard_shows_the_table_in_words_and_vietnamese_percentages(client, held, organizer):
    login(client, organizer)
    section = _attendance_section(client.get(f"/events/{held.slug}/report?lang=vi").get_data(as_text=True))
    table = _table(section)
    # columns: A, B, C, total
    assert table["Đã xác nhận"] == ["8", "4", "0", "12"]
    assert table["Đã đến"] == ["3 (37,5%)", "1 (25%)", "0 (–)", "4 (33,3%)"]
    assert table["Báo không đến"] == ["1 (12,5%)", "1 (25%)", "0 (–)", "2 (16,7%)"]
    assert table["Hẹn đến nhưng vắng"] == ["1 (12,5%)", "1 (25%)", "0 (–)", "2 (16,7%)"]
    assert table["Vắng, không báo"] == ["3 (37,5%)", "1 (25%)", "0 (–)", "4 (33,3%)"]
    text = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", section)).split())
    assert "Khách tham quan" in text and "Đại diện startup" in text
    assert "50% người đăng ký đã xác nhận để trống chỗ mà không hủy" in text
    assert "nhận đăng ký vượt số chỗ" in text  # what it is for: how far to overbook next time
    english = _table(_attendance_section(client.get(f"/events/{held.slug}/report?lang=en")
                                         .get_data(as_text=True)))
    assert english["Came"][-1] == "4 (33.3%)" and english["Stayed away without a word"][0] == "3 (37.5%)"


def test_an_event_not_yet_over_shows_the_answers_not_no_shows(client, organizer, db):
    start = utcnow() + timedelta(days=30)
    event, people = _hold_event(slug="sap-toi", starts_at=start, ends_at=start + timedelta(hours=9))
    set_attendance(people["came_yes"], True)
    set_attendance(people["said_no"], False)
    response = client.get(f"/api/v1/events/{event.slug}/report", headers=token_headers(organizer))
    figures = response.get_json()["attendance"]
    assert figures["ended"] is False
    assert (figures["total"]["said_yes"], figures["total"]["said_no"]) == (1, 1)
    login(client, organizer)
    section = _attendance_section(client.get(f"/events/{event.slug}/report?lang=vi").get_data(as_text=True))
    assert "Sự kiện chưa kết thúc" in section
    table = _table(section)
    assert "Hẹn đến nhưng vắng" not in table and "Vắng, không báo" not in table
    assert table["Báo không đến"][-1] == "1 (7,7%)" and table["Hẹn sẽ đến"][-1] == "1 (7,7%)"  # of 13


def test_the_workbook_has_a_sheet_of_words_numbers_and_percentages(client, held, organizer):
    login(client, organizer)
    response = client.get(f"/events/{held.slug}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Số liệu"
    sheet = book["Đến và vắng mặt"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row[0] == "Loại đăng ký")
    header = rows[header_at]
    assert header[:4] == ("Loại đăng ký", "Đã xác nhận", "Đã đến", "Đã đến (tỉ lệ)")
    assert {"Báo không đến", "Hẹn đến nhưng vắng", "Vắng, không báo"} <= set(header)
    by_name = {row[0]: dict(zip(header, row, strict=False)) for row in rows[header_at + 1:header_at + 5]}
    assert set(by_name) == {"Khách tham quan", "Đại diện startup", "Khách mời", "Tổng"}
    a, total = by_name["Khách tham quan"], by_name["Tổng"]
    assert (a["Đã xác nhận"], a["Đã đến"], a["Báo không đến"], a["Vắng, không báo"]) == (8, 3, 1, 3)
    assert a["Đã đến (tỉ lệ)"] == pytest.approx(0.375) and isinstance(a["Đã đến"], int)
    assert total["Hẹn đến nhưng vắng (tỉ lệ)"] == pytest.approx(2 / 12)
    assert by_name["Khách mời"]["Đã đến (tỉ lệ)"] is None  # nobody confirmed: no share
    column = header.index("Đã đến (tỉ lệ)") + 1
    assert sheet.cell(row=header_at + 2, column=column).number_format == "0.0%"
    assert any("vượt số chỗ" in (row[0] or "") for row in rows[header_at + 5:])


def test_the_pdf_prints_the_table_with_its_vietnamese_words(client, held, organizer):
    login(client, organizer)
    response = client.get(f"/events/{held.slug}/report.pdf")
    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(response.data)) as document:
        lines = [line for page in document.pages for line in (page.extract_text() or "").splitlines()]
    text = " ".join(" ".join(lines).split())
    assert "Đến và vắng mặt" in text
    assert "Đã đến 3 (37,5%) 1 (25%) 0 (–) 4 (33,3%)" in text
    assert "Báo không đến 1 (12,5%) 1 (25%) 0 (–) 2 (16,7%)" in text
    assert "Hẹn đến nhưng vắng 1 (12,5%)" in text and "Vắng, không báo 3 (37,5%)" in text
    english = client.get(f"/events/{held.slug}/report.pdf?doc_lang=en")
    with pdfplumber.open(io.BytesIO(english.data)) as document:
        text = " ".join(" ".join(page.extract_text() or "" for page in document.pages).split())
    assert "Attendance and no-shows" in text and "Came 3 (37.5%)" in text


def _words(fragment: str) -> str:
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _cockpit_card(client, event) -> dict[str, str] | None:
    page = client.get(f"/events/{event.slug}/manage?lang=vi").get_data(as_text=True)
    for card in re.findall(r'<section class="col-12 col-md-6 col-xl-4">(.*?)</section>', page, re.S):
        if "Đến và vắng mặt" not in card:
            continue
        items = re.findall(r'<span class="cockpit-label">(.*?)</span>\s*'
                           r'<span class="cockpit-value">(.*?)</a>', card, re.S)
        return {_words(label): _words(value) for label, value in items}
    return None


def test_the_cockpit_shows_the_shares_of_a_past_event_only(client, held, organizer, db):
    login(client, organizer)
    card = _cockpit_card(client, held)
    assert card is not None
    assert card["Đã đến 33,3%"] == "4 / 12"
    assert card["Báo không đến 16,7%"] == "2 / 12"
    assert card["Hẹn đến nhưng vắng 16,7%"] == "2 / 12"
    assert card["Vắng, không báo 33,3%"] == "4 / 12"
    assert card["Chỗ bỏ trống mà không hủy 50%: mức nên nhận đăng ký vượt số chỗ lần sau"] == "6 / 12"
    start = utcnow() + timedelta(days=30)
    future, people = _hold_event(slug="sap-toi", starts_at=start, ends_at=start + timedelta(hours=9))
    set_attendance(people["said_no"], False)
    assert _cockpit_card(client, future) is None


def test_the_demos_past_events_have_believable_answers(db, demo):
    from eventhub.audit.models import AuditEntry
    from eventhub.events.models import Event
    from eventhub.registration.models import Registration

    events = db.session.scalars(db.select(Event).where(Event.slug.like("%-2020")).order_by(Event.id)).all()
    totals = [event_attendance(event).total for event in events]
    total = sum(totals[1:], totals[0])
    assert total.base and sum(getattr(total, key) for key in PARTS) == total.base
    assert total.checked_in > total.base / 2  # most came
    silent = total.base - total.said_yes - total.said_no
    assert 0 < total.said_no < total.said_yes < silent  # a few said no, some yes, most nothing
    assert total.said_yes_absent > 0 and total.silent_absent > 0
    said_no = db.session.scalars(db.select(Registration).where(Registration.attending.is_(False))).all()
    assert said_no and all(reg.status == RegistrationStatus.cancelled and reg.cancelled_at is not None
                           and reg.attendance_at < reg.event.starts_at for reg in said_no)
    future = db.session.scalar(db.select(Event).where(Event.slug == "startup-week-2026"))
    assert event_attendance(future).total.said_yes == event_attendance(future).total.said_no == 0
    assert demo.added_by_second_run[Registration.__tablename__] == 0
    answered = db.session.scalar(db.select(db.func.count(Registration.id))
                                 .where(Registration.attending.is_not(None)))
    audited = db.session.scalar(db.select(db.func.count(AuditEntry.id))
                                .where(AuditEntry.action == "registration.attendance"))
    assert audited == answered  # each answer recorded once, as the attendance service records it


def test_the_cockpit_card_costs_one_query_whatever_the_events_size(client, held, organizer, count_queries):
    login(client, organizer)
    url = f"/events/{held.slug}/manage"  # read here: the test's own look at `held` is no query of the page
    client.get(url)  # warm: the user, the event's roles
    with count_queries() as before:
        assert client.get(url).status_code == 200
    rtype = _db.session.scalar(_db.select(RegistrationType).filter_by(event_id=held.id, code="khach"))
    for n in range(12):
        reg = _person(held, rtype, f"Hoàng Văn Khách {n}")
        if n % 3 == 0:
            set_attendance(reg, True, now=ANSWERED)
        if n % 2 == 0:
            checkin.check_in_registration(held, reg, now=DAY1)
    with count_queries() as after:
        client.get(url)
    assert after.count == before.count, after.statements
    assert _cockpit_card(client, held)["Đã đến 41,7%"] == "10 / 24"  # 4 + 6 of 12 + 12
