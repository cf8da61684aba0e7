"""A client that knows only api.md builds two events of a year through the API and checks every figure of
`GET /events/{slug}/report` and `GET /series/report?year=` against what it did, then downloads the files.

The only thing outside api.md: the clock of the check-ins is moved to the event's second day (a
multi-day event admits a ticket once per day, and a test cannot wait for tomorrow).
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from eventhub.checkin import services as checkin_services
from tests.factories import PASSWORD, make_user
from tests.support.api import assert_error, assert_field_errors, parse_time

FIGURES = {
    "registrations",
    "checked_in",
    "visitor_attendances",
    "exhibitors",
    "contests",
    "entries",
    "sessions",
    "session_attendance",
    "session_checkins",
    "investors",
    "meetings_held",
    "projects_connected",
    "certificates",
}
DAY_1 = datetime.fromisoformat("2031-12-13T09:00:00+07:00")
AI_DAY = datetime.fromisoformat("2031-05-20T09:30:00+07:00")
DAY_2 = datetime.fromisoformat("2031-12-14T09:30:00+07:00")


def _token(client, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()


def _event(client, headers, slug, starts_at, ends_at, *, capacity=None, waitlist=False, approval=False):
    _ok(
        client.post(
            "/api/v1/events",
            headers=headers,
            json={
                "slug": slug,
                "name": f"Sự kiện {slug}",
                "kind": "regional_day",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "venue": "Quận 1",
            },
        ),
        201,
    )
    _ok(client.patch(f"/api/v1/events/{slug}", json={"registration_open": True}, headers=headers))
    _ok(
        client.post(
            f"/api/v1/events/{slug}/registration-types",
            headers=headers,
            json={
                "code": "visitor",
                "name": "Khách tham quan",
                "capacity": capacity,
                "waitlist": waitlist,
                "requires_approval": approval,
            },
        ),
        201,
    )


def _session(client, headers, slug, title, capacity, hour) -> int:
    body = _ok(
        client.post(
            f"/api/v1/events/{slug}/sessions",
            headers=headers,
            json={
                "title": title,
                "starts_at": f"2031-12-13T{hour}:00:00+07:00",
                "ends_at": f"2031-12-13T{hour}:45:00+07:00",
                "room": "Hội trường A",
                "capacity": capacity,
            },
        ),
        201,
    )
    return body["id"]


def _register(client, slug, n, sessions=()) -> dict:
    return _ok(
        client.post(
            f"/api/v1/events/{slug}/registrations",
            json={
                "type": "visitor",
                "full_name": f"Nguyễn Văn Khách {n}",
                "email": f"khach{n}@{slug}.vn",
                "consent": True,
                "sessions": list(sessions),
            },
        ),
        201,
    )


def _check_in(client, headers, slug, ticket, at, monkeypatch):
    monkeypatch.setattr(checkin_services, "utcnow", lambda: at)
    _ok(client.post(f"/api/v1/events/{slug}/checkins", json={"ticket_code": ticket}, headers=headers), 201)


def _issue(client, headers, slug) -> None:
    job = _ok(
        client.post(f"/api/v1/events/{slug}/certificates", json={"kind": "participation"}, headers=headers),
        202,
    )
    for _attempt in range(200):
        status = _ok(client.get(f"/api/v1/jobs/{job['job_id']}", headers=headers))
        if status["state"] == "done":
            return
        assert status["state"] in {"queued", "running"}, status


@pytest.fixture
def year(client, db, monkeypatch):
    """Two events in 2031, one in 2032, built through the API; returns the expected figures."""
    organizer = make_user("organizer", email="bantochuc@example.vn")
    headers = _token(client, organizer.email)
    # A two-day event: six people, one of them cancels, two sessions.
    _event(client, headers, "tuan-le-2031", "2031-12-13T08:00:00+07:00", "2031-12-14T17:00:00+07:00")
    talk = _session(client, headers, "tuan-le-2031", "Hội thảo Đô thị thông minh", 2, 14)
    workshop = _session(client, headers, "tuan-le-2031", "Workshop gọi vốn", None, 16)
    people = [
        _register(client, "tuan-le-2031", 1, [talk, workshop]),
        _register(client, "tuan-le-2031", 2, [talk]),
        _register(client, "tuan-le-2031", 3, [workshop]),
        _register(client, "tuan-le-2031", 4),
        _register(client, "tuan-le-2031", 5, [workshop]),
        _register(client, "tuan-le-2031", 6),
    ]
    # 1 and 2 come both days, 3 on day 1 only, 4 on day 2 only; 5 cancels (freeing a workshop seat);
    # 6 never comes.
    for person in people[:3]:
        _check_in(client, headers, "tuan-le-2031", person["ticket_code"], DAY_1, monkeypatch)
    for person in (people[0], people[1], people[3]):
        _check_in(client, headers, "tuan-le-2031", person["ticket_code"], DAY_2, monkeypatch)
    refused = client.post(
        "/api/v1/events/tuan-le-2031/checkins",
        json={"ticket_code": people[0]["ticket_code"]},
        headers=headers,
    )
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "already_checked_in"
    _ok(
        client.post(
            f"/api/v1/registrations/{people[4]['id']}/cancel",
            headers={"X-Manage-Token": people[4]["manage_token"]},
        )
    )
    _issue(client, headers, "tuan-le-2031")
    serial = _ok(client.get("/api/v1/events/tuan-le-2031/certificates", headers=headers))["items"][0][
        "serial"
    ]
    _ok(client.post(f"/api/v1/certificates/{serial}/revoke", json={"reason": "Cấp nhầm"}, headers=headers))
    # At the sessions' doors: 1 into both (booked), 4 into the workshop as a walk-in; 1 twice counts once.
    doors = ((talk, people[0]), (workshop, people[0]), (workshop, people[3]), (talk, people[0]))
    for session, person in doors:
        client.post(f"/api/v1/events/tuan-le-2031/sessions/{session}/checkins",
                    json={"ticket_code": person["ticket_code"]}, headers=headers)
    attendance = f"/api/v1/events/tuan-le-2031/sessions/{workshop}/attendance"
    assert _ok(client.get(attendance, headers=headers)) == {"booked": 2, "checked_in": 2, "walk_ins": 1}
    # A one-day event with a waiting list: two confirmed, one waitlisted; one check-in.
    _event(
        client,
        headers,
        "ngay-ai-2031",
        "2031-05-20T08:00:00+07:00",
        "2031-05-20T17:00:00+07:00",
        capacity=2,
        waitlist=True,
    )
    small = [_register(client, "ngay-ai-2031", n) for n in (7, 8, 9)]
    assert [p["status"] for p in small] == ["confirmed", "confirmed", "waitlisted"]
    # On its own day: a scan on another date is a test scan, which the report does not count.
    _check_in(client, headers, "ngay-ai-2031", small[0]["ticket_code"], AI_DAY, monkeypatch)
    # Next year's: not in 2031's series.
    _event(client, headers, "tuan-le-2032", "2032-01-05T08:00:00+07:00", "2032-01-05T17:00:00+07:00")
    _register(client, "tuan-le-2032", 10)
    zero = dict.fromkeys(FIGURES, 0)
    week = {
        **zero,
        "registrations": 5,
        "checked_in": 4,
        "visitor_attendances": 6,
        "sessions": 2,
        "session_attendance": 4,
        "session_checkins": 3,
        "certificates": 3,
    }  # 4 certificates, one revoked
    ai_day = {**zero, "registrations": 3, "checked_in": 1, "visitor_attendances": 1}
    return {"headers": headers, "week": week, "ai_day": ai_day}


def test_event_report_counts_what_the_client_did(client, year):
    headers = year["headers"]
    week = _ok(client.get("/api/v1/events/tuan-le-2031/report", headers=headers))
    assert set(week) >= FIGURES
    assert {key: week[key] for key in FIGURES} == year["week"]
    ai_day = _ok(client.get("/api/v1/events/ngay-ai-2031/report", headers=headers))
    assert {key: ai_day[key] for key in FIGURES} == year["ai_day"]
    for slug, report in (("tuan-le-2031", week), ("ngay-ai-2031", ai_day)):  # the desk's live numbers agree
        stats = _ok(client.get(f"/api/v1/events/{slug}/stats", headers=headers))
        assert stats["checked_in"] == stats["checked_in_event_days"] == report["checked_in"]
        assert sum(n for status, n in stats["registrations"].items() if status != "cancelled") == \
            report["registrations"]


def test_series_report_sums_the_events_of_the_year(client, year):
    headers = year["headers"]
    series = _ok(client.get("/api/v1/series/report?year=2031", headers=headers))
    assert FIGURES | {"events"} <= set(series)
    assert {key: series[key] for key in FIGURES} == {
        key: year["week"][key] + year["ai_day"][key] for key in FIGURES
    }
    by_slug = {event["slug"]: event for event in series["events"]}
    assert set(by_slug) == {"tuan-le-2031", "ngay-ai-2031"}
    assert {key: by_slug["tuan-le-2031"][key] for key in FIGURES} == year["week"]
    assert {key: by_slug["ngay-ai-2031"][key] for key in FIGURES} == year["ai_day"]
    for event in series["events"]:
        if "starts_at" in event:
            parse_time(event["starts_at"])
    empty = _ok(client.get("/api/v1/series/report?year=2040", headers=headers))
    assert empty["events"] == [] and all(empty[key] == 0 for key in FIGURES)


def test_the_printable_report_and_its_numbers(client, year):
    headers = year["headers"]
    pdf = client.get("/api/v1/events/tuan-le-2031/report.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Sự kiện tuan-le-2031" in text and "Báo cáo" in text
    english = client.get("/api/v1/events/tuan-le-2031/report.pdf?lang=en", headers=headers)
    assert english.status_code == 200
    assert (
        "report"
        in " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(english.data)).pages).lower()
    )
    xlsx = client.get("/api/v1/events/tuan-le-2031/report.xlsx", headers=headers)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    numbers = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] in FIGURES}
    assert numbers == year["week"]


def test_who_may_read_the_reports(client, year):
    staff = _token(client, make_user("staff").email)
    for path in (
        "/api/v1/events/tuan-le-2031/report",
        "/api/v1/events/tuan-le-2031/report.pdf",
        "/api/v1/events/tuan-le-2031/report.xlsx",
        "/api/v1/series/report?year=2031",
    ):
        assert_error(client.get(path), 401)
        assert_error(client.get(path, headers=staff), 403)
    assert_error(client.get("/api/v1/events/no-such-event/report", headers=year["headers"]), 404)


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=99999999999",
        "year=-1",
        "year=",
        "",
        "year=2031.5",
        "year=%202031",
        "year=+2031",
        "year=" + "9" * 5000,
        "year=1e3",
        "year=२०३१",
    ],
)
def test_bad_years_are_422(client, year, query):
    assert_field_errors(client.get(f"/api/v1/series/report?{query}", headers=year["headers"]), "year")


def test_a_nul_byte_in_the_year_is_refused_not_a_500(client, year):
    assert_error(
        client.get("/api/v1/series/report?year=20%0031", headers=year["headers"]), 400, "bad_request"
    )
