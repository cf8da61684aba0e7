"""People's choice: checked-in visitors vote once per contest from their manage link page.

"Checked in" means on one of the event's days: a scan before or after them is a scanner test
(eventhub.checkin.days), which would otherwise let anyone whose ticket was tried out vote from home.

One vote per registration and contest is a unique constraint, so two taps at once store one vote.
Tallies stay hidden from everyone but organizers until the vote closes (`vote_closes_at`).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..checkin import days
from ..checkin.models import CheckIn
from ..dbtypes import MAX_ID, utcnow
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..registration.models import Registration
from .errors import AlreadyVoted
from .models import Contest, Entry, EntryStatus, Vote


def voting_open(contest: Contest, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return contest.peoples_choice and (contest.vote_closes_at is None or now < contest.vote_closes_at)


def voting_closed(contest: Contest, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return contest.peoples_choice and contest.vote_closes_at is not None and now >= contest.vote_closes_at


def is_checked_in(reg: Registration) -> bool:
    """A check-in not undone on one of the event's days (test scans do not count)."""
    return db.session.scalar(db.select(CheckIn.id).where(
        CheckIn.registration_id == reg.id, CheckIn.undone_at.is_(None),
        days.on_event_days(reg.event)).limit(1)) is not None


def votable_contests(reg: Registration) -> list[Contest]:
    return list(db.session.scalars(db.select(Contest).where(
        Contest.event_id == reg.event_id, Contest.peoples_choice.is_(True)).order_by(Contest.id)))


def vote_of(contest: Contest, reg: Registration) -> Vote | None:
    return db.session.scalar(db.select(Vote).filter_by(contest_id=contest.id, registration_id=reg.id))


def cast_vote(contest: Contest, reg: Registration, entry_id, *, now: datetime | None = None) -> Vote:
    now = now or utcnow()
    if reg.event_id != contest.event_id or not voting_open(contest, now):
        raise Forbidden(_("Voting is closed for this contest."), code="voting_closed")
    if reg.status.value != "confirmed" or not is_checked_in(reg):
        raise Forbidden(_("Only visitors checked in at the event can vote."), code="not_checked_in")
    ok = isinstance(entry_id, int) and not isinstance(entry_id, bool) and 0 < entry_id <= MAX_ID
    entry = db.session.get(Entry, entry_id) if ok else None
    if entry is None or entry.contest_id != contest.id or entry.status != EntryStatus.submitted:
        raise ValidationError({"entry_id": [_("Choose an entry of this contest.")]})
    vote = Vote(contest_id=contest.id, entry_id=entry.id, registration_id=reg.id, created_at=now)
    db.session.add(vote)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise AlreadyVoted() from exc
    return vote


def cast_vote_by_ids(reg: Registration, contest_id: int, entry_id: int, *,
                     now: datetime | None = None) -> Vote:
    """A vote from the manage link's form: the contest must be one of the registration's event."""
    contest = db.session.get(Contest, contest_id) if 0 < contest_id <= MAX_ID else None
    if contest is None or contest.event_id != reg.event_id:
        raise ValidationError({"contest_id": [_("Choose an entry of this contest.")]})
    return cast_vote(contest, reg, entry_id, now=now)


def ballot(contest: Contest) -> list[Entry]:
    """The entries a visitor can vote for, by title."""
    return list(db.session.scalars(db.select(Entry).where(
        Entry.contest_id == contest.id, Entry.status == EntryStatus.submitted).order_by(Entry.title)))


def tally(contest: Contest) -> list[tuple[int, str, int]]:
    """(entry_id, title, votes), most votes first."""
    count = db.func.count(Vote.id)
    return list(db.session.execute(
        db.select(Entry.id, Entry.title, count).join(Vote, Vote.entry_id == Entry.id)
        .where(Vote.contest_id == contest.id).group_by(Entry.id, Entry.title)
        .order_by(count.desc(), Entry.id)).tuples())
