"""Read-only pages under load, as ratios of the baseline's `/row` on the same database.

On SQLite, then PostgreSQL (--db), with 16 connections from wrk against gunicorn (2 sync workers):
the baseline's /hello and /row (benchmarks/baseline_app.py), then EventHub's JSON event, HTML event
page and home page with the demo series loaded, then /row again. Prints the table, then each goal of
issue 21 (the event page and the home page at ≥ 0.6× /row) met or not, with the machine's load average
before and after. Exits 1 if any run had errors or non-2xx answers.

    .venv/bin/python benchmarks/bench_pages.py [--quick] [--db sqlite|postgres|both]
"""

from __future__ import annotations

import os
import sys

import harness

SLUG = "startup-week-2026"  # from `flask --app wsgi demo`
BASELINE = [("baseline /hello", "/hello"), ("baseline /row", "/row")]
EVENTHUB = [
    ("eventhub API event", f"/api/v1/events/{SLUG}"),
    ("eventhub event page", f"/events/{SLUG}"),
    ("eventhub home page", "/"),
]
GOALS = {"eventhub event page": 0.6, "eventhub home page": 0.6}  # × baseline /row (issue 21)
_measured: list[harness.Result] = []


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
    _measured.extend(results)
    return results


def print_goals(results: list[harness.Result]) -> None:
    print()
    for database in dict.fromkeys(r.database for r in results):
        rows = [r.rps for r in results if r.database == database and r.scenario == "baseline /row"]
        if not rows:
            continue
        base = sum(rows) / len(rows)
        for scenario, goal in GOALS.items():
            for r in results:
                if r.database == database and r.scenario == scenario:
                    ratio = r.rps / base
                    print(f"{scenario} on {database}: {ratio:.2f}× baseline /row, p99 {r.p99_ms:.1f} ms "
                          f"(goal ≥ {goal}: {'met' if ratio >= goal else 'NOT met'})")


def load_average() -> str:
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    load_before = load_average()
    code = harness.main(__doc__, bench, baseline="baseline /row")
    print_goals(_measured)
    print(f"load average (1, 5, 15 min): {load_before} before, {load_average()} after; "
          f"{os.cpu_count()} cores")
    sys.exit(code)
