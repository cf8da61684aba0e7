"""Queueing e-mails with the caller's transaction and delivering them after it commits."""

from __future__ import annotations

import atexit
import contextlib
import logging
import queue as queue_module
import threading
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, update
from sqlalchemy.orm import Session

from ..dbtypes import utcnow
from ..extensions import db, dont_wait_for_disk
from .models import EmailStatus, OutboundEmail
from .sending import delivery_round, send

log = logging.getLogger(__name__)

# kind → function(**payload) returning the EmailMessage to send.
_BUILDERS: dict[str, Callable] = {}
LEASE = timedelta(minutes=10)  # a claimed e-mail not sent by then goes back to the queue
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                timedelta(hours=6))


# Housekeeping that must happen without anyone visiting (expired seat holds): run by the mail thread
# every round (at least once a minute) and by `flask mail deliver --loop`; features register it here.
_PERIODIC: list[Callable[[], object]] = []


def periodic(function: Callable[[], object]) -> Callable[[], object]:
    _PERIODIC.append(function)
    return function


def run_periodic() -> None:
    for function in _PERIODIC:
        try:
            function()
        except Exception:  # one failing task must not stop the mail
            db.session.rollback()
            log.exception("Periodic task %s failed", getattr(function, "__name__", function))


def builder(kind: str):
    """Registers the function that writes the e-mails of `kind` from their stored payload."""
    def register(function: Callable) -> Callable:
        _BUILDERS[kind] = function
        return function
    return register


def queue(kind: str, *, to: str, **payload) -> OutboundEmail:
    """Adds an e-mail to the caller's transaction; it is delivered once that commits."""
    email = OutboundEmail(kind=kind, to=to, payload=payload)
    db.session.add(email)
    db.session.info["outbox_dirty"] = True
    return email


def queued_values(kind: str, *, now: datetime) -> dict[str, Any]:
    """An e-mail's columns as `queue` adds it, but its address and payload, for a service that writes
    its rows with a prebuilt statement instead of the unit of work (registration's hot path); it
    calls `queued_without_session()` in the same transaction, so that the commit delivers it."""
    return {"kind": kind, "status": EmailStatus.pending, "attempts": 0, "created_at": now,
            "next_attempt_at": now}


def queued_without_session() -> None:
    db.session.info["outbox_dirty"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("outbox_dirty", False):
        _dispatcher().wake()


def _claim_due(now: datetime, limit: int) -> list[int]:
    """Marks up to `limit` due e-mails as being sent, in one statement; returns the ids this
    process won (several processes may deliver at once: each row goes to exactly one). On PostgreSQL
    rows another process is claiming are skipped, not waited for: waiting, this process would find
    them taken once the other commits, claim nothing and end its round while e-mails are still due.
    The choice is a MATERIALIZED CTE, run once: as a plain subquery PostgreSQL may run it again for
    every row it updates, and with SKIP LOCKED each run skips the rows the last one locked – one claim
    of 20 took 280. (SQLite has one writer at a time and no FOR UPDATE: both clauses are left out.)"""
    due = (db.select(OutboundEmail.id)
           .where(OutboundEmail.status == EmailStatus.pending, OutboundEmail.next_attempt_at <= now)
           .order_by(OutboundEmail.id).limit(limit).with_for_update(skip_locked=True)
           .cte("due_emails").prefix_with("MATERIALIZED", dialect="postgresql"))
    result = db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id.in_(db.select(due.c.id)), OutboundEmail.status == EmailStatus.pending)
        .values(status=EmailStatus.sending, attempts=OutboundEmail.attempts + 1,
                next_attempt_at=now + LEASE)  # while sending, next_attempt_at is the lease's end
        .returning(OutboundEmail.id).execution_options(synchronize_session=False))
    ids = sorted(result.scalars())
    dont_wait_for_disk()  # a claim lost in a crash: its e-mails are claimed again
    db.session.commit()
    return ids


def deliver(email: OutboundEmail, *, now: datetime | None = None) -> bool:
    """Builds and sends one claimed e-mail; on failure schedules a retry or gives up."""
    now = now or utcnow()
    try:
        message = _BUILDERS[email.kind](**email.payload)
        if message is not None:  # a builder may find nothing left to say (an erased registration)
            send(message)
    except Exception as exc:  # any failure: the mail server, a template, a vanished record
        db.session.rollback()
        email = db.session.get(OutboundEmail, email.id)
        give_up = email.attempts > len(RETRY_DELAYS)
        email.status = EmailStatus.failed if give_up else EmailStatus.pending
        email.next_attempt_at = now + RETRY_DELAYS[min(email.attempts, len(RETRY_DELAYS)) - 1]
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        db.session.commit()
        log.warning("E-mail %s (%s) not sent, attempt %s: %s", email.id, email.kind, email.attempts, exc)
        return False
    email.status, email.sent_at, email.last_error = EmailStatus.sent, utcnow(), None
    email.payload = {}  # what is sent is sent; do not keep links and names longer than needed
    dont_wait_for_disk()  # this mark lost in a crash: the e-mail is sent again, as after any crash here
    db.session.commit()
    return True


def deliver_due(*, now: datetime | None = None, limit: int = 200,
                stop: threading.Event | None = None) -> tuple[int, int]:
    """Sends every e-mail that is due, in rounds of `limit`; returns (sent, failed). Once `stop` is set,
    the e-mail being sent is finished and the rest of the round is given back to the queue. All of it
    goes over one SMTP connection (opened at the first e-mail, closed at the end)."""
    now = now or utcnow()
    sent = failed = 0
    with delivery_round():
        while not (stop is not None and stop.is_set()) and (ids := _claim_due(now, limit)):
            for index, email_id in enumerate(ids):
                if stop is not None and stop.is_set():
                    _give_back(ids[index:])
                    return sent, failed
                if deliver(db.session.get(OutboundEmail, email_id), now=now):
                    sent += 1
                else:
                    failed += 1
    return sent, failed


def _give_back(ids: list[int]) -> None:
    """Claimed e-mails not tried go back to the queue at once (not after the lease), uncounted."""
    db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id.in_(ids), OutboundEmail.status == EmailStatus.sending)
        .values(status=EmailStatus.pending, attempts=OutboundEmail.attempts - 1, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.commit()


def release_stuck(*, now: datetime | None = None) -> int:
    """E-mails whose sender died while sending (their lease ran out) go back to the queue."""
    now = now or utcnow()
    result = db.session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.status == EmailStatus.sending, OutboundEmail.next_attempt_at < now)
        .values(status=EmailStatus.pending).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


# --- dispatching after commit ------------------------------------------------------------------------

class _Worker:
    """MAIL_DELIVERY=worker: web processes only queue; `flask mail deliver --loop` sends."""

    def wake(self) -> None:
        pass


class _Eager:
    """Tests and the CLI: deliver at once, in the committing thread, in a fresh session."""

    def wake(self) -> None:
        app = current_app._get_current_object()
        # A new app context gives a new session, so the caller's session is left as it was.
        with app.app_context():
            deliver_due()


class _Background:
    """One thread per process delivers after commits and retries what is due each minute. It is stopped
    by the process's exit (`stop_delivery`: gunicorn's worker_exit, else atexit), never left running while
    the interpreter tears down: it finishes the e-mail it is sending and gives the rest back."""

    def __init__(self, app: Flask):
        self.app = app
        self.signals: queue_module.Queue[bool] = queue_module.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def wake(self) -> None:
        with self.lock:
            if self.stopping.is_set():
                return  # the process is stopping: what was committed waits for another process's round
            if self.thread is None or not self.thread.is_alive():
                # A daemon thread, so that a process that never calls stop() still ends; stop() is what
                # ends it cleanly, and atexit calls it where no server hook does.
                self.thread = threading.Thread(target=self._run, name="eventhub-mail", daemon=True)
                self.thread.start()
                _RUNNING.add(self)
        self.signals.put(True)

    def _run(self) -> None:
        while not self.stopping.is_set():
            with contextlib.suppress(queue_module.Empty):  # a minute without commits: retry what is due
                self.signals.get(timeout=60)
            if self.stopping.is_set():
                break
            try:
                with self.app.app_context():
                    release_stuck()  # what a process that died mid-round had claimed
                    deliver_due(stop=self.stopping)
                    if not self.stopping.is_set():
                        run_periodic()
            except Exception:  # keep the thread alive whatever one round met
                log.exception("Mail delivery round failed")

    def stop(self, timeout: float) -> bool:
        """Ends the thread: the e-mail being sent is finished, the rest of its round goes back to the
        queue. True when the thread has ended within `timeout` seconds."""
        with self.lock:
            self.stopping.set()
            thread = self.thread
        self.signals.put(False)
        if thread is not None and thread.is_alive():
            thread.join(timeout)
        _RUNNING.discard(self)
        return thread is None or not thread.is_alive()


_RUNNING: weakref.WeakSet[_Background] = weakref.WeakSet()


def start_delivery(app: Flask) -> None:
    """Starts this process's delivery thread now (a web worker's start), so that e-mails another process
    gave back are sent within a minute even before this one commits anything."""
    with app.app_context():
        dispatcher = _dispatcher()
        if isinstance(dispatcher, _Background):
            dispatcher.wake()


def stop_delivery(app: Flask | None = None, *, timeout: float = 15) -> bool:
    """Stops the delivery thread of `app` (None: of every app in this process); True when none is left."""
    stopped = True
    for dispatcher in list(_RUNNING):
        if app is None or dispatcher.app is app:
            stopped = dispatcher.stop(timeout) and stopped
    return stopped


atexit.register(stop_delivery)  # a process without gunicorn's hook (flask run, celery) stops it too


def _dispatcher():
    app = current_app._get_current_object()
    dispatcher = app.extensions.get("eventhub_mail")
    if dispatcher is None:
        mode = app.config.get("MAIL_DELIVERY")
        made = _Eager() if mode == "eager" else _Worker() if mode == "worker" else _Background(app)
        dispatcher = app.extensions.setdefault("eventhub_mail", made)
    return dispatcher


def failed_emails(*, limit: int = 200) -> list[OutboundEmail]:
    """The e-mails the outbox gave up on, the latest first."""
    return list(db.session.scalars(db.select(OutboundEmail).where(OutboundEmail.status == EmailStatus.failed)
                                   .order_by(OutboundEmail.created_at.desc(), OutboundEmail.id.desc())
                                   .limit(limit)))


ERASED_DOMAIN = "@invalid"  # an erased account's placeholder address (accounts.privacy): never deliverable


def retriable():
    """SQL: an e-mail that another try could deliver – not one to an erased person's placeholder address.
    (The outbox keeps no SMTP code, only the error's text, so a permanent 5xx refusal is not told apart.)"""
    return ~OutboundEmail.to.endswith(ERASED_DOMAIN)


def retry_failed(*, now: datetime | None = None) -> int:
    """Gives every failed e-mail that could still be delivered a new round of tries, due at once (once the
    mail server is mended); returns how many. The caller records it and commits (delivery starts then)."""
    result = db.session.execute(
        update(OutboundEmail).where(OutboundEmail.status == EmailStatus.failed, retriable())
        .values(status=EmailStatus.pending, attempts=0, next_attempt_at=now or utcnow())
        .execution_options(synchronize_session=False))
    db.session.info["outbox_dirty"] = True
    return result.rowcount
