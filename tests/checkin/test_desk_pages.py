"""The desk page at a gate and the live numbers page, as a browser without JavaScript uses them."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest

from eventhub.audit.models import AuditEntry
from eventhub.checkin import services
from eventhub.checkin.models import CheckIn
from eventhub.registration.models import Registration
from tests.factories import login, make_user

DESK = "/events/startup-week/checkin"


def _open_desk(client, role="staff", **kw):
    user = make_user(role, **kw)
    login(client, user)
    client.get("/?lang=en")  # messages in English for the assertions
    return user


def _set_gate(client, name="Cổng A"):
    response = client.post(f"{DESK}/gate", data={"gate": name})
    assert response.status_code == 302 and response.headers["Location"].endswith(DESK)
    return response


def _result(html: str) -> str:
    match = re.search(r'<div id="checkin-result".*?</div>', html, re.S)
    assert match, html[:2000]
    return match.group(0)


def _scan_field(html: str) -> str:
    match = re.search(r'<input[^>]*name="ticket_code"[^>]*>', html)
    assert match
    return match.group(0)


def test_the_desk_is_ready_for_a_scanner(client, gate):
    _open_desk(client)
    html = client.get(DESK).get_data(as_text=True)
    field = _scan_field(html)
    assert "autofocus" in field and 'value=""' in field and 'autocomplete="off"' in field
    assert re.search(r'<form method="post" action="/events/startup-week/checkin" id="scan-form"', html)
    assert 'data-result' not in _result(html) and "Ready: scan a ticket." in html
    # No inline script (the CSP allows only our own files), and the enhancement is linked.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert '<script src="/static/js/checkin.js"></script>' in html
    assert "script-src 'self'" in client.get(DESK).headers["Content-Security-Policy"]


def test_a_valid_scan_shows_green_with_name_type_and_organization(client, db, gate, at_the_event):
    staff = _open_desk(client)
    _set_gate(client, "Cổng A")
    response = client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    result = _result(html)
    assert 'class="checkin-result checkin-ok" data-result="ok"' in result
    for text in ("Checked in", "Nguyễn Thị Quý Trúc", "Khách tham quan", "Công ty Cổ phần Đổi Mới", "Cổng A"):
        assert text in result, text
    # Ready for the next scan: the field is empty and focused again.
    field = _scan_field(html)
    assert 'value=""' in field and "autofocus" in field
    checkin = db.session.scalar(db.select(CheckIn))
    assert checkin.gate == "Cổng A" and checkin.staff_id == staff.id
    assert db.session.get(Registration, gate["truc"].id).status.value == "confirmed"


def test_the_gate_is_remembered_in_a_cookie_and_used_for_each_scan(client, db, gate):
    _open_desk(client)
    _set_gate(client, "  Cổng   Nam ")
    cookie = client.get_cookie("eventhub_gate")
    assert cookie is not None and unquote(cookie.value) == "Cổng Nam"
    assert cookie.expires is not None  # kept on this device, not only for the browser session
    assert "Cổng Nam" in client.get(DESK).get_data(as_text=True)
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    client.set_cookie("eventhub_gate", quote("Cổng Bắc"))  # another device
    client.post(DESK, data={"ticket_code": gate["dung"].ticket_code})
    gates = dict(db.session.execute(db.select(CheckIn.registration_id, CheckIn.gate)).all())
    assert gates == {gate["truc"].id: "Cổng Nam", gate["dung"].id: "Cổng Bắc"}


def test_a_gate_cookie_no_form_could_set_counts_as_no_gate(client, db, gate):
    _open_desk(client)
    client.set_cookie("eventhub_gate", "G" * 500)
    assert client.get(DESK).status_code == 200
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    assert db.session.scalar(db.select(CheckIn.gate)) == ""


def test_a_gate_name_too_long_is_refused_with_a_message(client, gate):
    _open_desk(client)
    response = client.post(f"{DESK}/gate", data={"gate": "C" * 61}, follow_redirects=True)
    assert client.get_cookie("eventhub_gate") is None
    assert "alert-danger" in response.get_data(as_text=True)


def test_a_second_scan_shows_red_with_the_time_and_gate(client, db, gate, at_the_event):
    # On an event day: a second test scan before the event is amber (tests/checkin/test_test_scans.py).
    _open_desk(client)
    _set_gate(client, "Cổng A")
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    first = db.session.scalar(db.select(CheckIn))
    time = first.checked_in_at.astimezone(gate["event"].tz).strftime("%H:%M")
    _set_gate(client, "Cổng B")
    response = client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    assert response.status_code == 409
    result = _result(response.get_data(as_text=True))
    assert 'checkin-refused" data-result="already_checked_in"' in result
    assert f"Already entered at {time} · Cổng A" in result  # the first scan's gate, not this one's
    assert "Nguyễn Thị Quý Trúc" in result


@pytest.mark.parametrize(("ticket", "status", "code", "words"), [
    (lambda g, o: "NOT-A-TICKET", 400, "invalid_ticket", "Not a ticket"),
    (lambda g, o: g["truc"].ticket_code[:-3], 400, "invalid_ticket", "Not a ticket"),
    (lambda g, o: g["cancelled"].ticket_code, 409, "not_confirmed", "This registration is cancelled."),
    (lambda g, o: o["reg"].ticket_code, 409, "wrong_event", "Ngày hội Trí tuệ nhân tạo Việt Nam"),
], ids=["garbage", "truncated", "cancelled", "wrong-event"])
def test_a_refused_scan_shows_red_with_the_reason_in_words(client, db, gate, other_event, ticket, status,
                                                           code, words):
    _open_desk(client)
    response = client.post(DESK, data={"ticket_code": ticket(gate, other_event)})
    assert response.status_code == status
    html = response.get_data(as_text=True)
    result = _result(html)
    assert f'checkin-refused" data-result="{code}"' in result and words in result
    assert 'value=""' in _scan_field(html)
    assert db.session.scalar(db.select(db.func.count(CheckIn.id))) == 0


def test_the_cancelled_headline_says_cancelled(client, gate):
    _open_desk(client)
    response = client.post(DESK, data={"ticket_code": gate["cancelled"].ticket_code})
    result = _result(response.get_data(as_text=True))
    assert re.search(r'class="checkin-verdict">.*?Cancelled</p>', result, re.S)


def test_an_empty_scan_does_nothing(client, db, gate):
    _open_desk(client)
    response = client.post(DESK, data={"ticket_code": "   "})
    assert response.status_code == 200 and "data-result" not in _result(response.get_data(as_text=True))


@pytest.mark.parametrize("q", ["nguyen thi quy truc", "TRUC", "0912 345 678", "truc.nguyen@example"])
def test_manual_look_up_and_check_in_without_diacritics(client, db, gate, q):
    _open_desk(client)
    _set_gate(client, "Bàn hỗ trợ")
    html = client.get(DESK, query_string={"q": q}).get_data(as_text=True)
    assert "Nguyễn Thị Quý Trúc" in html and "Lê Văn Dũng" not in html
    action = f"/events/startup-week/checkin/registrations/{gate['truc'].id}"
    assert f'action="{action}"' in html
    assert "truc.nguyen@example.vn" not in html  # the desk shows a hint of the address, not all of it
    response = client.post(action, data={"q": q})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-result="ok"' in _result(html)
    assert "Checked in at" in html and f'action="{action}"' not in html  # no second button today
    assert db.session.scalar(db.select(CheckIn.gate)) == "Bàn hỗ trợ"


def test_manual_look_up_shows_a_cancelled_person_without_a_button(client, gate):
    _open_desk(client)
    html = client.get(DESK, query_string={"q": "pham minh huy"}).get_data(as_text=True)
    assert "Phạm Minh Huy" in html and "Cancelled" in html
    assert f"/checkin/registrations/{gate['cancelled'].id}" not in html
    response = client.post(f"{DESK}/registrations/{gate['cancelled'].id}")
    assert response.status_code == 409 and 'data-result="not_confirmed"' in response.get_data(as_text=True)


def test_manual_check_in_of_another_events_registration_is_404(client, gate, other_event):
    _open_desk(client)
    assert client.post(f"{DESK}/registrations/{other_event['reg'].id}").status_code == 404
    assert client.post(f"{DESK}/registrations/99999999999").status_code == 404


def test_organizers_undo_a_recent_check_in_and_it_is_audited(client, db, gate):
    organizer = _open_desk(client, "organizer")
    page = client.post(DESK, data={"ticket_code": gate["truc"].ticket_code}).get_data(as_text=True)
    checkin = db.session.scalar(db.select(CheckIn))
    undo = f"/events/startup-week/checkin/{checkin.id}/undo"
    assert f'action="{undo}"' in page
    response = client.post(undo, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The check-in of Nguyễn Thị Quý Trúc is undone" in html and "undone</span>" in html
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "checkin.undone"))
    assert entry.actor_id == organizer.id
    again = client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    assert 'data-result="ok"' in _result(again.get_data(as_text=True))
    assert "already been undone" in client.post(undo, follow_redirects=True).get_data(as_text=True)


def test_the_stats_page_shows_the_live_numbers(client, db, gate, at_the_event):
    _open_desk(client)
    _set_gate(client, "Cổng A")
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    client.post(DESK, data={"ticket_code": gate["dung"].ticket_code})
    response = client.get(f"{DESK}/stats")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'data-figure="checked_in_today">2<', html)
    assert re.search(r'data-figure="checked_in_event_days">2<', html)
    assert re.search(r'data-figure="confirmed">2<', html)
    visitor = re.search(r'<tr data-type="visitor">.*?</tr>', html, re.S).group(0)
    assert "Khách tham quan" in visitor and re.search(r'data-count="checked_in_event_days">2<', visitor)
    assert "checkin-test-note" not in html  # an event day, no test scans
    assert re.search(r'<tr data-gate="Cổng A">.*?<td class="text-end">2</td>', html, re.S)
    assert len(re.findall(r"<tr data-slot=", html)) >= 1
    # It refreshes itself: a script of our own, and a meta refresh for browsers without scripts.
    assert '<noscript><meta http-equiv="refresh"' in html and "js/checkin.js" in html
    assert not re.search(r'style="', html)  # the CSP allows no inline styles: bars are <meter>s


def test_the_manage_page_links_to_the_desk_and_the_numbers(client, gate):
    _open_desk(client, "organizer")
    html = client.get("/events/startup-week/manage").get_data(as_text=True)
    assert 'href="/events/startup-week/checkin"' in html
    assert 'href="/events/startup-week/checkin/stats"' in html


def test_the_recent_list_shows_who_came_and_where(client, gate):
    services.check_in(gate["event"], gate["dung"].ticket_code, gate="Cổng Đông")
    _open_desk(client)
    recent = re.search(r'<section id="checkin-recent".*?</section>', client.get(DESK).get_data(as_text=True),
                       re.S).group(0)
    assert "Lê Văn Dũng" in recent and "Cổng Đông" in recent


def test_the_event_page_leads_gate_staff_to_the_desk(client, db):
    from tests.factories import login, make_user, open_event

    event = open_event()
    anonymous = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f"/events/{event.slug}/checkin" not in anonymous
    login(client, make_user("staff"))
    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert f"/events/{event.slug}/checkin" in page


def test_the_desk_offers_the_camera_scanner_served_locally(client, db):
    from tests.factories import login, make_user, open_event

    event = open_event()
    login(client, make_user("staff"))
    page = client.get(f"/events/{event.slug}/checkin").get_data(as_text=True)
    assert 'id="camera-toggle"' in page and 'id="camera-view"' in page
    for script in ("/static/vendor/jsqr/jsQR.js", "/static/js/camera-scan.js"):
        assert script in page
        response = client.get(script)
        assert response.status_code == 200 and len(response.data) > 1000


def test_a_successful_scan_offers_to_print_the_badge(client, db):
    from datetime import UTC, datetime, timedelta

    from tests.factories import login, make_type, make_user, open_event, register

    now = datetime.now(UTC)  # a scan on the event's day (a test scan before it is answered apart)
    event = open_event(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8))
    reg, _token = register(event, make_type(event))
    login(client, make_user("staff"))
    page = client.post(f"/events/{event.slug}/checkin", data={"ticket_code": reg.ticket_code}).get_data(
        as_text=True)
    badge = f"/events/{event.slug}/registrations/{reg.id}/badge.pdf"
    # The button posts (printing is logged), then the browser is sent to the badge.
    assert f'method="post" target="_blank" class="mt-2"\n          action="{badge}"' in page
    posted = client.post(badge)
    assert posted.status_code == 303
    response = client.get(posted.headers["Location"])
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_pages_for_a_signed_out_visitor_forget_the_desks_offline_copies(client, gate):
    """static/js/checkin-forget.js (the browser side: tests/e2e/test_offline_desk.py) runs on every page
    of a signed-out visitor – after signing out, or once the session has ended – and never at the desk."""
    forget = '<script src="/static/js/checkin-forget.js"></script>'
    assert forget in client.get("/").get_data(as_text=True)
    assert forget in client.get("/login").get_data(as_text=True)
    _open_desk(client)
    assert forget not in client.get(DESK).get_data(as_text=True)
    assert forget not in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache"'  # HTTP cache only: the queue is IndexedDB
    assert forget in client.get(response.headers["Location"]).get_data(as_text=True)
