"""The outbox: an e-mail commits with what it announces, survives a mail server that is down, and is
retried until it goes out."""

import email
import email.policy
import time
from datetime import timedelta

import pytest

from eventhub.dbtypes import utcnow
from eventhub.mail import deliver_due
from eventhub.mail.models import EmailStatus, OutboundEmail
from eventhub.mail.outbox import RETRY_DELAYS, _Background
from eventhub.registration import services
from eventhub.registration.errors import SoldOut
from eventhub.registration.models import Registration
from tests.factories import make_type, open_event, register
from tests.support.live import free_port
from tests.support.mail import parsed_message


def test_mail_server_down_keeps_the_registration_and_queues_the_mail(app, db, smtp_server):
    event = open_event()
    rtype = make_type(event)
    working_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()
    try:
        reg, _token = register(event, rtype, full_name="Lê Thị Hồng Nhung")
    finally:
        app.config["MAIL_PORT"] = working_port
    assert db.session.get(Registration, reg.id).status.value == "confirmed"
    queued = db.session.scalar(db.select(OutboundEmail))
    assert queued.status == EmailStatus.pending and queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error
    assert queued.next_attempt_at > utcnow()
    assert smtp_server.messages == []

    assert deliver_due() == (0, 0)  # not due yet
    assert deliver_due(now=utcnow() + RETRY_DELAYS[0]) == (1, 0)
    db.session.expire_all()
    assert db.session.get(OutboundEmail, queued.id).status == EmailStatus.sent
    message = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    assert "Lê Thị Hồng Nhung" in message.get_body(("plain",)).get_content()


def test_a_rolled_back_registration_sends_nothing(app, db, smtp_server):
    event = open_event()
    rtype = make_type(event, capacity=1)
    register(event, rtype)
    with pytest.raises(SoldOut):
        register(event, rtype)
    assert len(smtp_server.messages) == 1
    assert db.session.scalar(db.select(db.func.count(OutboundEmail.id))) == 1


def test_gives_up_after_the_last_retry(app, db):
    event = open_event()
    rtype = make_type(event)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    try:
        register(event, rtype)
        later = utcnow()
        for delay in RETRY_DELAYS:
            later += delay
            deliver_due(now=later)
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    queued = db.session.scalar(db.select(OutboundEmail))
    db.session.refresh(queued)
    assert queued.status == EmailStatus.failed and queued.attempts == len(RETRY_DELAYS) + 1


def test_an_erased_registration_is_not_written_to(app, db, smtp_server):
    event = open_event()
    rtype = make_type(event)
    app.extensions["eventhub_mail"] = _NoDelivery()  # queue now, deliver by hand below
    try:
        reg, _token = register(event, rtype)
        services.erase_personal_data(reg)
    finally:
        app.extensions.pop("eventhub_mail", None)
    assert deliver_due() == (1, 0)  # "sent" as far as the outbox goes: there was nothing to say
    assert smtp_server.messages == []


class _NoDelivery:
    def wake(self):
        pass


def test_the_background_thread_delivers_after_commit(app, db, smtp_server):
    event = open_event()
    rtype = make_type(event)
    app.extensions["eventhub_mail"] = _Background(app)
    try:
        register(event, rtype)
        deadline = time.monotonic() + 10
        while not smtp_server.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        app.extensions.pop("eventhub_mail", None)
    assert len(smtp_server.messages) == 1


def test_cli_delivers_what_is_due(app, db, smtp_server):
    event = open_event()
    rtype = make_type(event)
    app.extensions["eventhub_mail"] = _NoDelivery()
    try:
        register(event, rtype)
    finally:
        app.extensions.pop("eventhub_mail", None)
    db.session.execute(db.update(OutboundEmail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "Sent 1" in result.output
    assert len(smtp_server.messages) == 1


def test_cli_runs_the_periodic_duties_before_delivering(app, db, smtp_server):
    """A cron job calling `mail deliver` without --loop sends reminders too: the sweeps run first and what
    they queue goes out in the same run."""
    event = open_event(starts_at=utcnow() + timedelta(hours=10), ends_at=utcnow() + timedelta(hours=18))
    app.extensions["eventhub_mail"] = _NoDelivery()
    try:
        reg, _token = register(event, make_type(event), notify=False)
    finally:
        app.extensions.pop("eventhub_mail", None)
    db.session.execute(db.update(Registration).values(created_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0
    assert len(smtp_server.messages) == 1  # (the tests' eager outbox sends it as the sweep commits)
    message = parsed_message(smtp_server.messages[0])
    assert message["To"].addresses[0].addr_spec == reg.email
    assert event.name in message["Subject"]



def test_only_the_mail_bookkeeping_commits_without_waiting_for_the_disk(app, db, smtp_server):
    """A sent e-mail's mark may be lost in a database crash (it is sent again); the registration that
    queued it never: on PostgreSQL its commit waits for the disk, and so does the next transaction's."""
    from sqlalchemy import event as sa_event

    engine = db.engine
    if engine.dialect.name != "postgresql":  # SQLite in WAL with synchronous=NORMAL never waits at commit
        assert db.session.execute(db.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        return
    last: list[str] = [""]
    commits: list[tuple[str, str]] = []

    def remember(conn, cursor, statement, *_args):
        if not statement.startswith("SET LOCAL"):
            last[0] = " ".join(statement.split()[:3])

    def on_commit(conn):
        cursor = conn.connection.dbapi_connection.cursor()  # the driver's own: no event of ours again
        cursor.execute("SHOW synchronous_commit")
        commits.append((last[0], cursor.fetchone()[0]))

    sa_event.listen(engine, "before_cursor_execute", remember)
    sa_event.listen(engine, "commit", on_commit)
    try:
        event = open_event()
        register(event, make_type(event))
        deliver_due()
        db.session.execute(db.select(OutboundEmail.id))
        db.session.commit()
    finally:
        sa_event.remove(engine, "before_cursor_execute", remember)
        sa_event.remove(engine, "commit", on_commit)
    assert smtp_server.messages
    by_statement = dict(commits)
    # the registration's transaction: its seat, row, audit entry and e-mail in one statement (seated_write)
    assert by_statement["WITH seat AS"] == "on", commits
    assert by_statement["UPDATE outbound_emails SET"] == "off", commits  # the e-mail marked sent
    assert commits[-1] == ("SELECT outbound_emails.id FROM", "on"), commits  # SET LOCAL: that one alone
