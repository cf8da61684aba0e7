"""The programme pages: the form (errors next to their fields, no 500 on bad input), the report page with
its table and charts, the PDF read back, the menu link."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from eventhub.programmes import services
from tests.factories import login

from .conftest import BODY

FORM = {"code": "DEAN-2025", "name": "Đề án thử", "start_year": "2025", "end_year": "2026",
        "grid_start": "2025", "grid_end": "2026", "action": "save",
        "indicator-0": "exhibitors", "target-0-2025": "4", "target-0-2026": "1,5",
        "indicator-1": "distinct.investors", "target-1-2026": "2", "indicator-2": "", "target-2-2025": ""}


@pytest.fixture
def signed_in(client, people):
    login(client, people["organizer"])
    return client


def test_create_through_the_form(signed_in, world):
    response = signed_in.post("/programmes/new", data=FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = services.get("DEAN-2025")
    assert sorted((t.indicator, t.year, t.target) for t in saved.targets) == [
        ("distinct.investors", 2026, 2.0), ("exhibitors", 2025, 4.0), ("exhibitors", 2026, 1.5)]
    edit = signed_in.get("/programmes/DEAN-2025/edit").get_data(as_text=True)
    assert 'value="1.5"' in edit and "selected>Đơn vị" not in edit


@pytest.mark.parametrize("changes, field, words", [
    ({"code": ""}, "code-error", "Nhập mã"),
    ({"end_year": "2020"}, "end_year-error", "Năm cuối không thể trước năm đầu"),
    ({"start_year": "hai nghìn"}, "start_year-error", "2000"),
    ({"indicator-0": "visitors"}, "targets-error", "visitors"),
    ({"target-0-2025": "nhiều"}, "is-invalid", "Nhập một số"),
    ({"target-0-2025": "-1"}, "is-invalid", "Nhập một số"),
    ({"indicator-0": ""}, "is-invalid", "Chọn một chỉ tiêu"),
    ({"grid_start": "x", "indicator-99999": "y"}, "", ""),
])
def test_bad_input_is_shown_next_to_its_field(signed_in, world, changes, field, words):
    response = signed_in.post("/programmes/new", data={**FORM, **changes})
    page = response.get_data(as_text=True)
    if field:
        assert response.status_code == 422, page[:500]
        assert f'id="{field}"' in page or field in page
        assert words in page
    else:
        assert response.status_code in (302, 422)  # whatever it is, not a 500


def test_a_taken_code_is_said_at_the_code(signed_in, programme):
    page = signed_in.post("/programmes/new", data={**FORM, "code": BODY["code"]}).get_data(as_text=True)
    assert 'id="code-error"' in page and "Một đề án khác đã dùng mã này" in page


def test_showing_new_years_keeps_the_typed_targets(signed_in, world):
    page = signed_in.post("/programmes/new", data={**FORM, "action": "years", "start_year": "2024"})
    text = page.get_data(as_text=True)
    assert 'name="target-0-2024"' in text and 'name="target-0-2025" value="4"' in text
    assert services.programmes() == []


def test_the_programme_page_shows_target_and_actual(signed_in, programme):
    page = signed_in.get(f"/programmes/{BODY['code']}").get_data(as_text=True)
    assert "Số người đăng ký" in page or "Đăng ký" in page
    assert 'data-year="2026" data-state="reached"' in page and "đạt" in page
    assert 'data-year="2024" data-state="none"' in page and "–" in page
    assert page.count("<svg") == 3  # a chart per indicator


def test_the_pdf_reads_back(signed_in, programme, monkeypatch):
    # after the 2026 events (they end on 15 December): 2 exhibitors of 3 is a miss, in words
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2027, 1, 10, tzinfo=UTC))
    response = signed_in.get(f"/programmes/{BODY['code']}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "BÁO CÁO ĐỀ ÁN" in text and BODY["code"] in text and "chưa đạt" in text
    english = signed_in.get(f"/programmes/{BODY['code']}/report.pdf?doc_lang=en")
    assert "not reached" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(english.data)).pages)


def test_the_menu_links_the_programmes_for_organizers_only(client, signed_in, people):
    assert 'href="/programmes"' in signed_in.get("/").get_data(as_text=True)
    other = client.application.test_client()
    login(other, people["participant"])
    assert 'href="/programmes"' not in other.get("/").get_data(as_text=True)
    assert other.get("/programmes").status_code == 403
