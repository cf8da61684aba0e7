"""One judge's walk across an event's floor (pairwise judging, issue 20): the categories – several pairwise
contests on one floor – share one walk, so the judge is sent to the best next booth of any of them.

The rules of each contest's walk (what may be compared, votes, skips, undo, the lock) are
floor_judging's; this module only decides which contest the next booth comes from:
  1. a booth the judge was already sent to, in any open category, comes first (the most recent one);
  2. else each open category offers its best next entry and its expected information gain
     (floor_judging.candidates_gain, from where the judge is), the best gain wins (another category's
     than the one the judge is in counting STAY less), and within
     pairwise.TOLERANCE of it the nearer booth (a few percent of information is not worth a walk across
     the hall); then floor_judging.send_to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import selectinload

from ..dbtypes import utcnow
from ..extensions import db
from ..hooks import BoothSpot
from . import floor_judging, floor_state, pairwise
from .floor_models import PairwiseVote, PairwiseWalk
from .floor_spots import SpotIndex, distance, spot_index
from .models import Contest, ContestJudge, Scoring

# Leaving the category the judge is in costs a comparison: the next one there is with the booth they have
# just seen, while another category's is with a booth seen long ago, or – one not started – no comparison
# at all yet (its first booth only becomes the one the second is compared with). So another category's
# gain counts this much: the judge stays while it is at least half as good, rather than alternating at
# every vote (measured: A A B B A B A B …, each comparison with a booth seen two stops before).
STAY = 0.5


@dataclass(frozen=True)
class Category:
    """One pairwise contest of the event as the judge's page shows it."""

    contest: Contest
    open: bool
    votes: int  # this judge's votes in it (not taken back)
    remaining: int  # entries the judge may still be sent to (not yet visited)


@dataclass(frozen=True)
class Walk:
    """Where the judge goes now, and how far they are in each category."""

    event: object
    categories: list[Category]
    stop: floor_judging.Stop | None  # None: nothing left to compare, or judging is closed
    here: BoothSpot | None
    undo: PairwiseVote | None  # the judge's last vote, while it may still be taken back
    undo_seconds: int  # how long it still may

    @property
    def is_open(self) -> bool:
        return any(c.open for c in self.categories)

    @property
    def finished(self) -> bool:
        return self.is_open and self.stop is None


def floor_contests(event, user) -> list[Contest]:
    """The event's pairwise contests this user judges, in id order (open or not)."""
    return list(db.session.scalars(
        db.select(Contest).join(ContestJudge, ContestJudge.contest_id == Contest.id)
        .where(Contest.event_id == event.id, Contest.scoring == Scoring.pairwise,
               ContestJudge.user_id == user.id).order_by(Contest.id)
        .options(selectinload(Contest.rounds))))  # judging_open reads the first round's deadline


def judges_event(event, user) -> bool:
    """Whether the user judges any contest of the event (pairwise or not)."""
    return db.session.scalar(
        db.select(ContestJudge.id).join(Contest, Contest.id == ContestJudge.contest_id)
        .where(Contest.event_id == event.id, ContestJudge.user_id == user.id).limit(1)) is not None


def open_contest(event, user, contest_id: int, now: datetime | None = None) -> Contest | None:
    """The judge's open pairwise contest of the event with this id (a posted form's), else None."""
    for contest in floor_contests(event, user):
        if contest.id == contest_id and floor_judging.judging_open(contest, now):
            return contest
    return None


def walk(event, user, now: datetime | None = None, *, only: int = 0, again: bool = False,
         contests: list[Contest] | None = None) -> Walk:
    """The judge's walk now: a booth already sent to, else the best next one of any open category (sent
    there: this commits). Nothing is written when every category is closed or done. `only`: one
    category's walk (a contest id). Once every booth is visited the walk is done (the page thanks the
    judge); `again`: the judge asked to compare booths they have seen once more (the service allows it).
    `contests`: floor_contests(event, user) when the caller has read them already."""
    now = now or utcnow()
    contests = [c for c in (floor_contests(event, user) if contests is None else contests)
                if not only or c.id == only]
    opened = [c for c in contests if floor_judging.judging_open(c, now)]
    index = spot_index(event)  # one floor: its booths read once for where the judge is and the offers
    # Each category's walk row and Floor read once: its progress line, the pending booth and the offers
    # below all share them (floor_state.reading), until send_to takes the lock and reads afresh.
    with floor_state.reading(index):
        walks = {c.id: floor_state.find_walk(c, user) for c in contests}
        categories = [_category(c, user, c in opened, walks[c.id], now) for c in contests]
        here = floor_judging.where_is(event, user, index)
        stop = _pending(opened, user, walks, now)
        if stop is None:
            left = [c.contest for c in categories if c.open and (again or c.remaining)]
            stop = _choose(left, user, here, index, now, walks)
    undo = _undoable(opened, user, now)
    seconds = 0
    if undo is not None:
        seconds = max(0, int((undo.created_at + timedelta(seconds=floor_judging.UNDO_SECONDS)
                              - now).total_seconds()))
    return Walk(event, categories, stop, here, undo if seconds else None, seconds)


def undoable_vote(event, user, now: datetime | None = None) -> PairwiseVote | None:
    """The judge's last vote on this event's floor while it may still be taken back (the undo button's)."""
    now = now or utcnow()
    opened = [c for c in floor_contests(event, user) if floor_judging.judging_open(c, now)]
    return _undoable(opened, user, now)


def _latest(contests: list[Contest], walks: dict[int, PairwiseWalk | None],
            column: str) -> list[PairwiseWalk]:
    """The judge's walks in these categories whose `column` entry is set, the most recently updated first."""
    found = [w for c in contests if (w := walks.get(c.id)) is not None and getattr(w, column) is not None]
    return sorted(found, key=lambda w: (w.updated_at, w.id), reverse=True)


def _pending(contests: list[Contest], user, walks: dict[int, PairwiseWalk | None],
             now: datetime) -> floor_judging.Stop | None:
    """The booth the judge was sent to most recently and has not voted on or skipped yet."""
    by_id = {c.id: c for c in contests}
    for pending in _latest(contests, walks, "current_entry_id"):
        stop = floor_judging.current_stop(by_id[pending.contest_id], user, now)
        if stop is not None:
            return stop
    return None


def _choose(contests: list[Contest], user, here: BoothSpot | None, index: SpotIndex,
            now: datetime, walks: dict[int, PairwiseWalk | None]) -> floor_judging.Stop | None:
    """Each category's best next entry; the best gain – a category left for another counting STAY less –
    the nearer booth within TOLERANCE; sent there."""
    if not contests:
        return None
    # The category whose booth the judge saw last (their most recently updated walk with a previous entry).
    seen = _latest(contests, walks, "previous_entry_id")
    staying = seen[0].contest_id if seen else None
    offers = []
    for contest in contests:
        offer = floor_judging.candidates_gain(contest, user, here, index)
        if offer is not None:
            entry, gain = offer
            worth = gain if staying in (None, contest.id) else gain * STAY
            offers.append((contest, entry, worth, distance(here, index.spot_of(entry))))
    if not offers:
        return None
    best = max(worth for _, _, worth, _ in offers)
    near = [o for o in offers if o[2] >= best * (1 - pairwise.TOLERANCE)]
    contest, entry, _, _ = min(near, key=lambda o: (o[3], -o[2], o[0].id))
    return floor_judging.send_to(contest, user, entry, now=now)


def _undoable(contests: list[Contest], user, now: datetime) -> PairwiseVote | None:
    """The judge's last vote in these categories, if it is younger than a minute and not taken back (then
    the one before it is not offered: floor_judging.undo_last takes back the very last vote only)."""
    if not contests:
        return None
    last = db.session.scalar(
        db.select(PairwiseVote).where(PairwiseVote.contest_id.in_([c.id for c in contests]),
                                      PairwiseVote.user_id == user.id)
        .order_by(PairwiseVote.created_at.desc(), PairwiseVote.id.desc()).limit(1))
    if (last is None or last.undone_at is not None
            or last.created_at + timedelta(seconds=floor_judging.UNDO_SECONDS) <= now):
        return None
    return last


def _category(contest: Contest, user, is_open: bool, walk_row: PairwiseWalk | None,
              now: datetime) -> Category:
    remaining = floor_state.load_floor(contest, user, now).remaining  # the Floor the offer reads again
    return Category(contest, is_open, walk_row.votes if walk_row is not None else 0, remaining)
