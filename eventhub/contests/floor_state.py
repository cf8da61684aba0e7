"""What the floor walk decides from (pairwise judging, issue 20): the contest's entries, one judge's
allowed, visited and busy entries, and the Crowd-BT model replayed from the votes. Reads only.

The model is replayed from the votes on every decision (pairwise.replay, in id order): cheap at expo
sizes (benchmarks/bench_pairwise.py), and an undo is then a vote left out rather than an update reversed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..extensions import db
from . import pairwise
from .access import blocked_pairs
from .floor_models import PairwiseVisit, PairwiseVote, PairwiseWalk
from .floor_spots import SpotIndex, spot_index
from .models import Contest, ContestJudge, Entry, EntryMember, EntryStatus

BUSY_MINUTES = 10  # a booth another judge was sent to this recently is busy (a queue, and less to learn)


def active_entries(contest: Contest) -> list[Entry]:
    return list(db.session.scalars(db.select(Entry).where(
        Entry.contest_id == contest.id, Entry.status == EntryStatus.submitted).order_by(Entry.id)))


def judge_ids(contest: Contest) -> list[int]:
    return sorted(db.session.scalars(db.select(ContestJudge.user_id).where(
        ContestJudge.contest_id == contest.id)))


def counted_votes(contest: Contest) -> list[PairwiseVote]:
    """The votes the model is made of: not taken back, in the order they were given."""
    return list(db.session.scalars(db.select(PairwiseVote).where(
        PairwiseVote.contest_id == contest.id, PairwiseVote.undone_at.is_(None)).order_by(PairwiseVote.id)))


def replay(contest: Contest, votes: list[PairwiseVote], entries: list[Entry],
           judges: list[int] | None = None) -> pairwise.Model:
    return pairwise.replay([pairwise.Vote(v.user_id, v.winner_id, v.loser_id) for v in votes],
                           [e.id for e in entries], judges if judges is not None else judge_ids(contest))


@dataclass
class _Reading:
    """One request's reads of the floor (see reading())."""

    index: SpotIndex
    floors: dict[tuple[int, int], Floor] = field(default_factory=dict)
    walks: dict[tuple[int, int], PairwiseWalk | None] = field(default_factory=dict)
    locked: bool = False  # a write took its lock: from then on everything is read again


_reading: ContextVar[_Reading | None] = ContextVar("floor_reading", default=None)


@contextmanager
def reading(index: SpotIndex) -> Iterator[None]:
    """Within it, each (contest, judge)'s walk row and Floor are read once and shared: the judge's page
    shows each category's progress and then asks floor_judging for the next booth, which would read it
    all again. Only until a write takes the lock (find_walk(fresh=True)): what is decided under the lock
    is read afresh. The booths (`index`) stay: they are another feature's, not guarded by that lock."""
    token = _reading.set(_Reading(index))
    try:
        yield
    finally:
        _reading.reset(token)


def _shared() -> _Reading | None:
    scope = _reading.get()
    return scope if scope is not None and not scope.locked else None


def find_walk(contest: Contest, user, *, fresh: bool = False) -> PairwiseWalk | None:
    scope, key = _reading.get(), (contest.id, user.id)
    if scope is not None and fresh:
        scope.locked = True
    elif scope is not None and not scope.locked and key in scope.walks:
        return scope.walks[key]
    query = db.select(PairwiseWalk).where(PairwiseWalk.contest_id == contest.id,
                                          PairwiseWalk.user_id == user.id)
    if fresh:  # read after the lock: what another request of this judge committed a moment ago
        query = query.execution_options(populate_existing=True)
    walk = db.session.scalar(query)
    if (shared := _shared()) is not None:
        shared.walks[key] = walk
    return walk


def excluded_ids(contest: Contest, user) -> set[int]:
    """Entries this judge is never sent to: a confirmed conflict, or their own team's."""
    blocked = {entry_id for entry_id, user_id in blocked_pairs(contest) if user_id == user.id}
    own = db.session.scalars(db.select(EntryMember.entry_id).join(Entry, Entry.id == EntryMember.entry_id)
                             .where(Entry.contest_id == contest.id, EntryMember.user_id == user.id,
                                    EntryMember.accepted_at.is_not(None)))
    return blocked | set(own)


def visited_ids(contest: Contest, user) -> set[int]:
    return set(db.session.scalars(db.select(PairwiseVisit.entry_id).where(
        PairwiseVisit.contest_id == contest.id, PairwiseVisit.user_id == user.id)))


def busy_ids(contest: Contest, user, now: datetime) -> set[int]:
    since = now - timedelta(minutes=BUSY_MINUTES)
    return set(db.session.scalars(db.select(PairwiseWalk.current_entry_id).where(
        PairwiseWalk.contest_id == contest.id, PairwiseWalk.user_id != user.id,
        PairwiseWalk.current_entry_id.is_not(None), PairwiseWalk.sent_at >= since)))


@dataclass
class Floor:
    """One judge's view of one contest at one moment."""

    contest: Contest
    entries: dict[int, Entry]
    excluded: set[int]
    visited: set[int]
    busy: set[int]
    votes: list[PairwiseVote]
    index: SpotIndex
    judge_id: int
    vote_counts: dict[int, int] = field(default_factory=dict)
    last_vote: PairwiseVote | None = None  # this judge's very last vote, taken back or not (undo)
    _model: pairwise.Model | None = None

    @property
    def model(self) -> pairwise.Model:
        """Replayed on first use only: reading where a judge is needs no model. Only this judge's state is
        read from it, so the panel is not queried (a judge without a vote starts at the prior anyway)."""
        if self._model is None:
            self._model = replay(self.contest, self.votes, list(self.entries.values()), [self.judge_id])
        return self._model

    @property
    def allowed(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.id not in self.excluded]

    @property
    def remaining(self) -> int:
        return sum(1 for e in self.allowed if e.id not in self.visited)

    def belief(self, entry_id: int) -> pairwise.Entry:
        return self.model.entries.get(entry_id) or pairwise.Entry(entry_id)

    def judge_state(self) -> pairwise.JudgeState:
        judge = self.model.judges.get(self.judge_id) or pairwise.Judge(self.judge_id)
        return pairwise.JudgeState(judge, frozenset(self.visited), frozenset(self.excluded))


def load_floor(contest: Contest, user, now: datetime, index: SpotIndex | None = None) -> Floor:
    """`index`: the event's booths when the caller has read them already (the walk across categories)."""
    scope, key = _reading.get(), (contest.id, user.id)
    index = index or (scope.index if scope is not None else None)
    if (shared := _shared()) is not None and key in shared.floors:
        return shared.floors[key]
    entries = active_entries(contest)
    every = list(db.session.scalars(db.select(PairwiseVote).where(PairwiseVote.contest_id == contest.id)
                                    .order_by(PairwiseVote.id)))  # the few taken back too: one query
    votes = [v for v in every if v.undone_at is None]
    mine = [v for v in every if v.user_id == user.id]
    counts: dict[int, int] = {}
    for vote in votes:
        for entry_id in (vote.winner_id, vote.loser_id):
            counts[entry_id] = counts.get(entry_id, 0) + 1
    floor = Floor(contest=contest, entries={e.id: e for e in entries}, excluded=excluded_ids(contest, user),
                  visited=visited_ids(contest, user), busy=busy_ids(contest, user, now), votes=votes,
                  index=index or spot_index(contest.event), judge_id=user.id,
                  vote_counts=counts, last_vote=mine[-1] if mine else None)
    if shared is not None:
        shared.floors[key] = floor
    return floor
