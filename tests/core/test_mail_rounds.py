"""A delivery round sends its e-mails over one SMTP connection; a server that hangs up mid-round, or
refuses one e-mail, costs nothing else; two delivery processes at once send each e-mail once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from eventhub.mail import outbox
from eventhub.mail.models import EmailStatus, OutboundEmail
from tests.support.live import free_port
from tests.support.mail import parsed_message
from tests.support.mail_rounds import CountingSmtp, queue_numbered

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def smtp(app):
    """Starts a CountingSmtp(**options) on loopback and points the app at it."""
    controllers = []
    previous = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT")}

    def start(**options) -> CountingSmtp:
        handler = CountingSmtp(**options)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        return handler

    yield start
    app.config.update(previous)
    for controller in controllers:
        controller.stop()


def _subjects(handler: CountingSmtp) -> Counter:
    return Counter(str(parsed_message(m)["Subject"]) for m in handler.messages)


def _statuses(db) -> Counter:
    db.session.expire_all()
    return Counter(db.session.scalars(db.select(OutboundEmail.status)))


def test_a_round_sends_its_e_mails_over_one_connection(app, db, smtp):
    handler = smtp()
    subjects = queue_numbered(db, 60)
    assert outbox.deliver_due(limit=25) == (60, 0)  # three claims, one round
    assert handler.connections == 1
    assert _subjects(handler) == Counter(subjects)  # each once, Vietnamese intact
    assert _statuses(db) == {EmailStatus.sent: 60}


@pytest.mark.parametrize("server", [
    {"close_after": 7},  # hangs up after every 7th e-mail, without a word
    {"refuse_mail_after": 7},  # answers the 8th MAIL with 421 and hangs up
    {"drop_mail_after": 7},  # hangs up on the 8th MAIL, without a word
], ids=["hangs-up", "421-then-hangs-up", "hangs-up-on-mail"])
def test_a_server_dropping_the_connection_mid_round_loses_nothing(app, db, smtp, server):
    handler = smtp(**server)
    subjects = queue_numbered(db, 30)
    assert outbox.deliver_due() == (30, 0)
    assert _subjects(handler) == Counter(subjects)  # none lost, none twice
    assert handler.connections == 5  # 7 + 7 + 7 + 7 + 2: a new connection each time it hung up
    assert _statuses(db) == {EmailStatus.sent: 30}
    assert all(e.attempts == 1 for e in db.session.scalars(db.select(OutboundEmail)))  # sent again at once


def test_a_server_hanging_up_after_the_message_is_not_sent_it_again_at_once(app, db, smtp):
    """It may have accepted the e-mail before hanging up: sent again at once, it could arrive twice. It
    waits for the outbox's retry (a person may get it twice then, as before connections were kept)."""
    handler = smtp(drop_after_data=3)  # takes the 3rd message of the kept connection, never answers
    subjects = queue_numbered(db, 10)
    assert outbox.deliver_due() == (9, 1)
    assert _subjects(handler) == Counter(subjects)  # the 3rd received once in this round, the others too
    assert handler.connections == 2  # the rest went on a new connection
    unanswered = db.session.scalar(
        db.select(OutboundEmail).where(OutboundEmail.payload["n"].as_integer() == 2))
    assert unanswered.status == EmailStatus.pending and unanswered.attempts == 1
    assert "SMTPServerDisconnected" in unanswered.last_error
    assert _statuses(db) == {EmailStatus.sent: 9, EmailStatus.pending: 1}

    later = unanswered.next_attempt_at
    assert outbox.deliver_due(now=later) == (1, 0)  # its retry goes as it would have without kept connections
    assert _statuses(db) == {EmailStatus.sent: 10}


def test_a_refused_e_mail_waits_for_its_retry_and_the_others_go_on_the_same_connection(app, db, smtp):
    handler = smtp(refuse_rcpt="khach3@example.vn")
    queue_numbered(db, 10)
    assert outbox.deliver_due() == (9, 1)
    assert handler.connections == 1
    refused = db.session.scalar(db.select(OutboundEmail).where(OutboundEmail.payload["n"].as_integer() == 3))
    assert refused.status == EmailStatus.pending and refused.attempts == 1
    assert "No such mailbox" in refused.last_error
    assert _statuses(db) == {EmailStatus.sent: 9, EmailStatus.pending: 1}


def test_a_mail_server_that_is_down_delays_every_e_mail_of_the_round(app, db, smtp):
    smtp()
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    queue_numbered(db, 3)
    assert outbox.deliver_due() == (0, 3)
    emails = db.session.scalars(db.select(OutboundEmail)).all()
    assert all(e.status == EmailStatus.pending and "ConnectionRefusedError" in e.last_error for e in emails)


def _worker(app, tmp_path: Path, index: int) -> tuple[subprocess.Popen, Path]:
    ready = tmp_path / f"ready-{index}"
    env = {**os.environ, "EVENTHUB_INSTANCE_PATH": str(tmp_path / f"instance-{index}")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.mail_rounds", app.config["SQLALCHEMY_DATABASE_URI"],
         str(app.config["MAIL_PORT"]), str(ready), str(tmp_path / "go")],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, ready


def test_two_delivery_processes_at_once_send_each_e_mail_once(app, db, smtp, tmp_path):
    handler = smtp()
    subjects = queue_numbered(db, 300)
    workers = [_worker(app, tmp_path, index) for index in range(2)]
    try:
        deadline = time.monotonic() + 120  # a guard against a hung process, not a measure
        while not all(ready.exists() for _p, ready in workers) and time.monotonic() < deadline:
            assert all(p.poll() is None for p, _r in workers), [p.communicate() for p, _r in workers]
            time.sleep(0.05)
        (tmp_path / "go").touch()  # both start their rounds together
        outputs = [process.communicate(timeout=300) for process, _ready in workers]
    finally:
        for process, _ready in workers:
            if process.poll() is None:
                process.kill()
    assert all(p.returncode == 0 for p, _r in workers), outputs
    counts = [tuple(map(int, out.split())) for out, _err in outputs]
    assert sum(sent for sent, _failed in counts) == 300 and all(failed == 0 for _s, failed in counts)
    assert all(sent > 0 for sent, _failed in counts), counts  # both really delivered
    assert _subjects(handler) == Counter(subjects)  # each received exactly once
    assert _statuses(db) == {EmailStatus.sent: 300}
    assert handler.connections == 2  # one per process's round
