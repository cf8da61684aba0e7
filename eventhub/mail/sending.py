"""Writing and sending one message: SMTP when MAIL_SERVER is set, else a .eml file in a folder."""

from __future__ import annotations

import logging
import smtplib
import uuid
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, render_template
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
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        _write_to_outbox(message)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                    timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


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
