"""The account's own part of a person's data (Decree 13/2023/ND-CP): the account, its consent, roles
and API tokens, and the e-mails the outbox keeps for its address.

Every other feature adds its part in its own `privacy.py`, plugged in through `eventhub.hooks`; the
account's row is forgotten last, since the others find the person's things by its address.
"""

from __future__ import annotations

import secrets

from ..extensions import db
from ..mail.models import EmailStatus, OutboundEmail
from .models import ApiToken, User
from .passwords import hash_password


def erased_address(user: User) -> str:
    """The placeholder address an erased account and everything that named it take."""
    return f"erased-{user.id}@invalid"


def proven_address(user: User) -> str | None:
    """The account's address in normalized form once its owner proved it, else None.

    What names an address belongs to the account only once the address is proven; before that,
    erasing it must not touch other people's things (a sign-up with a visitor's address would
    otherwise revoke the visitor's certificates)."""
    return user.email.strip().lower() if user.email_verified_at is not None else None


def export_account(user: User) -> dict:
    """The account itself."""
    return {
        "email": user.email, "full_name": user.full_name, "phone": user.phone,
        "organization": user.organization, "role": user.role.value, "locale": user.locale,
        "created_at": user.created_at.isoformat(),
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
    }


def export_consent(user: User) -> dict:
    """When the person agreed to the personal data notice, and to which version."""
    return {
        "given_at": user.consent_at.isoformat() if user.consent_at else None,
        "notice_version": user.consent_version,
    }


def export_event_roles(user: User) -> list[dict]:
    """The per-event roles the account holds."""
    return [{"event": grant.event_id, "role": grant.role.value} for grant in user.event_roles]


def export_api_tokens(user: User) -> list[dict]:
    """The account's API tokens (never the tokens themselves)."""
    return [{"created_at": t.created_at.isoformat(), "expires_at": t.expires_at.isoformat(),
             "revoked": t.revoked_at is not None}
            for t in db.session.scalars(db.select(ApiToken).filter_by(user_id=user.id))]


def _emails_to(user: User):
    # To an unproven address only the account's own mail is theirs: the rest went to whoever really
    # owns the mailbox, not to this account.
    to_them = OutboundEmail.to == user.email
    if not user.email_verified:
        to_them &= OutboundEmail.kind.startswith("accounts.")
    return db.select(OutboundEmail).where(to_them).order_by(OutboundEmail.created_at, OutboundEmail.id)


def export_emails(user: User) -> list[dict]:
    """The e-mails the outbox keeps for the person's address (not their contents: links in them sign in)."""
    return [{"kind": m.kind, "to": m.to, "status": m.status.value, "created_at": m.created_at.isoformat(),
             "sent_at": m.sent_at.isoformat() if m.sent_at else None}
            for m in db.session.scalars(_emails_to(user))]


def forget_emails(user: User) -> None:
    """Every e-mail to them loses its address and contents; a queued one is given up (no commit)."""
    for message in db.session.scalars(_emails_to(user)):
        message.to, message.payload = erased_address(user), {}
        if message.status in (EmailStatus.pending, EmailStatus.sending):  # nobody left to send it to
            message.status, message.last_error = EmailStatus.failed, "The account was erased."


def forget_account(user: User) -> None:
    """The account keeps its number and nothing else of the person; it can no longer sign in (no commit)."""
    user.email = erased_address(user)
    user.full_name = "—"  # no name, in any language
    user.phone = user.organization = None
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.active = False
    user.consent_at = user.consent_version = None
    user.event_roles.clear()
    for token in db.session.scalars(db.select(ApiToken).filter_by(user_id=user.id)):
        db.session.delete(token)
