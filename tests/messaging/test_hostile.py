"""A hostile message template fails fast with words next to the body (never minutes of CPU in the web request
or the mail thread); syntax errors read in plain Vietnamese or English, never Jinja's English; the sandbox's
time budget is per render and certificates keep theirs."""

from __future__ import annotations

import html
import itertools
import re
import time

import pytest
from flask_babel import force_locale

from eventhub.certificates import sandbox
from eventhub.messaging import placeholders
from eventhub.messaging.services import MessageInvalid, validate_draft
from tests.factories import login, token_headers

from .helpers import NOW, registrants_world

REGISTRANTS = {"kind": "registrants"}
# ~300 bytes: a text doubled to 96,000 characters, then sorted 10,000 times (83 minutes in-process before).
HOSTILE = ("{% set s = 'x' * 1500 %}\n" + "{% set s = s + s %}\n" * 6
           + "{% for i in range(1000) %}{% for j in range(10) %}{{ s|sort|length }}{% endfor %}"
           "{% endfor %}\n")
# The same without the refused filter: stopped by the message's smaller limits.
HOSTILE_WITHOUT_SORT = HOSTILE.replace("s|sort|length", "s|reverse|join|length")


@pytest.mark.parametrize("body", [HOSTILE, HOSTILE_WITHOUT_SORT])
def test_the_hostile_body_is_refused_within_seconds_next_to_the_body(db, body):
    world = registrants_world()
    started = time.monotonic()
    with pytest.raises(MessageInvalid) as refused, force_locale("vi"):
        validate_draft(world.event, audience=REGISTRANTS, subject="Chào {{ name }}", body=body, send_at=None,
                       now=NOW)
    assert time.monotonic() - started < 10
    problems = refused.value.fields["body"]
    assert problems and all(p.startswith("Dòng ") for p in problems), problems
    assert set(refused.value.fields) == {"body"}


def test_the_hostile_body_is_a_422_field_in_the_api_and_a_message_under_the_body_in_the_form(db, client):
    world = registrants_world()
    started = time.monotonic()
    answer = client.post(f"/api/v1/events/{world.event.slug}/messages",
                         headers=token_headers(world.organizer),
                         json={"audience": REGISTRANTS, "subject": "Chào", "body": HOSTILE})
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["fields"]["body"]

    login(client, world.organizer)
    page = client.post(f"/events/{world.event.slug}/messages/new",
                       data={"kind": "registrants", "statuses": ["confirmed"], "subject": "Chào",
                             "body": HOSTILE, "when": "now", "action": "preview"})
    assert page.status_code == 200
    shown = re.search(r'id="body-error"[^>]*>(.*?)</div>', page.get_data(as_text=True), re.S)
    assert shown and "Dòng " in html.unescape(shown.group(1))
    assert time.monotonic() - started < 10


def test_the_render_stops_once_its_time_budget_is_spent_and_certificates_have_none(db, monkeypatch):
    clock = itertools.count(0, 0.05)  # each look at the clock: 50 ms later
    monkeypatch.setattr(sandbox.time, "monotonic", lambda: next(clock))
    template = "{% for i in range(100) %}{{ name|upper|lower }}{% endfor %}"
    with pytest.raises(placeholders.RenderFailed) as stopped, force_locale("en"):
        placeholders.render_text(template, {"name": "Trúc"})
    assert stopped.value.problems == [
        "Line 1: The message takes too long to fill in: simplify its loops and filters."]
    # Certificates render in a child process that bounds their time: the sandbox sets no budget for them.
    assert sandbox.render(template, {"name": "Trúc"}, placeholders=frozenset({"name"})) == "trúc" * 100


def test_the_costly_filters_are_not_offered_to_messages(db):
    with force_locale("vi"):
        for name in ("sort", "unique", "wordcount", "list"):
            assert placeholders.problems_of(f"{{{{ name|{name} }}}}") == [
                f"Dòng 1: Không dùng được bộ lọc {name} ở đây."]
        assert placeholders.problems_of("{{ name|upper }}") == []


@pytest.mark.parametrize(("body", "vi", "en"), [
    ("Chào {{ name }", "Dòng 1: Thiếu dấu }} đóng.", "Line 1: A closing }} is missing."),
    ("Chào\n{{ name", "Dòng 2: Thiếu dấu }} đóng.", "Line 2: A closing }} is missing."),
    ("{% for x in [1] %}\n{{ name }}", "Dòng 2: Khối {% for %} chưa được đóng bằng {% endfor %}.",
     "Line 2: The {% for %} block is not closed with {% endfor %}."),
    ("{% if name %}có tên", "Dòng 1: Khối {% if %} chưa được đóng bằng {% endif %}.",
     "Line 1: The {% if %} block is not closed with {% endif %}."),
    ("{{ name ! }}", "Dòng 1: Dấu ngoặc nhọn chưa đóng hoặc lệnh không hợp lệ.",
     "Line 1: Unclosed braces or an invalid instruction."),
    ("{% gui %}", "Dòng 1: Không có lệnh {% gui %}.", "Line 1: There is no instruction {% gui %}."),
])
def test_syntax_errors_read_in_plain_words_in_both_languages(db, body, vi, en):
    for locale, expected in (("vi", vi), ("en", en)):
        with force_locale(locale):
            assert placeholders.problems_of(body) == [expected]


def test_a_refused_attribute_and_a_failed_operation_are_said_in_words(db):
    world = registrants_world()
    for body, words in (
            ("{{ name.__class__ }}", "Không được dùng trong tin nhắn: đọc __class__ của một giá trị"),
            ("{{ name + 1 }}", "Không tính được biểu thức này")):
        with pytest.raises(MessageInvalid) as refused, force_locale("vi"):
            validate_draft(world.event, audience=REGISTRANTS, subject="Chào", body=body, send_at=None,
                           now=NOW)
        problem = refused.value.fields["body"][0]
        assert words in problem and "not allowed" not in problem and "Error" not in problem, problem


def test_certificates_word_their_syntax_errors_the_same_way(db):
    from eventhub.certificates import templates

    problems = sandbox.check("<p>{{ holder_name }</p>")
    with force_locale("vi"):
        assert [templates.problem_text(p) for p in problems] == ["Dòng 1: Thiếu dấu }} đóng."]
