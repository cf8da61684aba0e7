"""Pairwise judging on the exhibition floor (issue 20): what the judges did, from which the model is
replayed (pairwise.replay), and where each judge is on their walk.

The votes are the record: the Crowd-BT beliefs are recomputed from them, in order, so an undo is a vote
marked `undone_at` and never a reversed update, and two judges voting at once cannot leave the model
half-written (the service takes the contest's lock before it writes, pairwise_service.py).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..extensions import db
from .models import Entry


class VisitOutcome(enum.StrEnum):
    seen = "seen"        # the judge was at the entry and compared it (or saw it first: nothing to compare)
    skipped = "skipped"  # the judge could not find the booth: it says nothing about the entry


class PairwiseVote(db.Model):
    """One judge said `winner` was better than `loser` (one of them the entry they saw before)."""

    __tablename__ = "pairwise_votes"
    __table_args__ = (
        CheckConstraint("winner_id <> loser_id", name="two_entries"),
        Index("ix_pairwise_votes_contest_id_id", "contest_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    winner_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)
    loser_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Taken back by its judge within a minute: kept for the record, left out of the model.
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PairwiseVisit(db.Model):
    """A booth a judge has been to (or could not find) in one contest: never sent there again while
    entries they have not seen remain."""

    __tablename__ = "pairwise_visits"
    __table_args__ = (Index("ix_pairwise_visits_contest_user", "contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[VisitOutcome] = mapped_column(
        Enum(VisitOutcome, name="pairwise_visit_outcome", native_enum=False, create_constraint=True,
             length=10))
    # The vote this visit ended with (an undo removes the visit with its vote).
    vote_id: Mapped[int | None] = mapped_column(ForeignKey("pairwise_votes.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PairwiseWalk(db.Model):
    """Where one judge of one contest is: the entry they saw before (`previous`) and the one they are sent
    to now (`current`); the vote compares the two."""

    __tablename__ = "pairwise_walks"
    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    previous_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("contest_entries.id", ondelete="SET NULL"))
    current_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("contest_entries.id", ondelete="SET NULL"))
    # When the judge was sent to `current`: busy booths are those other judges were sent to lately.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    votes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    previous_entry: Mapped[Entry | None] = relationship(foreign_keys=[previous_entry_id])
    current_entry: Mapped[Entry | None] = relationship(foreign_keys=[current_entry_id])


