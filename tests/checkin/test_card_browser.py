"""The result card in a real browser: "Print badge" is readable (contrast ≥ 4.5:1, measured on the
colours the browser computes), and a refusal looks unlike a success without relying on colour."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.slow  # a real browser

DESK = "/events/startup-week/checkin"


def _rgb(css: str) -> tuple[float, float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _colours(page, selector):
    """The element's text colour and the first opaque background behind it."""
    return page.evaluate("""(s) => { const e = document.querySelector(s);
        const color = getComputedStyle(e).color;
        let bg = null;
        for (let n = e; n; n = n.parentElement) { const c = getComputedStyle(n).backgroundColor;
          if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') { bg = c; break; } }
        return {color, bg}; }""", selector)


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}],
                         ids=["phone", "desk"])
def test_print_badge_is_readable_and_a_refusal_unlike_a_success(live_url, gate, at_the_event, browser,
                                                                viewport):
    staff = make_user("staff")
    page = browser.new_page(viewport=viewport)
    page.goto(f"{live_url}/login")
    page.fill("input[name=email]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.goto(f"{live_url}{DESK}")
    page.fill("#ticket_code", gate["truc"].ticket_code)
    page.press("#ticket_code", "Enter")
    page.wait_for_selector(".checkin-ok")
    button = ".checkin-ok .checkin-print"
    colours = _colours(page, button)
    assert contrast(_rgb(colours["color"]), _rgb(colours["bg"])) >= 4.5, colours
    for state in (page.hover, page.focus):  # and while the pointer or the focus is on it
        state(button)
        colours = _colours(page, button)
        assert contrast(_rgb(colours["color"]), _rgb(colours["bg"])) >= 4.5, (state, colours)
    box = page.locator(button).bounding_box()
    assert box["height"] >= 44
    success = page.locator(".checkin-verdict").inner_text()

    page.fill("#ticket_code", gate["truc"].ticket_code)
    page.press("#ticket_code", "Enter")
    page.wait_for_selector(".checkin-refused")
    refusal = page.locator(".checkin-verdict").inner_text()
    assert refusal.startswith("✕") and success.startswith("✓")
    assert "ĐÃ VÀO LÚC" in refusal and "CHECK-IN" in success and "CHECK-IN" not in refusal
    card = page.evaluate("getComputedStyle(document.querySelector('.checkin-refused')).backgroundImage")
    assert "repeating-linear-gradient" in card  # stripes: a pattern, not only a colour
    for stripe in ("rgb(176, 42, 55)", "rgb(143, 31, 43)"):
        assert contrast((255, 255, 255), _rgb(stripe)) >= 4.5
    assert page.locator(".checkin-refused .checkin-print").count() == 0
