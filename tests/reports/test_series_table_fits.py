"""The series report's figures per event fit the screen: a table whose headers wrap at desk width, a card
of "figure … number" lines per event on a phone – never sideways scrolling, in either language."""

from __future__ import annotations

import pytest

from tests.support.demo import PASSWORD

pytestmark = pytest.mark.slow  # a real browser: run once, in the slow step

ORGANIZER = "truc.ptq@eventhub.demo"
DESK, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}

MEASURE = """() => {
  const table = document.querySelector('table.report-matrix');
  const cell = table.querySelector('tbody td');
  return {wrapper: table.parentElement.clientWidth, table: table.parentElement.scrollWidth,
          page: document.documentElement.scrollWidth, rows: table.querySelectorAll('tbody tr').length,
          label: getComputedStyle(cell, '::before').content,
          header: getComputedStyle(table.querySelector('thead')).position};
}"""


@pytest.mark.parametrize("lang,first_figure", [("vi", "Đăng ký"), ("en", "Registrations")])
def test_the_figures_per_event_fit_a_desk_and_a_phone(demo, live_url, browser, lang, first_figure):
    for viewport in (DESK, PHONE):
        page = browser.new_page(viewport=viewport)
        page.goto(f"{live_url}/login")
        page.fill("input[name=email]", ORGANIZER)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.goto(f"{live_url}/reports/series?year=2020&lang={lang}")
        seen = page.evaluate(MEASURE)
        assert seen["rows"] == 4  # the three 2020 events and the total
        assert seen["table"] <= seen["wrapper"], (viewport, seen)  # nothing hidden to the right
        assert seen["page"] <= viewport["width"], (viewport, seen)
        if viewport is PHONE:  # each number says what it counts
            assert seen["label"] == f'"{first_figure}"' and seen["header"] == "absolute"
        else:  # a real table, its headers on top
            assert seen["label"] in ("none", "normal") and seen["header"] == "static"
        page.close()
