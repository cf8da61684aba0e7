"""Ticket codes as people type them (api.md, check-in additions: "any letter case, with spaces or dashes
between their characters"), and printed in groups of four so that they can be read out."""

from __future__ import annotations

import email
import email.policy
import re

import pytest

from eventhub.badges import services as badges
from eventhub.checkin import services
from eventhub.checkin.errors import NotATicket
from eventhub.checkin.models import CheckIn
from eventhub.registration.tickets import (
    InvalidTicket,
    grouped_ticket_code,
    make_ticket_code,
    read_ticket_code,
    ticket_key,
)
from tests.checkin.helpers import MORNING
from tests.factories import login, make_type, make_user, open_event, register, token_headers
from tests.support.api import describe
from tests.support.pdf import pdf_pages


def _groups(code: str, size: int = 4) -> list[str]:
    return [code[i:i + size] for i in range(0, len(code), size)]


TYPED = {
    "groups-of-four": lambda c: " ".join(_groups(c)),
    "lower-groups": lambda c: " ".join(_groups(c)).lower(),
    "dashes": lambda c: "-".join(_groups(c)),
    "dashes-and-spaces": lambda c: " - ".join(_groups(c)),
    "mixed-case": lambda c: "".join(ch.lower() if i % 2 else ch for i, ch in enumerate(c)),
    "groups-of-five": lambda c: " ".join(_groups(c, 5)),
    "tab-and-nbsp": lambda c: "\t".join(_groups(c)[:4]) + "\u00a0" + "".join(_groups(c)[4:]),
    "en-dash-from-a-phone": lambda c: "–".join(_groups(c)),
    "every-character": lambda c: " ".join(c),
    "double-spaces": lambda c: "  ".join(_groups(c)) + "  ",
}


@pytest.mark.parametrize("typed", TYPED.values(), ids=TYPED.keys())
def test_a_code_typed_as_people_type_it_is_checked_in(db, gate, typed):
    reg = gate["truc"]
    checkin = services.check_in(gate["event"], typed(reg.ticket_code), gate="Cổng A", now=MORNING)
    assert checkin.registration_id == reg.id


GARBAGE = {
    "a-group-missing": lambda c: " ".join(_groups(c)[:-1]),
    "one-character-altered": lambda c: " ".join(_groups(c[:5] + ("A" if c[5] != "A" else "B") + c[6:])),
    "a-character-too-many": lambda c: " ".join(_groups(c)) + " A",
    "dots": lambda c: ".".join(_groups(c)),
    "slashes": lambda c: "/".join(_groups(c)),
    "underscores": lambda c: "_".join(_groups(c)),
    "letters-and-digits-mixed-up": lambda c: c.replace("O", "0").replace("I", "1").replace("B", "8")
    if any(ch in c for ch in "OIB") else c[:-1] + "0",
    "grouped-word": lambda c: "TICK ETCO DE",
    "fullwidth": lambda c: " ".join(_groups(c.translate({o: o + 0xFEE0 for o in range(0x41, 0x5B)}))),
}


@pytest.mark.parametrize("mangle", GARBAGE.values(), ids=GARBAGE.keys())
def test_spaces_and_dashes_make_no_garbage_a_ticket(db, gate, mangle):
    with pytest.raises(NotATicket):
        services.check_in(gate["event"], mangle(gate["truc"].ticket_code), now=MORNING)
    assert db.session.scalar(db.select(CheckIn.id)) is None


def test_letters_that_only_become_base32_in_upper_case_are_refused(app):
    """"ı".upper() is "I" and "ſ".upper() is "S": a code with them is not what the ticket says."""
    with app.app_context():
        key = ticket_key()
        code = next(c for c in (make_ticket_code(key) for _ in range(200)) if "I" in c and "S" in c)
        assert read_ticket_code(code.lower(), key) == code
        for lookalike in (code.replace("I", "ı"), code.replace("S", "ſ"), code.replace("I", "ı").lower()):
            with pytest.raises(InvalidTicket):
                read_ticket_code(lookalike, key)


def test_the_api_accepts_a_grouped_lower_case_code(client, db, gate):
    headers = token_headers(make_user("staff"))
    typed = "-".join(_groups(gate["dung"].ticket_code)).lower()
    response = client.post("/api/v1/events/startup-week/checkins", json={"ticket_code": typed},
                           headers=headers)
    assert response.status_code == 201, describe(response)
    assert response.get_json()["registration"]["id"] == gate["dung"].id
    garbage = client.post("/api/v1/events/startup-week/checkins", json={"ticket_code": typed[:-2]},
                          headers=headers)
    assert garbage.status_code == 400 and garbage.get_json()["error"]["code"] == "invalid_ticket"


def test_the_desk_accepts_the_code_read_out_in_groups(client, db, gate):
    login(client, make_user("staff"))
    typed = grouped_ticket_code(gate["truc"].ticket_code).lower()
    response = client.post("/events/startup-week/checkin", data={"ticket_code": typed})
    assert response.status_code == 200 and 'data-result="ok"' in response.get_data(as_text=True)


def test_the_code_is_grouped_in_fours():
    code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    assert grouped_ticket_code(code) == "ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567"
    assert grouped_ticket_code("") == "" and grouped_ticket_code(None) == ""


def test_the_manage_page_and_the_e_mail_print_the_grouped_code(client, db, smtp_server):
    event = open_event(slug="ngay-hoi")
    rtype = make_type(event, code="visitor")
    reg, token = register(event, rtype, full_name="Nguyễn Thị Quý Trúc", email="truc@example.vn")
    grouped = grouped_ticket_code(reg.ticket_code)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", grouped)
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'<span class="font-monospace ticket-code">{grouped}</span>' in page
    message = email.message_from_bytes(smtp_server.messages[-1].content, policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()
    assert grouped in body and reg.ticket_code not in body


@pytest.mark.parametrize("layout", ["a6", "a4-4up"])
def test_the_badge_prints_the_grouped_code_which_the_desk_takes_back(client, db, gate, layout):
    reg = gate["truc"]
    pdf = badges.render_badges([badges.registration_badge_data(reg)], layout)
    text = pdf_pages(pdf)[0]["text"]
    printed = re.search(r"(?:[A-Z2-7]{4} ){7}[A-Z2-7]{4}", text)
    assert printed, text
    assert printed.group(0) == grouped_ticket_code(reg.ticket_code)
    # What a person reads off the badge is admitted at the desk.
    checkin = services.check_in(gate["event"], printed.group(0), now=MORNING)
    assert checkin.registration_id == reg.id
