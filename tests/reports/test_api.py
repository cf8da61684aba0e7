"""/api/v1 summary report: the contract of api.md, who may read it, and bad input."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from openpyxl import load_workbook

from eventhub.reports.distinct import DISTINCT
from eventhub.reports.figures import FIGURES
from tests.factories import token_headers
from tests.support.api import assert_error, assert_field_errors, parse_time

from .helpers import ADDED, AI_FIGURES, WEEK_FIGURES


def test_event_report_answers_exactly_the_twelve_figures(client, world, people):
    response = client.get("/api/v1/events/tuan-le-2026/report", headers=token_headers(people["organizer"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert {key: body[key] for key in FIGURES} == WEEK_FIGURES
    # the no-show figures (test_no_show.py), and the follow-ups' figures (tests/followups/test_figures.py)
    added = {"attendance", "investment_reported", "startups_with_pilot_or_investment"}
    assert set(body) == set(FIGURES) | added
    assert (body["investment_reported"], body["startups_with_pilot_or_investment"]) == (0, 0)


def test_organizer_of_that_event_may_read_it(client, world, people):
    response = client.get("/api/v1/events/tuan-le-2026/report",
                          headers=token_headers(people["event_organizer"]))
    assert response.status_code == 200
    assert response.get_json()["registrations"] == WEEK_FIGURES["registrations"]


@pytest.mark.parametrize("who, status", [("participant", 403), ("other_organizer", 403), ("staff", 403)])
def test_others_may_not_read_the_event_report(client, world, people, who, status):
    for path in ("report", "report.pdf", "report.xlsx"):
        response = client.get(f"/api/v1/events/tuan-le-2026/{path}", headers=token_headers(people[who]))
        assert_error(response, status, "forbidden")


def test_anonymous_and_bad_tokens_get_401(client, world):
    for path in ("/api/v1/events/tuan-le-2026/report", "/api/v1/events/tuan-le-2026/report.pdf",
                 "/api/v1/series/report?year=2026", "/api/v1/series/report.xlsx?year=2026"):
        assert_error(client.get(path), 401)
        assert_error(client.get(path, headers={"Authorization": "Bearer not-a-token"}), 401)


def test_cookies_do_not_authenticate_the_api(client, world, people):
    from tests.factories import login

    login(client, people["organizer"])
    assert_error(client.get("/api/v1/events/tuan-le-2026/report"), 401)


def test_unknown_event_is_404(client, world, people):
    headers = token_headers(people["organizer"])
    assert_error(client.get("/api/v1/events/khong-co/report", headers=headers), 404)
    assert_error(client.get("/api/v1/events/KHÔNG/report.pdf", headers=headers), 404)
    assert_error(client.get("/api/v1/events/x%00/report.pdf", headers=headers), 400)  # the input guard


def test_series_report_sums_its_events_and_lists_them(client, world, people):
    response = client.get("/api/v1/series/report?year=2026", headers=token_headers(people["organizer"]))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["year"] == 2026
    assert {key: body[key] for key in FIGURES} == {k: WEEK_FIGURES[k] + AI_FIGURES[k] for k in FIGURES}
    assert [e["slug"] for e in body["events"]] == ["ai-day-2026", "tuan-le-2026"]
    for item, expected in zip(body["events"], (AI_FIGURES, WEEK_FIGURES), strict=True):
        assert {key: item[key] for key in FIGURES} == expected
        parse_time(item["starts_at"])
    for key in FIGURES:
        assert body[key] == sum(item[key] for item in body["events"])


def test_series_of_a_year_without_events(client, world, people):
    response = client.get("/api/v1/series/report?year=2019", headers=token_headers(people["organizer"]))
    assert response.status_code == 200
    assert response.get_json() == {**dict.fromkeys(FIGURES, 0), **ADDED, "year": 2019, "events": [],
                                   "distinct": dict.fromkeys(DISTINCT, 0)}


@pytest.mark.parametrize("query", ["", "?year=", "?year=abc", "?year=20.5", "?year=99999999999999999999",
                                   "?year=-1", "?year=1800", "?year=x2020",
                                   "?year=true", "?year=2020.0"])
def test_bad_or_missing_year_is_422(client, world, people, query):
    response = client.get(f"/api/v1/series/report{query}", headers=token_headers(people["organizer"]))
    assert_field_errors(response, "year")


def test_nul_in_the_year_is_refused_not_a_500(client, world, people):
    response = client.get("/api/v1/series/report?year=20%0020", headers=token_headers(people["organizer"]))
    assert_error(response, 400)


def test_series_report_is_for_global_organizers_only(client, world, people):
    for who in ("event_organizer", "participant", "staff"):
        response = client.get("/api/v1/series/report?year=2026", headers=token_headers(people[who]))
        assert_error(response, 403, "forbidden")


def test_pdf_through_the_api_in_both_languages(client, world, people):
    headers = token_headers(people["organizer"])
    response = client.get("/api/v1/events/tuan-le-2026/report.pdf", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    with pdfplumber.open(io.BytesIO(response.data)) as pdf:
        vietnamese = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert "BÁO CÁO TỔNG KẾT" in vietnamese
    english = client.get("/api/v1/events/tuan-le-2026/report.pdf?lang=en", headers=headers)
    with pdfplumber.open(io.BytesIO(english.data)) as pdf:
        assert "SUMMARY REPORT" in pdf.pages[0].extract_text()
    assert_field_errors(client.get("/api/v1/events/tuan-le-2026/report.pdf?lang=fr", headers=headers), "lang")


def test_xlsx_through_the_api(client, world, people):
    headers = token_headers(people["organizer"])
    response = client.get("/api/v1/events/tuan-le-2026/report.xlsx", headers=headers)
    assert response.status_code == 200
    # Sheet names are in the report's language (api.md: Vietnamese, ?lang=en), so sheets are taken by
    # place; the key columns' headers are codes that programs look up, the same in every language.
    rows = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "figure"
    assert {row[0]: row[-1] for row in rows[1:]} == {**WEEK_FIGURES, **ADDED}
    series = client.get("/api/v1/series/report.xlsx?year=2026", headers=headers)
    assert series.status_code == 200
    book = load_workbook(io.BytesIO(series.data))
    assert book.sheetnames[:2] == ["Số liệu", "Sự kiện"]
    assert book.worksheets[0]["A1"].value == "figure" and book.worksheets[1]["A1"].value == "slug"
    english = load_workbook(io.BytesIO(client.get("/api/v1/series/report.xlsx?year=2026&lang=en",
                                                  headers=headers).data))
    assert english.worksheets[0]["A1"].value == "figure" and english.worksheets[1]["A1"].value == "slug"
    pdf = client.get("/api/v1/series/report.pdf?year=2026&lang=en", headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_openapi_describes_the_report(client, world):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/events/{slug}/report" in spec["paths"]
    assert "/api/v1/series/report" in spec["paths"]
    params = spec["paths"]["/api/v1/series/report"]["get"]["parameters"]
    assert any(p["name"] == "year" and p["required"] for p in params)
