"""Stops and reloads of gunicorn, counted (issue 22).

    python scripts/stop_loop.py stops --count 50 [--database sqlite|postgres|URL] [--no-config]
    python scripts/stop_loop.py reload --seconds 20 [--database sqlite|postgres|URL]

`stops`: starts gunicorn (2 workers, the production configuration, the repository's gunicorn.conf.py),
sends the traffic that wakes every background piece – a few pages, a registration through the API (its
e-mail goes through the outbox thread), that registration's badge PDF (WeasyPrint in a request thread),
a check-in and a bulk badge job (the in-process job thread) – then SIGTERM to the master; repeated
`--count` times. `--no-config` starts gunicorn without the config file (how it was before issue 22).

`reload`: registrations and check-ins from several clients while the master gets SIGHUP (a graceful
reload) and single workers get SIGTERM, in turns (gunicorn stops the old workers as soon as it has forked
the new ones: requests wait in the socket's backlog while the new ones load the app, so `--every` must
leave them time to, and the clients wait up to 240 s for an answer); then the stop, and the database is
checked: every answered registration and check-in is there once, nothing else is, and every e-mail is
sent or pending.

Both fail (exit 1) on a worker ended by any signal but SIGTERM, a worker's non-zero exit, a fatal error
in a worker's log (faulthandler), a failed request or a lost or duplicated record. `sqlite` is a file in
a temporary folder; `postgres` is postgresql+psycopg://postgres@127.0.0.1:5432/eventhub_stops, emptied
first (give a URL a database of its own: it is emptied too). Uses the running interpreter's gunicorn.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/eventhub_stops"
ORGANIZER = ("stops@example.vn", "stop-loop-organizer")
SIGNAL_LINE = re.compile(r"Worker \(pid:(\d+)\) was sent (SIG\w+|signal \d+)")
EXIT_LINE = re.compile(r"Worker \(pid:(\d+)\) exited with code (-?\d+)")
FATAL_LINE = re.compile(r"Fatal Python error|Segmentation fault|Traceback \(most recent call last\)")
EXPECTED_SIGNALS = {"SIGTERM"}  # a worker told to stop that stops by the signal's default action


class Failed(Exception):
    pass


# --- the set-up -----------------------------------------------------------------------------------

def database_url(choice: str, folder: Path) -> str:
    if choice == "sqlite":
        return f"sqlite:///{folder / 'eventhub.db'}"
    return POSTGRES if choice == "postgres" else choice


def empty_postgres(url: str) -> None:
    """Creates the database when missing and drops everything in it."""
    target = sa.engine.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    engine = sa.create_engine(target, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def environment(folder: Path, url: str, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in {"REDIS_URL", "MAIL_SERVER", "TEST_DATABASE_URL", "FILE_STORAGE_S3_BUCKET",
                          "RATELIMIT_STORAGE_URI", "MAIL_DELIVERY", "JOBS_EAGER"}}
    env.update(EVENTHUB_CONFIG="production", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=url,
               EVENTHUB_INSTANCE_PATH=str(folder / "instance"), FILE_STORAGE_DIR=str(folder / "files"),
               MAIL_OUTBOX_DIR=str(folder / "outbox"), BASE_URL=f"http://127.0.0.1:{port}",
               # Jobs in threads of the web workers (no Redis): the limits are off so that two workers
               # may count in memory; the loop's traffic is far below any of them anyway.
               RATELIMIT_ENABLED="false", DOCUMENT_PROCESSES="1", PYTHONFAULTHANDLER="1")
    return env


def prepare(folder: Path, url: str, env: dict[str, str]) -> None:
    if url.startswith("postgresql"):
        empty_postgres(url)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (["db", "upgrade"],
                 ["users", "create", ORGANIZER[0], "--password", ORGANIZER[1], "--role", "organizer"]):
        done = subprocess.run(flask + args, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode:
            raise Failed(f"flask {' '.join(args)}: {done.stdout}{done.stderr}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- gunicorn ---------------------------------------------------------------------------------------

class Server:
    """One gunicorn master and its workers, logging to a file of their own."""

    def __init__(self, env, port: int, log: Path, *, workers: int, config: Path):
        self.port, self.log = port, log
        command = [sys.executable, "-m", "gunicorn", "--config", str(config), "--workers", str(workers),
                   "--threads", "4", "--bind", f"127.0.0.1:{port}", "--timeout", "60",
                   "--graceful-timeout", "30", "--log-level", "info", "--no-control-socket", "wsgi:app"]
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def workers(self) -> list[int]:
        found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True,
                               text=True)
        return [int(pid) for pid in found.stdout.split()]

    def stop(self, timeout: float = 60) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise Failed(f"gunicorn did not stop within {timeout:.0f} s") from None


def log_problems(text: str) -> tuple[collections.Counter, list[str]]:
    """(signals that ended workers, by name; other problems) in a gunicorn log."""
    signals = collections.Counter(match[1] for match in SIGNAL_LINE.findall(text))
    problems = [f"worker {pid} exited with code {code}" for pid, code in EXIT_LINE.findall(text)]
    problems += [line.strip() for line in text.splitlines() if FATAL_LINE.search(line)][:5]
    return signals, problems


# --- HTTP ------------------------------------------------------------------------------------------

class Client:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.token: str | None = None

    def call(self, method: str, path: str, body=None, *, auth: bool = True, timeout: float = 240):
        headers = {"Connection": "close"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def expect(self, method: str, path: str, status: int, body=None, **kw) -> bytes:
        got, answer = self.call(method, path, body, **kw)
        if got != status:
            raise Failed(f"{method} {path}: {got} instead of {status}: {answer[:300]!r}")
        return answer

    def json(self, method: str, path: str, status: int, body=None, **kw):
        return json.loads(self.expect(method, path, status, body, **kw))

    def wait_until_up(self, seconds: float = 240) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if self.call("GET", "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise Failed(f"gunicorn did not answer /healthz within {seconds:.0f} s")


def open_event(client: Client) -> str:
    """Signs the organizer in (an API token) and opens an event with a large type; returns its slug."""
    client.token = client.json("POST", "/api/v1/auth/tokens", 201,
                               {"email": ORGANIZER[0], "password": ORGANIZER[1]})["token"]
    slug = f"stops-{secrets.token_hex(3)}"
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)  # today: check-ins count
    client.json("POST", "/api/v1/events", 201, {
        "slug": slug, "name": "Ngày hội khởi nghiệp – thử dừng máy", "kind": "other",
        "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=10)).isoformat(),
        "venue": "Nhà Văn hóa Thanh niên"})
    client.json("PATCH", f"/api/v1/events/{slug}", 200, {"registration_open": True})
    client.json("POST", f"/api/v1/events/{slug}/registration-types", 201, {
        "code": "visitor", "name": "Khách tham quan", "capacity": 100000, "waitlist": False,
        "requires_approval": False})
    return slug


def register(client: Client, slug: str, n: str) -> dict:
    return client.json("POST", f"/api/v1/events/{slug}/registrations", 201, {
        "type": "visitor", "full_name": f"Nguyễn Thị Thu Thảo {n}", "email": f"thao.{n}@example.vn",
        "consent": True}, auth=False)


def traffic(client: Client, slug: str, n: int) -> None:
    """What one stop's run serves: pages, a registration, its badge, a check-in, a bulk badge job."""
    for path in ("/", f"/events/{slug}", "/login"):
        client.expect("GET", path, 200)
    registration = register(client, slug, f"stop{n}")
    pdf = client.expect("GET", f"/api/v1/registrations/{registration['id']}/badge.pdf", 200)
    if not pdf.startswith(b"%PDF-"):
        raise Failed("the badge is not a PDF")
    client.json("POST", f"/api/v1/events/{slug}/checkins", 201, {"ticket_code": registration["ticket_code"]})
    client.json("POST", f"/api/v1/events/{slug}/badges", 202, {"layout": "a4-4up"})


# --- the two loops ---------------------------------------------------------------------------------

def run_stops(args, folder: Path) -> int:
    port = free_port()
    url = database_url(args.database, folder)
    env = environment(folder, url, port)
    prepare(folder, url, env)
    config = ROOT / "gunicorn.conf.py" if not args.no_config else folder / "empty.conf.py"
    config.touch()
    totals: collections.Counter = collections.Counter()
    bad_stops, slug = [], None
    for n in range(1, args.count + 1):
        log = folder / f"gunicorn-{n}.log"
        began = time.monotonic()
        server = Server(env, port, log, workers=args.workers, config=config)
        client = Client(port)
        try:
            client.wait_until_up()
            slug = slug or open_event(client)
            if client.token is None:
                client.token = client.json("POST", "/api/v1/auth/tokens", 201,
                                           {"email": ORGANIZER[0], "password": ORGANIZER[1]})["token"]
            traffic(client, slug, n)
        finally:
            server.stop()
        signals, problems = log_problems(log.read_text(errors="replace"))
        totals.update(signals)
        unexpected = {name: count for name, count in signals.items() if name not in EXPECTED_SIGNALS}
        if unexpected or problems:
            bad_stops.append(n)
        print(f"stop {n:3}: {time.monotonic() - began:4.1f} s, signals {dict(signals) or '-'}"
              + (f", {'; '.join(problems)}" if problems else ""), flush=True)
    print(f"{args.count} stops on {args.database}, {args.workers} workers, "
          f"{'no config' if args.no_config else 'gunicorn.conf.py'}: workers ended by a signal: "
          f"{dict(totals) or 'none'}; stops with a problem: {len(bad_stops)}"
          + (f" (first: {folder / f'gunicorn-{bad_stops[0]}.log'})" if bad_stops else ""))
    return 1 if bad_stops else 0


class Load:
    """Clients registering and checking in at once; every answer is kept."""

    def __init__(self, port: int, slug: str, token: str, clients: int):
        self.port, self.slug, self.token = port, slug, token
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.registered: dict[str, str] = {}  # e-mail → ticket code
        self.checked_in: list[str] = []
        self.failures: list[str] = []
        self.requests = 0
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]

    def _run(self, index: int) -> None:
        client = Client(self.port)
        client.token = self.token
        n = 0
        while not self.stop.is_set():
            n += 1
            key = f"load{index}x{n}"
            try:
                registration = register(client, self.slug, key)
                with self.lock:
                    self.registered[f"thao.{key}@example.vn"] = registration["ticket_code"]
                client.json("POST", f"/api/v1/events/{self.slug}/checkins", 201,
                            {"ticket_code": registration["ticket_code"]})
                with self.lock:
                    self.checked_in.append(registration["ticket_code"])
            except (Failed, OSError, ValueError) as exc:
                with self.lock:
                    self.failures.append(f"{key}: {type(exc).__name__}: {exc}")
            finally:
                with self.lock:
                    self.requests += 2

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(90)


def check_records(url: str, slug: str, load: Load) -> list[str]:
    """What the database holds against what the clients were told."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        event_id = conn.scalar(sa.text("SELECT id FROM events WHERE slug = :s"), {"s": slug})
        emails = list(conn.scalars(sa.text("SELECT email FROM registrations WHERE event_id = :e"),
                                   {"e": event_id}))
        scans = list(conn.scalars(sa.text(
            "SELECT r.ticket_code FROM checkins c JOIN registrations r ON r.id = c.registration_id "
            "WHERE r.event_id = :e"), {"e": event_id}))
        mail = dict(conn.execute(sa.text("SELECT status, count(*) FROM outbound_emails GROUP BY status"))
                    .tuples().all())
    engine.dispose()
    problems = []
    stored = collections.Counter(emails)
    answered = {email for email in stored if email.startswith("thao.load")}
    if answered != set(load.registered):
        problems.append(f"registrations: {len(set(load.registered) - answered)} answered but not stored, "
                        f"{len(answered - set(load.registered))} stored but not answered")
    if any(count > 1 for count in stored.values()) or len(scans) != len(set(scans)):
        problems.append("a registration or a check-in is stored twice")
    if sorted(scans) != sorted(load.checked_in):
        problems.append(f"check-ins: {len(scans)} stored, {len(load.checked_in)} answered")
    if set(mail) - {"sent", "pending"}:
        problems.append(f"e-mails left {mail}")
    return problems


def run_reload(args, folder: Path) -> int:
    port = free_port()
    url = database_url(args.database, folder)
    env = environment(folder, url, port)
    prepare(folder, url, env)
    log = folder / "gunicorn.log"
    server = Server(env, port, log, workers=args.workers, config=ROOT / "gunicorn.conf.py")
    events: list[str] = []
    try:
        client = Client(port)
        client.wait_until_up()
        slug = open_event(client)
        with Load(port, slug, client.token, args.clients) as load:
            deadline = time.monotonic() + args.seconds
            turn = 0
            while time.monotonic() < deadline:
                time.sleep(args.every)
                turn += 1
                if turn % 2:
                    server.process.send_signal(signal.SIGHUP)
                    events.append("HUP to the master")
                else:
                    victim = server.workers()[0]
                    os.kill(victim, signal.SIGTERM)
                    events.append(f"TERM to worker {victim}")
            time.sleep(1)
    finally:
        server.stop()
    signals, problems = log_problems(log.read_text(errors="replace"))
    unexpected = {name: count for name, count in signals.items() if name not in EXPECTED_SIGNALS}
    problems += [f"workers ended by {unexpected}"] if unexpected else []
    problems += load.failures[:10]
    problems += check_records(url, slug, load)
    print(f"reload under load on {args.database}: {len(events)} signals sent ({', '.join(events)}); "
          f"{load.requests} requests, {len(load.failures)} failed; {len(load.registered)} registrations, "
          f"{len(load.checked_in)} check-ins; workers ended by a signal: {dict(signals) or 'none'}")
    for problem in problems:
        print(f"PROBLEM {problem}")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("stops", "reload"))
    parser.add_argument("--database", default="sqlite", help="sqlite, postgres or a SQLAlchemy URL")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--count", type=int, default=50, help="stops: how many starts and stops")
    parser.add_argument("--no-config", action="store_true", help="stops: without gunicorn.conf.py")
    parser.add_argument("--seconds", type=float, default=20, help="reload: how long the load runs")
    parser.add_argument("--every", type=float, default=3, help="reload: seconds between signals")
    parser.add_argument("--clients", type=int, default=6, help="reload: clients at once")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="eventhub-stops-"))
    try:
        return (run_stops if args.mode == "stops" else run_reload)(args, folder)
    except Failed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        args.keep = True
        return 1
    finally:
        if args.keep:
            print(f"logs in {folder}")
        else:
            subprocess.run(["rm", "-rf", str(folder)], check=False)


if __name__ == "__main__":
    sys.exit(main())
