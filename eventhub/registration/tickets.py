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


def read_ticket_code(code: str, key: bytes) -> str:
    """The code in its canonical form (upper case) when genuine; raises InvalidTicket otherwise."""
    cleaned = (code or "").strip().upper()
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


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def _manage_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="registration-manage")


def make_manage_token(registration_id: int, nonce: str) -> str:
    return _manage_serializer().dumps([registration_id, nonce])


def read_manage_token(token: str) -> tuple[int, str] | None:
    """(registration id, nonce) of a genuine manage token, else None."""
    try:
        data = _manage_serializer().loads(token or "")
    except BadSignature:
        return None
    if (not isinstance(data, list) or len(data) != 2 or not isinstance(data[0], int)
            or not isinstance(data[1], str)):
        return None
    return data[0], data[1]
