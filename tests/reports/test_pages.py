"""The organizers' dashboard (HTML): figures, charts without any CDN, downloads, who may see it."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pdfplumber
import pytest
from openpyxl import load_workbook

from eventhub.checkin import services as checkin
from tests.factories import HCMC, login, register

from .helpers import ADDED, AI_FIGURES, SERIES_DISTINCT, WEEK_FIGURES


def cards(html: str) -> dict[str, int]:
    found = re.findall(r'data-figure="(\w+)">\s*<div class="card-body">\s*'
                       r'<p class="report-figure-value mb-1">([\d.]+)</p>', html)
    return {key: int(value.replace(".", "")) for key, value in found}


def test_event_dashboard_shows_the_figures_and_the_charts(client, world, people):
    login(client, people["organizer"])
    response = client.get("/events/tuan-le-2026/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert cards(html) == {**WEEK_FIGURES, **ADDED}
    assert "Tuần lễ Khởi nghiệp – Đổi mới sáng tạo TP.HCM 2026" in html
    assert "Báo cáo tổng kết" in html
    for chart in ("arrivals", "registrations_per_day", "session_attendance", "entries_per_contest",
                  "meeting_outcomes"):
        assert f'data-chart="{chart}"' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 5
    assert "Hội thảo Đô thị thông minh" in html and "Cuộc thi Khởi nghiệp Sáng tạo" in html


def test_dashboard_obeys_the_content_security_policy_and_needs_no_cdn(client, world, people):
    login(client, people["organizer"])
    html = client.get("/events/tuan-le-2026/report").get_data(as_text=True)
    assert " style=" not in html and "onclick" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "something loaded from elsewhere"


def test_event_organizer_may_see_it_others_may_not(client, world, people):
    login(client, people["event_organizer"])
    assert client.get("/events/tuan-le-2026/report").status_code == 200
    assert client.get("/events/ai-day-2026/report").status_code == 403
    assert client.get("/reports/series?year=2026").status_code == 403  # the series is the department's


@pytest.mark.parametrize("who", ["participant", "other_organizer", "staff"])
def test_others_are_refused(client, world, people, who):
    login(client, people[who])
    for path in ("/events/tuan-le-2026/report", "/events/tuan-le-2026/report.pdf",
                 "/events/tuan-le-2026/report.xlsx", "/reports/series?year=2026",
                 "/reports/series.pdf?year=2026"):
        assert client.get(path).status_code == 403, path


def test_anonymous_is_sent_to_sign_in(client, world):
    for path in ("/events/tuan-le-2026/report", "/events/tuan-le-2026/report.pdf", "/reports/series"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_event_is_404(client, world, people):
    login(client, people["organizer"])
    assert client.get("/events/khong-co/report").status_code == 404


def test_series_dashboard_lists_each_event_and_the_sums(client, world, people):
    login(client, people["organizer"])
    html = client.get("/reports/series").get_data(as_text=True)  # the latest year with events
    assert cards(html) == {**{key: WEEK_FIGURES[key] + AI_FIGURES[key] for key in WEEK_FIGURES}, **ADDED}
    assert 'href="/events/tuan-le-2026/report"' in html and 'href="/events/ai-day-2026/report"' in html
    assert '<option value="2026" selected>' in html
    assert 'data-chart="registrations_per_event"' in html
    assert client.get("/reports/series?year=abc").status_code == 404
    empty = client.get("/reports/series?year=2019").get_data(as_text=True)
    assert cards(empty) == {**dict.fromkeys(WEEK_FIGURES, 0), **ADDED}


def test_downloads_from_the_dashboard(client, world, people):
    login(client, people["organizer"])
    pdf = client.get("/events/tuan-le-2026/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        assert "BÁO CÁO TỔNG KẾT" in document.pages[0].extract_text()
    english = client.get("/events/tuan-le-2026/report.pdf?doc_lang=en")
    with pdfplumber.open(io.BytesIO(english.data)) as document:
        assert "SUMMARY REPORT" in document.pages[0].extract_text()
    # The English PDF did not switch the organizer's pages to English.
    assert "Báo cáo tổng kết" in client.get("/events/tuan-le-2026/report").get_data(as_text=True)
    xlsx = client.get("/reports/series.xlsx?year=2026")
    assert xlsx.status_code == 200
    rows = load_workbook(io.BytesIO(xlsx.data))["Số liệu"].iter_rows(min_row=2, values_only=True)
    assert {row[0]: row[-1] for row in rows} == {**{k: WEEK_FIGURES[k] + AI_FIGURES[k] for k in WEEK_FIGURES},
                                                 **{f"distinct.{k}": n for k, n in SERIES_DISTINCT.items()},
                                                 **ADDED}
    series_pdf = client.get("/reports/series.pdf?year=2026")
    assert series_pdf.status_code == 200 and series_pdf.data.startswith(b"%PDF")
    latest = client.get("/reports/series.xlsx")  # no year: the latest with events, as the page
    assert latest.status_code == 200
    assert "bao-cao-tong-ket-2026.xlsx" in latest.headers["Content-Disposition"]
    assert client.get("/reports/series.pdf?year=1999").status_code == 404


def test_dashboard_query_count_does_not_grow_with_registrations(client, world, people, count_queries):
    login(client, people["organizer"])
    client.get("/events/tuan-le-2026/report")  # warm: the user, the event's roles
    with count_queries() as before:
        assert client.get("/events/tuan-le-2026/report").status_code == 200
    week, visitor = world["week"], world["visitor"]
    for n in range(25):
        reg, _t = register(week, visitor, full_name=f"Hoàng Thị Mai {n}", email=f"mai{n}@example.vn",
                           notify=False, session_ids=[world["sessions"][n % 2].id])
        checkin.check_in_registration(week, reg, now=datetime(2026, 12, 14, 9 + n % 8, n, tzinfo=HCMC))
    with count_queries() as after:
        response = client.get("/events/tuan-le-2026/report")
    assert cards(response.get_data(as_text=True))["registrations"] == WEEK_FIGURES["registrations"] + 25
    assert after.count == before.count, after.statements
    assert after.count <= 40


def test_manage_page_links_to_the_report(client, world, people):
    login(client, people["organizer"])
    html = client.get("/events/tuan-le-2026/manage").get_data(as_text=True)
    assert 'href="/events/tuan-le-2026/report"' in html


def test_the_menu_offers_the_series_report_to_global_organizers_only(client, world, people):
    login(client, people["organizer"])
    assert 'href="/reports/series"' in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, people["event_organizer"])
    assert 'href="/reports/series"' not in client.get("/").get_data(as_text=True)


def test_event_page_links_to_the_report_for_its_organizers_only(client, world, people):
    link = 'href="/events/tuan-le-2026/report"'
    login(client, people["event_organizer"])
    assert link in client.get("/events/tuan-le-2026").get_data(as_text=True)
    client.post("/logout")
    login(client, people["participant"])
    assert link not in client.get("/events/tuan-le-2026").get_data(as_text=True)
