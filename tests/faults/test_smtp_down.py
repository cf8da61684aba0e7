"""The mail server is down while people register on a live server: every registration succeeds at once
(the mail waits in the outbox, it never holds the request), and once the server is back the retry
delivers each confirmation exactly once."""

from __future__ import annotations

import email
import email.policy
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from eventhub import create_app
from eventhub.dbtypes import utcnow
from eventhub.extensions import db as _db
from eventhub.mail import deliver_due
from eventhub.mail.models import EmailStatus, OutboundEmail
from eventhub.registration.models import Registration
from tests.factories import make_type, open_event
from tests.support.live import free_port, request, serve
from tests.support.mail import SmtpCollector

pytestmark = pytest.mark.slow
PEOPLE = 5


@pytest.fixture
def mail_app(app, db, tmp_path):
    """The test database, served by an app that delivers in a background thread, to a dead port."""
    port = free_port()
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    served = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database,
                         "MAIL_DELIVERY": "background", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                         "MAIL_TIMEOUT": 2, "MAIL_OUTBOX_DIR": str(tmp_path)})
    event = open_event(slug="mail-day", name="Ngày hội Đổi mới sáng tạo")
    make_type(event, code="visitor")
    yield served, port
    with served.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _mails():
    _db.session.expire_all()
    return list(_db.session.scalars(_db.select(OutboundEmail).order_by(OutboundEmail.id)))


def test_registrations_succeed_while_smtp_is_down_and_mail_follows_when_it_returns(app, db, mail_app):
    served, port = mail_app
    with serve(served) as base:
        timings = []
        for i in range(PEOPLE):
            started = time.monotonic()
            status, _headers, body = request(base, "POST", "/api/v1/events/mail-day/registrations",
                                             body={"type": "visitor", "full_name": f"Trần Thị Hoa {i}",
                                                   "email": f"hoa{i}@example.vn", "consent": True})
            timings.append(time.monotonic() - started)
            assert status == 201, body
        page_status, _h, _b = request(base, "GET", "/events/mail-day")
        assert page_status == 200

        # The background thread tried, failed, and scheduled a retry for each confirmation.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            mails = _mails()
            tried = all(m.attempts >= 1 and m.status == EmailStatus.pending for m in mails)
            if len(mails) == PEOPLE and tried:
                break
            time.sleep(0.2)
        mails = _mails()
        assert len(mails) == PEOPLE
        assert all(m.status == EmailStatus.pending and m.attempts >= 1 and m.last_error for m in mails), \
            [(m.status, m.attempts, m.last_error) for m in mails]
        assert all(m.next_attempt_at > utcnow() for m in mails)  # a retry is scheduled, not a busy loop
    assert max(timings) < 2.0, timings  # nobody waited for the dead mail server
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(Registration)) == PEOPLE

    # The server is back; the retry (here: a minute later) delivers every confirmation, once.
    handler = SmtpCollector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with served.app_context():
            sent, failed = deliver_due(now=utcnow() + timedelta(minutes=2))
            again = deliver_due(now=utcnow() + timedelta(minutes=2))
    finally:
        controller.stop()
    assert (sent, failed) == (PEOPLE, 0) and again == (0, 0)
    assert sorted(r for m in handler.messages for r in m.rcpt_tos) == sorted(f"hoa{i}@example.vn"
                                                                            for i in range(PEOPLE))
    message = email.message_from_bytes(handler.messages[0].content, policy=email.policy.default)
    assert "Ngày hội Đổi mới sáng tạo" in message.get_body(("plain",)).get_content()
    assert all(m.status == EmailStatus.sent for m in _mails())
