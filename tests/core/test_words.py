"""Words people read (issue 16.6): one number format per language, time zones in words, one spelling of
"hủy", one meaning per msgid for "Kind"."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale

from eventhub.contests.forms import EntryForm, JudgesForm
from eventhub.i18n import format_number, zone_name
from tests.factories import make_event

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lang, expected", [("vi", ["3.175", "1.234.567", "0", "2,5", "12"]),
                                            ("en", ["3,175", "1,234,567", "0", "2.5", "12"])])
def test_one_number_format_per_language(app, lang, expected):
    values = [3175, 1234567, 0, 2.5, 12]
    with app.test_request_context(f"/?lang={lang}"):
        assert [format_number(v) for v in values] == expected
        assert render_template_string("{{ n|number }}", n=3175) == expected[0]
        assert format_number(None) == ""
    with app.app_context(), force_locale("en"):
        assert format_number(3175, "vi") == "3.175"  # the language asked for wins


@pytest.mark.parametrize("lang, vietnam, berlin, tokyo", [
    ("vi", "giờ Việt Nam", "giờ Berlin (UTC+1)", "giờ Tokyo (UTC+9)"),
    ("en", "Vietnam time", "Berlin time (UTC+1)", "Tokyo time (UTC+9)"),
])
def test_time_zones_in_words(app, lang, vietnam, berlin, tokyo):
    winter = datetime(2026, 12, 14, 8, 0, tzinfo=ZoneInfo("UTC"))
    with app.test_request_context(f"/?lang={lang}"):
        assert zone_name("Asia/Ho_Chi_Minh") == vietnam == zone_name(ZoneInfo("Asia/Saigon"))
        assert zone_name("Europe/Berlin", winter) == berlin
        assert zone_name("Europe/Berlin", winter.replace(month=7)).endswith("(UTC+2)")  # summer time
        assert zone_name("Asia/Tokyo", winter) == tokyo
        assert zone_name("UTC", winter) == "UTC"


def test_the_event_page_names_the_time_zone_in_words(client, db):
    event = make_event(slug="gio-viet-nam")
    berlin = make_event(slug="berlin-day", timezone="Europe/Berlin")
    vi = client.get(f"/events/{event.slug}?lang=vi").get_data(as_text=True)
    assert "(giờ Việt Nam)" in vi and "Asia/Ho_Chi_Minh" not in vi
    en = client.get(f"/events/{event.slug}?lang=en").get_data(as_text=True)
    assert "(Vietnam time)" in en and "Asia/Ho_Chi_Minh" not in en
    there = client.get(f"/events/{berlin.slug}?lang=en").get_data(as_text=True)
    assert "(Berlin time (UTC+1))" in there and "Europe/Berlin" not in there


def _vietnamese():
    with (ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale="vi")


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string or ""]


# The department's old style puts the tone on the first vowel of oa, oe, uy with no final consonant:
# hủy, xóa, hòa, khỏe, thủy (quý keeps its tone on the y: qu is one consonant).
NEW_STYLE = re.compile(r"(?<![qQ])(?:[oO][àáảãạ]|[oO][èéẻẽẹ]|[uU][ỳýỷỹỵ])(?!\w)")


def test_one_spelling_of_huy_and_its_kin_in_every_translation():
    found = [(m.id, s) for m in _vietnamese() for s in _strings(m) if NEW_STYLE.search(s)]
    assert found == []
    assert any("hủy" in s for m in _vietnamese() for s in _strings(m))
    assert not NEW_STYLE.search("Đã hủy, xóa, hòa, khỏe, thủy, quý")
    assert NEW_STYLE.search("Đã huỷ") and NEW_STYLE.search("xoá")


def test_each_kind_has_its_own_words():
    catalog = {m.id: m.string for m in _vietnamese() if isinstance(m.id, str)}
    assert catalog["Kind of event"] == "Loại sự kiện"
    assert catalog["Kind of certificate"] == "Loại giấy chứng nhận"
    assert catalog["Kind of answer"] == "Kiểu trả lời"
    assert "sự kiện" not in catalog.get("Kind", "")  # the bare word, if still used, names no one thing
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("eventhub", "templates")
                     for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".html", ".txt"))
    assert not re.search(r"""_l?\(\s*["']Kind["']\s*\)""", code)


def test_form_help_says_how_to_write_one_item_per_line(app):
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "eventhub").rglob("*.py"))
    assert not re.search(r"_l?\(\s*\"One [^\"]*a line", code)  # "One a line", "One web address a line"
    with app.test_request_context("/?lang=vi"):
        team = str(EntryForm(meta={"csrf": False}).team.description)
        judges = str(JudgesForm(meta={"csrf": False}).emails.description)
    assert team.startswith("Mỗi người viết trên một dòng: họ tên, dấu phẩy, rồi địa chỉ e-mail")
    assert "binh@example.vn" in team and judges.startswith("Mỗi địa chỉ e-mail của giám khảo")
