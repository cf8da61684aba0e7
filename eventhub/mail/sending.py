"""Writing and sending messages: SMTP when MAIL_SERVER is set, else a .eml file in a folder. A delivery
round sends its e-mails on one SMTP connection (`delivery_round`)."""

from __future__ import annotations

import copy
import io
import logging
import smtplib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

from .headers import MAIL_POLICY

log = logging.getLogger(__name__)


def _mailbox(address: str, display_name: str | None = None) -> Address | str:
    """`address` (or "Name <address>") as a header value whose Vietnamese name survives the trip."""
    if display_name is None:
        display_name, parsed = parseaddr(address)
        address = parsed or address
    # a line break in a name would make the header refused (and the e-mail never sent): one line it is
    display_name = " ".join((display_name or "").split())
    try:
        return Address(display_name=display_name or "", addr_spec=address)
    except (ValueError, IndexError, TypeError):  # not an address the parser takes: leave it to the header
        return f"{display_name} <{address}>" if display_name else address


def build_message(to: str, subject: str, text: str, html: str | None = None,
                  attachments: list[tuple[str, str, bytes]] | None = None, *,
                  to_name: str | None = None) -> EmailMessage:
    """A UTF-8 message; `attachments` are (filename, mime type, bytes); `to_name` the addressee's name.

    MAIL_POLICY is the standard default policy except that long Vietnamese subjects and names are folded
    without losing a space (see headers.py)."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = _mailbox(current_app.config["MAIL_DEFAULT_SENDER"])
    message["To"] = _mailbox(to, to_name)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="eventhub.localhost")
    message.set_content(text, charset="utf-8")
    if html:
        message.add_alternative(html, subtype="html", charset="utf-8")
    for filename, mime, data in attachments or []:
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def send(message: EmailMessage) -> None:
    """Sends one message: on the delivery round's connection when a round is open in this app, else on
    a connection of its own (or into the .eml folder when MAIL_SERVER is unset)."""
    app = current_app._get_current_object()
    connection = _ROUND.get()
    if connection is not None and connection.app is app:
        connection.send(message)
        return
    with SmtpConnection(app) as connection:
        connection.send(message)


# The connection of the delivery round running in this thread (outbox.deliver_due), if any.
_ROUND: ContextVar[SmtpConnection | None] = ContextVar("eventhub_mail_round", default=None)


@contextmanager
def delivery_round() -> Iterator[SmtpConnection]:
    """Every `send` inside shares one SMTP connection (with one STARTTLS and one login): a round of 200
    e-mails costs one handshake, not 200. Closed when the block ends."""
    connection = SmtpConnection(current_app._get_current_object())
    token = _ROUND.set(connection)
    try:
        yield connection
    finally:
        _ROUND.reset(token)
        connection.close()


class SmtpConnection:
    """An SMTP connection opened at the first e-mail and kept for the next ones. A server may close a
    connection it has kept (idle time, a cap on e-mails per connection): an e-mail it hung up on before
    the DATA command is sent once more on a new connection – the server cannot have taken it. Any other
    failure is the e-mail's own (the caller retries it later); a refusal leaves the connection usable
    (the transaction is reset), anything else closes it."""

    def __init__(self, app: Flask):
        self.app = app
        self.smtp: smtplib.SMTP | None = None
        self.data_sent = False  # whether the last e-mail got as far as the DATA command

    def send(self, message: EmailMessage) -> None:
        if not self.app.config.get("MAIL_SERVER"):
            _write_to_outbox(message)
            return
        reused = self.smtp is not None and self.smtp.sock is not None
        try:
            self._send(message)
        except Exception as exc:
            # A new connection that fails is the server's trouble, not a stale connection: no second try.
            # Nor once DATA was sent: a server hanging up after the message's end may have accepted it
            # (before its 250), and sending it again at once would deliver it twice – the outbox's retry
            # later may too, but that is the same risk as before connections were kept.
            if not (reused and not self.data_sent and _hung_up(exc)):
                self._close_unless_usable(exc)
                raise
            log.info("The mail server closed the connection (%s); sending again on a new one", exc)
            self.close()
            try:
                self._send(message)
            except Exception as again:
                self._close_unless_usable(again)
                raise

    def _close_unless_usable(self, exc: Exception) -> None:
        if not _usable_after(exc):
            self.close()

    def _send(self, message: EmailMessage) -> None:
        self.data_sent = False
        if self.smtp is None or self.smtp.sock is None:  # not opened yet, or closed after a 421
            self.smtp = self._open()
        _transmit(self.smtp, message, on_data=lambda: setattr(self, "data_sent", True))

    def _open(self) -> smtplib.SMTP:
        config = self.app.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        smtp = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            if smtp.sock is not None:
                smtp.quit()
        except (smtplib.SMTPException, OSError):  # the server has gone already: nothing to say goodbye to
            pass
        finally:
            smtp.close()

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _transmit(smtp: smtplib.SMTP, message: EmailMessage, *, on_data: Callable[[], None]) -> None:
    """smtplib's send_message (envelope from the headers, Bcc left out, flattened with the message's
    policy, SMTPUTF8 when an address needs it) and sendmail, step by step, calling `on_data` just before
    the DATA command: the caller learns whether a failure came before the server could take the e-mail.
    Raises as sendmail does; a refusal resets the transaction, a 421 closes the connection."""
    smtp.ehlo_or_helo_if_needed()
    sender, recipients = _envelope(message)
    international = not "".join([sender, *recipients]).isascii()
    if international and not smtp.has_extn("smtputf8"):
        raise smtplib.SMTPNotSupportedError(
            "One or more source or delivery addresses require internationalized email support,"
            " but the server does not advertise the required SMTPUTF8 capability")
    flat = _flatten(message, utf8=international)
    options = []
    if smtp.does_esmtp:
        if smtp.has_extn("size"):
            options.append(f"size={len(flat)}")
        if international:
            options += ["SMTPUTF8", "BODY=8BITMIME"]
    code, reply = smtp.mail(sender, options)
    if code != 250:
        _end_transaction(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
        if code == 421:
            smtp.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):  # every recipient refused: nothing to send
        _end_transaction(smtp, code)
        raise smtplib.SMTPRecipientsRefused(refused)
    on_data()
    try:
        code, reply = smtp.data(flat)
    except smtplib.SMTPDataError as exc:  # DATA itself refused: the transaction is still open, end it
        _end_transaction(smtp, exc.smtp_code)
        raise
    if code != 250:
        _end_transaction(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """(sender, recipients) from the headers, as smtplib's send_message takes them (the Resent- block
    when there is one; Sender before From; To, Bcc and Cc)."""
    resent = message.get_all("Resent-Date")
    if resent is not None and len(resent) > 1:
        raise ValueError("message has more than one 'Resent-' header block")
    prefix = "Resent-" if resent else ""
    sender_field = message[f"{prefix}Sender"] if f"{prefix}Sender" in message else message[f"{prefix}From"]
    sender = getaddresses([sender_field])[0][1]
    fields = [f for f in (message[f"{prefix}To"], message[f"{prefix}Bcc"], message[f"{prefix}Cc"])
              if f is not None]
    return sender, [address for _name, address in getaddresses(fields)]


def _flatten(message: EmailMessage, *, utf8: bool) -> bytes:
    """The message as sent: CRLF lines, the message's own policy (MAIL_POLICY's folding), Bcc left out."""
    sent = copy.copy(message)
    del sent["Bcc"]
    del sent["Resent-Bcc"]
    with io.BytesIO() as buffer:
        BytesGenerator(buffer, policy=message.policy.clone(utf8=True) if utf8 else None).flatten(
            sent, linesep="\r\n")
        return buffer.getvalue()


def _end_transaction(smtp: smtplib.SMTP, code: int) -> None:
    """After a refusal: a 421 means the server is closing, so close too; else RSET, so that the next
    e-mail starts a clean transaction on this connection."""
    if code == 421:
        smtp.close()
        return
    with suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def _hung_up(exc: BaseException) -> bool:
    """Whether the server closed the connection: it hung up, or said 421 ("closing"). Not a timeout: that
    is a slow server, not a kept connection it dropped, and it gets the outbox's retry later (smtplib
    reports a timed-out reply as a disconnection, hence the context)."""
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(code == 421 for code, _text in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421
    return isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError))


def _usable_after(exc: BaseException) -> bool:
    """Whether the connection can carry the next e-mail after `exc`: after a refusal of this one
    (the transaction was reset), yes; after a timeout or a broken connection, no."""
    refusal = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused, smtplib.SMTPNotSupportedError)
    return isinstance(exc, refusal)


def _write_to_outbox(message: EmailMessage) -> Path:
    folder = Path(current_app.config.get("MAIL_OUTBOX_DIR")
                  or Path(current_app.instance_path) / "outbox")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(message))
    log.info("E-mail to %s written to %s", message["To"], path)
    return path


def render(to: str, template: str, *, locale: str, subject, attachments=None, to_name: str | None = None,
           **context) -> EmailMessage:
    """Renders emails/<template>.txt (and .html when present) in the recipient's language."""
    with force_locale(locale or "vi"):
        subject_text = str(subject)
        text = render_template(f"emails/{template}.txt", **context)
        html = None
        if _template_exists(f"emails/{template}.html"):
            html = render_template(f"emails/{template}.html", subject=subject_text, **context)
    return build_message(to, subject_text, text, html, attachments, to_name=to_name)


def _template_exists(name: str) -> bool:
    try:
        current_app.jinja_env.get_template(name)
    except TemplateNotFound:
        return False
    return True
