"""One question about what came of a held meeting or a given award, to one side, at 30 or 90 days.

The database holds the rule a race could break: one row per (meeting, side, days) and per (entry, team
member, days) – a NULL never equals another, so a meeting's row never collides with an award's. Two sweeps
inserting the same row: the second's insert does nothing (ON CONFLICT DO NOTHING), so nobody is asked twice.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Enum, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..contests.models import Entry, EntryMember
from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db
from ..matchmaking.models import Meeting

DAYS = (30, 90)
MAX_AMOUNT = 10**13  # VND: ten thousand billion, more than any seed round


class Subject(enum.StrEnum):
    meeting = "meeting"
    award = "award"


class Side(enum.StrEnum):
    investor = "investor"
    startup = "startup"
    team = "team"  # a member of an awarded entry's team


def _enum(kind, name: str):
    return Enum(kind, name=name, native_enum=False, create_constraint=True, length=10)


class OutcomeFollowUp(db.Model):
    """Asked at `asked_at`; the answers (any combination) as of the latest click, `answered_at`."""

    __tablename__ = "outcome_followups"
    __table_args__ = (
        UniqueConstraint("meeting_id", "side", "days"),
        UniqueConstraint("entry_id", "member_id", "days"),
        CheckConstraint("days IN (30, 90)", name="days_known"),
        CheckConstraint("(meeting_id IS NULL) <> (entry_id IS NULL)", name="one_subject"),
        CheckConstraint("amount IS NULL OR (amount >= 0 AND amount <= 10000000000000)", name="amount_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    subject: Mapped[Subject] = mapped_column(_enum(Subject, "followup_subject"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("contest_entry_members.id", ondelete="CASCADE"),
                                                  index=True)
    side: Mapped[Side] = mapped_column(_enum(Side, "followup_side"))
    days: Mapped[int] = mapped_column(Integer)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_meeting: Mapped[bool] = mapped_column(default=False)
    pilot: Mapped[bool] = mapped_column(default=False)
    investment: Mapped[bool] = mapped_column(default=False)
    amount: Mapped[int | None] = mapped_column(BigInteger)  # VND, optional even with an investment

    event: Mapped[Event] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    entry: Mapped[Entry | None] = relationship()
    member: Mapped[EntryMember | None] = relationship()

    @property
    def answers(self) -> list[str]:
        """The answers given, as codes: follow_up_meeting, pilot, investment; [] for "nothing yet"."""
        return [key for key in ("follow_up_meeting", "pilot", "investment") if getattr(self, key)]
