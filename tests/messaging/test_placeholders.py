"""Placeholders in a message: filled per recipient in their language, an unknown one named next to the
field, a hostile template stopped with a message (never minutes of work), the HTML made from the text."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from eventhub.messaging import placeholders
from eventhub.messaging.services import MessageInvalid, MessageTooLarge, preview, validate_draft

from .helpers import NOW, add_exhibitors, add_matchmaking, registrants_world

REGISTRANTS = {"kind": "registrants"}


def test_unknown_placeholder_is_named_in_the_body_or_subject_field(db):
    world = registrants_world()
    with pytest.raises(MessageInvalid) as refused, force_locale("en"):
        validate_draft(world.event, audience=REGISTRANTS, subject="Chào {{ ten }}",
                       body="Xin chào {{ name }},\n\n{{ ve_cua_ban }}", send_at=None, now=NOW)
    fields = refused.value.fields
    assert set(fields) == {"subject", "body"}
    assert "ten" in fields["subject"][0]
    assert "ve_cua_ban" in fields["body"][0] and "Line 3" in fields["body"][0]


def test_a_syntax_error_is_a_body_error_with_its_line(db):
    world = registrants_world()
    with pytest.raises(MessageInvalid) as refused, force_locale("en"):
        validate_draft(world.event, audience=REGISTRANTS, subject="Chào", body="Dòng 1\n{% if %}",
                       send_at=None, now=NOW)
    assert "Line 2" in refused.value.fields["body"][0]


@pytest.mark.parametrize("body", [
    "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}x{% endfor %}"
    "{% endfor %}{% endfor %}",
    "{% for i in range(1000) %}{% for j in range(1000) %}{{ name * 100 }}{% endfor %}{% endfor %}",
    "{{ 'x' * 100000000 }}",
    "{{ name.__class__.__mro__ }}",
    "{% include '/etc/passwd' %}",
    "{{ '{:>2000000000}'.format(name) }}",
])
def test_a_hostile_template_is_refused_quickly_with_a_message(db, body):
    world = registrants_world()
    with pytest.raises(MessageInvalid) as refused:
        validate_draft(world.event, audience=REGISTRANTS, subject="Chào", body=body, send_at=None, now=NOW)
    assert refused.value.fields["body"] and all(refused.value.fields["body"])


def test_a_body_over_50_kb_is_too_large(db):
    world = registrants_world()
    with pytest.raises(MessageTooLarge) as refused:
        validate_draft(world.event, audience=REGISTRANTS, subject="Chào", body="ư" * 30_000, send_at=None,
                       now=NOW)
    assert refused.value.status == 413 and refused.value.code == "too_large"


def test_preview_is_a_real_recipient_in_their_language(db):
    world = registrants_world()
    body = ("Kính gửi {{ name }},\n\nSự kiện {{ event }} ({{ event_dates }}) tại {{ venue }}.\n"
            "Vé: {{ ticket }}\nQuản lý: {{ manage_link }}\nMất e-mail? {{ lost_link }}")
    shown = preview(world.event, audience=REGISTRANTS, subject="Thư mời {{ name }}", body=body)
    assert shown["count"] == 3
    assert shown["recipient_email"] == "truc@example.vn"
    assert shown["subject"] == "Thư mời Nguyễn Thị Quý Trúc"
    assert "Kính gửi Nguyễn Thị Quý Trúc," in shown["text"]
    assert "14/12/2026" in shown["text"] and "Nhà Văn hóa Thanh niên, Quận 1" in shown["text"]
    assert "http://localhost/r/" in shown["text"] and f"/events/{world.event.slug}/lost-link" in shown["text"]
    assert '<a href="http://localhost/r/' in shown["html"] and "<p>" in shown["html"]

    other = preview(world.event, audience=REGISTRANTS, subject="Hi {{ name }}", body="{{ ticket }}",
                    recipient_email="DUNG@example.vn")
    assert other["recipient_name"] == "Lê Văn Dũng" and other["text"].replace(" ", "") == \
        world.regs["dung"].ticket_code
    with pytest.raises(MessageInvalid):
        preview(world.event, audience=REGISTRANTS, subject="Hi", body="x",
                recipient_email="nobody@example.vn")


def test_booth_and_meetings_placeholders(db):
    world = registrants_world()
    add_exhibitors(world)
    add_matchmaking(world)
    booth = preview(world.event, audience={"kind": "exhibitors"}, subject="Gian hàng",
                    body="{{ name }}: {{ booth }}{{ manage_link }}")
    assert booth["text"] == "Trần Sáng Lập: A1"
    meetings = preview(world.event, audience={"kind": "investors"}, subject="Lịch gặp", body="{{ meetings }}")
    assert "14/12/2026 09:00–09:20" in meetings["text"] and "Công ty CP Đổi Mới" in meetings["text"]
    startup = preview(world.event, audience={"kind": "startups"}, subject="Meetings", body="{{ meetings }}")
    assert "Quỹ Mekong Việt" in startup["text"] and "table" in startup["text"]  # in English, her language


def test_html_part_escapes_and_links():
    html = placeholders.html_of("A <b>bold</b> & co.\nSee https://example.vn/a?b=1&c=2.\n\nNext")
    assert "&lt;b&gt;" in html and "&amp; co." in html
    assert '<a href="https://example.vn/a?b=1&amp;c=2">https://example.vn/a?b=1&amp;c=2</a>.' in html
    assert html.count("<p>") == 2 and "<br>" in html


def test_text_no_database_stores_is_a_field_error(db):
    world = registrants_world()
    with pytest.raises(MessageInvalid) as refused:
        validate_draft(world.event, audience=REGISTRANTS, subject="Chào\x00", body="Xin chào \ud800",
                       send_at=None, now=NOW)
    assert set(refused.value.fields) == {"subject", "body"}
