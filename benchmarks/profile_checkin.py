"""One gate scan in-process: its cost beside the bare insert's, its SQL statements, and where the time goes.

No gunicorn and no wrk: both apps run in this process through Flask's test client, one request at a
time, on a throwaway database (bench_checkin.py's fixture), so what is left is what EventHub's code
costs per scan. Alternates check-in and bare-insert rounds and reports the median of each (the
machine is shared: a round that another process slowed shows as spread, not as a wrong median).

    .venv/bin/python benchmarks/profile_checkin.py --db postgres [--n 500] [--rounds 5] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import harness
from checkin_fixture import SLUG


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=harness.DATABASES, default="postgres")
    parser.add_argument("--n", type=int, default=500, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engine-options", type=json.loads, metavar="JSON",
                        help="EventHub's SQLALCHEMY_ENGINE_OPTIONS instead, e.g. "
                             '\'{"pool_pre_ping": true}\'')
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile (CPU time) one round of check-ins; also saved to FILE")
    return parser.parse_args()


def _count_statements(engine_class) -> Counter:
    """Every statement sent to any database from now on, by its first words (all engines)."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    seen: Counter = Counter()

    @event.listens_for(engine_class, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        seen[" ".join(statement.split()[:4])[:70]] += 1

    # Round trips that are no statement of ours: BEGIN and COMMIT, and a pool check-out (a ping
    # with pool_pre_ping, or EventHub's own when the connection sat idle).
    for name, what in (("begin", "(BEGIN)"), ("commit", "(COMMIT)")):
        event.listen(engine_class, name, lambda conn, what=what: seen.update([what]))
    event.listen(Pool, "checkout", lambda dbapi_conn, record, proxy: seen.update(["(pool check-out)"]))
    return seen


def main() -> int:
    args = _args()
    tickets = args.n * (args.rounds + 2) + 10
    with harness.database(args.db) as url, tempfile.TemporaryDirectory(prefix="eventhub-prof-") as tmp:
        env = {"TICKET_KEY": secrets.token_hex(32)}
        harness.prime(url, "baseline_app.py")
        codes_path, token_path = Path(tmp) / "codes.txt", Path(tmp) / "token.txt"
        harness.prime(url, "checkin_fixture.py", str(tickets), str(codes_path), str(token_path), env=env)
        os.environ.update({**harness.app_env(url, Path(tmp) / "instance"), **env})
        sys.path[:0] = [str(harness.REPO), str(harness.BENCH_DIR)]
        import baseline_app
        from sqlalchemy.engine import Engine

        from eventhub import create_app

        app = create_app({"SQLALCHEMY_ENGINE_OPTIONS": args.engine_options} if args.engine_options else None)
        gate, base = app.test_client(), baseline_app.app.test_client()
        codes = iter(codes_path.read_text().split())
        headers = {"Authorization": f"Bearer {token_path.read_text().strip()}"}
        url_path = f"/api/v1/events/{SLUG}/checkins"

        def scan():
            answer = gate.post(url_path, json={"ticket_code": next(codes), "gate": "Cổng A"}, headers=headers)
            assert answer.status_code == 201, answer.get_data(as_text=True)

        def insert():
            answer = base.post("/insert", json={"name": "Nguyễn Thị Quý Trúc"})
            assert answer.status_code == 201, answer.get_data(as_text=True)

        cpu: dict[str, list[float]] = {"scan": [], "insert": []}

        def timed(call) -> float:
            """Wall-clock ms per request; this process's CPU ms per request goes to `cpu` (the
            database's own work and the waits excluded, so less disturbed by a busy machine)."""
            started, started_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.n):
                call()
            cpu[call.__name__].append((time.process_time() - started_cpu) / args.n * 1000)
            return (time.perf_counter() - started) / args.n * 1000

        timed(scan), timed(insert)  # warm-up: imports, pools, compiled statements
        statements = _count_statements(Engine)
        scan()
        per_scan = sum(statements.values())
        print(f"SQL statements per scan ({args.db}): {per_scan}")
        for text, count in statements.most_common():
            print(f"  {count} × {text}")
        statements.clear()
        insert()
        print(f"SQL statements per bare insert: {sum(statements.values())}")
        for text, count in statements.most_common():
            print(f"  {count} × {text}")

        cpu["scan"].clear(), cpu["insert"].clear()
        scans, inserts = [], []
        for _ in range(args.rounds):
            scans.append(timed(scan))
            inserts.append(timed(insert))
        ms_scan, ms_insert = statistics.median(scans), statistics.median(inserts)
        ratios = [scan / insert for scan, insert in zip(scans, inserts, strict=True)]
        print(f"\n{args.rounds} rounds of {args.n} on {args.db}, one request at a time:")
        print(f"  check-in     {ms_scan:6.2f} ms/request  (rounds {min(scans):.2f}–{max(scans):.2f})")
        print(f"  bare insert  {ms_insert:6.2f} ms/request  (rounds {min(inserts):.2f}–{max(inserts):.2f})")
        print(f"  check-in / bare insert, round by round: median {statistics.median(ratios):.2f}× the time "
              f"({min(ratios):.2f}–{max(ratios):.2f})")
        cpu_scan, cpu_insert = statistics.median(cpu["scan"]), statistics.median(cpu["insert"])
        print(f"  this process's CPU: check-in {cpu_scan:.2f} ms, bare insert {cpu_insert:.2f} ms "
              f"per request ({cpu_scan / cpu_insert:.2f}×)")

        if args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU: what a busy machine disturbs least
            profiler.runcall(timed, scan)
            profiler.dump_stats(args.profile)
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
            stats.print_stats(45)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(25)
            print(out.getvalue())
        for flask_app, sqlalchemy in ((app, None), (baseline_app.app, baseline_app.db)):
            with flask_app.app_context():
                (sqlalchemy or flask_app.extensions["sqlalchemy"]).engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
