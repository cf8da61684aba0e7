"""The result card at the gate: a refusal never reads like a success, and "Print badge" is reachable
from the registration's own page, for those who print badges only."""

from __future__ import annotations

import re

from eventhub.accounts.services import grant_event_role
from eventhub.badges import panels
from eventhub.checkin.models import CheckIn
from tests.factories import login, make_user

DESK = "/events/startup-week/checkin"
BADGE_FORM = re.compile(r'<form method="post" target="_blank"\s+'
                        r'action="/events/startup-week/registrations/(\d+)/badge.pdf"')


def _verdict(html: str) -> str:
    match = re.search(r'<p class="checkin-verdict">(.*?)</p>', html, re.S)
    assert match, html[:2000]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def _scan(client, code):
    return client.post(DESK, data={"ticket_code": code})


def _earlier_time(db, event) -> str:
    first = db.session.scalar(db.select(CheckIn))
    return first.checked_in_at.astimezone(event.tz).strftime("%H:%M")


def test_a_second_scan_says_when_and_at_which_gate_in_vietnamese(client, db, gate, at_the_event):
    login(client, make_user("staff"))
    client.post(f"{DESK}/gate", data={"gate": "Cổng A"})
    ok = _scan(client, gate["truc"].ticket_code).get_data(as_text=True)
    assert 'class="checkin-result checkin-ok"' in ok
    success = _verdict(ok)
    client.post(f"{DESK}/gate", data={"gate": "Cổng B"})  # the second scan comes from another gate
    response = _scan(client, gate["truc"].ticket_code)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    refusal = _verdict(html)
    time = _earlier_time(db, gate["event"])
    assert refusal == f"✕ Đã vào lúc {time} · Cổng A"  # upper-cased by the stylesheet: "ĐÃ VÀO LÚC …"
    assert success.startswith("✓") and refusal.split()[0] != success.split()[0]  # another icon
    assert "check-in" in success.lower() and "check-in" not in refusal.lower()  # other words
    assert "Cổng B" not in refusal
    assert 'class="checkin-result checkin-refused" data-result="already_checked_in"' in html
    assert "Không cho vào" in html and "Nguyễn Thị Quý Trúc" in html
    assert not BADGE_FORM.search(html.split('id="checkin-result"', 1)[1])  # a refusal prints nothing


def test_without_a_gate_the_refusal_names_who_scanned_it_in_english(client, db, gate, at_the_event):
    login(client, make_user("staff", full_name="Trần Thanh Tâm"))
    client.get("/?lang=en")
    _scan(client, gate["dung"].ticket_code)
    html = _scan(client, gate["dung"].ticket_code).get_data(as_text=True)
    time = _earlier_time(db, gate["event"])
    assert _verdict(html) == f"✕ Already entered at {time} · Trần Thanh Tâm"
    assert "Do not admit: this ticket was already used today." in html


def test_the_print_button_is_not_a_light_button_on_the_green_card(client, gate, at_the_event):
    login(client, make_user("staff"))
    html = _scan(client, gate["truc"].ticket_code).get_data(as_text=True)
    card = html.split('id="checkin-result"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<button type="submit" class="btn checkin-print">In thẻ</button>', card)
    assert "btn-light" not in card.split("checkin-print")[0][-200:]


# --- "In thẻ" on the organizers' page of a registration ---------------------------------------------

def _detail(client, gate, reg):
    return client.get(f"/events/startup-week/registrations/{reg.id}")


def _as(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_organizers_print_a_badge_from_the_registration_page(app, gate, accounts):
    for who in ("organizer", "event_organizer"):
        client = _as(app, accounts[who])
        response = _detail(client, gate, gate["truc"])
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        match = BADGE_FORM.search(html)
        assert match and int(match.group(1)) == gate["truc"].id, who
        assert f'name="next" value="/events/startup-week/registrations/{gate["truc"].id}"' in html
        assert "In thẻ" in html and "Chưa in lần nào." in html


def test_printing_from_the_page_is_logged_and_then_shown(client, db, gate, accounts):
    login(client, accounts["organizer"])
    response = client.post(f"/events/startup-week/registrations/{gate['truc'].id}/badge.pdf",
                           data={"next": f"/events/startup-week/registrations/{gate['truc'].id}"})
    assert response.status_code == 303
    html = _detail(client, gate, gate["truc"]).get_data(as_text=True)
    assert f"người in: {accounts['organizer'].full_name}." in html


def test_no_badge_button_without_a_ticket_or_for_others(app, gate, accounts):
    client = _as(app, accounts["organizer"])
    pending = _detail(client, gate, gate["pending"]).get_data(as_text=True)
    assert not re.search(r"/badge\.pdf", pending)  # no ticket yet: no badge
    cancelled = _detail(client, gate, gate["cancelled"]).get_data(as_text=True)
    assert not re.search(r"/badge\.pdf", cancelled)
    for who in ("staff", "participant", "other_staff"):  # the page itself is the organizers'
        response = _detail(_as(app, accounts[who]), gate, gate["truc"])
        assert response.status_code == 403 and "badge.pdf" not in response.get_data(as_text=True), who


def test_the_slot_offers_the_button_to_gate_staff_and_no_one_else(gate, accounts):
    # The panel asks the badge permission itself: gate staff (who print at the desk) would see it,
    # a participant or another event's staff never, even if some page showed the slot to them.
    reg = gate["truc"]
    for who in ("organizer", "event_organizer", "staff", "event_staff"):
        assert panels.registration_admin(reg, accounts[who]) is not None, who
    for who in ("participant", "other_staff"):
        assert panels.registration_admin(reg, accounts[who]) is None, who


def test_the_registrants_own_page_has_no_print_button(client, gate):
    from tests.factories import make_type, register

    rtype = make_type(gate["event"], code="guest", name="Khách")
    reg, token = register(gate["event"], rtype, full_name="Đỗ Thu Hà", email="ha@example.vn")
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert reg.ticket_code and "badge.pdf" not in html and "data-badge-panel" not in html


def test_event_staff_granted_per_event_print_from_the_slot(gate):
    staff = make_user("participant")
    grant_event_role(staff, gate["event"], "staff")
    assert panels.registration_admin(gate["truc"], staff)["reg"] is gate["truc"]


def test_the_desk_reprints_the_badge_of_someone_already_in(client, gate, at_the_event):
    # Gate staff cannot open the organizers' page: their way to a badge without a scan is the search.
    login(client, make_user("staff"))
    _scan(client, gate["truc"].ticket_code)
    html = client.get(f"{DESK}?q=Trúc").get_data(as_text=True)
    row = html.split(f'data-registration="{gate["truc"].id}"', 1)[1].split("</li>", 1)[0]
    assert f'action="/events/startup-week/registrations/{gate["truc"].id}/badge.pdf"' in row
    html = client.get(f"{DESK}?q=Dũng").get_data(as_text=True)  # not in yet: check in first, no reprint
    row = html.split(f'data-registration="{gate["dung"].id}"', 1)[1].split("</li>", 1)[0]
    assert "badge.pdf" not in row
