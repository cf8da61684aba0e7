"""What erasing a registration must also reach besides its own row: the e-mails sent to the person
(the outbox keeps the address and the payload) and the audit trail of its edits (which keeps the old
and new names and phones). The audit keeps that a change happened and who made it, not the values."""

from __future__ import annotations

from ..audit.models import AuditEntry
from ..extensions import db
from ..mail.models import OutboundEmail
from .models import Registration

PERSONAL_FIELDS = ("full_name", "email", "phone", "organization", "answers")
ERASED = "erased"


def forget_traces(reg: Registration, old_email: str) -> None:
    """Adds the scrubbing to the caller's transaction (erase_personal_data commits it)."""
    for entry in db.session.scalars(db.select(AuditEntry).where(
            AuditEntry.object_type == "registration", AuditEntry.object_id == str(reg.id))):
        changes = dict(entry.changes or {})
        if any(key in changes for key in PERSONAL_FIELDS):
            entry.changes = {key: ERASED if key in PERSONAL_FIELDS else value
                             for key, value in changes.items()}
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
