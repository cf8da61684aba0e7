"""User accounts, per-event roles and API tokens."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db


class Role(enum.StrEnum):
    """A person's global role; organizers run every event of the series."""

    organizer = "organizer"
    staff = "staff"
    judge = "judge"
    investor = "investor"
    participant = "participant"


class EventRoleKind(enum.StrEnum):
    """A role held for one event only (a partner organizing one day, gate staff)."""

    organizer = "organizer"
    staff = "staff"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    organization: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", native_enum=False, create_constraint=True, length=20),
        default=Role.participant,
    )
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    active: Mapped[bool] = mapped_column(default=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_version: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the owner opened the link e-mailed to `email`; until then nothing is attached to the
    # account because of its address (team seats, judging panels, certificates, erasure).
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of every session id and remember cookie: signing out raises it, so a copy of a cookie
    # taken before the sign-out no longer loads the user.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    event_roles: Mapped[list[EventRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def password_key(self) -> str:
        """A digest of the password hash: changes with the password only (password reset links)."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    @property
    def session_key(self) -> str:
        """Changes with the password and on every sign-out, so a password change or reset signs out
        every other session, and a sign-out ends every copy of the session and remember cookies."""
        generation = self.session_generation or 0
        return hashlib.sha256(f"{self.password_hash}:{generation}".encode()).hexdigest()[:16]

    def get_id(self) -> str:  # what Flask-Login keeps in the session and the remember cookie
        return f"{self.id}.{self.session_key}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class EventRole(db.Model):
    __tablename__ = "event_roles"
    __table_args__ = (UniqueConstraint("event_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[EventRoleKind] = mapped_column(
        Enum(EventRoleKind, name="event_role_kind", native_enum=False, create_constraint=True,
             length=20)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="event_roles")


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
