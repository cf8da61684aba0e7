"""The periodic sweep: 30 and 90 days after a meeting was held or an award given, asks each side once.

Run each minute from the mail thread (`mail.periodic`). It finds what is due and not yet asked, inserts
the rows with ON CONFLICT DO NOTHING … RETURNING and queues the e-mails of the rows it inserted, in one
transaction: two sweeps at once insert each row once (the unique constraints decide), so nobody is asked
twice, and an e-mail is never queued without its row nor lost to a rollback. A question not asked within
LATE of its day (the feature started on old data, or the sweep was stopped) is not asked any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite

from .. import mail
from ..accounts.models import User
from ..contests.models import Contest, Entry, EntryMember, EntryStatus
from ..dbtypes import utcnow
from ..extensions import db
from ..mail.outbox import ERASED_DOMAIN
from ..matchmaking.models import Meeting, Profile
from ..messaging.models import Unsubscribe
from .models import DAYS, OutcomeFollowUp, Side, Subject

KIND = "followups.ask"
LATE = timedelta(days=14)
CHUNK = 500


@dataclass(frozen=True)
class Due:
    """One question to ask: the row's key and where the e-mail goes."""

    event_id: int
    subject: Subject
    meeting_id: int | None
    entry_id: int | None
    member_id: int | None
    side: Side
    days: int
    email: str

    @property
    def key(self) -> tuple:
        return (self.meeting_id, self.entry_id, self.member_id, self.side.value, self.days)


def _window(now: datetime) -> tuple[datetime, datetime]:
    """Moments (end of meeting, award) for which some question may be due now."""
    return now - timedelta(days=max(DAYS)) - LATE, now - timedelta(days=min(DAYS))


def _due_days(moment: datetime, now: datetime) -> list[int]:
    return [days for days in DAYS
            if moment + timedelta(days=days) <= now < moment + timedelta(days=days) + LATE]


def _reachable(email: str | None, active: bool = True) -> bool:
    return bool(email) and active and not email.endswith(ERASED_DOMAIN)


def _meeting_questions(now: datetime) -> list[Due]:
    low, high = _window(now)
    meetings = db.session.execute(
        db.select(Meeting.id, Meeting.event_id, Meeting.ends_at, Meeting.investor_profile_id,
                  Meeting.startup_profile_id)
        .where(Meeting.held, Meeting.ends_at > low, Meeting.ends_at <= high)).all()
    profile_ids = {pid for m in meetings for pid in (m.investor_profile_id, m.startup_profile_id)}
    users = dict(db.session.execute(
        db.select(Profile.id, User).join(User, User.id == Profile.user_id)
        .where(Profile.id.in_(profile_ids))).tuples().all()) if profile_ids else {}
    found = []
    for m in meetings:
        sides = ((Side.investor, m.investor_profile_id), (Side.startup, m.startup_profile_id))
        for side, profile_id in sides:
            user = users.get(profile_id)
            if user is None or not _reachable(user.email, user.active):
                continue
            found += [Due(m.event_id, Subject.meeting, m.id, None, None, side, days, user.email)
                      for days in _due_days(m.ends_at, now)]
    return found


def _award_questions(now: datetime) -> list[Due]:
    """Each accepted member of an awarded entry's team (the submitter is one): nobody else."""
    low, high = _window(now)
    rows = db.session.execute(
        db.select(Entry.id, Contest.event_id, Contest.published_at, EntryMember.id, EntryMember.email,
                  User.email, User.active)
        .join(Contest, Contest.id == Entry.contest_id)
        .join(EntryMember, EntryMember.entry_id == Entry.id)
        .outerjoin(User, User.id == EntryMember.user_id)
        .where(Entry.award_level.is_not(None), Entry.status == EntryStatus.submitted,
               EntryMember.accepted_at.is_not(None), Contest.published_at > low,
               Contest.published_at <= high)).all()
    found = []
    for entry_id, event_id, published_at, member_id, member_email, user_email, active in rows:
        email = user_email or member_email
        if not _reachable(email, True if active is None else active):
            continue
        found += [Due(event_id, Subject.award, None, entry_id, member_id, Side.team, days, email)
                  for days in _due_days(published_at, now)]
    return found


def _not_asked(questions: list[Due]) -> list[Due]:
    """Leaves out the questions asked already and the addresses that unsubscribed (two queries)."""
    if not questions:
        return []
    meeting_ids = {q.meeting_id for q in questions if q.meeting_id}
    entry_ids = {q.entry_id for q in questions if q.entry_id}
    asked = {tuple(row) for row in db.session.execute(
        db.select(OutcomeFollowUp.meeting_id, OutcomeFollowUp.entry_id, OutcomeFollowUp.member_id,
                  OutcomeFollowUp.side, OutcomeFollowUp.days)
        .where(OutcomeFollowUp.meeting_id.in_(meeting_ids) | OutcomeFollowUp.entry_id.in_(entry_ids)))}
    asked = {(m, e, mem, Side(side).value, d) for m, e, mem, side, d in asked}
    addresses = {q.email.strip().lower() for q in questions}
    unsubscribed = set(db.session.scalars(
        db.select(Unsubscribe.email_normalized).where(Unsubscribe.email_normalized.in_(addresses))))
    return [q for q in questions if q.key not in asked and q.email.strip().lower() not in unsubscribed]


def _insert(questions: list[Due], now: datetime) -> list[int]:
    """Inserts the rows; returns the ids of those this sweep inserted (another sweep's are left out)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    values = [{"event_id": q.event_id, "subject": q.subject, "meeting_id": q.meeting_id,
               "entry_id": q.entry_id, "member_id": q.member_id, "side": q.side, "days": q.days,
               "asked_at": now, "follow_up_meeting": False, "pilot": False, "investment": False}
              for q in questions]
    statement = (dialect.insert(OutcomeFollowUp).values(values).on_conflict_do_nothing()
                 .returning(OutcomeFollowUp.id))
    return list(db.session.scalars(statement))


@mail.periodic
def ask_due_followups(*, now: datetime | None = None) -> int:
    """Asks every question due now, each once; commits. Returns the number of e-mails queued."""
    now = now or utcnow()
    questions = _not_asked(_meeting_questions(now) + _award_questions(now))
    queued = 0
    for start in range(0, len(questions), CHUNK):
        chunk = questions[start:start + CHUNK]
        ids = _insert(chunk, now)
        if ids:
            rows = db.session.execute(
                db.select(OutcomeFollowUp.id, OutcomeFollowUp.meeting_id, OutcomeFollowUp.entry_id,
                          OutcomeFollowUp.member_id, OutcomeFollowUp.side, OutcomeFollowUp.days)
                .where(OutcomeFollowUp.id.in_(ids))).all()
            emails = {q.key: q.email for q in chunk}
            for row_id, meeting_id, entry_id, member_id, side, days in rows:
                email = emails[(meeting_id, entry_id, member_id, Side(side).value, days)]
                mail.queue(KIND, to=email, followup_id=row_id)
                queued += 1
        db.session.commit()
    if not questions:
        db.session.commit()  # ends the read-only transaction, as the other sweeps do
    return queued
