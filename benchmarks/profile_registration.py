"""One registration in-process: its cost beside the bare insert's, its SQL statements, where the time goes.

As profile_checkin.py, for `POST /api/v1/events/{slug}/registrations` (bench_registration.py's fixture,
a new person each request, the confirmation e-mail queued in the outbox): both apps in this process
through Flask's test client, one request at a time, rounds alternating with the bare insert.

    .venv/bin/python benchmarks/profile_registration.py --db postgres [--n 300] [--rounds 5] [--profile F]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
from pathlib import Path

import harness
import inprocess
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

        from eventhub import create_app

        app = create_app()
        client = app.test_client()
        numbers = itertools.count()
        url_path = f"/api/v1/events/{SLUG}/registrations"

        def register():
            answer = client.post(url_path, json={
                "type": TYPE, "full_name": "Nguyễn Thị Quý Trúc",
                "email": f"khach-{next(numbers)}@example.vn",
                "phone": "0912 345 678", "organization": "Sở KH&CN", "consent": True})
            assert answer.status_code == 201, answer.get_data(as_text=True)

        inprocess.compare("registration", register, app, baseline_app, n=args.n, rounds=args.rounds,
                          database=args.db, profile=args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
