"""A client that knows only api.md: event, types, registrations, check-ins, certificates – every field.

Nothing here reaches into the database or the services: what an outside test rig would do.
"""

from __future__ import annotations

import io
import time
from datetime import datetime

import pytest
from pypdf import PdfReader

from eventhub.checkin import services as checkin_services
from tests.factories import HCMC, PASSWORD, make_user
from tests.support.api import assert_error, parse_time

SLUG = "ngay-hoi-kn-2031"
ITEM_KEYS = {"serial", "registration_id", "kind", "holder_name", "status"}
PUBLIC_KEYS = {"serial", "holder_name", "event", "kind", "title", "issued_at", "status"}
EVENT_NAME = "Ngày hội Khởi nghiệp Đổi mới Sáng tạo 2031"
PEOPLE = [
    ("Nguyễn Thị Quý Trúc", "truc@example.vn"),
    ("Lê Văn Dũng", "dung@example.vn"),
    ("Phạm Minh Huy", "huy@example.vn"),  # registers, never comes
    ("Võ Thành Tâm", "tam@example.vn"),  # checks in, then… stays; the cancelled one is below
]


def _token(client, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) >= {"token", "expires_at"}
    parse_time(body["expires_at"])
    return {"Authorization": f"Bearer {body['token']}"}


def _wait(client, job_id: str, headers) -> dict:
    for _attempt in range(200):
        response = client.get(f"/api/v1/jobs/{job_id}", headers=headers)
        assert response.status_code == 200, response.get_json()
        status = response.get_json()
        assert status["state"] in {"queued", "running", "done", "failed"}
        if status["state"] in {"done", "failed"}:
            return status
        time.sleep(0.05)
    raise AssertionError("the job never ended")


def _issue(client, headers, body) -> dict:
    response = client.post(f"/api/v1/events/{SLUG}/certificates", json=body, headers=headers)
    assert response.status_code == 202, response.get_json()
    started = response.get_json()
    assert set(started) == {"job_id"} and isinstance(started["job_id"], str) and started["job_id"]
    status = _wait(client, started["job_id"], headers)
    assert status["state"] == "done", status
    assert isinstance(status["done"], int) and isinstance(status["total"], int)
    return status


@pytest.fixture(autouse=True)
def _at_the_event(monkeypatch):
    """The gates scan on the event's first day (the clock a rig would set): a scan before the event is a
    scanner test, which earns no participation certificate."""
    monkeypatch.setattr(checkin_services, "utcnow", lambda: datetime(2031, 12, 13, 9, 30, tzinfo=HCMC))


def _list(client, headers) -> list[dict]:
    response = client.get(f"/api/v1/events/{SLUG}/certificates", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {"items", "page", "per_page", "total"} <= set(body)
    assert body["page"] == 1 and body["total"] == len(body["items"])
    for item in body["items"]:
        assert set(item) >= ITEM_KEYS, item
    return body["items"]


def _setup(client, organizer_headers) -> dict:
    event = {
        "slug": SLUG,
        "name": EVENT_NAME,
        "kind": "regional_day",
        "starts_at": "2031-12-13T08:00:00+07:00",
        "ends_at": "2031-12-14T17:00:00+07:00",
        "venue": "Nhà Văn hóa Thanh niên, Quận 1",
    }
    response = client.post("/api/v1/events", json=event, headers=organizer_headers)
    assert response.status_code == 201, response.get_json()
    response = client.patch(
        f"/api/v1/events/{SLUG}", json={"registration_open": True}, headers=organizer_headers
    )
    assert response.status_code == 200 and response.get_json()["registration_open"] is True
    rtype = {
        "code": "visitor",
        "name": "Khách tham quan",
        "capacity": None,
        "waitlist": False,
        "requires_approval": False,
    }
    response = client.post(f"/api/v1/events/{SLUG}/registration-types", json=rtype, headers=organizer_headers)
    assert response.status_code == 201, response.get_json()
    people = {}
    for full_name, email in [*PEOPLE, ("Đỗ Thị Hoa", "hoa@example.vn")]:
        response = client.post(
            f"/api/v1/events/{SLUG}/registrations",
            json={"type": "visitor", "full_name": full_name, "email": email, "consent": True},
        )
        assert response.status_code == 201, response.get_json()
        created = response.get_json()
        assert created["status"] == "confirmed" and created["ticket_code"] and created["manage_token"]
        people[full_name] = created
    # Đỗ Thị Hoa checks in and then cancels: a cancelled registration gets no certificate.
    hoa = people.pop("Đỗ Thị Hoa")
    checked = [people["Nguyễn Thị Quý Trúc"], people["Lê Văn Dũng"], people["Võ Thành Tâm"], hoa]
    for person in checked:
        response = client.post(
            f"/api/v1/events/{SLUG}/checkins",
            json={"ticket_code": person["ticket_code"], "gate": "A"},
            headers=organizer_headers,
        )
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["result"] == "ok"
        assert response.get_json()["registration"]["id"] == person["id"]
    response = client.post(
        f"/api/v1/registrations/{hoa['id']}/cancel", headers={"X-Manage-Token": hoa["manage_token"]}
    )
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    return people


def test_certificates_as_api_md_tells_it(client, db):
    organizer = make_user("organizer", email="bantochuc@example.vn")
    make_user("staff", email="khac@example.vn")  # gate staff: no certificates
    headers = _token(client, organizer.email)
    people = _setup(client, headers)
    came = {"Nguyễn Thị Quý Trúc", "Lê Văn Dũng", "Võ Thành Tâm"}

    # Issue: a 202 job whose total counts the certificates.
    status = _issue(client, headers, {"kind": "participation"})
    assert status["total"] == status["done"] == 3
    assert "error" not in status
    result = client.get(status["result_url"], headers=headers)
    assert result.status_code == 200 and result.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(result.data)).pages) == 3
    assert client.get(status["result_url"]).status_code == 401  # "with the same authorization"

    items = _list(client, headers)
    assert {i["holder_name"] for i in items} == came
    ids = {name: people[name]["id"] for name in came}
    for item in items:
        assert item["kind"] == "participation" and item["status"] == "valid"
        assert item["registration_id"] == ids[item["holder_name"]]
        assert isinstance(item["serial"], str) and item["serial"]
    serials = {i["holder_name"]: i["serial"] for i in items}
    assert len(set(serials.values())) == 3

    # Anyone reads one.
    truc = serials["Nguyễn Thị Quý Trúc"]
    response = client.get(f"/api/v1/certificates/{truc}")
    assert response.status_code == 200, response.get_json()
    public = response.get_json()
    assert set(public) >= PUBLIC_KEYS
    assert public["serial"] == truc and public["holder_name"] == "Nguyễn Thị Quý Trúc"
    assert public["event"] == EVENT_NAME and public["kind"] == "participation" and public["status"] == "valid"
    assert isinstance(public["title"], str) and public["title"]
    parse_time(public["issued_at"])
    assert_error(client.get("/api/v1/certificates/ZZZZ-ZZZZ-ZZZZ"), 404)

    # The PDF: the organizer, the holder's manage token (X-Manage-Token), nobody else.
    pdf = client.get(f"/api/v1/certificates/{truc}.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert truc in text
    mine = client.get(
        f"/api/v1/certificates/{truc}.pdf",
        headers={"X-Manage-Token": people["Nguyễn Thị Quý Trúc"]["manage_token"]},
    )
    assert mine.status_code == 200 and mine.mimetype == "application/pdf"
    assert_error(
        client.get(
            f"/api/v1/certificates/{truc}.pdf",
            headers={"X-Manage-Token": people["Lê Văn Dũng"]["manage_token"]},
        ),
        403,
    )
    assert_error(client.get(f"/api/v1/certificates/{truc}.pdf"), 401)
    assert_error(
        client.get(f"/api/v1/certificates/{truc}.pdf", headers=_token(client, "khac@example.vn")), 403
    )

    # Revoke, twice: the second changes nothing.
    dung = serials["Lê Văn Dũng"]
    assert_error(client.post(f"/api/v1/certificates/{dung}/revoke", json={"reason": "x"}), 401)
    first = client.post(f"/api/v1/certificates/{dung}/revoke", json={"reason": "Cấp nhầm"}, headers=headers)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["status"] == "revoked" and first.get_json()["serial"] == dung
    assert set(first.get_json()) >= PUBLIC_KEYS
    again = client.post(f"/api/v1/certificates/{dung}/revoke", json={"reason": "Lần hai"}, headers=headers)
    assert again.status_code == 200 and again.get_json()["status"] == "revoked"
    assert again.get_json()["issued_at"] == first.get_json()["issued_at"]
    assert client.get(f"/api/v1/certificates/{dung}").get_json()["status"] == "revoked"

    # Issue again: the same serials, no second certificate, the revoked one stays revoked.
    status = _issue(client, headers, {"kind": "participation"})
    assert status["total"] == status["done"] == 3
    again_items = _list(client, headers)
    assert {i["holder_name"]: i["serial"] for i in again_items} == serials
    assert {i["holder_name"]: i["status"] for i in again_items}["Lê Văn Dũng"] == "revoked"

    # The verification page, for anyone.
    page = client.get(f"/verify/{truc}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Nguyễn Thị Quý Trúc" in html and EVENT_NAME in html and truc in html
    assert "13/12/2031" in html
    revoked_page = client.get(f"/verify/{dung}").get_data(as_text=True)
    assert "Lê Văn Dũng" in revoked_page and "Cấp nhầm" in revoked_page
    assert client.get("/verify/ZZZZ-ZZZZ-ZZZZ").status_code == 404


def test_every_kind_without_ids_is_what_api_md_says(client, db):
    """award, judge, speaker without ids: the people api.md names – none in an event without contests or
    speakers – and never the checked-in people."""
    organizer = make_user("organizer", email="bantochuc@example.vn")
    headers = _token(client, organizer.email)
    _setup(client, headers)
    for kind in ("award", "judge", "speaker"):
        status = _issue(client, headers, {"kind": kind})
        assert status["total"] == status["done"] == 0, (kind, status)
    assert _list(client, headers) == []


def test_speakers_are_the_names_in_the_sessions(client, db):
    """`speakers` is the sessions' optional field: a registered speaker's certificate names the
    registration, one nobody registered as has `registration_id` null; speaking twice is one certificate."""
    organizer = make_user("organizer", email="bantochuc@example.vn")
    headers = _token(client, organizer.email)
    people = _setup(client, headers)
    for hour, speakers in ((9, ["TS. Lê Văn Dũng", "ThS. Đặng Thu Thảo"]), (14, ["Lê Văn Dũng"])):
        response = client.post(
            f"/api/v1/events/{SLUG}/sessions",
            headers=headers,
            json={
                "title": f"Hội thảo {hour}h",
                "starts_at": f"2031-12-13T{hour:02d}:00:00+07:00",
                "ends_at": f"2031-12-13T{hour:02d}:45:00+07:00",
                "room": "A",
                "capacity": None,
                "speakers": speakers,
            },
        )
        assert response.status_code == 201, response.get_json()
    status = _issue(client, headers, {"kind": "speaker"})
    assert status["total"] == status["done"] == 2
    items = {i["holder_name"]: i for i in _list(client, headers)}
    assert set(items) == {"TS. Lê Văn Dũng", "ThS. Đặng Thu Thảo"}
    assert items["TS. Lê Văn Dũng"]["registration_id"] == people["Lê Văn Dũng"]["id"]
    assert items["ThS. Đặng Thu Thảo"]["registration_id"] is None
    assert all(i["kind"] == "speaker" and i["status"] == "valid" for i in items.values())


def test_registration_ids_of_another_event_are_a_clear_422(client, db):
    organizer = make_user("organizer", email="bantochuc@example.vn")
    headers = _token(client, organizer.email)
    people = _setup(client, headers)
    other = {
        "slug": "su-kien-khac",
        "name": "Sự kiện khác",
        "kind": "other",
        "starts_at": "2031-10-01T08:00:00+07:00",
        "ends_at": "2031-10-01T17:00:00+07:00",
        "venue": "Q3",
    }
    assert client.post("/api/v1/events", json=other, headers=headers).status_code == 201
    client.patch("/api/v1/events/su-kien-khac", json={"registration_open": True}, headers=headers)
    client.post(
        "/api/v1/events/su-kien-khac/registration-types",
        headers=headers,
        json={
            "code": "visitor",
            "name": "Khách",
            "capacity": None,
            "waitlist": False,
            "requires_approval": False,
        },
    )
    stranger = client.post(
        "/api/v1/events/su-kien-khac/registrations",
        json={"type": "visitor", "full_name": "Trần Văn Lạ", "email": "la@example.vn", "consent": True},
    ).get_json()
    own = people["Lê Văn Dũng"]["id"]
    for kind in ("participation", "award", "judge", "speaker"):
        response = client.post(
            f"/api/v1/events/{SLUG}/certificates",
            headers=headers,
            json={"kind": kind, "registration_ids": [own, stranger["id"]]},
        )
        error = assert_error(response, 422)
        assert list(error["fields"]) == ["registration_ids"]
        assert str(stranger["id"]) in error["fields"]["registration_ids"][0]
    assert _list(client, headers) == []
