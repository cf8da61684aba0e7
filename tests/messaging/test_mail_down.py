"""A failing mail server delays a message, never loses it: the e-mails wait in the outbox (the page shows
them pending), the retry delivers each once when the server is back."""

from __future__ import annotations

from datetime import timedelta

from aiosmtpd.controller import Controller

from eventhub.dbtypes import utcnow
from eventhub.mail import deliver_due
from eventhub.messaging import services
from eventhub.messaging.models import MessageState
from tests.support.live import free_port
from tests.support.mail import SmtpCollector, parsed_message

from .helpers import registrants_world


def test_message_waits_while_the_mail_server_is_down_and_goes_out_once_when_it_is_back(app, db):
    world = registrants_world()
    port = free_port()
    previous = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
    try:
        message = services.create_message(world.event, audience={"kind": "registrants"},
                                          subject="Thư mời {{ name }}", body="Kính gửi {{ name }}",
                                          actor=world.organizer)
        assert message.state == MessageState.sent  # every e-mail is in the outbox
        assert services.message_figures(message) == {"recipients": 3, "sent": 0, "failed": 0, "pending": 3,
                                                     "unsubscribed": 0}
        handler = SmtpCollector()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            assert deliver_due(now=utcnow() + timedelta(minutes=2)) == (3, 0)
            assert deliver_due(now=utcnow() + timedelta(minutes=2)) == (0, 0)
        finally:
            controller.stop()
    finally:
        app.config.update(previous)
    received = sorted(parsed_message(e)["Subject"] for e in handler.messages)
    assert received == ["Thư mời Lê Văn Dũng", "Thư mời Nguyễn Thị Quý Trúc", "Thư mời Trần Thị Hoa"]
    db.session.expire_all()
    assert services.message_figures(message)["sent"] == 3
