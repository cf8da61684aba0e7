"""A check-in is a record of its own: it never changes the registration's status."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from ..registration.models import EventSession, Registration


class CheckIn(db.Model):
    __tablename__ = "checkins"
    __table_args__ = (
        # Once per registration and event day (in the event's time zone), whatever the race:
        # two gates scanning the same ticket at once get one check-in and one refusal.
        Index("uq_checkins_registration_day", "registration_id", "day", unique=True,
              sqlite_where=text("undone_at IS NULL"), postgresql_where=text("undone_at IS NULL")),
        Index("ix_checkins_event_time", "event_id", "checked_in_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    gate: Mapped[str] = mapped_column(String(60), default="")
    # The scanner that made it, as the desk names itself (a batch's `device`); "" when not said. The
    # server default fills the rows that were there before the column, and restores of older backups.
    device: Mapped[str] = mapped_column(String(60), default="", server_default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship()
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])


class SessionCheckIn(db.Model):
    """A person scanned in at a workshop's door: once per session, whatever the race (the unique key)."""

    __tablename__ = "session_checkins"
    __table_args__ = (
        UniqueConstraint("session_id", "registration_id", name="uq_session_checkins_session_registration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("event_sessions.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    walk_in: Mapped[bool] = mapped_column(default=False)

    registration: Mapped[Registration] = relationship()
    session: Mapped[EventSession] = relationship()
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])


class BadgePrint(db.Model):
    """The print log: who printed whose badge when, so a badge is not printed twice by accident."""

    __tablename__ = "badge_prints"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    layout: Mapped[str] = mapped_column(String(10), default="a6")
    job_id: Mapped[str | None] = mapped_column(String(32))
