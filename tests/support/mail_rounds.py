"""Delivery rounds as the tests watch them: numbered e-mails, an SMTP handler that counts connections
and can drop them, and a delivery worker run as its own OS process.

    python -m tests.support.mail_rounds DATABASE_URL SMTP_PORT READY_FILE GO_FILE

creates the app with MAIL_DELIVERY=worker, touches READY_FILE, waits for GO_FILE (so that two workers
start their rounds together), delivers what is due in claims of a few e-mails and prints "sent failed".
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from eventhub.mail import build_message, outbox

KIND = "test.numbered"
CLAIM = 20  # e-mails a worker claims at a time: small, so that two workers' claims interleave


@outbox.builder(KIND)
def numbered_message(n: int):
    return build_message(f"khach{n}@example.vn", f"Thư số {n} – Nhắc lịch",
                         f"Nội dung thư số {n}: Ngày hội Đổi mới sáng tạo")


def queue_numbered(db, count: int) -> list[str]:
    """Queues `count` numbered e-mails in one commit without delivering them; returns their subjects."""
    for n in range(count):
        outbox.queue(KIND, to=f"khach{n}@example.vn", n=n)
    db.session.info.pop("outbox_dirty", None)  # delivered by the test, not by the commit
    db.session.commit()
    return [f"Thư số {n} – Nhắc lịch" for n in range(count)]


class CountingSmtp:
    """An aiosmtpd handler keeping every message and the connection (session) it came on. It can close
    a connection after `close_after` messages (as a server with a cap per connection that hangs up),
    answer the next MAIL with 421 and close (as one that says so first), hang up on the next MAIL
    without a word (`drop_mail_after`: as one whose idle timer ran out as the MAIL arrived), or – once –
    take the `drop_after_data`-th message and hang up before answering it (so the sender cannot know
    whether it was accepted)."""

    def __init__(self, close_after: int | None = None, refuse_mail_after: int | None = None,
                 refuse_rcpt: str | None = None, drop_mail_after: int | None = None,
                 drop_after_data: int | None = None):
        self.messages = []
        self.sessions: list[object] = []  # kept, so that no two connections share an id()
        self.received: dict[int, int] = {}
        self.close_after, self.refuse_mail_after = close_after, refuse_mail_after
        self.refuse_rcpt = refuse_rcpt
        self.drop_mail_after, self.drop_after_data = drop_mail_after, drop_after_data

    def _seen(self, session) -> int:
        if id(session) not in self.received:
            self.sessions.append(session)
            self.received[id(session)] = 0
        return self.received[id(session)]

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.drop_mail_after and self._seen(session) >= self.drop_mail_after:
            server.transport.close()  # before any reply: the one returned below is never written
            return "421 4.4.2 Idle too long"
        if self.refuse_mail_after and self._seen(session) >= self.refuse_mail_after:
            asyncio.get_running_loop().call_soon(server.transport.close)  # after the reply is written
            return "421 4.7.0 Too many messages on this connection, closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refuse_rcpt:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        count = self._seen(session) + 1
        self.received[id(session)] = count
        self.messages.append(envelope)
        if len(self.messages) == self.drop_after_data:
            server.transport.close()  # the message is in, its 250 never goes out
            return "250 OK"
        if self.close_after and count >= self.close_after:
            asyncio.get_running_loop().call_soon(server.transport.close)  # hangs up after the 250
        return "250 OK"

    @property
    def connections(self) -> int:
        return len(self.sessions)


def _work(database_url: str, port: int, ready: Path, go: Path) -> None:
    from eventhub import create_app
    from eventhub.mail.outbox import deliver_due, release_stuck

    app = create_app({"ENV_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "MAIL_DELIVERY": "worker", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                      "MAIL_TIMEOUT": 30})
    with app.app_context():
        ready.touch()
        while not go.exists():
            time.sleep(0.01)
        release_stuck()  # as `flask mail deliver` does
        sent, failed = deliver_due(limit=CLAIM)
    print(sent, failed)


if __name__ == "__main__":
    _work(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
