"""Pairwise judging on the exhibition floor (issue 20): each judge's walk from booth to booth, their votes
("which of the two was better?"), skips and undo. The rules are in /work/shared/design (issue 20) and
api.md "Pairwise judging at the exhibition"; the model is pairwise.py, the tables floor_models.py.

A walk (one per judge and contest) holds the entry the judge saw before (`previous`) and the one they are
sent to (`current`); a vote compares exactly those two. Every write takes the first round's lock
(access.lock_round) and re-reads the walk, so two judges voting at once never lose a vote and one judge
double-tapping never records two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _

from ..dbtypes import utcnow
from ..errors import Forbidden, NotFound, ValidationError
from ..extensions import db
from ..hooks import BoothSpot
from . import floor_choice
from .access import lock_round
from .errors import Conflicted, JudgingClosed, NothingToUndo, NotPairwise, UndoExpired
from .floor_choice import candidates_gain
from .floor_models import PairwiseVisit, PairwiseVote, PairwiseWalk, VisitOutcome
from .floor_reach import recheck
from .floor_spots import entry_spots, where_is
from .floor_state import BUSY_MINUTES, Floor, find_walk, load_floor
from .models import Contest, ContestRound, Entry, Scoring

__all__ = ["BUSY_MINUTES", "UNDO_SECONDS", "Stop", "candidates_gain", "check_floor_judge", "current_stop",
           "entry_spots", "finish_first", "is_pairwise_round", "judging_open", "next_stop", "round_scoring",
           "send_to", "skip", "undo_last", "vote", "where_is"]

UNDO_SECONDS = 60  # a vote may be taken back this long (a mistap), and a retry within it is the same vote
_MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Stop:
    """Where the judge is sent now and what they compare it with."""

    contest: Contest
    entry: Entry
    previous: Entry | None
    spot: BoothSpot | None
    previous_spot: BoothSpot | None
    votes: int  # this judge's votes in this contest
    remaining: int  # entries the judge may be sent to and has not visited yet
    undo_until: datetime | None  # the last vote may be undone until then


def is_pairwise_round(contest: Contest, round_: ContestRound | None = None) -> bool:
    round_ = round_ or contest.active_round
    return contest.scoring == Scoring.pairwise and round_.number == 1


def round_scoring(contest: Contest, round_: ContestRound) -> str:
    """A pairwise contest's first round is judged on the floor; its later rounds (the pitch final) with
    the rubric and z-scores."""
    if contest.scoring == Scoring.pairwise:
        return "pairwise" if round_.number == 1 else Scoring.zscore.value
    return str(contest.scoring)


def judging_open(contest: Contest, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if contest.scoring != Scoring.pairwise or contest.current_round != 1 or contest.published_at is not None:
        return False
    return all(d is None or now < d for d in (contest.first_round.deadline, contest.judging_deadline))


def check_floor_judge(user, contest: Contest, now: datetime | None = None) -> None:
    """403 for anyone but a judge of the contest (organizers too), 409 for a contest not judged on the
    floor, 403 judging_closed once the floor has closed."""
    if not contest.has_judge(user):
        raise Forbidden()
    if contest.scoring != Scoring.pairwise:
        raise NotPairwise()
    if not judging_open(contest, now):
        raise JudgingClosed()


def _lock(contest: Contest, now: datetime) -> None:
    """The contest's writes one at a time; then the contest as it is now (published or moved on?)."""
    lock_round(contest.first_round)
    db.session.refresh(contest, ["published_at", "current_round", "judging_deadline"])
    db.session.refresh(contest.first_round, ["deadline"])
    if not judging_open(contest, now):
        db.session.rollback()
        raise JudgingClosed()


def _walk(contest: Contest, user, now: datetime) -> PairwiseWalk:
    """The judge's walk read after the lock (made on first use: the lock keeps it unique)."""
    walk = find_walk(contest, user, fresh=True)
    if walk is None:
        walk = PairwiseWalk(contest_id=contest.id, user_id=user.id, votes=0, updated_at=now)
        db.session.add(walk)
    return walk


def _sanitize(walk: PairwiseWalk, floor: Floor) -> None:
    """An entry withdrawn, or put out of the judge's reach by a conflict confirmed since, leaves the walk."""
    usable = {e.id for e in floor.allowed}
    if walk.current_entry_id is not None and walk.current_entry_id not in usable:
        walk.current_entry_id = None
    if walk.previous_entry_id is not None and walk.previous_entry_id not in usable:
        walk.previous_entry_id = None


def _undo_until(floor: Floor, now: datetime) -> datetime | None:
    last = floor.last_vote
    if last is None or last.undone_at is not None:  # taken back already: the one before stays (undo_last)
        return None
    until = last.created_at + timedelta(seconds=UNDO_SECONDS)
    return until if now < until else None  # strictly: the page hides the button at the minute


def _stop(floor: Floor, walk: PairwiseWalk | None, now: datetime) -> Stop | None:
    def usable(entry_id: int | None) -> Entry | None:  # not withdrawn nor out of reach since (_sanitize)
        return floor.entries.get(entry_id) if entry_id and entry_id not in floor.excluded else None

    entry = usable(walk.current_entry_id) if walk else None
    if entry is None:
        return None
    previous = usable(walk.previous_entry_id)
    return Stop(contest=floor.contest, entry=entry, previous=previous, spot=floor.index.spot_of(entry),
                previous_spot=floor.index.spot_of(previous) if previous else None, votes=walk.votes or 0,
                remaining=floor.remaining, undo_until=_undo_until(floor, now))


def _see_current(contest: Contest, walk: PairwiseWalk, floor: Floor, now: datetime) -> None:
    """The judge is done with their first entry: it becomes the one to compare the next with."""
    db.session.add(PairwiseVisit(contest_id=contest.id, user_id=walk.user_id, entry_id=walk.current_entry_id,
                                 outcome=VisitOutcome.seen, created_at=now))
    floor.visited.add(walk.current_entry_id)
    walk.previous_entry_id, walk.current_entry_id = walk.current_entry_id, None
    walk.updated_at = now


def _advance(contest: Contest, user, now: datetime, *, choose: bool = True) -> Stop | None:
    _lock(contest, now)
    walk = _walk(contest, user, now)
    floor = load_floor(contest, user, now)
    _sanitize(walk, floor)
    if walk.previous_entry_id is None and walk.current_entry_id is not None:  # 2: the first entry seen
        _see_current(contest, walk, floor, now)
    if walk.current_entry_id is None and choose:  # 1 and 4: choose where to go
        chosen = floor_choice.choose(floor, walk, user)
        if chosen is not None:
            walk.current_entry_id, walk.sent_at, walk.updated_at = chosen.id, now, now
    db.session.commit()
    return _stop(floor, walk, now)


def current_stop(contest: Contest, user, now: datetime | None = None) -> Stop | None:
    """The walk as it is (reads only); None before the first entry and between a vote and the next."""
    now = now or utcnow()
    walk = find_walk(contest, user)
    if walk is None or walk.current_entry_id is None:
        return None
    return _stop(load_floor(contest, user, now), walk, now)


def next_stop(contest: Contest, user, now: datetime | None = None) -> Stop | None:
    """GET /next: (1) not started – a first entry; (2) the first entry only seen – it becomes the previous
    one and the next is chosen; (3) a pair pending – that pair again; (4) after a vote or skip – the next.
    None: nothing left the judge may be sent to."""
    now = now or utcnow()
    check_floor_judge(user, contest, now)
    walk = find_walk(contest, user)
    if walk is not None and walk.previous_entry_id is not None and walk.current_entry_id is not None:
        stop = _stop(load_floor(contest, user, now), walk, now)  # (3) reads only
        if stop is not None and stop.previous is not None:
            return stop
    return _advance(contest, user, now)


def finish_first(contest: Contest, user, now: datetime | None = None, *, choose: bool = True) -> Stop | None:
    """The judge says they are done with their first entry (semantics 2 explicitly). `choose=False` only
    records it, leaving the next to the event's walk across categories (then send_to)."""
    now = now or utcnow()
    check_floor_judge(user, contest, now)
    return _advance(contest, user, now, choose=choose)


def send_to(contest: Contest, user, entry: Entry, now: datetime | None = None) -> Stop:
    """Sends the judge to `entry` (the event's walk chose it). A current entry already pending stays (a
    double tap); a first entry only seen must be finished first (finish_first(choose=False))."""
    now = now or utcnow()
    check_floor_judge(user, contest, now)
    if entry.contest_id != contest.id:
        raise NotFound(_("There is no such entry."), code="entry_not_found")
    _lock(contest, now)
    walk = _walk(contest, user, now)
    floor = load_floor(contest, user, now)
    _sanitize(walk, floor)
    if entry.id not in floor.entries:
        db.session.rollback()
        raise NotFound(_("There is no such entry."), code="entry_not_found")
    if entry.id in floor.excluded:
        db.session.rollback()
        raise Conflicted()
    if walk.current_entry_id is None:
        walk.current_entry_id, walk.sent_at, walk.updated_at = entry.id, now, now
    db.session.commit()
    return _stop(floor, walk, now)


def _entry_id(contest: Contest, value, field: str) -> int:
    """An id of an entry of this contest: 422 when not a number, 404 when no such entry here."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: [_("Choose an entry.")]})
    entry = db.session.get(Entry, value) if 0 < value <= _MAX_ID else None
    if entry is None or entry.contest_id != contest.id:
        raise NotFound(_("There is no such entry."), code="entry_not_found")
    return value


def _last_vote(contest: Contest, user, *, undone_too: bool = False) -> PairwiseVote | None:
    query = db.select(PairwiseVote).where(PairwiseVote.contest_id == contest.id,
                                          PairwiseVote.user_id == user.id)
    if not undone_too:
        query = query.where(PairwiseVote.undone_at.is_(None))
    return db.session.scalar(query.order_by(PairwiseVote.id.desc()).limit(1)
                             .execution_options(populate_existing=True))


def _last_visit(contest: Contest, user) -> PairwiseVisit | None:
    return db.session.scalar(db.select(PairwiseVisit).where(
        PairwiseVisit.contest_id == contest.id, PairwiseVisit.user_id == user.id)
        .order_by(PairwiseVisit.id.desc()).limit(1).execution_options(populate_existing=True))


def _recent(moment: datetime, now: datetime) -> bool:
    return now - moment < timedelta(seconds=UNDO_SECONDS)  # at the minute it is over (undo_until)


def vote(contest: Contest, user, winner_id, loser_id, now: datetime | None = None) -> PairwiseVote:
    """`winner` was better than `loser`: the judge's previous and current entries, in either order."""
    now = now or utcnow()
    check_floor_judge(user, contest, now)
    errors = {}
    for name, value in (("winner", winner_id), ("loser", loser_id)):
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = [_("Choose an entry.")]
    if errors:
        raise ValidationError(errors)
    _entry_id(contest, winner_id, "winner")
    _entry_id(contest, loser_id, "loser")
    _lock(contest, now)
    walk = _walk(contest, user, now)
    last = _last_vote(contest, user)
    if (last is not None and (last.winner_id, last.loser_id) == (winner_id, loser_id)
            and _recent(last.created_at, now) and (visit := _last_visit(contest, user)) is not None
            and visit.vote_id == last.id):
        db.session.rollback()  # the same vote sent again (the answer was lost): it is recorded once
        return last
    recheck(contest, user, walk, {"winner": winner_id, "loser": loser_id}, now)
    pair = {walk.previous_entry_id, walk.current_entry_id}
    if None in pair or winner_id == loser_id or {winner_id, loser_id} != pair:
        message = _("Compare the entry you saw before with the one you are at now.")
        fields = {name: [message] for name, value in (("winner", winner_id), ("loser", loser_id))
                  if value not in pair or None in pair}
        if winner_id == loser_id or not fields:
            fields["loser"] = [message]
        db.session.rollback()
        raise ValidationError(fields)
    record = PairwiseVote(contest_id=contest.id, user_id=user.id, winner_id=winner_id, loser_id=loser_id,
                          created_at=now)
    db.session.add(record)
    db.session.flush()
    db.session.add(PairwiseVisit(contest_id=contest.id, user_id=user.id, entry_id=walk.current_entry_id,
                                 outcome=VisitOutcome.seen, vote_id=record.id, created_at=now))
    walk.previous_entry_id, walk.current_entry_id = walk.current_entry_id, None
    walk.votes, walk.updated_at = (walk.votes or 0) + 1, now
    db.session.commit()
    return record


def skip(contest: Contest, user, entry_id, now: datetime | None = None) -> None:
    """The judge could not find the booth of their current entry: it is left, the previous one stays.
    An entry withdrawn or out of the judge's reach since just leaves the walk."""
    now = now or utcnow()
    check_floor_judge(user, contest, now)
    _entry_id(contest, entry_id, "skip")
    _lock(contest, now)
    walk = _walk(contest, user, now)
    if recheck(contest, user, walk, {"skip": entry_id}, now, refuse=False):
        return
    if walk.current_entry_id == entry_id:
        db.session.add(PairwiseVisit(contest_id=contest.id, user_id=user.id, entry_id=entry_id,
                                     outcome=VisitOutcome.skipped, created_at=now))
        walk.current_entry_id, walk.updated_at = None, now
        db.session.commit()
        return
    last = _last_visit(contest, user)
    db.session.rollback()
    if (walk.current_entry_id is None and last is not None and last.entry_id == entry_id
            and last.outcome == VisitOutcome.skipped and _recent(last.created_at, now)):
        return  # the same skip sent again
    raise ValidationError({"skip": [_("Only the entry you were sent to can be skipped.")]})


def undo_last(contest: Contest, user, now: datetime | None = None) -> Stop | None:
    """Takes back the judge's last vote within UNDO_SECONDS: the pair is in front of them again."""
    now = now or utcnow()
    check_floor_judge(user, contest, now)
    _lock(contest, now)
    last = _last_vote(contest, user, undone_too=True)
    # Only the very last vote: once it is taken back there is nothing to undo, so an undo sent twice (a
    # double tap, a retry after a lost answer) never takes back the vote before it as well.
    if last is None or last.undone_at is not None or not _recent(last.created_at, now):
        db.session.rollback()
        raise NothingToUndo() if last is None or last.undone_at is not None else UndoExpired()
    walk = _walk(contest, user, now)
    visit = db.session.scalar(db.select(PairwiseVisit).where(PairwiseVisit.vote_id == last.id))
    at = visit.entry_id if visit is not None else last.loser_id
    if visit is not None:
        db.session.delete(visit)
    last.undone_at = now
    walk.previous_entry_id = last.loser_id if at == last.winner_id else last.winner_id
    walk.current_entry_id, walk.sent_at, walk.updated_at = at, now, now
    walk.votes = max((walk.votes or 0) - 1, 0)
    db.session.commit()
    return current_stop(contest, user, now)
