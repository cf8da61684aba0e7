"""The results of a round judged pairwise on the floor (issue 20), for organizers, the API and the public
page: the Crowd-BT model replayed from the votes, entries ranked by their estimated quality (mu), the
judges' progress and estimated reliability. A fixed number of queries whatever the size.

Ranking: entries with at least one vote by score descending, equal scores sharing a rank (1, 2, 2, 4);
entries nobody has compared yet last, without a rank – the model knows nothing of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from ..accounts.models import User
from ..extensions import db
from .access import blocked_pairs
from .floor_models import PairwiseVisit, PairwiseWalk, VisitOutcome
from .floor_spots import spot_index
from .floor_state import active_entries, counted_votes, replay
from .models import Contest, ContestJudge, Entry, EntryMember

SCORE_DIGITS = 9  # scores equal to this many decimals share a rank (float noise of the replay aside)


@dataclass
class PairwiseRow:
    rank: int | None  # None: no vote yet
    entry_id: int
    title: str
    organization: str
    score: float | None  # the entry's estimated quality (mu); None without a vote
    sigma: float | None  # its uncertainty (standard deviation); None without a vote
    votes: int  # comparisons it was in (votes not undone)
    wins: int
    booth: str | None  # the booth code it is found at, if known
    award_level: str | None
    visitors: int  # judges who have seen it (a skip is not a visit)


@dataclass
class JudgeRow:
    user_id: int
    full_name: str
    email: str
    votes: int
    skips: int
    reliability: float  # alpha / (alpha + beta): how often the model expects them to agree with the truth
    alpha: float
    beta: float
    last_vote_at: datetime | None
    current_title: str | None  # the entry they are sent to now
    remaining: int  # entries they may still be sent to and have not visited


@dataclass
class PairwiseReport:
    contest: Contest
    rows: list[PairwiseRow]  # ranked, then the entries without a vote
    judges: list[JudgeRow]
    unvisited: list[PairwiseRow] = field(default_factory=list)  # nobody has seen them yet
    votes_total: int = 0


def _judges(contest: Contest) -> list[tuple[int, str, str]]:
    return list(db.session.execute(
        db.select(User.id, User.full_name, User.email).join(ContestJudge, ContestJudge.user_id == User.id)
        .where(ContestJudge.contest_id == contest.id).order_by(User.id)).tuples())


def _ranks(scores: list[float]) -> list[int]:
    """Competition ranks of scores sorted best first: equal ones share, the next skips."""
    ranks: list[int] = []
    for i, score in enumerate(scores):
        same = i > 0 and round(score, SCORE_DIGITS) == round(scores[i - 1], SCORE_DIGITS)
        ranks.append(ranks[-1] if same else i + 1)
    return ranks


def pairwise_report(contest: Contest) -> PairwiseReport:
    entries = active_entries(contest)
    votes = counted_votes(contest)
    judges = _judges(contest)
    model = replay(contest, votes, entries, [j[0] for j in judges])
    counts: dict[int, int] = {}
    wins: dict[int, int] = {}
    per_judge: dict[int, int] = {}
    last_vote: dict[int, datetime] = {}
    for vote in votes:
        for entry_id in (vote.winner_id, vote.loser_id):
            counts[entry_id] = counts.get(entry_id, 0) + 1
        wins[vote.winner_id] = wins.get(vote.winner_id, 0) + 1
        per_judge[vote.user_id] = per_judge.get(vote.user_id, 0) + 1
        last_vote[vote.user_id] = vote.created_at
    visits = list(db.session.execute(db.select(PairwiseVisit.user_id, PairwiseVisit.entry_id,
                                               PairwiseVisit.outcome)
                                     .where(PairwiseVisit.contest_id == contest.id)).tuples())
    seen_by: dict[int, set[int]] = {}
    visited: dict[int, set[int]] = {}
    skips: dict[int, int] = {}
    for user_id, entry_id, outcome in visits:
        visited.setdefault(user_id, set()).add(entry_id)
        if outcome == VisitOutcome.seen:
            seen_by.setdefault(entry_id, set()).add(user_id)
        else:
            skips[user_id] = skips.get(user_id, 0) + 1
    index = spot_index(contest.event)

    def row(entry: Entry, rank: int | None) -> PairwiseRow:
        belief = model.entries.get(entry.id)
        voted = counts.get(entry.id, 0) > 0 and belief is not None
        spot = index.spot_of(entry)
        return PairwiseRow(rank=rank, entry_id=entry.id, title=entry.title, organization=entry.organization,
                           score=belief.mu if voted else None,
                           sigma=math.sqrt(belief.sigma2) if voted else None,
                           votes=counts.get(entry.id, 0), wins=wins.get(entry.id, 0),
                           booth=spot.code if spot else None,
                           award_level=str(entry.award_level) if entry.award_level else None,
                           visitors=len(seen_by.get(entry.id, ())))

    voted = sorted((e for e in entries if counts.get(e.id)), key=lambda e: (-model.entries[e.id].mu, e.id))
    ranks = _ranks([model.entries[e.id].mu for e in voted])
    rows = [row(e, r) for e, r in zip(voted, ranks, strict=True)]
    rows += [row(e, None) for e in entries if not counts.get(e.id)]
    report = PairwiseReport(contest=contest, rows=rows, judges=[],
                            unvisited=[r for r in rows if r.visitors == 0], votes_total=len(votes))
    report.judges = _judge_rows(contest, entries, judges, model, per_judge, skips, last_vote, visited)
    return report


def _judge_rows(contest, entries, judges, model, per_judge, skips, last_vote, visited) -> list[JudgeRow]:
    blocked = blocked_pairs(contest)
    entry_ids = {e.id for e in entries}
    titles = {e.id: e.title for e in entries}
    teams = db.session.execute(db.select(EntryMember.user_id, EntryMember.entry_id)
                               .join(Entry, Entry.id == EntryMember.entry_id)
                               .where(Entry.contest_id == contest.id, EntryMember.user_id.is_not(None),
                                      EntryMember.accepted_at.is_not(None))).tuples()
    own = {(entry_id, user_id) for user_id, entry_id in teams}
    current = {user_id: entry_id for user_id, entry_id in db.session.execute(
        db.select(PairwiseWalk.user_id, PairwiseWalk.current_entry_id)
        .where(PairwiseWalk.contest_id == contest.id)).tuples()}
    out = []
    for user_id, full_name, email in judges:
        judge = model.judges[user_id]
        allowed = {e for e in entry_ids if (e, user_id) not in blocked and (e, user_id) not in own}
        out.append(JudgeRow(
            user_id=user_id, full_name=full_name, email=email, votes=per_judge.get(user_id, 0),
            skips=skips.get(user_id, 0), reliability=judge.reliability, alpha=judge.alpha, beta=judge.beta,
            last_vote_at=last_vote.get(user_id), current_title=titles.get(current.get(user_id)),
            remaining=len(allowed - visited.get(user_id, set()))))
    return out


def result_items(report: PairwiseReport) -> list[dict]:
    """The API's items: rank, entry_id, title, score, votes (+ sigma, award_level)."""
    return [{"rank": r.rank, "entry_id": r.entry_id, "title": r.title, "score": r.score, "votes": r.votes,
             "sigma": r.sigma, "award_level": r.award_level} for r in report.rows]
