"""A real browser for the slow tests (registered in tests/conftest.py): Playwright drives Debian's Chromium
(/usr/bin/chromium, or $CHROMIUM; installed by `scripts/system-deps.sh test`, never a browser download),
headless, one launch per test session. Each test opens its own pages (`browser.new_page()` or
`browser.new_context()`: a fresh context, its own cookies); `live_url` (tests/support/fixtures.py) serves
the app to it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: run scripts/system-deps.sh test (apt chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()
