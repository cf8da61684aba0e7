"""The programme's pages at a phone's and a desk's size: nothing wider than the screen; screenshots kept in
test-artifacts/issue19/ for a person to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventhub.demo.programmes import CODE
from tests.e2e.helpers import new_context, sign_in
from tests.support.demo import PASSWORD

pytestmark = pytest.mark.slow  # a real browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue19"
PAGES = {"list": "/programmes", "show": f"/programmes/{CODE}", "form": f"/programmes/{CODE}/edit"}


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_the_pages_fit_the_screen(demo, live_url, browser, size):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = new_context(browser, size)
    page = context.new_page()
    sign_in(page, live_url, "truc.ptq@eventhub.demo", PASSWORD)
    for name, path in PAGES.items():
        page.goto(live_url + path)
        assert page.locator("h1").count() == 1, name
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], (name, width)
        page.screenshot(path=str(ARTIFACTS / f"programme-{name}-{size}.png"), full_page=True)
    page.goto(live_url + "/programmes/new")
    page.fill("#code", "")
    page.fill("#start_year", "2026")
    page.fill("#end_year", "2020")
    page.click("button[value=years]")
    page.click("button[value=save]")
    assert page.locator("#code-error").is_visible() and page.locator("#end_year-error").is_visible()
    page.screenshot(path=str(ARTIFACTS / f"programme-form-errors-{size}.png"), full_page=True)
    context.close()
