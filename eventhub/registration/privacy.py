"""What registration keeps of a person (Decree 13/2023/ND-CP), for the registrant's manage link and for
an account.

A registration is the registrant's: its manage link downloads it (`export_registration`, with what features
above keep of it, through hooks.add_registration_export) and erases it
(`services.erase_personal_data`). Erasing it must also reach besides its own row: the e-mails sent to
the person (the outbox keeps the address and the payload) and the audit trail of its edits (which keeps
the old and new names and phones). The audit keeps that a change happened and who made it, not the values.

An account lists the registrations it holds (`user_id`); erasing the account lets go of them without
cancelling them – the seat and the ticket are the registrant's, who erases them through the manage link.
"""

from __future__ import annotations

from typing import Any

from .. import hooks
from ..accounts.models import User
from ..audit.models import AuditEntry
from ..audit.privacy import forget_person
from ..extensions import db
from ..mail.models import OutboundEmail
from .models import Registration

PERSONAL_FIELDS = ("full_name", "email", "phone", "organization", "answers")
ERASED = "erased"


def forget_traces(reg: Registration, old_email: str, old_values: tuple[str | None, ...] = ()) -> None:
    """Adds the scrubbing to the caller's transaction (erase_personal_data commits it); `old_values`: the
    name and phone it had, which other entries of the event stored with its number (a check-in undone)."""
    for entry in db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.object_type == "registration", AuditEntry.object_id == str(reg.id))):
        changes = dict(entry.changes or {})
        if any(key in changes for key in PERSONAL_FIELDS):
            entry.changes = {key: ERASED if key in PERSONAL_FIELDS else value
                             for key, value in changes.items()}
    forget_person(values=[v for v in old_values if v], placeholder=reg.email,
                  where=AuditEntry.event_id == reg.event_id,
                  concerns=lambda entry: (entry.changes or {}).get("registration_id") == reg.id)
    # A sent e-mail keeps only its address (the outbox empties the payload once delivered): it is this
    # person's when no other registration of theirs remains to claim it.
    others = db.session.scalar(db.select(Registration.id).where(
        Registration.email_normalized == old_email.lower(), Registration.id != reg.id).limit(1))
    for mail in db.session.scalars(db.select(OutboundEmail).where(
            OutboundEmail.to == old_email, OutboundEmail.kind.startswith("registration."))):
        mine = (mail.payload or {}).get("registration_id")
        if mine == reg.id or (mine is None and others is None):
            mail.to = reg.email  # the erased placeholder address
            # a queued one keeps what its builder needs, less any free text (an organizer's reason)
            mail.payload = {k: None if k == "reason" else v for k, v in (mail.payload or {}).items()}


def export_registration(reg: Registration) -> dict[str, Any]:
    """One registration as its registrant downloads it."""
    return {
        "event": reg.event.name, "type": reg.registration_type.name, "status": reg.status.value,
        "full_name": reg.full_name, "email": reg.email, "phone": reg.phone,
        "organization": reg.organization, "answers": reg.answers,
        "sessions": [c.session.title for c in reg.session_choices],
        "consent": {"given_at": reg.consent_at.isoformat() if reg.consent_at else None,
                    "notice_version": reg.consent_version},
        "created_at": reg.created_at.isoformat(),
        **hooks.export_registration_data(reg),  # what features above keep of it (its survey answers)
    }


def _held_by(user: User):
    return db.select(Registration).where(Registration.user_id == user.id).order_by(Registration.id)


def export(user: User) -> list[dict[str, Any]]:
    """The registrations an account holds, each as its manage link downloads it, with its number."""
    return [{"id": reg.id, **export_registration(reg)} for reg in db.session.scalars(_held_by(user))]


def forget(user: User) -> None:
    """The account lets go of its registrations; they stay the registrant's, by manage link (no commit)."""
    for reg in db.session.scalars(_held_by(user)):
        reg.user_id = None
