"""Investor matchmaking: profiles of both sides, meeting requests, slots and meetings.

The database holds the rules that a race could break:
- one profile per account and event; profile ids are unique across both kinds (one table);
- one request per pair of profiles, whichever side asked first (`pair_low`, `pair_high`);
- one meeting per request; among scheduled meetings, one per table per slot and one per person
  per slot (partial unique indexes), so two organizers moving meetings into the same place at once
  cannot both succeed.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db


class ProfileKind(enum.StrEnum):
    investor = "investor"
    startup = "startup"


class Stage(enum.StrEnum):
    idea = "idea"
    pre_seed = "pre_seed"
    seed = "seed"
    series_a = "series_a"
    growth = "growth"


class Currency(enum.StrEnum):
    VND = "VND"
    USD = "USD"


class InvestorType(enum.StrEnum):
    fund = "fund"
    angel = "angel"
    corporate = "corporate"
    public = "public"  # state-owned or city funds


class RequestStatus(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"


class MeetingStatus(enum.StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


class FollowUp(enum.StrEnum):
    """Where a held meeting led (api.md `stage` of an outcome)."""

    follow_up = "follow_up"
    due_diligence = "due_diligence"
    term_sheet = "term_sheet"
    invested = "invested"


def _enum(kind: type[enum.StrEnum], name: str, length: int = 20):
    return Enum(kind, name=name, native_enum=False, create_constraint=True, length=length)


class Profile(db.Model):
    """An investor's or a startup's matchmaking profile for one event."""

    __tablename__ = "match_profiles"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("ticket_min IS NULL OR ticket_min >= 0", name="ticket_min_not_negative"),
        CheckConstraint("ticket_min IS NULL OR ticket_max IS NULL OR ticket_min <= ticket_max",
                        name="ticket_range_ordered"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        Index("ix_match_profiles_event_kind", "event_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ProfileKind] = mapped_column(_enum(ProfileKind, "match_profile_kind"))
    organization: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"),
                                                       index=True)  # organizations.services links it
    tax_code: Mapped[str | None] = mapped_column(String(14))  # mã số thuế as given, normalized
    contactable: Mapped[bool] = mapped_column(default=True)
    currency: Mapped[Currency] = mapped_column(_enum(Currency, "match_currency", 3), default=Currency.VND)
    # Investors
    investor_type: Mapped[InvestorType | None] = mapped_column(_enum(InvestorType, "match_investor_type"))
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)
    ticket_min: Mapped[int | None] = mapped_column(BigInteger)
    ticket_max: Mapped[int | None] = mapped_column(BigInteger)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    thesis: Mapped[str] = mapped_column(Text, default="")
    # Startups
    sector: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[Stage | None] = mapped_column(_enum(Stage, "match_stage"))
    seeking: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[int | None] = mapped_column(BigInteger)
    traction: Mapped[str] = mapped_column(Text, default="")
    deck_url: Mapped[str | None] = mapped_column(String(500))
    country: Mapped[str] = mapped_column(String(2), default="VN")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_investor(self) -> bool:
        return self.kind == ProfileKind.investor


class MeetingRequest(db.Model):
    """One side asks the other for a meeting; the recipient accepts or declines."""

    __tablename__ = "meeting_requests"
    __table_args__ = (
        # The same pair again, in either direction, whatever the first one's status: refused here,
        # so two simultaneous requests cannot both succeed.
        UniqueConstraint("pair_low", "pair_high"),
        CheckConstraint("pair_low < pair_high", name="pair_ordered"),
        CheckConstraint("from_profile_id <> to_profile_id", name="not_to_self"),
        Index("ix_meeting_requests_from_status", "from_profile_id", "status"),
        Index("ix_meeting_requests_to_status", "to_profile_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    from_profile_id: Mapped[int] = mapped_column(ForeignKey("match_profiles.id", ondelete="CASCADE"))
    to_profile_id: Mapped[int] = mapped_column(ForeignKey("match_profiles.id", ondelete="CASCADE"))
    pair_low: Mapped[int] = mapped_column(Integer)
    pair_high: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, "meeting_request_status"),
                                                  default=RequestStatus.pending)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    from_profile: Mapped[Profile] = relationship(foreign_keys=[from_profile_id])
    to_profile: Mapped[Profile] = relationship(foreign_keys=[to_profile_id])
    meeting: Mapped[Meeting | None] = relationship(back_populates="request", uselist=False)

    def other(self, profile: Profile) -> Profile:
        return self.to_profile if profile.id == self.from_profile_id else self.from_profile

    @property
    def investor(self) -> Profile:
        return self.from_profile if self.from_profile.is_investor else self.to_profile

    @property
    def startup(self) -> Profile:
        return self.to_profile if self.from_profile.is_investor else self.from_profile


class MeetingSlot(db.Model):
    """A time for meetings on an event day, with the number of tables that can meet at once."""

    __tablename__ = "meeting_slots"
    __table_args__ = (
        UniqueConstraint("event_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("tables >= 1", name="tables_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tables: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()


_SCHEDULED = text("status = 'scheduled'")


class Meeting(db.Model):
    """An accepted request placed at a slot and table; its outcome as each side reports it.

    The times are copied from the slot, so a cancelled meeting still says when it would have been
    (its calendar entry is cancelled, not lost). `sequence` rises with every move or cancellation,
    as iCalendar's SEQUENCE must.
    """

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("request_id"),
        CheckConstraint("table_number >= 1", name="table_positive"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("uq_meetings_slot_table", "slot_id", "table_number", unique=True,
              sqlite_where=_SCHEDULED, postgresql_where=_SCHEDULED),
        Index("uq_meetings_slot_investor", "slot_id", "investor_profile_id", unique=True,
              sqlite_where=_SCHEDULED, postgresql_where=_SCHEDULED),
        Index("uq_meetings_slot_startup", "slot_id", "startup_profile_id", unique=True,
              sqlite_where=_SCHEDULED, postgresql_where=_SCHEDULED),
        Index("ix_meetings_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("meeting_requests.id", ondelete="CASCADE"))
    investor_profile_id: Mapped[int] = mapped_column(
        ForeignKey("match_profiles.id", ondelete="CASCADE"), index=True)
    startup_profile_id: Mapped[int] = mapped_column(
        ForeignKey("match_profiles.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_slots.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    table_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus, "meeting_status"),
                                                  default=MeetingStatus.scheduled)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(default=False)
    # Outcome, as each side reports it; the notes are private to their writer.
    investor_held: Mapped[bool | None] = mapped_column()
    startup_held: Mapped[bool | None] = mapped_column()
    stage: Mapped[FollowUp | None] = mapped_column(_enum(FollowUp, "meeting_follow_up"))
    investor_note: Mapped[str] = mapped_column(Text, default="")
    startup_note: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # both sides were reminded (once)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    request: Mapped[MeetingRequest] = relationship(back_populates="meeting")
    slot: Mapped[MeetingSlot | None] = relationship()
    investor: Mapped[Profile] = relationship(foreign_keys=[investor_profile_id])
    startup: Mapped[Profile] = relationship(foreign_keys=[startup_profile_id])

    @hybrid_property
    def held(self) -> bool:
        """Held, as either side says (a meeting counts once)."""
        return self.status == MeetingStatus.scheduled and (bool(self.investor_held)
                                                           or bool(self.startup_held))

    @held.inplace.expression
    @classmethod
    def _held_expression(cls):
        return and_(cls.status == MeetingStatus.scheduled,
                    or_(cls.investor_held.is_(True), cls.startup_held.is_(True)))

    def side_of(self, profile: Profile) -> str | None:
        if profile.id == self.investor_profile_id:
            return "investor"
        if profile.id == self.startup_profile_id:
            return "startup"
        return None

    def other(self, profile: Profile) -> Profile:
        return self.startup if profile.id == self.investor_profile_id else self.investor

    def note_of(self, side: str) -> str:
        return self.investor_note if side == "investor" else self.startup_note

    def held_by(self, side: str) -> bool | None:
        return self.investor_held if side == "investor" else self.startup_held

    def as_outcome(self) -> dict[str, Any]:
        return {"held": self.held, "held_by_investor": self.investor_held,
                "held_by_startup": self.startup_held,
                "stage": self.stage.value if self.stage else None}
