"""The floor map in a real browser (Playwright driving Debian's chromium): a phone taps and zooms,
an organizer drags an exhibitor to another booth and onto a taken one (a swap)."""

from __future__ import annotations

import pytest

from eventhub.booths.allocation import assign_booths
from eventhub.booths.models import BoothPlacement
from eventhub.booths.services import review
from tests.booths.factories import apply, hall_event
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.slow  # a real browser: run once, in the slow step


def _booth_centre(page, code):
    box = page.locator(f"g.booth[data-code='{code}'] rect").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_phone_taps_a_booth_and_zooms(live_url, browser, db):
    event = hall_event()
    exhibitor = apply(event, organization="Công ty CP Sen Hồng Edu", sector="edtech")
    review(exhibitor, "approve")
    assign_booths(event)
    code = db.session.scalar(db.select(BoothPlacement).filter_by(exhibitor_id=exhibitor.id)).booth.code
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_url}/events/{event.slug}/floor-map?lang=en")
    before = page.locator("svg.floormap-svg").get_attribute("viewBox")
    page.locator(f"g.booth[data-code='{code}']").tap()
    info = page.locator("[data-floormap-info]").inner_text()
    assert code in info and "Công ty CP Sen Hồng Edu" in info
    assert "Edtech" in info and "edtech" not in info  # the sector in words, not its code
    page.click("[data-zoom=in]")
    after = page.locator("svg.floormap-svg").get_attribute("viewBox")
    assert float(after.split()[2]) < float(before.split()[2])  # narrower: zoomed in
    page.click("[data-zoom=reset]")
    assert page.locator("svg.floormap-svg").get_attribute("viewBox") == before
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert errors == []


def test_an_organizer_drags_to_move_and_to_swap(live_url, browser, db):
    event = hall_event()
    first = apply(event, organization="Công ty CP Rồng Việt AI", preferences=["A1"])
    second = apply(event, organization="Công ty CP Hoa Sen Data", preferences=["B1"])
    assign_booths(event)
    organizer = make_user("organizer")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_url}/login")
    page.fill("input[name=email]", organizer.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_url}/events/{event.slug}/booths/allocation?lang=en")

    def drag(source, target):
        page.mouse.move(*_booth_centre(page, source))
        page.mouse.down()
        page.mouse.move(*_booth_centre(page, target), steps=8)
        with page.expect_navigation():
            page.mouse.up()

    drag("A1", "A3")  # free: a move, locked
    assert "Booth A3 updated." in page.locator(".alert").first.inner_text()
    drag("A3", "B1")  # taken: a swap
    assert "swapped booths" in page.locator(".alert").first.inner_text()
    db.session.expire_all()
    placed = {p.exhibitor_id: (p.booth.code, p.locked) for p in db.session.scalars(db.select(BoothPlacement))}
    assert placed == {first.id: ("B1", True), second.id: ("A3", True)}
