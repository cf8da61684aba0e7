"""The registrations export of the full demo (`flask demo --visitors 1`: 3,175 registrations at
startup-week-2020), as CSV and as XLSX, through the organizer's own URLs with the test client.

Needs a database the demo was loaded into (it does not load one: the demo takes about a minute):

    EVENTHUB_CONFIG=development DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/flask --app wsgi db upgrade
    EVENTHUB_CONFIG=development DATABASE_URL=sqlite:////tmp/demo.db .venv/bin/flask --app wsgi demo
    .venv/bin/python benchmarks/bench_exports.py --db sqlite:////tmp/demo.db [--runs 5] [--slug …]

Prints, per format, the median time of the request, the file's size and the peak Python memory
(tracemalloc) of one request. Figures drift ±30 % between runs on these shared machines.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc

import demo_client


def main() -> int:
    args = demo_client.parse(__doc__.splitlines()[0], runs=5)
    signed_in = demo_client.signed_in(args)
    if signed_in is None:
        return 1
    _app, client = signed_in
    for kind in ("csv", "xlsx"):
        url = f"/events/{args.slug}/registrations.{kind}"
        times, size = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                print(f"{url}: {response.status_code}")
                return 1
            size = len(response.data)
        tracemalloc.start()
        client.get(url)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{kind:5} median {statistics.median(times):7.0f} ms  (min {min(times):.0f}, runs {args.runs})"
              f"  {size / 1024:7.0f} KiB  peak {peak / 2**20:5.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
