"""The organizer's cockpit (`/events/<slug>/manage`) and audit log (`/events/<slug>/audit`) of the full
demo, in one process against a bare Flask route on the same app, with the test client.

Needs a database the demo was loaded into (it does not load one: the demo takes about a minute):

    EVENTHUB_CONFIG=development DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/flask --app wsgi db upgrade
    EVENTHUB_CONFIG=development DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/flask --app wsgi demo
    .venv/bin/python benchmarks/bench_organizer_pages.py --db sqlite:////tmp/demo.db [--runs 30]

Prints, per page, the median and 90th percentile time of a request, its SQL statements, and the ratio of
its median to the bare route's (a signed-in request that returns a string). Runs alternate between the
pages, so a change of the machine's load touches all of them alike.
"""

from __future__ import annotations

import statistics
import sys
import time

import demo_client


def main() -> int:
    args = demo_client.parse(__doc__.splitlines()[0], runs=30)
    signed_in = demo_client.signed_in(
        args, prepare=lambda app: app.add_url_rule("/__bench/bare", "bench_bare", lambda: "ok"))
    if signed_in is None:
        return 1
    app, client = signed_in

    from sqlalchemy import event as sa_event

    from eventhub.extensions import db

    pages = {"bare Flask route": "/__bench/bare",
             "cockpit": f"/events/{args.slug}/manage",
             "audit log, page 1": f"/events/{args.slug}/audit"}
    statements = {name: 0 for name in pages}
    counting: list[str] = []

    with app.app_context():
        @sa_event.listens_for(db.engine, "before_cursor_execute")
        def _count(*_args):
            if counting:
                statements[counting[0]] += 1

    times: dict[str, list[float]] = {name: [] for name in pages}
    for name, url in pages.items():  # warm up, and count one request's statements
        counting[:] = [name]
        if client.get(url).status_code != 200:
            print(f"{url}: not 200")
            return 1
        counting.clear()
    for _ in range(args.runs):
        for name, url in pages.items():
            started = time.perf_counter()
            client.get(url)
            times[name].append((time.perf_counter() - started) * 1000)
    bare = statistics.median(times["bare Flask route"])
    for name, runs in times.items():
        median, p90 = statistics.median(runs), statistics.quantiles(runs, n=10)[-1]
        print(f"{name:20} median {median:6.1f} ms  p90 {p90:6.1f} ms  {statements[name]:3} statements"
              f"  {median / bare:6.1f}× the bare route")
    return 0


if __name__ == "__main__":
    sys.exit(main())
