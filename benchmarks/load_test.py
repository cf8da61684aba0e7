"""Load test: the morning of a 5,000-person event, on loopback.

gunicorn on the README's production settings (4 gthread workers × 2 threads) with PostgreSQL and Redis
(rate-limit counters), then concurrent clients:
  1. 5,200 registrations for a type with 5,000 seats (the last 200 must be turned away: sold out),
  2. 5,000 check-ins of the issued tickets plus 250 second scans (refused: already checked in).
By default the requests leave at the rush's pace (RUSH: 100 registrations, then 50 scans a second) and
each latency counts from the moment its request was due; with a rate of 0 every client sends again as
soon as it is answered (the server's ceiling, where latency is the queue of 32 clients).
Passes only with zero errors (no 5xx, no dropped connection, no unexpected answer), no lost or
duplicated row, and the capacity held exactly. Prints throughput and p50/p99 per phase.

    .venv/bin/python benchmarks/load_test.py [--people 5000] [--clients 32] [--workers 4] [--threads 2]
        [--registration-rate 100] [--checkin-rate 50]     # 0 and 0: saturated
    make load
Not part of pytest: about three minutes on two cores.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import harness

SLUG, TYPE = "gate-morning", "visitor"
# The rush, in requests a second: registration opening with an announcement (5,200 in under a minute),
# then the gate (5,250 scans in under two minutes: 20 scanners, one scan every 8 s each at the busiest
# gate is 2.5 a second – this is 20 times that).
RUSH = (100.0, 50.0)
REDIS_DB = "redis://127.0.0.1:6379/15"


def prime(people: int) -> None:
    """Runs inside the app's environment (through harness.prime): schema, event, staff token."""
    from datetime import UTC, datetime

    from eventhub import create_app
    from eventhub.accounts import services as accounts
    from eventhub.events.services import create_event
    from eventhub.extensions import db
    from eventhub.registration import catalog

    with create_app().app_context():
        db.create_all()
        event = create_event(slug=SLUG, name="Ngày hội Khởi nghiệp – buổi sáng ở cổng", kind="regional_day",
                             registration_open=True, starts_at=datetime(2026, 12, 14, 1, tzinfo=UTC),
                             ends_at=datetime(2026, 12, 14, 10, tzinfo=UTC))
        catalog.create_type(event, code=TYPE, name="Khách tham quan", capacity=people)
        staff = accounts.create_user("gate@example.vn", "gate-password-42", "Phạm Văn Cổng", role="staff")
        token, _record = accounts.issue_token(staff)
        print(json.dumps({"token": token}))


class Client:
    """One keep-alive connection per thread, as a browser or a scanner app keeps."""

    local = threading.local()

    def __init__(self, base: str):
        self.parts = urlsplit(base)

    def post(self, path: str, body: dict, headers: dict | None = None) -> tuple[int, dict, float]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=60)
            self.local.conn = conn
        data = json.dumps(body).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=data, headers=sent)
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.local.conn = None
            conn.close()
            raise
        elapsed = time.perf_counter() - started
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"raw": raw[:200].decode(errors="replace")}
        return response.status, payload, elapsed


def run_phase(name: str, jobs: list, clients: int, rate: float = 0) -> dict:
    """Runs the jobs on `clients` connections: at `rate` requests a second (an open workload: each
    request leaves at its own moment whatever the server's pace, and its latency counts from that
    moment, so a slow server cannot hide its queue), or with `rate` 0 each client sending its next
    request as soon as the last is answered (the server's ceiling)."""
    latencies: list[float] = []
    outcomes: Counter = Counter()
    errors: list[str] = []
    results: list = []
    lock = threading.Lock()

    def one(job, due=None):
        try:
            status, payload, elapsed = job()
        except Exception as exc:  # a dropped connection is an error of the run
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
            return
        if due is not None:  # waiting for a free connection is part of the latency a person sees
            elapsed = time.perf_counter() - due
        code = payload.get("error", {}).get("code") if isinstance(payload.get("error"), dict) else None
        with lock:
            latencies.append(elapsed)
            outcomes[(status, code)] += 1
            results.append((status, payload))
            if status >= 500:
                errors.append(f"{status} {payload}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        if rate <= 0:
            list(pool.map(one, jobs))
        else:
            for index, job in enumerate(jobs):
                due = started + index / rate
                time.sleep(max(0.0, due - time.perf_counter()))
                pool.submit(one, job, due)
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    summary = {
        "phase": name, "rate": rate or "as fast as answered", "requests": len(jobs),
        "seconds": round(wall, 2),
        "per_second": round(len(jobs) / wall, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 1) if ordered else None,
        "p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 1) if ordered else None,
        "max_ms": round(1000 * ordered[-1], 1) if ordered else None,
        "outcomes": {f"{s} {c or ''}".strip(): n for (s, c), n in sorted(outcomes.items(), key=str)},
        "errors": errors[:10], "error_count": len(errors),
    }
    return summary, results


def warm_up(client: Client, token: str, clients: int) -> None:
    """Requests that change nothing (refused: no consent, no such ticket) on every connection, so no
    measured request pays a worker's first imports, pool connections and compiled statements."""
    jobs = [(lambda i=i: client.post(f"/api/v1/events/{SLUG}/registrations",
                                     {"type": TYPE, "full_name": "Khởi động", "email": f"warm{i}@example.vn",
                                      "consent": False})) for i in range(8 * clients)]
    jobs += [(lambda: client.post(f"/api/v1/events/{SLUG}/checkins", {"ticket_code": "NONE-0000",
                                                                      "gate": "A"},
                                  {"Authorization": f"Bearer {token}"})) for _ in range(8 * clients)]
    summary, _results = run_phase("warm-up", jobs, clients)
    if summary["error_count"] or any(not key.startswith("4") for key in summary["outcomes"]):
        raise SystemExit(f"the warm-up did not go as expected: {summary}")


def check_database(url: str, people: int) -> dict:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "registrations": one("SELECT count(*) FROM registrations"),
            "confirmed": one("SELECT count(*) FROM registrations WHERE status = 'confirmed'"),
            "distinct_emails": one("SELECT count(DISTINCT email) FROM registrations"),
            "taken": one(f"SELECT taken FROM registration_types WHERE code = '{TYPE}'"),
            "capacity": one(f"SELECT capacity FROM registration_types WHERE code = '{TYPE}'"),
            "checkins": one("SELECT count(*) FROM checkins WHERE undone_at IS NULL"),
            "checked_in_people": one("SELECT count(DISTINCT registration_id) FROM checkins"),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--extra", type=int, default=200, help="registrations beyond capacity (refused)")
    parser.add_argument("--rescans", type=int, default=250, help="second scans of a ticket (refused)")
    parser.add_argument("--clients", type=int, default=32, help="connections (concurrent requests at most)")
    parser.add_argument("--registration-rate", type=float, default=RUSH[0],
                        help=f"registrations a second (default {RUSH[0]:g}); 0: as fast as answered")
    parser.add_argument("--checkin-rate", type=float, default=RUSH[1],
                        help=f"check-ins a second (default {RUSH[1]:g}); 0: as fast as answered")
    # The README's production command: gunicorn --workers 4 --threads 2.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--prime", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prime:
        prime(args.people)
        return 0

    import redis

    redis.Redis.from_url(REDIS_DB).flushdb()  # this run's rate-limit counters only (db 15)
    env = {"REDIS_URL": REDIS_DB, "RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": REDIS_DB,
           "REGISTRATION_LIMIT_PER_IP": "1000000 per hour",  # one load generator stands in for 5,000 phones
           "MAIL_DELIVERY": "worker",  # e-mails are queued in the transaction; a mail worker sends them
           "GUNICORN_CMD_ARGS": f"--worker-class gthread --threads {args.threads}"}
    with harness.database("postgres", migrate=False) as url:
        primed = harness.prime(url, "load_test.py", "--prime", "--people", str(args.people), env=env)
        token = json.loads(primed.strip().splitlines()[-1])["token"]
        with harness.server("wsgi:app", url, workers=args.workers, ready_path="/healthz", env=env) as base:
            client = Client(base)
            warm_up(client, token, args.clients)
            total = args.people + args.extra
            register_jobs = [
                (lambda i=i: client.post(f"/api/v1/events/{SLUG}/registrations",
                                         {"type": TYPE, "full_name": f"Nguyễn Thị Khách {i}",
                                          "email": f"khach{i}@example.vn", "consent": True}))
                for i in range(total)]
            registered, reg_results = run_phase("registrations", register_jobs, args.clients,
                                                args.registration_rate)
            tickets = []
            ids = [p["id"] for s, p in reg_results if s == 201]
            # the tickets, read back as the people would show them (manage token → registration)
            import psycopg

            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
                tickets = [row[0] for row in conn.execute(
                    "SELECT ticket_code FROM registrations WHERE status = 'confirmed' ORDER BY id")]
            headers = {"Authorization": f"Bearer {token}"}
            scans = tickets + tickets[:args.rescans]
            checkin_jobs = [(lambda code=code: client.post(f"/api/v1/events/{SLUG}/checkins",
                                                           {"ticket_code": code, "gate": "Cổng A"}, headers))
                            for code in scans]
            checked, _results = run_phase("check-ins", checkin_jobs, args.clients, args.checkin_rate)
        rows = check_database(url, args.people)

    problems = []
    for phase in (registered, checked):
        if phase["error_count"]:
            problems.append(f"{phase['phase']}: {phase['error_count']} errors, e.g. {phase['errors'][:3]}")
    expected_reg = {"201": args.people, "409 sold_out": args.extra}
    if registered["outcomes"] != expected_reg:
        problems.append(f"registrations answered {registered['outcomes']}, expected {expected_reg}")
    expected_scan = {"201": args.people, "409 already_checked_in": args.rescans}
    if checked["outcomes"] != expected_scan:
        problems.append(f"check-ins answered {checked['outcomes']}, expected {expected_scan}")
    if not (rows["registrations"] == rows["confirmed"] == rows["distinct_emails"] == rows["taken"]
            == rows["capacity"] == len(ids) == args.people):
        problems.append(f"registration rows do not add up: {rows}")
    if not rows["checkins"] == rows["checked_in_people"] == args.people:
        problems.append(f"check-in rows do not add up: {rows}")

    report = {"people": args.people, "clients": args.clients, "workers": args.workers,
              "threads": args.threads, "cpus": os.cpu_count(), "phases": [registered, checked],
              "rows": rows, "problems": problems}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print()
    print("| phase | sent at | requests | seconds | req/s | p50 ms | p99 ms | max ms | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for p in (registered, checked):
        pace = f"{p['rate']:g}/s" if isinstance(p["rate"], float | int) else p["rate"]
        print(f"| {p['phase']} | {pace} | {p['requests']} | {p['seconds']} | {p['per_second']} | "
              f"{p['p50_ms']} | {p['p99_ms']} | {p['max_ms']} | {p['error_count']} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if problems:
        print("\nFAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("\nOK: zero errors, no lost or duplicated rows, capacity held.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
