"""A workshop's door (issue 17.2, the HTML side) as a browser without JavaScript uses it: plain POST scans,
the answer in words, the room's numbers, the list of who came in, and the ways to get there."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from eventhub.checkin import services
from eventhub.checkin.models import SessionCheckIn
from tests.factories import HCMC, PASSWORD, login, make_session, make_user, register

from .helpers import MORNING

SLUG = "startup-week"


def door_url(session, slug=SLUG) -> str:
    return f"/events/{slug}/checkin/sessions/{session.id}"


@pytest.fixture
def at_the_door(monkeypatch, at_the_event):
    """The desk's clock (MORNING, the event's first day), the door's pages included."""
    from eventhub.checkin import door_routes, panels

    monkeypatch.setattr(door_routes, "utcnow", lambda: MORNING)
    monkeypatch.setattr(panels, "utcnow", lambda: MORNING)
    return MORNING


@pytest.fixture
def workshop(gate, at_the_door):
    """Today 09:00, two seats: Lan booked one; Trúc and Dũng did not book (one walk-in seat)."""
    event = gate["event"]
    session = make_session(event, title="Hội thảo Đô thị thông minh", room="Phòng A", capacity=2)
    lan, _t = register(event, gate["visitor"], full_name="Hoàng Thị Lan", email="lan@example.vn",
                       session_ids=[session.id])
    return {**gate, "session": session, "lan": lan}


def _open(client, role="staff", lang="en", **kw):
    user = make_user(role, **kw)
    login(client, user)
    client.get(f"/?lang={lang}")
    return user


def _result(html: str) -> str:
    match = re.search(r'<div id="checkin-result".*?</div>', html, re.S)
    assert match, html[:2000]
    return match.group(0)


def _figures(html: str) -> dict[str, str]:
    """The room's numbers as the door shows them (data-figure → the text shown)."""
    match = re.search(r'<section id="door-occupancy".*?</section>', html, re.S)
    assert match, html[:2000]
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', match.group(0)))


def _scan(client, session, code):
    response = client.post(door_url(session), data={"ticket_code": code})
    return response, response.get_data(as_text=True)


def test_the_door_is_ready_for_a_scanner_and_shows_the_room(client, workshop):
    _open(client)
    response = client.get(door_url(workshop["session"]))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    field = re.search(r'<input[^>]*name="ticket_code"[^>]*>', html).group(0)
    assert "autofocus" in field and 'value=""' in field and 'autocomplete="off"' in field
    assert f'<form method="post" action="{door_url(workshop["session"])}" id="scan-form"' in html
    assert "Hội thảo Đô thị thông minh" in html and "09:00–10:30 · Phòng A" in html
    assert "Ready: scan a ticket." in _result(html)
    assert _figures(html) == {"inside": "0", "capacity": "2", "booked": "1", "booked_in": "0 of them in",
                              "walk_ins": "0", "seats_left": "1"}
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP script-src 'self')
    assert '<script src="/static/js/checkin-door.js"></script>' in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_booked_person_comes_in_green_and_is_counted(client, db, workshop):
    staff = _open(client)
    response, html = _scan(client, workshop["session"], workshop["lan"].ticket_code)
    assert response.status_code == 200
    result = _result(html)
    assert 'class="checkin-result checkin-ok" data-result="booked"' in result
    for text in ("Booked", "Hoàng Thị Lan", "Khách tham quan", "08:42"):
        assert text in result, text
    assert 'value=""' in re.search(r'<input[^>]*name="ticket_code"[^>]*>', html).group(0)
    assert _figures(html) == {"inside": "1", "capacity": "2", "booked": "1",
                                   "booked_in": "1 of them in", "walk_ins": "0", "seats_left": "1"}
    entry = db.session.scalar(db.select(SessionCheckIn))
    assert entry.registration_id == workshop["lan"].id and entry.staff_id == staff.id and not entry.walk_in
    assert "Hoàng Thị Lan" in re.search(r'<section id="door-recent".*?</section>', html, re.S).group(0)


def test_a_walk_in_takes_the_free_seat_then_the_session_is_full(client, db, workshop):
    _open(client)
    response, html = _scan(client, workshop["session"], workshop["truc"].ticket_code)
    assert response.status_code == 200
    result = _result(html)
    assert 'checkin-ok" data-result="walk_in"' in result and "Walk-in – seat free" in result
    assert "Nguyễn Thị Quý Trúc" in result
    figures = _figures(html)
    assert (figures["inside"], figures["walk_ins"], figures["seats_left"]) == ("1", "1", "0")
    assert "No seat left for walk-ins" in html

    response, html = _scan(client, workshop["session"], workshop["dung"].ticket_code)
    assert response.status_code == 409
    result = _result(html)
    assert 'checkin-refused" data-result="session_full"' in result
    assert "Session full" in result and "Did not book, and no seat is left: do not let in." in result
    assert "Lê Văn Dũng" in result
    assert _figures(html)["inside"] == "1"
    # The booked person still comes in when the room is full for walk-ins.
    response, html = _scan(client, workshop["session"], workshop["lan"].ticket_code)
    assert response.status_code == 200 and 'data-result="booked"' in _result(html)
    assert db.session.scalar(db.select(db.func.count(SessionCheckIn.id))) == 2


def test_the_same_person_twice_is_already_in_since_the_first_scan(client, db, workshop):
    _open(client)
    _scan(client, workshop["session"], workshop["lan"].ticket_code)
    response, html = _scan(client, workshop["session"], workshop["lan"].ticket_code)
    assert response.status_code == 409
    result = _result(html)
    assert 'checkin-refused" data-result="already_checked_in"' in result
    assert "Already in" in result and "Scanned in at 08:42 already" in result and "Hoàng Thị Lan" in result
    assert _figures(html)["inside"] == "1"


@pytest.mark.parametrize(("ticket", "status", "code", "words"), [
    (lambda w, o: o["reg"].ticket_code, 409, "wrong_event",
     ("Another event’s ticket", "Ngày hội Trí tuệ nhân tạo Việt Nam")),
    (lambda w, o: w["cancelled"].ticket_code, 409, "not_confirmed",
     ("Not confirmed", "This registration is cancelled.", "Phạm Minh Huy")),
    (lambda w, o: "NOT-A-TICKET", 400, "invalid_ticket", ("Not a ticket",)),
], ids=["wrong-event", "cancelled", "garbage"])
def test_a_refusal_is_red_with_the_reason_and_admits_nobody(client, db, workshop, other_event, ticket, status,
                                                            code, words):
    _open(client)
    response, html = _scan(client, workshop["session"], ticket(workshop, other_event))
    assert response.status_code == status
    result = _result(html)
    assert f'checkin-refused" data-result="{code}"' in result
    for text in words:
        assert text in result, text
    assert "Đặng Hoài Nam" not in result  # the other event's person stays with that event's staff
    assert db.session.scalar(db.select(db.func.count(SessionCheckIn.id))) == 0
    assert _figures(html)["inside"] == "0"


def test_enter_on_an_empty_field_says_nothing_and_records_nothing(client, db, workshop):
    _open(client)
    for blank in ("", "   "):
        response, html = _scan(client, workshop["session"], blank)
        assert response.status_code == 200
        assert "data-result" not in _result(html) and "Ready: scan a ticket." in html
    assert db.session.scalar(db.select(db.func.count(SessionCheckIn.id))) == 0


def test_the_door_speaks_vietnamese_by_default(client, workshop):
    login(client, make_user("staff"))
    html = client.post(door_url(workshop["session"]),
                       data={"ticket_code": workshop["truc"].ticket_code}).get_data(as_text=True)
    assert "Vãng lai – còn ghế" in _result(html)
    assert "Hết ghế cho khách vãng lai" in html and "Trong phòng" in html
    html = client.post(door_url(workshop["session"]),
                       data={"ticket_code": workshop["dung"].ticket_code}).get_data(as_text=True)
    assert "Hết chỗ" in _result(html) and "Chưa đặt chỗ và đã hết ghế: không cho vào." in _result(html)


def test_the_numbers_follow_scans_made_at_another_door(client, db, workshop):
    """The page a door's screen refreshes itself from counts what other devices let in meanwhile."""
    _open(client)
    services.check_in_session(workshop["event"], workshop["session"], workshop["lan"].ticket_code)
    services.check_in_session(workshop["event"], workshop["session"], workshop["truc"].ticket_code)
    figures = _figures(client.get(door_url(workshop["session"])).get_data(as_text=True))
    assert figures == {"inside": "2", "capacity": "2", "booked": "1", "booked_in": "1 of them in",
                       "walk_ins": "1", "seats_left": "0"}


def test_a_session_without_a_seat_limit_lets_walk_ins_in(client, workshop):
    session = make_session(workshop["event"], title="Diễn đàn mở", capacity=None)
    _open(client)
    for reg in (workshop["truc"], workshop["dung"]):
        response, html = _scan(client, session, reg.ticket_code)
        assert response.status_code == 200 and 'data-result="walk_in"' in _result(html)
    figures = _figures(html)
    assert (figures["inside"], figures["seats_left"]) == ("2", "∞") and "capacity" not in figures
    assert "scanned in · no seat limit" in html


def test_a_session_on_another_day_says_so(client, workshop):
    later = make_session(workshop["event"], title="Hội thảo ngày 2",
                         starts_at=datetime(2026, 12, 15, 9, 0, tzinfo=HCMC),
                         ends_at=datetime(2026, 12, 15, 11, 0, tzinfo=HCMC))
    _open(client)
    assert "data-other-day" in client.get(door_url(later)).get_data(as_text=True)
    assert "data-other-day" not in client.get(door_url(workshop["session"])).get_data(as_text=True)


# --- who may open the door ---------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "post"])
def test_another_events_session_is_not_found_here(client, db, workshop, other_event, method):
    far = make_session(other_event["event"], title="Hội thảo AI")
    _open(client, "organizer")
    for path in (door_url(far), f"{door_url(far)}/attendance"):
        if method == "post" and path.endswith("attendance"):
            continue
        response = getattr(client, method)(path, data={"ticket_code": workshop["lan"].ticket_code})
        assert response.status_code == 404, path
    assert client.get(door_url(far, slug="ai-day")).status_code == 200  # under its own event, it opens
    assert db.session.scalar(db.select(db.func.count(SessionCheckIn.id))) == 0


@pytest.mark.parametrize("role", ["participant", "other_staff"])
def test_others_are_refused_the_door_and_the_list(client, db, workshop, accounts, role):
    login(client, accounts[role])
    session = workshop["session"]
    assert client.get(door_url(session)).status_code == 403
    scan = client.post(door_url(session), data={"ticket_code": workshop["lan"].ticket_code})
    assert scan.status_code == 403
    assert client.get(f"{door_url(session)}/attendance").status_code == 403
    assert db.session.scalar(db.select(db.func.count(SessionCheckIn.id))) == 0


def test_strangers_are_sent_to_sign_in(client, workshop):
    response = client.get(door_url(workshop["session"]))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["event_staff", "event_organizer", "organizer", "staff"])
def test_the_gate_team_opens_the_door_and_the_list(client, workshop, accounts, role):
    login(client, accounts[role])
    assert client.get(door_url(workshop["session"])).status_code == 200
    assert client.get(f"{door_url(workshop['session'])}/attendance").status_code == 200


# --- who came in, and the ways to the door ---------------------------------------------------------

def test_the_attendance_page_names_who_came_booked_or_walk_in_and_when(client, workshop, accounts):
    login(client, accounts["event_staff"])
    client.get("/?lang=en")
    session = workshop["session"]
    client.post(door_url(session), data={"ticket_code": workshop["lan"].ticket_code})
    client.post(door_url(session), data={"ticket_code": workshop["truc"].ticket_code})
    html = client.get(f"{door_url(session)}/attendance").get_data(as_text=True)
    table = re.search(r'<section id="door-entries".*?</section>', html, re.S).group(0)
    rows = re.findall(r'<tr data-registration="(\d+)">(.*?)</tr>', table, re.S)
    assert [int(reg_id) for reg_id, _row in rows] == [workshop["truc"].id, workshop["lan"].id]  # newest first
    truc, lan = (row for _id, row in rows)
    assert "Nguyễn Thị Quý Trúc" in truc and "walk-in" in truc and "08:42" in truc
    assert "Công ty Cổ phần Đổi Mới" in truc
    assert "Hoàng Thị Lan" in lan and "booked" in lan and "walk-in" not in lan
    assert "People scanned in (2)" in table
    assert _figures(html)["inside"] == "2"
    assert f'href="{door_url(session)}"' in html  # back to the door


def test_the_sessions_page_shows_each_doors_numbers_and_links(client, workshop):
    session = workshop["session"]
    empty = make_session(workshop["event"], title="Phiên chưa ai vào")
    services.check_in_session(workshop["event"], session, workshop["lan"].ticket_code)
    services.check_in_session(workshop["event"], session, workshop["truc"].ticket_code)
    _open(client, "organizer")
    html = client.get(f"/events/{SLUG}/sessions/manage").get_data(as_text=True)
    row = re.search(rf'<tr id="session-{session.id}">.*?</tr>', html, re.S).group(0)
    assert "At the door: 2 in (walk-ins: 1)" in row
    assert f'href="{door_url(session)}/attendance"' in row and f'href="{door_url(session)}"' in row
    assert "Door mode" in row
    other_row = re.search(rf'<tr id="session-{empty.id}">.*?</tr>', html, re.S).group(0)
    assert "At the door: 0 in (walk-ins: 0)" in other_row


def test_the_desk_lists_todays_doors(client, workshop):
    make_session(workshop["event"], title="Hội thảo ngày 2", room="Phòng B",
                 starts_at=datetime(2026, 12, 15, 9, 0, tzinfo=HCMC),
                 ends_at=datetime(2026, 12, 15, 11, 0, tzinfo=HCMC))
    no_room = make_session(workshop["event"], title="Tọa đàm buổi chiều", room="",
                           starts_at=datetime(2026, 12, 14, 14, 0, tzinfo=HCMC),
                           ends_at=datetime(2026, 12, 14, 15, 0, tzinfo=HCMC))
    _open(client)
    html = client.get(f"/events/{SLUG}/checkin").get_data(as_text=True)
    # Folded under the gate's setting, above the scan field (not below the latest check-ins).
    doors = re.search(r'<details id="checkin-doors".*?</details>', html, re.S).group(0)
    assert html.index('id="checkin-doors"') < html.index('id="scan-form"')
    assert "Door mode for a workshop (2 today)" in doors
    links = re.findall(r'href="([^"]+)">\s*([^<]*?)\s*</a>', doors)
    assert links == [  # today's, in time order; not tomorrow's
        (door_url(workshop["session"]), "Door mode: Hội thảo Đô thị thông minh (09:00, Phòng A)"),
        (door_url(no_room), "Door mode: Tọa đàm buổi chiều (14:00)")]


def test_the_event_page_gives_the_gate_team_todays_doors(client, workshop):
    _open(client)
    html = client.get(f"/events/{SLUG}").get_data(as_text=True)
    assert f'href="{door_url(workshop["session"])}"' in html
    client.post("/logout")
    assert door_url(workshop["session"]) not in client.get(f"/events/{SLUG}").get_data(as_text=True)


# --- in a real browser ---------------------------------------------------------------------------------

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.mark.slow  # a real browser
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}],
                         ids=["phone", "desk"])
def test_the_door_in_a_browser_answers_each_scan_and_keeps_its_numbers_live(live_url, workshop, browser,
                                                                            monkeypatch, viewport, request):
    """Scans through the page's script: the card and the numbers change at once; a scan at another door
    shows up by itself a moment later, the last answer staying on the screen."""
    from eventhub.checkin import door_routes

    monkeypatch.setattr(door_routes, "REFRESH_SECONDS", 1)
    event, session = workshop["event"], workshop["session"]
    session.capacity = 3
    minh, _t = register(event, workshop["visitor"], full_name="Phan Văn Minh", email="minh@example.vn",
                        session_ids=[session.id])
    staff = make_user("staff", full_name="Trương Thanh Tâm")
    size = request.node.callspec.id
    page = browser.new_page(viewport=viewport)
    page.goto(f"{live_url}/login")
    page.fill("input[name=email]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.goto(f"{live_url}{door_url(session)}")
    inside = page.locator('#door-occupancy [data-figure="inside"]')  # found anew: the block is replaced
    expect(inside).to_have_text("0")

    def scan(reg, result):
        page.fill("#ticket_code", reg.ticket_code)
        page.press("#ticket_code", "Enter")
        page.wait_for_selector(f'#checkin-result [data-result="{result}"]')
        assert page.input_value("#ticket_code") == ""
        assert page.evaluate("document.activeElement.id") == "ticket_code"

    scan(workshop["lan"], "booked")
    expect(inside).to_have_text("1")
    page.screenshot(path=str(SHOTS / f"door-{size}-1-booked.png"))
    scan(workshop["truc"], "walk_in")
    page.wait_for_selector("#door-occupancy [data-full]")
    assert page.locator('#door-occupancy [data-figure="seats_left"]').inner_text() == "0"
    page.screenshot(path=str(SHOTS / f"door-{size}-2-walk-in.png"))
    scan(workshop["dung"], "session_full")
    expect(inside).to_have_text("2")
    page.screenshot(path=str(SHOTS / f"door-{size}-3-full.png"))

    services.check_in_session(event, session, minh.ticket_code)  # another door, another device
    expect(inside).to_have_text("3", timeout=5000)
    assert page.locator('#checkin-result [data-result="session_full"]').count() == 1  # the answer stays
    assert "Phan Văn Minh" in page.inner_text("#door-recent")
    page.screenshot(path=str(SHOTS / f"door-{size}-4-refreshed.png"))

    # The server out of reach: a red card says so in words, and the next scan goes as usual.
    page.route(f"{live_url}{door_url(session)}", lambda route: route.abort("internetdisconnected")
               if route.request.method == "POST" else route.continue_())
    page.fill("#ticket_code", minh.ticket_code)
    page.press("#ticket_code", "Enter")
    card = page.wait_for_selector('#checkin-result [data-result="offline"]')
    assert card.text_content() == "✕ Mất kết nối: lượt quét có thể chưa được ghi nhận. Vui lòng quét lại."
    assert "checkin-busy" not in page.get_attribute("#checkin-result", "class")  # not dimmed as if waiting
    page.unroute(f"{live_url}{door_url(session)}")
    scan(minh, "already_checked_in")

    page.click(f'a[href="{door_url(session)}/attendance"]')  # who came in: the names, booked or walk-in
    rows = page.locator("#door-entries tbody tr")
    expect(rows).to_have_count(3)
    assert "Phan Văn Minh" in rows.nth(0).inner_text() and "Hoàng Thị Lan" in rows.nth(2).inner_text()
    page.screenshot(path=str(SHOTS / f"door-{size}-5-attendance.png"), full_page=True)
    page.close()


@pytest.mark.slow  # a real browser
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}],
                         ids=["phone", "desk"])
def test_the_desk_offers_the_doors_folded_above_the_scan_field(live_url, workshop, browser, viewport,
                                                                request):
    """The doors are one folded line under the gate's setting: seen at once, and on a phone the scan field
    and the answer's card still share the first screen."""
    size = request.node.callspec.id
    staff = make_user("staff", full_name="Trương Thanh Tâm")
    page = browser.new_page(viewport=viewport, is_mobile=size == "phone", has_touch=size == "phone")
    page.goto(f"{live_url}/login")
    page.fill("input[name=email]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.goto(f"{live_url}/events/{SLUG}/checkin?lang=en")
    page.fill("#gate", "Cổng A")  # as at a gate: its setting is folded too
    page.click("form:has(#gate) button[type=submit]")
    page.wait_for_selector(".checkin-gate:not([open])")
    summary = page.locator("#checkin-doors > summary")
    expect(summary).to_have_text("Door mode for a workshop (1 today)")
    expect(summary).to_be_in_viewport()
    link = page.locator(f'#checkin-doors a[href="{door_url(workshop["session"])}"]')
    expect(link).to_be_hidden()  # folded
    page.screenshot(path=str(SHOTS / f"desk-doors-{size}-1-folded.png"))
    field = page.locator("#ticket_code").bounding_box()
    assert field["y"] + field["height"] < viewport["height"] * 0.6, field
    expect(page.locator("#checkin-result")).to_be_in_viewport()  # and the answer's card below it
    summary.click()
    expect(link).to_be_visible()
    expect(link).to_have_text("Door mode: Hội thảo Đô thị thông minh (09:00, Phòng A)")
    page.screenshot(path=str(SHOTS / f"desk-doors-{size}-2-open.png"))
    link.click()
    page.wait_for_url(f"**{door_url(workshop['session'])}")
    expect(page.locator("#door-occupancy")).to_be_visible()
    page.close()


# --- the door on another day, after the session, and bad codes (walk 17) -------------------------------

@pytest.fixture
def clock(monkeypatch, at_the_door):
    """Moves the door's and the rules' clock: clock(datetime) → that moment from now on."""
    from eventhub.checkin import door_routes

    def move(moment):
        monkeypatch.setattr(services, "utcnow", lambda: moment)
        monkeypatch.setattr(door_routes, "utcnow", lambda: moment)
        return moment

    return move


def _later_session(workshop):
    return make_session(workshop["event"], title="Hội thảo ngày 2",
                        starts_at=datetime(2026, 12, 15, 9, 0, tzinfo=HCMC),
                        ends_at=datetime(2026, 12, 15, 11, 0, tzinfo=HCMC))


def test_a_scan_on_another_day_is_an_amber_test_scan_shown_with_its_date(client, db, workshop, clock):
    later = _later_session(workshop)
    _open(client, lang="vi")
    response, html = _scan(client, later, workshop["lan"].ticket_code)
    assert response.status_code == 200  # recorded, as the API's 201 records it
    result = _result(html)
    assert 'checkin-test" data-result="test_scan"' in result and "checkin-ok" not in result
    assert "Lượt quét thử: phiên này diễn ra ngày 15/12/2026" in result and "Hoàng Thị Lan" in result
    html = client.get(f"{door_url(later)}/attendance").get_data(as_text=True)
    row = re.search(r'<tr data-registration="\d+">(.*?)</tr>', html, re.S).group(1)
    assert "data-off-day" in row and "14/12/2026" in row and "quét thử" in row
    # On the session's day the same person comes in green: the test entry becomes the real one.
    clock(datetime(2026, 12, 15, 8, 55, tzinfo=HCMC))
    response, html = _scan(client, later, workshop["lan"].ticket_code)
    assert response.status_code == 200 and 'checkin-ok" data-result="walk_in"' in _result(html)
    assert db.session.scalar(db.select(db.func.count(SessionCheckIn.id))) == 1
    html = client.get(f"{door_url(later)}/attendance").get_data(as_text=True)
    assert "data-off-day" not in html and "08:55" in html
    # A second scan that day is "already in", as before.
    response, html = _scan(client, later, workshop["lan"].ticket_code)
    assert response.status_code == 409 and 'data-result="already_checked_in"' in _result(html)


def test_a_scan_on_the_sessions_day_is_green_and_shows_the_time_only(client, workshop):
    _open(client, lang="vi")
    _response, html = _scan(client, workshop["session"], workshop["lan"].ticket_code)
    assert "checkin-test" not in _result(html)
    html = client.get(f"{door_url(workshop['session'])}/attendance").get_data(as_text=True)
    assert "data-off-day" not in html and "08:42" in html


def test_the_door_says_when_the_session_ended_and_still_admits(client, workshop, clock):
    _open(client, lang="vi")
    assert "data-ended" not in client.get(door_url(workshop["session"])).get_data(as_text=True)
    clock(datetime(2026, 12, 14, 11, 5, tzinfo=HCMC))
    response, html = _scan(client, workshop["session"], workshop["lan"].ticket_code)
    assert "Phiên này đã kết thúc lúc 10:30" in html and "data-ended" in html
    assert response.status_code == 200 and 'checkin-ok" data-result="booked"' in _result(html)
    clock(datetime(2026, 12, 15, 8, 0, tzinfo=HCMC))  # the next day: the other-day note instead
    html = client.get(door_url(workshop["session"])).get_data(as_text=True)
    assert "data-ended" not in html and "data-other-day" in html


def test_a_bad_code_card_says_not_a_ticket_once_at_the_door_and_the_desk(client, workshop):
    _open(client, lang="vi")
    _response, html = _scan(client, workshop["session"], "NOT-A-TICKET")
    result = _result(html)
    assert result.count("Không phải vé") == 1 and "Mã này không do EventHub cấp" in result
    desk = client.post(f"/events/{SLUG}/checkin", data={"ticket_code": "NOT-A-TICKET"}).get_data(as_text=True)
    result = _result(desk)
    assert result.count("Không phải vé") == 1 and "Mã này không do EventHub cấp" in result


def test_the_sessions_page_says_its_remaining_seats_leave_out_walk_ins(client, workshop):
    session = workshop["session"]
    services.check_in_session(workshop["event"], session, workshop["truc"].ticket_code)  # a walk-in
    _open(client, "organizer", lang="vi")
    html = client.get(f"/events/{SLUG}/sessions/manage").get_data(as_text=True)
    assert "chưa tính người vãng lai" in html
    row = re.search(rf'<tr id="session-{session.id}">.*?</tr>', html, re.S).group(0)
    # Two seats: Lan's booking leaves 1 to book; the walk-in leaves none for walk-ins (the door's figure).
    assert re.search(r'data-label="Còn lại để đặt chỗ">1<', row)
    assert "Ghế trống cho khách vãng lai: 0" in row
