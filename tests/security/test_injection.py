"""Names that try markup, SQL or template syntax come out as the text typed: in pages, e-mails, CSV,
the API and badge PDFs."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import re

import pdfplumber
import pytest

from eventhub.extensions import db as _db
from eventhub.registration.models import Registration
from tests.factories import make_type, make_user, open_event, register
from tests.support.world import sign_in

SCRIPT = "<script>alert('xss')</script> Trúc"
SQL = "Robert'); DROP TABLE registrations;-- Đức"
TEMPLATE = "{{ 7*7 }} {% print(7*7) %} Hà"
IMAGE = '"><img src=x onerror=alert(1)> Lan'
NASTY = (SCRIPT, SQL, TEMPLATE, IMAGE)


@pytest.fixture
def people(db, smtp_server):
    organizer = make_user("organizer", email="org@example.vn")
    event = open_event(slug="injection-day", name="Ngày hội <b>An toàn</b> {{ event }}")
    rtype = make_type(event, code="visitor", name="Khách {{ 7*7 }}")
    regs = {}
    for i, name in enumerate(NASTY):
        reg, token = register(event, rtype, full_name=name, email=f"p{i}@example.vn", organization=name)
        regs[name] = (reg, token)
    return {"organizer": organizer, "event": event, "regs": regs, "smtp": smtp_server}


def _no_live_markup(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html or "&lt;script&gt;alert(&#39;xss&#39;)" in html


def test_pages_show_the_names_as_text(app, people):
    event = people["event"]
    client = app.test_client()
    for name, (_reg, token) in people["regs"].items():
        page = client.get(f"/r/{token}").get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page
        if name == TEMPLATE:
            assert "{{ 7*7 }}" in page  # shown, not evaluated
    sign_in(client, people["organizer"])
    listing = client.get(f"/events/{event.slug}/registrations").get_data(as_text=True)
    _no_live_markup(listing)
    assert "{{ 7*7 }}" in listing and "DROP TABLE registrations" in listing
    reg = people["regs"][SCRIPT][0]
    detail = client.get(f"/events/{event.slug}/registrations/{reg.id}").get_data(as_text=True)
    _no_live_markup(detail)
    desk = client.get(f"/events/{event.slug}/checkin", query_string={"q": "Trúc"}).get_data(as_text=True)
    _no_live_markup(desk)
    home = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "<b>An toàn</b>" not in home and "&lt;b&gt;An toàn&lt;/b&gt;" in home


def test_sql_in_names_and_searches_is_data(app, people):
    event = people["event"]
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Registration)) == len(NASTY)
    client = app.test_client()
    sign_in(client, people["organizer"])
    for q in ("' OR 1=1 --", "%' OR '1'='1", "Robert'); DROP TABLE registrations;--"):
        response = client.get(f"/events/{event.slug}/checkin", query_string={"q": q})
        assert response.status_code == 200
    found = client.get(f"/events/{event.slug}/checkin",
                       query_string={"q": "' OR 1=1 --"}).get_data(as_text=True)
    assert "p0@example.vn" not in found and "Trúc" not in found  # nobody matches: not everybody
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Registration)) == len(NASTY)


def test_emails_carry_the_names_as_text(people):
    messages = [email.message_from_bytes(m.content, policy=email.policy.default)
                for m in people["smtp"].messages]
    assert len(messages) >= len(NASTY)
    for name in NASTY:
        mine = [m for m in messages if name in m.get_body(("plain",)).get_content()]
        assert mine, f"no e-mail names {name!r} as typed"
        for message in mine:
            html_part = message.get_body(("html",))
            if html_part is not None:
                html = html_part.get_content()
                assert "<script>alert" not in html and "<img src=x" not in html
                if name == TEMPLATE:
                    assert "{{ 7*7 }}" in html


def test_csv_export_keeps_names_and_defuses_formulas(app, db, people):
    event = people["event"]
    register(event, event_type(event), full_name="=HYPERLINK(\"http://evil.example\",\"Bấm\")",
             email="formula@example.vn", notify=False)
    client = app.test_client()
    sign_in(client, people["organizer"])
    response = client.get(f"/events/{event.slug}/registrations.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    for name in NASTY:
        assert name in cells, name
    assert "'=HYPERLINK(\"http://evil.example\",\"Bấm\")" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def event_type(event):
    from eventhub.registration.models import RegistrationType

    return _db.session.scalar(_db.select(RegistrationType).where(RegistrationType.event_id == event.id))


def test_api_returns_the_names_exactly(app, people):
    from tests.factories import token_headers

    client = app.test_client()
    headers = token_headers(people["organizer"])
    for name, (reg, _token) in people["regs"].items():
        body = client.get(f"/api/v1/registrations/{reg.id}", headers=headers).get_json()
        assert body["full_name"] == name


def test_badge_pdfs_print_the_names_as_text(app, people):
    client = app.test_client()
    sign_in(client, people["organizer"])
    event = people["event"]
    for name in (SCRIPT, TEMPLATE):
        reg = people["regs"][name][0]
        response = client.get(f"/events/{event.slug}/registrations/{reg.id}/badge.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        with pdfplumber.open(io.BytesIO(response.data)) as pdf:
            text = " ".join(page.extract_text() or "" for page in pdf.pages)
        flat = re.sub(r"\s+", "", text)
        assert re.sub(r"\s+", "", name) in flat, text
        if name == TEMPLATE:
            assert "49" not in flat
