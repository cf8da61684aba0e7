"""Ticket codes that carry their own signature, and manage tokens.

A ticket code is base32 (A–Z, 2–7: QR alphanumeric mode, safe in a URL) of 10 random bytes
+ HMAC-SHA256 over them with TICKET_KEY (first 10 bytes). A scanner can refuse a forged or altered
code before any lookup; a genuine one is looked up by the code itself (a unique column). Nothing in
a code is derived from another person's, and it can be made before the registration has its id,
so the seat's lock is held only for the writes themselves.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

_NONCE_BYTES, _SIG_BYTES = 10, 10
CODE_LENGTH = 32  # base32 of 20 bytes, no padding


class InvalidTicket(ValueError):
    """Not a code this system issued: garbage, truncated or tampered."""


def ticket_key() -> bytes:
    configured = current_app.config.get("TICKET_KEY")
    if configured:
        return configured.encode()
    # Derived, so that setting SECRET_KEY alone gives distinct, stable keys.
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"eventhub-ticket-key",
                    hashlib.sha256).digest()


def _signature(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()[:_SIG_BYTES]


def make_ticket_code(key: bytes, nonce: bytes | None = None) -> str:
    payload = nonce or secrets.token_bytes(_NONCE_BYTES)
    return base64.b32encode(payload + _signature(key, payload)).decode().rstrip("=")


# What people put between the characters of a code they type or read out (api.md: "any letter case,
# with spaces or dashes between their characters"): white space of any kind and the dashes a phone's
# keyboard or a word processor makes of "-".
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
GROUP = 4  # printed in groups of four, so that it can be read out


def read_ticket_code(code: str, key: bytes) -> str:
    """The code in its canonical form (upper case, no separators) when genuine; raises InvalidTicket
    otherwise. Letter case and spaces or dashes between characters are ignored; nothing else is."""
    compact = _SEPARATORS.sub("", code or "")
    # ASCII only before upper(): "ı".upper() is "I" and "ſ".upper() is "S", which would make a code of
    # letters that are not on the ticket.
    if not compact.isascii():
        raise InvalidTicket("not base32")
    cleaned = compact.upper()
    if len(cleaned) != CODE_LENGTH:
        raise InvalidTicket("wrong length")
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError) as exc:
        raise InvalidTicket("not base32") from exc
    payload, signature = raw[:-_SIG_BYTES], raw[-_SIG_BYTES:]
    if not hmac.compare_digest(signature, _signature(key, payload)):
        raise InvalidTicket("bad signature")
    return cleaned


def grouped_ticket_code(code: str | None) -> str:
    """"ABCDEFGH…" → "ABCD EFGH …": the code as printed for people to read out or type (a QR code keeps
    the code itself); the desk accepts it back with or without the spaces."""
    code = code or ""
    return " ".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def _manage_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="registration-manage")


def make_manage_token(registration_id: int, nonce: str) -> str:
    return _manage_serializer().dumps([registration_id, nonce])


def _read_pair(serializer: URLSafeSerializer, token: str) -> tuple[int, str] | None:
    try:
        data = serializer.loads(token or "")
    except BadSignature:
        return None
    if (not isinstance(data, list) or len(data) != 2 or not isinstance(data[0], int)
            or not isinstance(data[1], str)):
        return None
    return data[0], data[1]


def read_manage_token(token: str) -> tuple[int, str] | None:
    """(registration id, nonce) of a genuine manage token, else None."""
    return _read_pair(_manage_serializer(), token)


def _email_serializer() -> URLSafeSerializer:
    # A salt of its own: the manage token (which the API hands to whoever registered) cannot be turned
    # into this one, so only someone who reads the address's mail can confirm it.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="registration-email-confirm")


def make_email_token(registration_id: int, nonce: str) -> str:
    return _email_serializer().dumps([registration_id, nonce])


def read_email_token(token: str) -> tuple[int, str] | None:
    """(registration id, nonce) of a genuine e-mail confirmation token, else None."""
    return _read_pair(_email_serializer(), token)
