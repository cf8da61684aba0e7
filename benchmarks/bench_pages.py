"""Read-only pages under load, as ratios of the baseline's `/row` on the same database.

On SQLite, then PostgreSQL (--db), with 16 connections from wrk against gunicorn (2 sync workers):
the baseline's /hello and /row (benchmarks/baseline_app.py), then EventHub's JSON event, HTML event
page and home page with the demo series loaded, then /row again. Exits 1 if any run had errors or
non-2xx answers.

    .venv/bin/python benchmarks/bench_pages.py [--quick] [--db sqlite|postgres|both]
"""

from __future__ import annotations

import sys

import harness

SLUG = "startup-week-2026"  # from `flask --app wsgi demo`
BASELINE = [("baseline /hello", "/hello"), ("baseline /row", "/row")]
EVENTHUB = [
    ("eventhub API event", f"/api/v1/events/{SLUG}"),
    ("eventhub event page", f"/events/{SLUG}"),
    ("eventhub home page", "/"),
]


def bench(kind: str, args) -> list[harness.Result]:
    results = []
    with harness.database(kind) as url:
        harness.flask_cli(url, "demo")
        harness.prime(url, "baseline_app.py")
        with (harness.server("baseline_app:app", url, ready_path="/hello") as base,
              harness.server("wsgi:app", url, ready_path="/healthz") as app):
            results += [harness.measure(name, kind, base + path, args) for name, path in BASELINE]
            results += [harness.measure(name, kind, app + path, args) for name, path in EVENTHUB]
            # /row again after EventHub's routes: the ratios use the mean of both runs, and a drift
            # between them shows that the machine's background load changed during the run.
            results.append(harness.measure("baseline /row", kind, base + "/row", args))
    return results


if __name__ == "__main__":
    sys.exit(harness.main(__doc__, bench, baseline="baseline /row"))
