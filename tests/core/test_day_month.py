"""The short day of the phone's day selector (floor map, allocation): dd/mm, in the event's time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from flask import render_template_string

from eventhub.i18n import format_day_month
from tests.booths.factories import hall_event


def test_a_day_is_written_dd_mm_in_the_given_zone(app):
    assert format_day_month(date(2026, 12, 4)) == "04/12"
    late = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)  # 01:30 on the 7th in Ho Chi Minh City
    assert format_day_month(late) == "07/12" and format_day_month(late, "UTC") == "06/12"
    assert format_day_month(None) == ""
    with app.test_request_context("/"):
        assert render_template_string("{{ d|day_month }}", d=date(2026, 12, 14)) == "14/12"


def test_the_floor_maps_day_selector_reads_day_and_month(client, db):
    event = hall_event(days=2)
    html = client.get(f"/events/{event.slug}/floor-map?lang=en").get_data(as_text=True)
    nav = re.search(r'<nav class="nav nav-pills floormap-days".*?</nav>', html, re.S).group(0)
    assert re.findall(r">(\d\d/\d\d)</a>", nav) == ["14/12", "15/12"]
