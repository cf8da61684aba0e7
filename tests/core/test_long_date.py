"""A date written out, as official documents date themselves after the place: "ngày 07 tháng 12 năm
2026" (Decree 30/2020/NĐ-CP: two digits for days below 10 and for January and February), "7 December 2026"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import render_template_string
from flask_babel import force_locale

from eventhub.i18n import format_long_date


def test_vietnamese_writes_day_month_and_year_in_words(app):
    assert format_long_date(date(2026, 12, 7), locale="vi") == "ngày 07 tháng 12 năm 2026"
    assert format_long_date(date(2026, 2, 3), locale="vi") == "ngày 03 tháng 02 năm 2026"
    assert format_long_date(date(2026, 1, 25), locale="vi") == "ngày 25 tháng 01 năm 2026"
    assert format_long_date(date(2026, 3, 9), locale="vi") == "ngày 09 tháng 3 năm 2026"
    assert format_long_date(date(2020, 11, 30), locale="vi") == "ngày 30 tháng 11 năm 2020"


def test_english_writes_the_month_by_name(app):
    assert format_long_date(date(2026, 12, 7), locale="en") == "7 December 2026"
    assert format_long_date(date(2026, 2, 3), locale="en") == "3 February 2026"


def test_the_day_is_the_local_one_and_the_language_the_current_one(app):
    late = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)  # 01:30 on the 7th in Ho Chi Minh City
    with app.test_request_context("/"):
        with force_locale("vi"):
            assert format_long_date(late) == "ngày 07 tháng 12 năm 2026"
            assert format_long_date(late, "UTC") == "ngày 06 tháng 12 năm 2026"
            assert render_template_string("{{ d|long_date }}", d=late) == "ngày 07 tháng 12 năm 2026"
        with force_locale("en"):
            assert format_long_date(late) == "7 December 2026"
        assert format_long_date(None) == ""
