"""Contests, their rounds and rubric, entries and teams, judges, conflicts, assignments, scores, votes.

A contest always has a first round (number 1) made with it; its criteria are the rubric the API
speaks of. A later round (a final) has its own criteria, panel (`RoundJudge`), deadline and the
entries promoted into it (`RoundEntry`); the first round takes every entry that is not withdrawn and
every judge of the contest.

Criteria are versioned: `ContestRound.criteria_version` names the rubric in force. Editing the rubric
before any score exists rewrites that version in place; once scores exist it makes a new version,
and the old scores stay attached to the version they were given under (`Score.criteria_version`),
are left out of the results and are shown to their judges as needing re-scoring.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db


class Scoring(enum.StrEnum):
    zscore = "zscore"
    raw = "raw"
    # Judges walk the floor and compare entries two at a time (floor_models.py, pairwise.py); the first
    # round only: a later round (the pitch final) is scored with the rubric and z-scores.
    pairwise = "pairwise"


class EntryStatus(enum.StrEnum):
    submitted = "submitted"
    withdrawn = "withdrawn"


class AwardLevel(enum.StrEnum):
    first = "first"
    second = "second"
    third = "third"
    consolation = "consolation"


AWARD_ORDER = (AwardLevel.first, AwardLevel.second, AwardLevel.third, AwardLevel.consolation)


class ConflictSource(enum.StrEnum):
    declared = "declared"      # the judge recused themself
    organizer = "organizer"    # added by an organizer
    detected = "detected"      # found automatically, waits for an organizer


class ConflictStatus(enum.StrEnum):
    pending = "pending"        # detected, not yet looked at: shown, blocks nothing until confirmed
    confirmed = "confirmed"
    dismissed = "dismissed"    # an organizer decided it is no conflict


class ScoreStatus(enum.StrEnum):
    draft = "draft"
    submitted = "submitted"


def _enum(kind, name: str, length: int = 20):
    return Enum(kind, name=name, native_enum=False, create_constraint=True, length=length)


class Contest(db.Model):
    __tablename__ = "contests"
    __table_args__ = (
        UniqueConstraint("event_id", "code"),
        CheckConstraint("judges_per_entry >= 1", name="judges_per_entry_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    submission_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    judging_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    judges_per_entry: Mapped[int] = mapped_column(Integer, default=3)
    blind: Mapped[bool] = mapped_column(default=False)
    scoring: Mapped[Scoring] = mapped_column(_enum(Scoring, "contest_scoring", 10), default=Scoring.zscore)
    # The round judges work on now (1 until the organizer promotes entries to a final).
    current_round: Mapped[int] = mapped_column(Integer, default=1)
    peoples_choice: Mapped[bool] = mapped_column(default=False)
    vote_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    rounds: Mapped[list[ContestRound]] = relationship(
        back_populates="contest", order_by="ContestRound.number", cascade="all, delete-orphan")

    @property
    def first_round(self) -> ContestRound:
        return self.rounds[0]

    @property
    def active_round(self) -> ContestRound:
        for round_ in self.rounds:
            if round_.number == self.current_round:
                return round_
        return self.rounds[-1]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    # The contest's own facts that permissions.py asks of it (permissions imports no feature).
    def has_judge(self, user) -> bool:
        """On the panel of this contest (any round)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return db.session.scalar(db.select(ContestJudge.id).where(
            ContestJudge.contest_id == self.id, ContestJudge.user_id == user.id)) is not None

    def __repr__(self) -> str:
        return f"<Contest {self.id} {self.code}>"


class ContestRound(db.Model):
    __tablename__ = "contest_rounds"
    __table_args__ = (
        UniqueConstraint("contest_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("judges_per_entry >= 1", name="judges_per_entry_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(200), default="")
    judges_per_entry: Mapped[int] = mapped_column(Integer, default=3)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    criteria_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    contest: Mapped[Contest] = relationship(back_populates="rounds")
    all_criteria: Mapped[list[Criterion]] = relationship(
        back_populates="round", order_by="Criterion.position, Criterion.id", cascade="all, delete-orphan")

    @property
    def criteria(self) -> list[Criterion]:
        """The rubric in force."""
        return [c for c in self.all_criteria if c.version == self.criteria_version]


class Criterion(db.Model):
    __tablename__ = "contest_criteria"
    __table_args__ = (
        UniqueConstraint("round_id", "version", "key"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("max_score > 0", name="max_score_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("contest_rounds.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    position: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[ContestRound] = relationship(back_populates="all_criteria")


class Entry(db.Model):
    __tablename__ = "contest_entries"
    __table_args__ = (Index("ix_contest_entries_contest_status", "contest_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    organization: Mapped[str] = mapped_column(String(200), default="")
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"),
                                                       index=True)  # organizations.services links it
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[EntryStatus] = mapped_column(
        _enum(EntryStatus, "contest_entry_status"), default=EntryStatus.submitted)
    # Set by the organizer once results are in; read by the certificates.
    award_level: Mapped[AwardLevel | None] = mapped_column(_enum(AwardLevel, "contest_award_level"))
    # The booth where the entry is shown on the exhibition floor, when it is not found by the entry's
    # organization among the exhibitors (pairwise judging sends judges there).
    booth_code: Mapped[str | None] = mapped_column(String(20))
    deck_key: Mapped[str | None] = mapped_column(String(250))
    deck_filename: Mapped[str | None] = mapped_column(String(250))
    deck_size: Mapped[int | None] = mapped_column(Integer)
    deck_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    contest: Mapped[Contest] = relationship()
    members: Mapped[list[EntryMember]] = relationship(
        back_populates="entry", order_by="EntryMember.id", cascade="all, delete-orphan")

    @property
    def active(self) -> bool:
        return self.status == EntryStatus.submitted

    # The entry's own facts that permissions.py asks of it (permissions imports no feature).
    def has_member(self, user) -> bool:
        """A member by account only: the submitter, or a person who accepted the e-mailed invitation with
        the address proven. An address alone opens nothing – anyone can sign up with any address."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return any(m.user_id == user.id and m.accepted_at is not None for m in self.members)

    def is_assigned_to(self, user_id: int, round_: ContestRound | None = None) -> bool:
        query = db.select(Assignment.id).where(Assignment.entry_id == self.id, Assignment.user_id == user_id)
        if round_ is not None:
            query = query.where(Assignment.round_id == round_.id)
        return db.session.scalar(query.limit(1)) is not None

    def is_conflicted_with(self, user_id: int) -> bool:
        """A confirmed conflict keeps this judge away (a pending detected one does not)."""
        return db.session.scalar(db.select(Conflict.id).where(
            Conflict.entry_id == self.id, Conflict.user_id == user_id,
            Conflict.status == ConflictStatus.confirmed)) is not None


class EntryMember(db.Model):
    __tablename__ = "contest_entry_members"
    __table_args__ = (UniqueConstraint("entry_id", "email_normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254), index=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the person accepted the e-mailed invitation, signed in with this address proven; only then
    # `user_id` is set and the entry opens to them (the submitter is accepted at once).
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    entry: Mapped[Entry] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship()


class ContestJudge(db.Model):
    __tablename__ = "contest_judges"
    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class RoundJudge(db.Model):
    """The panel of a later round (the first round's panel is every ContestJudge)."""

    __tablename__ = "contest_round_judges"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("contest_rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class RoundEntry(db.Model):
    """An entry promoted into a later round."""

    __tablename__ = "contest_round_entries"
    __table_args__ = (UniqueConstraint("round_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("contest_rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)


class Conflict(db.Model):
    __tablename__ = "contest_conflicts"
    __table_args__ = (UniqueConstraint("entry_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[ConflictSource] = mapped_column(_enum(ConflictSource, "contest_conflict_source"))
    status: Mapped[ConflictStatus] = mapped_column(
        _enum(ConflictStatus, "contest_conflict_status"), default=ConflictStatus.confirmed)
    locked: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    entry: Mapped[Entry] = relationship()

    @property
    def blocks(self) -> bool:
        """Only a confirmed conflict keeps the judge away: a detected one waits for an organizer, or a team
        could steer its judges by adding a member with a judge's company domain (issue 13.12)."""
        return self.status == ConflictStatus.confirmed


class Assignment(db.Model):
    __tablename__ = "contest_assignments"
    __table_args__ = (UniqueConstraint("round_id", "entry_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("contest_rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    entry: Mapped[Entry] = relationship()
    user: Mapped[User] = relationship()


class Score(db.Model):
    """One judge's score sheet for one entry in one round: a draft until submitted."""

    __tablename__ = "contest_scores"
    __table_args__ = (UniqueConstraint("round_id", "entry_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("contest_rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    criteria_version: Mapped[int] = mapped_column(Integer, default=1)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {criterion key: number}
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ScoreStatus] = mapped_column(_enum(ScoreStatus, "contest_score_status"),
                                                default=ScoreStatus.draft)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Vote(db.Model):
    """A people's choice vote: one per checked-in registration and contest."""

    __tablename__ = "contest_votes"
    __table_args__ = (UniqueConstraint("contest_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
