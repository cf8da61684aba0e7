"""A survey of an event (or of one workshop of it), its ordered questions, who was invited, and one response
per registration. Answers are stored as {question id: value} on the response: a survey is read whole."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime, utcnow
from ..events.models import Event
from ..extensions import db
from ..registration.models import EventSession, Registration


class SurveyState(enum.StrEnum):
    draft = "draft"
    sent = "sent"
    closed = "closed"


class SurveyQuestionKind(enum.StrEnum):
    rating = "rating"  # 1–5
    nps = "nps"  # 0–10, how likely to recommend
    choice = "choice"  # one of the listed choices
    text = "text"


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    return Enum(kind, name=name, native_enum=False, create_constraint=True, length=20)


class Survey(db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # A workshop's survey goes to those scanned in at its door; none: the event's, to those checked in.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("event_sessions.id", ondelete="CASCADE"),
                                                   index=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[SurveyState] = mapped_column(_enum(SurveyState, "survey_state"), default=SurveyState.draft)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    session: Mapped[EventSession | None] = relationship()
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(SurveyQuestion.position, SurveyQuestion.id)")

    def is_open(self, now: datetime) -> bool:
        """Answers are taken once sent, until closed by hand or by its closing time."""
        return self.state == SurveyState.sent and (self.closes_at is None or now < self.closes_at)


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[SurveyQuestionKind] = mapped_column(_enum(SurveyQuestionKind, "survey_question_kind"))
    label: Mapped[str] = mapped_column(String(500))
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")


class SurveyInvitation(db.Model):
    """The survey was sent to this registration: once, whatever the number of sendings (the unique key)."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("survey_id", "registration_id", name="uq_survey_invitations"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Its e-mail (none for an unsubscribed address): an erased registration's is scrubbed through it.
    outbound_email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbound_emails.id", ondelete="SET NULL"))

    survey: Mapped[Survey] = relationship()
    registration: Mapped[Registration] = relationship()


class SurveyResponse(db.Model):
    """A registration's answers; answering again updates them (the unique key keeps one row)."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("survey_id", "registration_id", name="uq_survey_responses"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 index=True)
    # {"<question id>": int | str}: only answered questions appear.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    survey: Mapped[Survey] = relationship()
    registration: Mapped[Registration] = relationship()
