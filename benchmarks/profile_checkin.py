"""One gate scan in-process: its cost beside the bare insert's, its SQL statements, and where the time goes.

No gunicorn and no wrk: both apps run in this process through Flask's test client, one request at a
time, on a throwaway database (bench_checkin.py's fixture), so what is left is what EventHub's code
costs per scan. Alternates check-in and bare-insert rounds and reports the median of each (the
machine is shared: a round that another process slowed shows as spread, not as a wrong median).

    .venv/bin/python benchmarks/profile_checkin.py --db postgres [--n 500] [--rounds 5] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

import harness
import inprocess
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

        from eventhub import create_app

        app = create_app({"SQLALCHEMY_ENGINE_OPTIONS": args.engine_options} if args.engine_options else None)
        gate = app.test_client()
        codes = iter(codes_path.read_text().split())
        headers = {"Authorization": f"Bearer {token_path.read_text().strip()}"}
        url_path = f"/api/v1/events/{SLUG}/checkins"

        def scan():
            answer = gate.post(url_path, json={"ticket_code": next(codes), "gate": "Cổng A"}, headers=headers)
            assert answer.status_code == 201, answer.get_data(as_text=True)

        inprocess.compare("check-in", scan, app, baseline_app, n=args.n, rounds=args.rounds,
                          database=args.db, profile=args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
