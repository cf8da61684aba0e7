"""Stopping and reloading gunicorn (issue 22), with scripts/stop_loop.py against real gunicorn processes.

- The stop loop: gunicorn (2 workers, the production configuration, gunicorn.conf.py) serves pages, a
  registration, its badge PDF, a check-in and a bulk badge job, then gets SIGTERM; no worker may end by a
  signal (a SIGSEGV on the way out was the bug), exit with an error or print a fatal error. CI runs a few
  stops on each database (STOP_LOOP_COUNT); `python scripts/stop_loop.py stops --count 50` is the long run.
- The reload under load: registrations and check-ins from several clients while the master gets SIGHUP
  and single workers get SIGTERM: no request fails, and every answered registration and check-in is in
  the database once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.database import postgres_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
STOPS = int(os.environ.get("STOP_LOOP_COUNT", "4"))


def _stop_loop(*args: str, timeout: float) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "stop_loop.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{done.stdout[-6000:]}\n{done.stderr[-6000:]}"
    return done.stdout


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_no_worker_dies_by_a_signal_when_gunicorn_stops(database):
    url = "sqlite" if database == "sqlite" else postgres_url("stops")
    output = _stop_loop("stops", "--count", str(STOPS), "--database", url, timeout=120 + 60 * STOPS)
    assert f"{STOPS} stops on" in output and "stops with a problem: 0" in output, output
    assert "workers ended by a signal: none" in output, output


def test_a_graceful_reload_under_load_fails_no_request():
    output = _stop_loop("reload", "--seconds", "14", "--every", "6", "--clients", "4",
                        "--database", postgres_url("stops_reload"), timeout=300)  # emptied: its own
    assert " 0 failed" in output and "PROBLEM" not in output, output
