"""Mail as the tests receive it: an SMTP handler that keeps messages, and links read from them."""

from __future__ import annotations

import email
import email.policy
import re


class SmtpCollector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def parsed_message(envelope) -> email.message.EmailMessage:
    """The received envelope's content as a parsed message."""
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def verify_link_from(envelope) -> str:
    """The path of the address-confirmation link in the e-mail."""
    text = parsed_message(envelope).get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/account/verify/\S+)", text).group(1)
