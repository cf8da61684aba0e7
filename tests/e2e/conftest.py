"""Browser tests: Playwright drives Debian's Chromium (the session's `browser`, tests/support/browser.py)
against a live server in a thread.

Each step's screenshot goes to test-artifacts/e2e/ (git-ignored; left in the working tree after a run).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventhub import create_app
from eventhub.extensions import db as _db
from tests.support.live import serve

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.fixture
def live(app, db, tmp_path):
    """The test database served as in production: CSRF on, jobs in a background thread, e-mail to a
    folder; yields (app, base URL)."""
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    served = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database,
                         "WTF_CSRF_ENABLED": True, "JOBS_EAGER": False, "JOBS_THREADS": 1,
                         "MAIL_DELIVERY": "eager", "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
                         "FILE_STORAGE_DIR": str(tmp_path / "files")})
    with serve(served) as base:
        served.config["BASE_URL"] = base
        yield served, base
    runner = served.extensions.get("eventhub_jobs")
    if runner is not None and hasattr(runner, "pool"):
        runner.pool.shutdown(wait=True)
    with served.app_context():
        _db.session.remove()
        _db.engine.dispose()


class Shots:
    """Numbered screenshots of one scenario: test-artifacts/e2e/<scenario>/01-<step>.png."""

    def __init__(self, name: str):
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.n = 0

    def __call__(self, page, step: str) -> None:
        self.n += 1
        page.screenshot(path=str(self.folder / f"{self.n:02d}-{re.sub(r'[^a-z0-9]+', '-', step)}.png"),
                        full_page=True)


@pytest.fixture
def shots(request):
    return Shots(request.node.name.removeprefix("test_"))


