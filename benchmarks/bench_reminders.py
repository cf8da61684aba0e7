"""Reminders for 5,000 registrants (issue 18): queueing them, then delivering them through the outbox.

A fresh database holds an event that starts in 12 hours with reminders 24 hours ahead and N confirmed
registrations (bulk INSERTs: Vietnamese names, one in five in English, half with a session, each with a
ticket). Timed, on SQLite and/or PostgreSQL:

  queue       registration.reminders.queue_due_reminders(now=...): the conditional UPDATE … RETURNING of
              reminded_at and one outbox row per registrant, 500 per transaction.
  deliver ×P  the outbox sending them all to a local aiosmtpd server (a thread of this script that checks
              each registrant got exactly one e-mail), by P delivery processes at once (MAIL_DELIVERY=
              worker; each runs mail.deliver_due() as `flask mail deliver` does): each e-mail is built at
              delivery (templates in the person's language, the ticket QR as PNG, signed links) and sent
              on the round's one SMTP connection. Timed from the moment the processes, already started,
              are told to go until the last one ends.
  baseline    smtplib alone sending one ready-made reminder N times to the same server on one
              connection: the least any delivery could cost on this machine.

Before each delivery run the e-mails are deleted and reminded_at cleared, so each run queues afresh.
Figures drift ±30 % between runs on these shared 2-core machines; the SMTP server shares the cores.

    .venv/bin/python benchmarks/bench_reminders.py [--db sqlite|postgres|both] [--database-url URL]
                                                   [--n 5000] [--processes 1 2]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Thanh", "Quốc", "Thị Quý", "Hữu", "Thu", "Bảo"]
GIVEN = ["An", "Ánh", "Bình", "Châu", "Dũng", "Đức", "Hà", "Khánh", "Linh", "Trúc", "Quý", "Yến"]
SLUG = "ngay-hoi-nhac-lich"


def app_config(database_url: str, secret: str, smtp_port: int | None = None) -> dict:
    """Production settings (no debug, no template reloading), e-mail queued only: the delivery
    processes send, as with MAIL_DELIVERY=worker in production."""
    return {"ENV_CONFIG": "production", "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False, "MAIL_DELIVERY": "worker", "BASE_URL": "https://eventhub.example.vn",
            "MAIL_SERVER": "127.0.0.1" if smtp_port else None, "MAIL_PORT": smtp_port or 25,
            "MAIL_TIMEOUT": 60}


# --- the delivery process (this script run with --deliver) ------------------------------------------

def deliver_process(database_url: str, port: int, ready: Path, go: Path) -> None:
    from eventhub import create_app
    from eventhub.mail.outbox import deliver_due

    app = create_app(app_config(database_url, os.environ["BENCH_SECRET"], port))
    with app.app_context():
        ready.touch()
        while not go.exists():
            time.sleep(0.005)
        started = time.perf_counter()
        sent, failed = deliver_due()
        print(sent, failed, f"{time.perf_counter() - started:.3f}")


# --- the mail server -----------------------------------------------------------------------------------

class Receiver:
    """An aiosmtpd handler counting e-mails per recipient and the connections they came on."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.recipients: Counter = Counter()
        self.sessions: dict[int, object] = {}  # the objects kept, so that no two connections share an id()
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope):
        self.sessions.setdefault(id(session), session)
        self.recipients.update(envelope.rcpt_tos)
        self.bytes += len(envelope.content)
        return "250 OK"


@contextmanager
def mail_server():
    import harness
    from aiosmtpd.controller import Controller

    handler = Receiver()
    controller = Controller(handler, hostname="127.0.0.1", port=harness.free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


# --- the data ------------------------------------------------------------------------------------------

def populate(db, n: int) -> int:
    """The event, its type, two sessions and N confirmed registrations; returns the event's id."""
    from eventhub.events.models import Event
    from eventhub.registration.models import EventSession, Registration, RegistrationType, SessionChoice
    from eventhub.registration.tickets import make_ticket_code, ticket_key

    rng, now = random.Random(2026), datetime.now(UTC)
    starts = now.replace(microsecond=0) + timedelta(hours=12)
    db.session.execute(db.insert(Event), [{
        "slug": SLUG, "name": "Ngày hội Khởi nghiệp Đổi mới Sáng tạo TP.HCM 2026", "kind": "other",
        "starts_at": starts, "ends_at": starts + timedelta(hours=9), "timezone": "Asia/Ho_Chi_Minh",
        "venue": "Nhà Văn hóa Thanh niên, 4 Phạm Ngọc Thạch, Quận 1, TP.HCM", "reminder_hours": 24,
        "created_at": now, "updated_at": now}])
    event_id = db.session.scalar(db.select(Event.id).where(Event.slug == SLUG))
    db.session.execute(db.insert(RegistrationType), [{"event_id": event_id, "code": "visitor",
                                                      "name": "Khách tham quan", "created_at": now}])
    type_id = db.session.scalar(db.select(RegistrationType.id).where(RegistrationType.event_id == event_id))
    db.session.execute(db.insert(EventSession), [{
        "event_id": event_id, "title": f"Hội thảo Đổi mới sáng tạo {s + 1}", "room": f"Phòng {s + 1}",
        "starts_at": starts + timedelta(hours=1 + s), "ends_at": starts + timedelta(hours=2 + s),
        "created_at": now} for s in range(2)])
    key = ticket_key()
    rows = []
    for r in range(n):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        address = f"khach{r}@example.vn"
        rows.append({"event_id": event_id, "registration_type_id": type_id, "status": "confirmed",
                     "full_name": name, "email": address, "email_normalized": address, "answers": [],
                     "locale": "en" if r % 5 == 0 else "vi", "ticket_code": make_ticket_code(key),
                     "manage_nonce": secrets.token_hex(8), "created_at": now - timedelta(days=3),
                     "updated_at": now, "confirmed_at": now - timedelta(days=3)})
    for start in range(0, n, 1000):
        db.session.execute(db.insert(Registration), rows[start:start + 1000])
    reg_ids = list(db.session.scalars(db.select(Registration.id).where(Registration.event_id == event_id)))
    sessions = list(db.session.scalars(db.select(EventSession.id).where(EventSession.event_id == event_id)))
    db.session.execute(db.insert(SessionChoice), [
        {"registration_id": reg, "session_id": sessions[i % 2], "holding": True}
        for i, reg in enumerate(reg_ids) if i % 2 == 0])
    db.session.commit()
    return event_id


def reset(db) -> None:
    """No e-mail queued, nobody reminded: the next run starts where the first did."""
    from eventhub.mail.models import OutboundEmail
    from eventhub.registration.models import Registration

    db.session.execute(db.delete(OutboundEmail))
    db.session.execute(db.update(Registration).values(reminded_at=None))
    db.session.commit()


# --- the runs ------------------------------------------------------------------------------------------

def timed_queue(db, n: int) -> float:
    from eventhub.registration.reminders import queue_due_reminders

    started = time.perf_counter()
    queued = queue_due_reminders(now=datetime.now(UTC))
    seconds = time.perf_counter() - started
    assert queued == n, f"queued {queued} reminders, expected {n}"
    return seconds


def timed_delivery(db, url: str, secret: str, receiver: Receiver, port: int, processes: int,
                   n: int, workdir: Path) -> tuple[float, int]:
    """Seconds from "go" until every delivery process has ended; checks each registrant got one e-mail."""
    from eventhub.mail.models import EmailStatus, OutboundEmail

    receiver.reset()
    run = workdir / f"run-{secrets.token_hex(4)}"
    run.mkdir()
    go = run / "go"
    env = {**os.environ, "BENCH_SECRET": secret, "EVENTHUB_INSTANCE_PATH": str(workdir / "instance")}
    workers = []
    for index in range(processes):
        ready = run / f"ready-{index}"
        command = [sys.executable, __file__, "--deliver", url, str(port), str(ready), str(go)]
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        workers.append((process, ready))
    while not all(ready.exists() for _p, ready in workers):
        if any(p.poll() is not None for p, _r in workers):
            sys.exit("a delivery process ended before it started: "
                     + " ".join(p.communicate()[1][-2000:] for p, _r in workers if p.poll() is not None))
        time.sleep(0.02)
    started = time.perf_counter()
    go.touch()
    outputs = [process.communicate() for process, _ready in workers]
    seconds = time.perf_counter() - started
    for (process, _ready), (_out, err) in zip(workers, outputs, strict=True):
        if process.returncode != 0:
            sys.exit(f"a delivery process failed:\n{err[-4000:]}")
    sent = [int(out.split()[0]) for out, _err in outputs]
    db.session.expire_all()
    statuses = Counter(db.session.scalars(db.select(OutboundEmail.status)))
    assert statuses == {EmailStatus.sent: n}, statuses
    assert sum(sent) == n and len(receiver.recipients) == n and set(receiver.recipients.values()) == {1}, \
        (sent, len(receiver.recipients), Counter(receiver.recipients.values()))
    if processes > 1:
        print(f"    e-mails per process: {sent}", flush=True)
    return seconds, len(receiver.sessions)


def timed_baseline(db, receiver: Receiver, port: int, n: int) -> float:
    """smtplib alone: one ready-made reminder sent N times on one connection."""
    from eventhub.mail.outbox import _BUILDERS
    from eventhub.registration.models import Registration
    from eventhub.registration.reminder_mail import KIND

    message = _BUILDERS[KIND](registration_id=db.session.scalar(db.select(db.func.min(Registration.id))))
    receiver.reset()
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for _ in range(n):
            smtp.send_message(message)
    seconds = time.perf_counter() - started
    assert sum(receiver.recipients.values()) == n
    return seconds


def bench(kind: str, url: str, args, workdir: Path) -> list[tuple]:
    from eventhub import create_app
    from eventhub.extensions import db

    secret = secrets.token_hex(32)
    os.environ["EVENTHUB_INSTANCE_PATH"] = str(workdir / "instance")
    app = create_app(app_config(url, secret))
    results = []
    with app.app_context(), mail_server() as (receiver, port):
        from eventhub.mail.models import OutboundEmail
        from eventhub.registration.models import Registration

        db.create_all()
        if db.session.scalar(db.select(db.func.count(Registration.id))) or \
                db.session.scalar(db.select(db.func.count(OutboundEmail.id))):
            sys.exit(f"{kind}: the database already holds registrations or e-mails; give an empty one")
        started = time.perf_counter()
        populate(db, args.n)
        print(f"  {kind}: {args.n:,} registrations inserted in {time.perf_counter() - started:.1f} s",
              flush=True)
        for processes in args.processes:
            reset(db)
            load = os.getloadavg()[0]
            queue_seconds = timed_queue(db, args.n)
            results.append((kind, "queue (queue_due_reminders)", queue_seconds, None, load))
            print(f"    queued in {queue_seconds:.1f} s", flush=True)
            load = os.getloadavg()[0]
            seconds, connections = timed_delivery(db, url, secret, receiver, port, processes, args.n, workdir)
            results.append((kind, f"deliver, {processes} process{'es' if processes > 1 else ''}", seconds,
                            connections, load))
            print(f"    delivered by {processes} in {seconds:.1f} s", flush=True)
        load = os.getloadavg()[0]
        baseline = timed_baseline(db, receiver, port, args.n)
        results.append((kind, "baseline: smtplib, 1 message N times", baseline, 1, load))
        db.session.remove()
        db.engine.dispose()
    return results


@contextmanager
def database(kind: str, url: str | None):
    """The given database, or a throwaway one (harness.database: a temporary SQLite file, or a
    PostgreSQL database created and dropped through BENCH_POSTGRES_URL)."""
    if url:
        yield url
        return
    import harness

    with harness.database(kind, migrate=False) as fresh:
        yield fresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--database-url", help="an empty database to fill and use instead (its tables are "
                                               "created; it is left holding the benchmark's rows)")
    parser.add_argument("--n", type=int, default=5000, help="confirmed registrations (reminders)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="delivery processes per run")
    parser.add_argument("--deliver", nargs=4, help=argparse.SUPPRESS)  # URL PORT READY GO: a delivery process
    args = parser.parse_args(argv)
    if args.deliver:
        url, port, ready, go = args.deliver
        deliver_process(url, int(port), Path(ready), Path(go))
        return 0
    if args.database_url:
        kinds = ["postgres" if args.database_url.startswith("postgres") else "sqlite"]
    else:
        kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="eventhub-bench-reminders-") as tmp:
        for kind in kinds:
            workdir = Path(tmp) / kind
            workdir.mkdir()
            with ExitStack() as stack:
                url = stack.enter_context(database(kind, args.database_url))
                results += bench(kind, url, args, workdir)
    print(f"\nReminders, N = {args.n:,}; load average at the end: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| database | scenario | seconds | e-mails/s | SMTP connections | load (1 min) at start |")
    print("|---|---|--:|--:|--:|--:|")
    for kind, scenario, seconds, connections, load in results:
        print(f"| {kind} | {scenario} | {seconds:.1f} | {args.n / seconds:,.0f} | "
              f"{'' if connections is None else connections} | {load:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
