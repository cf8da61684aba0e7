"""Registration types, their questions, workshop sessions and registrations.

Seats are counted in `taken` columns that only the services change, with a conditional
UPDATE (`… WHERE taken < capacity`), so two people can never take the last seat; the
database also refuses a count above capacity.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db
from ..organizations.models import Organization  # noqa: F401  (organization_id's table, in the metadata)

# Sorting keys compare byte by byte on every database.
BinaryString = String(400).with_variant(String(400, collation="C"), "postgresql")


class RegistrationStatus(enum.StrEnum):
    pending_email = "pending_email"  # holds its seat until the e-mailed link is opened (confirm_email)
    pending_approval = "pending_approval"
    confirmed = "confirmed"
    waitlisted = "waitlisted"
    cancelled = "cancelled"


# Statuses that hold a seat of their type and of their sessions.
SEAT_HOLDING = (RegistrationStatus.confirmed, RegistrationStatus.pending_approval,
                RegistrationStatus.pending_email)
LIVE = (*SEAT_HOLDING, RegistrationStatus.waitlisted)


class QuestionKind(enum.StrEnum):
    short_text = "short_text"
    long_text = "long_text"
    single_choice = "single_choice"
    multiple_choice = "multiple_choice"
    checkbox = "checkbox"
    number = "number"


class RegistrationType(db.Model):
    __tablename__ = "registration_types"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        CheckConstraint("taken >= 0", name="taken_not_negative"),
        CheckConstraint("capacity IS NULL OR taken <= capacity", name="taken_within_capacity"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    waitlist: Mapped[bool] = mapped_column(default=False)
    requires_approval: Mapped[bool] = mapped_column(default=False)
    # A new registration holds its seat as `pending_email` until the e-mailed link is opened, so that
    # throw-away addresses cannot keep seats (api.md "Registration: lost links and holds").
    confirm_email: Mapped[bool] = mapped_column(default=False, server_default=false())
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="registration_type", order_by="Question.position, Question.id",
        cascade="all, delete-orphan")

    @property
    def remaining(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def active_questions(self) -> list[Question]:
        return [q for q in self.questions if q.active]


class Question(db.Model):
    """A custom question of a registration type; answers keep a copy of it as it was."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("registration_type_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_type_id: Mapped[int] = mapped_column(
        ForeignKey("registration_types.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[QuestionKind] = mapped_column(
        Enum(QuestionKind, name="question_kind", native_enum=False, create_constraint=True, length=20))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    registration_type: Mapped[RegistrationType] = relationship(back_populates="questions")


class EventSession(db.Model):
    """A workshop or conference session with its own capacity (`sessions` in the API)."""

    __tablename__ = "event_sessions"
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("taken >= 0", name="taken_not_negative"),
        CheckConstraint("capacity IS NULL OR taken <= capacity", name="taken_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    speakers: Mapped[list[str]] = mapped_column(JSON, default=list)
    room: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int | None] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()

    @property
    def remaining(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        # One live registration per person (normalized e-mail) and event, whatever the race.
        Index("uq_registrations_live_email", "event_id", "email_normalized", unique=True,
              sqlite_where=text("status != 'cancelled'"),
              postgresql_where=text("status != 'cancelled'")),
        Index("ix_registrations_event_status", "event_id", "status"),
        Index("ix_registrations_type_waitlist", "registration_type_id", "status", "waitlisted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_type_id: Mapped[int] = mapped_column(
        ForeignKey("registration_types.id", ondelete="RESTRICT"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(
        Enum(RegistrationStatus, name="registration_status", native_enum=False, create_constraint=True,
             length=20))
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    organization: Mapped[str | None] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"),
                                                       index=True)  # organizations.services links it
    # [{"key", "label", "kind", "value"}]: the question as it was when answered.
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_version: Mapped[str | None] = mapped_column(String(20))
    ticket_code: Mapped[str | None] = mapped_column(String(80), unique=True)
    manage_nonce: Mapped[str] = mapped_column(String(32))
    sort_key: Mapped[str] = mapped_column(BinaryString, default="")
    search_text: Mapped[str] = mapped_column(String(800), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # pending_email: the seat is released when this passes (the sweep, or lazily before a capacity decision).
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # When the registrant opened the e-mailed confirmation link (the address is theirs).
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the reminder was queued (once)
    # The answer to the reminder's "will you come?": True, False (the registration is then cancelled), or
    # None (no answer) – what the no-show figures tell apart.
    attending: Mapped[bool | None] = mapped_column()
    attendance_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    event: Mapped[Event] = relationship()
    registration_type: Mapped[RegistrationType] = relationship()
    session_choices: Mapped[list[SessionChoice]] = relationship(
        back_populates="registration", cascade="all, delete-orphan")

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING

    @property
    def answers_by_key(self) -> dict[str, Any]:
        return {answer["key"]: answer["value"] for answer in self.answers or []}


class SessionChoice(db.Model):
    """A session a registrant chose; `holding` says whether it holds a seat right now."""

    __tablename__ = "session_choices"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True, index=True)
    holding: Mapped[bool] = mapped_column(default=False)

    registration: Mapped[Registration] = relationship(back_populates="session_choices")
    session: Mapped[EventSession] = relationship()
