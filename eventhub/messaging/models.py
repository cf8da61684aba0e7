"""An organizer's message, its recipients (one row per address, each gets it once) and unsubscribes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db


class MessageState(enum.StrEnum):
    draft = "draft"
    scheduled = "scheduled"  # waits for send_at; the periodic sweep starts it
    sending = "sending"  # recipients resolved, the job queues their e-mails
    sent = "sent"  # every recipient's e-mail is in the outbox (delivery state: per recipient)
    cancelled = "cancelled"


class RecipientState(enum.StrEnum):
    queued = "queued"  # resolved; its e-mail is (or is about to be) in the outbox
    sent = "sent"
    failed = "failed"
    unsubscribed = "unsubscribed"  # the address asked for no more messages: nothing sent


class Message(db.Model):
    """One message of an event's organizers: `audience` is the dict the API takes ({"kind", ...})."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_state_send_at", "state", "send_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[MessageState] = mapped_column(
        Enum(MessageState, name="message_state", native_enum=False, create_constraint=True, length=12),
        default=MessageState.draft)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recipients: Mapped[int] = mapped_column(Integer, default=0)  # counted when created, exact once started
    job_id: Mapped[str | None] = mapped_column(String(32))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The hash of the one-time token of the request that made it (the confirmation form's hidden field, the
    # API's Idempotency-Key): a double click or a retried call finds this message instead of making another.
    request_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    event: Mapped[Event] = relationship()


class MessageRecipient(db.Model):
    """One address a message goes to, with what its placeholders are filled from (registration, exhibitor,
    user)."""

    __tablename__ = "message_recipients"
    __table_args__ = (UniqueConstraint("message_id", "email_normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    email_normalized: Mapped[str] = mapped_column(String(254))
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    exhibitor_id: Mapped[int | None] = mapped_column(ForeignKey("exhibitors.id", ondelete="SET NULL"))
    state: Mapped[RecipientState] = mapped_column(
        Enum(RecipientState, name="message_recipient_state", native_enum=False, create_constraint=True,
             length=12), default=RecipientState.queued)
    outbound_email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL"))

    message: Mapped[Message] = relationship()


class Unsubscribe(db.Model):
    """An address that asked for no more organizers' messages (transactional mail still goes)."""

    __tablename__ = "mail_unsubscribes"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_normalized: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
