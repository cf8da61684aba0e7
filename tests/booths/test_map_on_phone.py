"""The public floor map on a phone (390×844): a hall of real size, where a booth is ~11 CSS px wide at
the whole hall's zoom. Zones are the targets there (≥ 44 px), a tap lists the zone's booths as rows a
finger can hit, the map starts on the first screen, and the day selector is one row."""

from __future__ import annotations

import pytest

from eventhub.booths import services
from eventhub.booths.allocation import assign_booths
from eventhub.booths.services import review
from tests.booths.factories import apply
from tests.factories import HCMC, make_event

pytestmark = pytest.mark.slow  # a real browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TARGET = 44


def _big_hall() -> dict:
    """Six zones of 20 booths (3×3 grid units each), three zones a row, as in the demo's hall."""
    zones, booths = [], []
    names = [("AI", "Trí tuệ nhân tạo", "ai"), ("AG", "Nông nghiệp", "agritech"),
             ("FI", "Tài chính số", "fintech"), ("ED", "Giáo dục", "edtech"),
             ("HE", "Y tế", "healthtech"), ("GR", "Công nghệ xanh", "greentech")]
    for i, (code, name, sector) in enumerate(names):
        x0, y0 = (i % 3) * 34, (i // 3) * 23
        zones.append({"code": code, "name": name, "sector": sector, "x": x0, "y": y0, "w": 32, "h": 21})
        for n in range(20):  # two double rows of five, an aisle between them, as in the demo's hall
            row, col = divmod(n, 5)
            booths.append({"code": f"{code}{n + 1:02d}", "zone": code, "x": x0 + 1 + col * 3,
                           "y": y0 + 1 + row * 3 + (2 if row >= 2 else 0), "w": 3, "h": 3,
                           "size": "standard"})
    return {"zones": zones, "booths": booths}


@pytest.fixture
def hall(db):
    from datetime import datetime

    event = make_event(starts_at=datetime(2026, 12, 14, 8, 0, tzinfo=HCMC),
                       ends_at=datetime(2026, 12, 19, 17, 0, tzinfo=HCMC))  # six days: six date buttons
    services.replace_floorplan(event, _big_hall())
    exhibitor = apply(event, organization="Công ty CP Nông Sản Số Mekong", sector="agritech",
                      preferences=["AG08"])  # near the middle of its zone
    review(exhibitor, "approve")
    assign_booths(event)
    return event, exhibitor


def _boxes(page, selector):
    return page.evaluate("""(s) => [...document.querySelectorAll(s)].map(e => {
        const r = e.getBoundingClientRect();
        return {w: r.width, h: r.height, top: r.top, left: r.left}; })""", selector)


def test_on_a_phone_every_target_is_a_fingertip_and_the_map_is_on_the_first_screen(live_url, hall, browser):
    event, exhibitor = hall
    page = browser.new_page(**PHONE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_url}/events/{event.slug}/floor-map")
    svg = _boxes(page, "svg.floormap-svg")[0]
    assert svg["top"] + 200 <= 844, svg  # the map starts on the first screen, with room to see it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    days = _boxes(page, ".floormap-days .nav-link")
    assert len(days) == 7 and len({round(d["top"]) for d in days}) == 1  # all days, then six: one row
    # The booths really are too small to tap at this zoom: the zones are the targets.
    assert max(b["w"] for b in _boxes(page, "g.booth rect")) < TARGET
    zones = _boxes(page, "g.zone rect")
    assert len(zones) == 6 and all(z["w"] >= TARGET and z["h"] >= TARGET for z in zones), zones
    lists = _boxes(page, "details[data-zone-list] > summary")  # the same zones, as a list
    assert len(lists) == 6 and all(z["h"] >= TARGET for z in lists)
    assert page.locator("svg.floormap-svg.is-far").count() == 1
    before = page.locator("svg.floormap-svg").get_attribute("viewBox")

    zone = page.locator("g.zone[data-zone='AG'] rect").bounding_box()
    page.touchscreen.tap(zone["x"] + zone["width"] / 2, zone["y"] + zone["height"] / 2)
    assert page.locator("svg.floormap-svg").get_attribute("viewBox") != before  # zoomed to the zone
    listed = page.locator("details[data-zone-list='AG']")
    assert listed.get_attribute("open") is not None
    assert page.locator("details[data-zone-list][open]").count() == 1
    rows = _boxes(page, "details[data-zone-list='AG'] .floormap-pick")
    assert len(rows) == 20 and all(r["w"] >= TARGET and r["h"] >= TARGET for r in rows), rows[:3]
    assert rows[0]["top"] < 844  # the list starts on the same screen as the zoomed map
    link = listed.locator("a.floormap-pick").first
    assert "Công ty CP Nông Sản Số Mekong" in link.inner_text()
    link.tap()
    page.wait_for_url(f"**/events/{event.slug}/exhibitors/{exhibitor.id}")
    assert errors == []


def test_zoomed_in_far_enough_a_booth_itself_is_the_target(live_url, hall, browser):
    event, exhibitor = hall
    page = browser.new_page(**PHONE)
    page.goto(f"{live_url}/events/{event.slug}/floor-map?lang=en")
    zone = page.locator("g.zone[data-zone='AG'] rect").bounding_box()
    page.touchscreen.tap(zone["x"] + zone["width"] / 2, zone["y"] + zone["height"] / 2)
    for _ in range(3):
        if page.locator("svg.floormap-svg.is-far").count() == 0:
            break
        page.click("[data-zoom=in]")
    assert page.locator("svg.floormap-svg.is-far").count() == 0
    booth = page.locator("g.booth[data-code='AG08']")
    assert booth.get_attribute("data-exhibitor") == str(exhibitor.id)
    box = booth.locator("rect").bounding_box()
    assert box["width"] >= TARGET and box["height"] >= TARGET
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "Công ty CP Nông Sản Số Mekong" in page.locator("[data-floormap-info]").inner_text()


def test_at_a_desk_booths_are_clicked_directly_and_keep_their_labels(live_url, hall, browser):
    event, _exhibitor = hall
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{live_url}/events/{event.slug}/floor-map?lang=en")
    assert page.locator("svg.floormap-svg.is-far, svg.floormap-svg.no-labels").count() == 0
    assert page.locator("g.booth[data-exhibitor] text").first.is_visible()
    page.locator("g.booth[data-exhibitor]").first.click()
    assert "Công ty CP Nông Sản Số Mekong" in page.locator("[data-floormap-info]").inner_text()
    svg = _boxes(page, "svg.floormap-svg")[0]
    assert svg["top"] < 900 / 2
