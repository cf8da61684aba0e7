"""What messaging keeps of a person (Decree 13/2023/ND-CP): the organizers' messages addressed to them and
whether their address unsubscribed. Erasure removes both (the message itself is the organizers')."""

from __future__ import annotations

from sqlalchemy import delete, or_

from ..accounts.models import User
from ..accounts.privacy import proven_address
from ..extensions import db
from .models import Message, MessageRecipient, Unsubscribe


def _theirs(user: User):
    """SQL: the recipient rows of the account – by account, or by its address once proven."""
    address = proven_address(user)
    found = MessageRecipient.user_id == user.id
    return or_(found, MessageRecipient.email_normalized == address) if address else found


def export(user: User) -> dict:
    """The messages addressed to the person (event, subject, when) and their unsubscribe."""
    address = proven_address(user)
    unsubscribed_at = db.session.scalar(db.select(Unsubscribe.created_at)
                                        .where(Unsubscribe.email_normalized == address)) if address else None
    rows = db.session.execute(
        db.select(Message.event_id, Message.subject, Message.sent_at, MessageRecipient.email,
                  MessageRecipient.full_name, MessageRecipient.state)
        .join(Message, Message.id == MessageRecipient.message_id).where(_theirs(user))
        .order_by(MessageRecipient.id))
    return {
        "unsubscribed_at": unsubscribed_at.isoformat() if unsubscribed_at else None,
        "messages": [{"event_id": event_id, "subject": subject, "email": email, "full_name": name,
                      "state": state.value, "sent_at": sent_at.isoformat() if sent_at else None}
                     for event_id, subject, sent_at, email, name, state in rows],
    }


def forget(user: User) -> None:
    """The person's recipient rows and unsubscribe go (no commit)."""
    address = proven_address(user)
    db.session.execute(delete(MessageRecipient).where(_theirs(user))
                       .execution_options(synchronize_session=False))
    if address:
        db.session.execute(delete(Unsubscribe).where(Unsubscribe.email_normalized == address)
                           .execution_options(synchronize_session=False))


def forget_registration(reg) -> None:
    """An erased registration's recipient rows go (no commit)."""
    db.session.execute(delete(MessageRecipient).where(MessageRecipient.registration_id == reg.id)
                       .execution_options(synchronize_session=False))
