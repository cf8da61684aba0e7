"""One registration in-process: its cost beside the bare insert's, its SQL statements, where the time goes.

As profile_checkin.py, for `POST /api/v1/events/{slug}/registrations` (bench_registration.py's fixture,
a new person each request, the confirmation e-mail queued in the outbox): both apps in this process
through Flask's test client, one request at a time, rounds alternating with the bare insert.

    .venv/bin/python benchmarks/profile_registration.py --db postgres [--n 300] [--rounds 5] [--profile F]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import harness
from profile_checkin import _count_statements
from registration_fixture import SLUG, TYPE


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=harness.DATABASES, default="postgres")
    parser.add_argument("--n", type=int, default=300, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limits", action="store_true",
                        help="the rate limits on, counted in Redis (db 15), as in production and make load")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile (CPU time) one round of registrations; also saved to FILE")
    return parser.parse_args()


def main() -> int:
    args = _args()
    with harness.database(args.db) as url, tempfile.TemporaryDirectory(prefix="eventhub-prof-") as tmp:
        harness.prime(url, "baseline_app.py")
        harness.prime(url, "registration_fixture.py")
        os.environ.update({**harness.app_env(url, Path(tmp) / "instance"), "MAIL_DELIVERY": "worker"})
        if args.limits:
            os.environ.update({"RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
                               "REGISTRATION_LIMIT_PER_IP": "1000000 per hour"})
        sys.path[:0] = [str(harness.REPO), str(harness.BENCH_DIR)]
        import baseline_app
        from sqlalchemy.engine import Engine

        from eventhub import create_app

        app = create_app()
        client, base = app.test_client(), baseline_app.app.test_client()
        numbers = itertools.count()
        url_path = f"/api/v1/events/{SLUG}/registrations"

        def register():
            answer = client.post(url_path, json={
                "type": TYPE, "full_name": "Nguyễn Thị Quý Trúc",
                "email": f"khach-{next(numbers)}@example.vn",
                "phone": "0912 345 678", "organization": "Sở KH&CN", "consent": True})
            assert answer.status_code == 201, answer.get_data(as_text=True)

        def insert():
            answer = base.post("/insert", json={"name": "Nguyễn Thị Quý Trúc"})
            assert answer.status_code == 201, answer.get_data(as_text=True)

        cpu: dict[str, list[float]] = {"register": [], "insert": []}

        def timed(call) -> float:
            """Wall-clock ms per request; this process's CPU ms per request goes to `cpu`."""
            started, started_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.n):
                call()
            cpu[call.__name__].append((time.process_time() - started_cpu) / args.n * 1000)
            return (time.perf_counter() - started) / args.n * 1000

        timed(register), timed(insert)  # warm-up: imports, pools, compiled statements
        statements = _count_statements(Engine)
        register()
        print(f"SQL statements per registration ({args.db}): {sum(statements.values())}")
        for text, count in statements.most_common():
            print(f"  {count} × {text}")
        statements.clear()
        insert()
        print(f"SQL statements per bare insert: {sum(statements.values())}")
        for text, count in statements.most_common():
            print(f"  {count} × {text}")

        cpu["register"].clear(), cpu["insert"].clear()
        mine, inserts = [], []
        for _ in range(args.rounds):
            mine.append(timed(register))
            inserts.append(timed(insert))
        ms_mine, ms_insert = statistics.median(mine), statistics.median(inserts)
        ratios = [a / b for a, b in zip(mine, inserts, strict=True)]
        print(f"\n{args.rounds} rounds of {args.n} on {args.db}, one request at a time:")
        print(f"  registration {ms_mine:6.2f} ms/request  (rounds {min(mine):.2f}–{max(mine):.2f})")
        print(f"  bare insert  {ms_insert:6.2f} ms/request  (rounds {min(inserts):.2f}–{max(inserts):.2f})")
        print(f"  registration / bare insert, round by round: median {statistics.median(ratios):.2f}× "
              f"({min(ratios):.2f}–{max(ratios):.2f})")
        cpu_mine, cpu_insert = statistics.median(cpu["register"]), statistics.median(cpu["insert"])
        print(f"  this process's CPU: registration {cpu_mine:.2f} ms, bare insert {cpu_insert:.2f} ms "
              f"per request ({cpu_mine / cpu_insert:.2f}×)")

        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.runcall(timed, register)
            profiler.dump_stats(args.profile)
            for order, lines in (("cumulative", 60), ("tottime", 30)):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(lines)
                print(out.getvalue())
        for flask_app, sqlalchemy in ((app, None), (baseline_app.app, baseline_app.db)):
            with flask_app.app_context():
                (sqlalchemy or flask_app.extensions["sqlalchemy"]).engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
