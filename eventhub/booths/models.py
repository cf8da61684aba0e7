"""Floor plans (zones, booths), exhibitor applications and per-day booth placements.

A placement is one row per booth and day, so the database itself refuses two exhibitors on one booth
on one day and one exhibitor on two booths on one day (unique constraints), whatever the race. Every
change to an event's booths first locks the event's `Floorplan` row, so they happen one at a time.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db


class Floorplan(db.Model):
    """One per event: the lock every booth change takes, and the last optimizer run."""

    __tablename__ = "floorplans"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    solved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # {"objective", "optimal", "gap", "status", "seconds", "placed", "preference_points",
    #  "reasons": {exhibitor id: reason code}}
    last_run: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Zone(db.Model):
    __tablename__ = "booth_zones"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        CheckConstraint("w IS NULL OR w > 0", name="width_positive"),
        CheckConstraint("h IS NULL OR h > 0", name="height_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(60))
    # Optional outline on the grid; when given, the zone's booths must lie inside it.
    x: Mapped[int | None] = mapped_column(Integer)
    y: Mapped[int | None] = mapped_column(Integer)
    w: Mapped[int | None] = mapped_column(Integer)
    h: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def has_outline(self) -> bool:
        return None not in (self.x, self.y, self.w, self.h)


class Booth(db.Model):
    __tablename__ = "booths"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        CheckConstraint("w > 0", name="width_positive"),
        CheckConstraint("h > 0", name="height_positive"),
        CheckConstraint("x >= 0 AND y >= 0", name="on_the_grid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("booth_zones.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    x: Mapped[int] = mapped_column(Integer)
    y: Mapped[int] = mapped_column(Integer)
    w: Mapped[int] = mapped_column(Integer)
    h: Mapped[int] = mapped_column(Integer)
    size: Mapped[str] = mapped_column(String(20))
    price_tier: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    zone: Mapped[Zone] = relationship()


class ExhibitorStatus(enum.StrEnum):
    submitted = "submitted"
    changes_requested = "changes_requested"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


class Stage(enum.StrEnum):
    idea = "idea"
    pre_seed = "pre_seed"
    seed = "seed"
    series_a = "series_a"
    growth = "growth"


class Exhibitor(db.Model):
    """A startup's application for a booth (an exhibitor once approved)."""

    __tablename__ = "exhibitors"
    __table_args__ = (
        # One live application per account, organization and event, whatever the race (an account
        # may file for several startups through the API).
        Index("uq_exhibitors_live_user", "event_id", "user_id", "organization", unique=True,
              sqlite_where=text("status != 'withdrawn'"), postgresql_where=text("status != 'withdrawn'")),
        Index("ix_exhibitors_event_status", "event_id", "status"),
    )

    # The applications the optimizer places and the summary report counts as exhibiting startups.
    ACTIVE_STATUSES = (ExhibitorStatus.submitted, ExhibitorStatus.approved)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[ExhibitorStatus] = mapped_column(
        Enum(ExhibitorStatus, name="exhibitor_status", native_enum=False, create_constraint=True,
             length=20), default=ExhibitorStatus.submitted)
    organization: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"),
                                                       index=True)  # organizations.services links it
    tax_code: Mapped[str | None] = mapped_column(String(14))  # mã số thuế as given, normalized
    sector: Mapped[str] = mapped_column(String(60))
    stage: Mapped[Stage | None] = mapped_column(
        Enum(Stage, name="exhibitor_stage", native_enum=False, create_constraint=True, length=20))
    product: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[str] = mapped_column(String(20))
    preferences: Mapped[list[str]] = mapped_column(JSON, default=list)  # zone or booth codes, best first
    avoid: Mapped[list[int]] = mapped_column(JSON, default=list)  # exhibitor ids
    days: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates; empty: every day
    logo_key: Mapped[str | None] = mapped_column(String(255))
    contact_email: Mapped[str] = mapped_column(String(254))
    review_note: Mapped[str | None] = mapped_column(String(1000))
    search_text: Mapped[str] = mapped_column(String(800), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    user: Mapped[User | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class BoothPlacement(db.Model):
    """Exhibitor on booth on one day of the event; `locked`: placed by an organizer, kept by re-runs."""

    __tablename__ = "booth_placements"
    __table_args__ = (
        UniqueConstraint("booth_id", "day"),
        UniqueConstraint("exhibitor_id", "day"),
        Index("ix_booth_placements_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    exhibitor_id: Mapped[int] = mapped_column(ForeignKey("exhibitors.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    booth: Mapped[Booth] = relationship()
    exhibitor: Mapped[Exhibitor] = relationship()
