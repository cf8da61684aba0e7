"""What the browser journeys share: screen sizes and signing in."""

from __future__ import annotations

PHONE = {"width": 390, "height": 844}  # an everyday phone, portrait
DESKTOP = {"width": 1280, "height": 900}


def sign_in(page, base: str, email: str, password: str) -> None:
    """Signs in through the log-in form; fails the test if it did not work."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form:has([name=password]) button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:2000]
