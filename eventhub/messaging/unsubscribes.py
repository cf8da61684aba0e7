"""Unsubscribing from organizers' messages: recording an address, asking whether one has, and the signed
token of the /unsubscribe/<token> link (and the List-Unsubscribe header)."""

from __future__ import annotations

import contextlib
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from ..dbtypes import utcnow
from ..extensions import db
from .models import Unsubscribe


def unsubscribe(email: str, *, now: datetime | None = None) -> None:
    """Records that `email` wants no more organizers' messages (idempotent, also when two arrive at once;
    commits). Messages already queued to it are not delivered (the builder checks)."""
    address = (email or "").strip().lower()
    if not address:
        return
    # Already recorded (perhaps a moment ago, by the other click): the unique address refuses it; fine.
    with contextlib.suppress(IntegrityError), db.session.begin_nested():
        db.session.add(Unsubscribe(email_normalized=address[:254], created_at=now or utcnow()))
    db.session.commit()


def is_unsubscribed(email: str) -> bool:
    """Whether this address has unsubscribed."""
    address = (email or "").strip().lower()
    return bool(address) and db.session.scalar(
        db.select(Unsubscribe.id).where(Unsubscribe.email_normalized == address)) is not None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="messages-unsubscribe")


def make_unsubscribe_token(email: str) -> str:
    """A signed token naming the (normalized) address, for /unsubscribe/<token> (it does not expire)."""
    return _serializer().dumps((email or "").strip().lower())


def read_unsubscribe_token(token: str) -> str | None:
    """The normalized address a token names, or None when it is not one of ours."""
    try:
        address = _serializer().loads(token or "")
    except (BadSignature, UnicodeError, ValueError):
        return None
    return address if isinstance(address, str) and "@" in address else None
