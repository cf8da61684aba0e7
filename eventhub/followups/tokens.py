"""The signed token of a follow-up's link: it names one row, needs no account, and does not expire."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..dbtypes import MAX_ID


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="outcome-followups")


def make_token(followup_id: int) -> str:
    return _serializer().dumps(followup_id)


def read_token(token: str) -> int | None:
    """The follow-up id a token names, or None when it is not one of ours."""
    try:
        value = _serializer().loads(token or "")
    except (BadSignature, UnicodeError, ValueError):
        return None
    return value if type(value) is int and 1 <= value <= MAX_ID else None
