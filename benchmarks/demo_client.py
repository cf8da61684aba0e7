"""What the in-process benchmarks share: their arguments, and an app on a database the demo was loaded
into with the organizer signed in through the test client (CSRF and rate limits off)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def parse(description: str, runs: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", required=True, help="a database URL with the demo loaded")
    parser.add_argument("--slug", default="startup-week-2020")
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--organizer", default="truc.ptq@eventhub.demo")
    return parser.parse_args()


def signed_in(args: argparse.Namespace, prepare=None):
    """(app, client) for the organizer, or None when signing in failed; `prepare(app)` runs before the
    first request (e.g. to add a route)."""
    os.environ["EVENTHUB_CONFIG"] = "development"
    os.environ["DATABASE_URL"] = args.db
    from eventhub import create_app  # after the environment is set: create_app reads it

    app = create_app()
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    if prepare is not None:
        prepare(app)
    client = app.test_client()
    login = client.post("/login", data={"email": args.organizer, "password": "demo1234"})
    if login.status_code not in (200, 302):
        print(f"login failed: {login.status_code}")
        return None
    return app, client
