"""The organizations' pages at a phone's and a desk's size, in Vietnamese and English: nothing wider than
the screen, the buttons of a pair reachable; screenshots kept in test-artifacts/issue19/ for people to see."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventhub.extensions import db
from tests.e2e.helpers import new_context, sign_in
from tests.factories import PASSWORD, make_user
from tests.support.demo import PASSWORD as DEMO_PASSWORD

from .test_pages import series  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow  # a real browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue19"


def _fits(page, name):
    assert page.locator("h1").count() == 1, name
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (name, width)


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_pages_fit_the_screen(series, live_url, browser, size, lang):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    user = make_user("organizer", email=f"org-{size}-{lang}@eventhub.vn")
    sao, typo = series["sao"].id, series["typo"].id
    context = new_context(browser, size)
    page = context.new_page()
    sign_in(page, live_url, user.email, PASSWORD)
    pages = {"list": f"/organizations?lang={lang}", "show": f"/organizations/{sao}",
             "duplicates": "/organizations/duplicates", "merge-search": f"/organizations/{typo}/merge?q=sao"}
    for name, path in pages.items():
        page.goto(live_url + path)
        _fits(page, name)
        page.screenshot(path=str(ARTIFACTS / f"organizations-{name}-{size}-{lang}.png"), full_page=True)
    # The search's "keep this one" leads to the confirmation, which says what moves before anything does.
    page.locator(f'#candidates [data-org="{sao}"] button').click()
    assert page.locator("#what-moves").is_visible()
    _fits(page, "merge-confirm")
    page.screenshot(path=str(ARTIFACTS / f"organizations-merge-confirm-{size}-{lang}.png"), full_page=True)
    # On the duplicates page the buttons of both sides are on screen, whichever the layout.
    page.goto(live_url + "/organizations/duplicates")
    buttons = page.locator(".org-pair button[type=submit]")
    assert buttons.count() == 3 and all(buttons.nth(i).is_visible() for i in range(3))
    buttons.first.click()
    assert page.locator(".alert-success").is_visible()
    _fits(page, "after-merge")
    context.close()


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_the_demo_s_organizations_read_well(demo, live_url, browser, size):
    """The demo's series (2020, and 2021 when it is loaded): the list, the duplicates and the history of the
    organization seen at the most events, each page within the screen and served in reasonable time."""
    from eventhub import hooks
    from eventhub.organizations.models import Organization

    live = [org.id for org in db.session.scalars(db.select(Organization).where(
        Organization.merged_into_id.is_(None)))]
    events = hooks.organization_events(live)
    busiest = max(live, key=lambda org_id: (len(events[org_id]), -org_id))
    context = new_context(browser, size)
    page = context.new_page()
    sign_in(page, live_url, "truc.ptq@eventhub.demo", DEMO_PASSWORD)
    for name, path in {"list": "/organizations", "duplicates": "/organizations/duplicates",
                       "history": f"/organizations/{busiest}"}.items():
        page.goto(live_url + path)
        _fits(page, name)
        page.screenshot(path=str(ARTIFACTS / f"organizations-demo-{name}-{size}.png"), full_page=True)
    assert page.locator(".org-event").count() == len(events[busiest])  # every event it was at, in words
    context.close()
