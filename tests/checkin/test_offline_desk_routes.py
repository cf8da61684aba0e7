"""The desk's own way to the offline kit and the batch (issue 17): /api/v1 takes bearer tokens only, so the
desk – a session page with CSRF – reaches the same services through the check-in blueprint; and what makes
the desk an installable app that opens offline (its manifest and service worker)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from eventhub.checkin.models import CheckIn
from tests.checkin.helpers import at
from tests.factories import HCMC, login, make_user

DESK = "/events/startup-week/checkin"
KIT = f"{DESK}/offline-kit"
BATCH = f"{DESK}/batch"
STATIC = Path(__file__).resolve().parents[2] / "static"




@pytest.fixture
def staff(client, gate):
    user = make_user("staff", full_name="Trương Thanh Tâm")
    login(client, user)
    return user


def _batch(client, scans, device="a1b2c3 · Cổng A", **kw):
    return client.post(BATCH, json={"device": device, "scans": scans}, **kw)


def live_checkins(db, reg_id):
    db.session.expire_all()
    return list(db.session.scalars(db.select(CheckIn).where(CheckIn.registration_id == reg_id,
                                                            CheckIn.undone_at.is_(None))))


# --- the kit -----------------------------------------------------------------------------------------

def test_the_desk_gets_the_kit_with_its_session(client, gate, staff):
    response = client.get(KIT)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    kit = response.get_json()
    assert kit["event"] == {"slug": "startup-week", "timezone": "Asia/Ho_Chi_Minh",
                            "first_day": "2026-12-14", "last_day": "2026-12-18"}
    truc = gate["truc"]
    person = next(p for p in kit["registrations"] if p["id"] == truc.id)
    assert person["ticket_fingerprint"] == hashlib.sha256(truc.ticket_code.encode()).hexdigest()
    assert person["full_name"] == "Nguyễn Thị Quý Trúc" and person["type"] == "visitor"
    assert {p["id"] for p in kit["registrations"]} == {truc.id, gate["dung"].id}  # confirmed ones only
    assert kit["csrf_token"]  # for the batch, when the page on screen is an old offline copy
    body = response.get_data(as_text=True)
    assert truc.ticket_code not in body and truc.email not in body and "0912" not in body


@pytest.mark.parametrize(("who", "status"), [("participant", 403), (None, 302)])
def test_the_kit_is_for_the_gate_only(client, gate, who, status):
    if who:
        login(client, make_user(who))
    response = client.get(KIT)
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.headers["Location"]


def test_no_kit_of_an_event_that_does_not_exist(client, gate, staff):
    assert client.get("/events/no-such-event/checkin/offline-kit").status_code == 404


# --- the batch ---------------------------------------------------------------------------------------

def test_the_desk_sends_its_queue_and_a_resend_answers_the_same(client, db, gate, staff, clock):
    truc, dung = gate["truc"], gate["dung"]
    typed = " ".join(dung.ticket_code[i:i + 4] for i in range(0, 32, 4)).lower()
    scans = [{"ticket_code": truc.ticket_code, "gate": "Cổng A", "scanned_at": at(8, 50)},
             {"ticket_code": typed, "gate": "Cổng A", "scanned_at": at(8, 51)},
             {"ticket_code": truc.ticket_code, "gate": "Cổng A", "scanned_at": at(8, 55)}]
    response = _batch(client, scans)
    assert response.status_code == 200, response.get_data(as_text=True)
    results = response.get_json()["results"]
    assert [r["result"] for r in results] == ["ok", "ok", "already_checked_in"]
    assert results[2]["checked_in_at"] == "2026-12-14T08:50:00+07:00" and results[2]["gate"] == "Cổng A"
    assert results[1]["ticket_code"] == typed  # answered as sent
    [checkin] = live_checkins(db, truc.id)
    assert checkin.checked_in_at == datetime(2026, 12, 14, 8, 50, tzinfo=HCMC)
    assert checkin.staff_id == staff.id and checkin.gate == "Cổng A"
    assert checkin.device == "a1b2c3 · Cổng A"
    again = _batch(client, scans)
    assert again.get_json() == response.get_json()
    assert len(live_checkins(db, truc.id)) == 1 and len(live_checkins(db, dung.id)) == 1


def test_an_earlier_offline_scan_of_another_gate_is_told_apart(client, db, gate, staff, clock):
    """What the desk lists as "decided differently": its scan was later than another gate's."""
    truc = gate["truc"]
    _batch(client, [{"ticket_code": truc.ticket_code, "gate": "Cổng B", "scanned_at": at(8, 40)}],
           device="other-phone")
    [answer] = _batch(client, [{"ticket_code": truc.ticket_code, "gate": "Cổng A",
                                "scanned_at": at(8, 50)}]).get_json()["results"]
    assert answer == {"ticket_code": truc.ticket_code, "result": "already_checked_in",
                      "checked_in_at": "2026-12-14T08:40:00+07:00", "gate": "Cổng B"}


def test_bad_scans_are_refused_one_by_one(client, gate, staff, clock):
    results = _batch(client, [{"ticket_code": "not a ticket", "scanned_at": at(8, 50)},
                              {"ticket_code": gate["truc"].ticket_code, "scanned_at": "yesterday"},
                              {"ticket_code": gate["dung"].ticket_code, "scanned_at": at(19, 0)},  # future
                              {"ticket_code": gate["cancelled"].ticket_code, "scanned_at": at(9, 0)}]
                     ).get_json()["results"]
    assert [r["result"] for r in results] == ["invalid_ticket", "invalid_scan", "invalid_scan",
                                              "not_confirmed"]


@pytest.mark.parametrize("body", [
    None, [], {"scans": "all of them"}, {"device": "x"}, {"scans": ["ABCD"]}, {"scans": [], "device": 7},
    {"scans": [], "device": "D" * 61},
], ids=["no-json", "list", "scans-not-a-list", "no-scans", "scan-not-an-object", "device-not-text",
        "device-too-long"])
def test_a_body_of_the_wrong_shape_is_a_clear_422(client, gate, staff, body):
    response = client.post(BATCH, json=body) if body is not None else client.post(BATCH, data="{")
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and error["fields"]


def test_a_gate_too_long_refuses_that_scan_only(client, gate, staff, clock):
    scans = [{"ticket_code": gate["truc"].ticket_code, "gate": "G" * 61, "scanned_at": at(8, 50)},
             {"ticket_code": gate["dung"].ticket_code, "scanned_at": at(8, 51)}]
    results = _batch(client, scans).get_json()["results"]
    assert [r["result"] for r in results] == ["invalid_scan", "ok"]


def test_more_than_a_thousand_scans_is_413(client, gate, staff):
    scan = {"ticket_code": gate["truc"].ticket_code, "scanned_at": at(8, 50)}
    response = _batch(client, [scan] * 1001)
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"


def test_the_batch_needs_the_desk_and_its_csrf_token(client, db, gate, monkeypatch, clock):
    scans = [{"ticket_code": gate["truc"].ticket_code, "gate": "Cổng A", "scanned_at": at(8, 50)}]
    assert _batch(client, scans).status_code == 302  # signed out: to the log-in page
    login(client, make_user("participant"))
    assert _batch(client, scans).status_code == 403
    client = client.application.test_client()
    login(client, make_user("staff"))
    monkeypatch.setitem(client.application.config, "WTF_CSRF_ENABLED", True)
    assert _batch(client, scans).status_code == 400  # no token: another site cannot post scans
    token = client.get(KIT).get_json()["csrf_token"]
    response = _batch(client, scans, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["results"][0]["result"] == "ok"
    assert len(live_checkins(db, gate["truc"].id)) == 1


# --- an installable desk -------------------------------------------------------------------------------

def test_the_service_worker_is_served_with_the_desk_as_its_scope(client, gate):
    response = client.get(f"{DESK}/sw.js")  # public: plain code, and browsers fetch it on their own
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == DESK
    assert response.get_data() == (STATIC / "js" / "checkin-sw.js").read_bytes()


@pytest.mark.parametrize(("lang", "name"), [("vi", "Bàn check-in EventHub"),
                                           ("en", "EventHub check-in desk")])
def test_the_manifest_opens_the_desk_in_the_pages_language(client, gate, lang, name):
    response = client.get(f"{DESK}/manifest.webmanifest?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == name and manifest["lang"] == lang
    assert manifest["start_url"] == manifest["scope"] == DESK and manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200 and icon["type"] == "image/png"
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes  # what browsers ask of an installable app


def test_the_desk_links_its_manifest_and_carries_its_words(client, gate, staff):
    html = client.get(DESK).get_data(as_text=True)
    head = html.split("</head>")[0]
    assert f'<link rel="manifest" href="{DESK}/manifest.webmanifest?lang=vi">' in head
    status = re.search(r'<div id="checkin-status"[^>]*>', html, re.S).group(0)
    assert " hidden" in status  # without JavaScript the desk shows nothing of the offline desk
    texts = json.loads(re.search(r"data-texts='([^']*)'", status).group(1).replace("&#39;", "'"))
    assert texts["offline"] == "ngoại tuyến" and texts["types"] == {"visitor": "Khách tham quan",
                                                                   "vip": "Khách mời"}
    assert texts["already"] == "Đã vào lúc %(time)s · %(where)s"  # the script fills the placeholders
    assert 'src="/static/js/checkin-offline.js"' in html


def _texts(client, lang):
    html = client.get(f"{DESK}?lang={lang}").get_data(as_text=True)
    status = re.search(r'<div id="checkin-status"[^>]*>', html, re.S).group(0)
    return json.loads(re.search(r"data-texts='([^']*)'", status).group(1).replace("&#39;", "'"))


def test_counted_words_come_in_both_forms_and_test_scans_in_the_online_cards_words(client, gate, staff):
    en, vi = _texts(client, "en"), _texts(client, "vi")
    assert en["minutes_ago"] == {"one": "%(n)s minute ago", "other": "%(n)s minutes ago"}
    assert en["hours"] == {"one": "%(n)s hour", "other": "%(n)s hours"}
    assert vi["minutes_ago"] == {"one": "%(n)s phút trước", "other": "%(n)s phút trước"}  # one form
    assert vi["hours_ago"] == {"one": "%(n)s giờ trước", "other": "%(n)s giờ trước"}
    assert (vi["before_event"], vi["after_event"]) == ("Sự kiện chưa bắt đầu", "Sự kiện đã kết thúc")
    assert vi["test_scan"] == "Đã ghi nhận lượt quét thử: không tính vào số liệu của sự kiện."
    assert (vi["sent_note"], en["sent_note"]) == ("Đã gửi lên máy chủ.", "Sent to the server.")
