"""Results of a round for organizers and the public page: a fixed number of queries, any size.

Only submitted sheets given under the rubric in force count; a sheet whose judge has since become
conflicted with the entry never counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..accounts.models import User
from ..extensions import db
from . import floor_judging, scoring
from .access import blocked_pairs
from .agreement import krippendorff_alpha_interval
from .models import (
    Assignment,
    Contest,
    ContestJudge,
    ContestRound,
    Entry,
    EntryStatus,
    RoundEntry,
    RoundJudge,
    Score,
    ScoreStatus,
)


@dataclass
class JudgeSummary:
    user_id: int
    full_name: str
    email: str
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0
    mean: float | None = None
    std: float | None = None


@dataclass
class Report:
    contest: Contest
    round: ContestRound
    results: list[scoring.Result]
    titles: dict[int, str]
    awards: dict[int, str | None]
    judges: list[JudgeSummary]
    # {(entry_id, judge_id): (raw total, z)}
    cells: dict[tuple[int, int], tuple[float, float]] = field(default_factory=dict)
    spread: dict[int, float] = field(default_factory=dict)  # entry → std of its judges' totals
    # entry → [(judge_id, raw total, z)], for the organizer's page
    entry_cells: dict[int, list[tuple[int, float, float]]] = field(default_factory=dict)
    alpha: float | None = None

    @property
    def judge_names(self) -> dict[int, str]:
        return {j.user_id: j.full_name for j in self.judges}


def _round_entries(round_: ContestRound) -> list[tuple[int, str, str | None]]:
    query = db.select(Entry.id, Entry.title, Entry.award_level).where(
        Entry.contest_id == round_.contest_id, Entry.status == EntryStatus.submitted)
    if round_.number > 1:
        query = query.join(RoundEntry, RoundEntry.entry_id == Entry.id).where(
            RoundEntry.round_id == round_.id)
    return list(db.session.execute(query.order_by(Entry.id)).tuples())


def _round_judges(round_: ContestRound) -> list[tuple[int, str, str]]:
    if round_.number == 1:
        query = db.select(User.id, User.full_name, User.email).join(
            ContestJudge, ContestJudge.user_id == User.id).where(ContestJudge.contest_id == round_.contest_id)
    else:
        query = db.select(User.id, User.full_name, User.email).join(
            RoundJudge, RoundJudge.user_id == User.id).where(RoundJudge.round_id == round_.id)
    return list(db.session.execute(query.order_by(User.id)).tuples())


def contest_results(contest: Contest, round_: ContestRound | None = None, *, detail: bool = False) -> Report:
    round_ = round_ or contest.active_round
    criteria = [scoring.Criterion(c.key, c.weight, c.max_score) for c in round_.criteria]
    entries = _round_entries(round_)
    entry_ids = [e[0] for e in entries]
    blocked = blocked_pairs(contest)
    rows = db.session.execute(db.select(Score.entry_id, Score.user_id, Score.values, Score.status,
                                        Score.criteria_version).where(Score.round_id == round_.id)).tuples()
    wanted = set(entry_ids)
    sheets = []
    drafts: dict[int, int] = {}
    current_version = round_.criteria_version
    keys = [c.key for c in criteria]
    submitted = ScoreStatus.submitted
    for entry_id, user_id, values, status, version in rows:
        if entry_id not in wanted or version != current_version or (entry_id, user_id) in blocked:
            continue
        if status != submitted:
            drafts[user_id] = drafts.get(user_id, 0) + 1
            continue
        if values and all(k in values for k in keys):
            sheets.append(scoring.Sheet(entry_id, user_id, values))
    # a pairwise first round may have no rubric, hence no sheet to total (its ranking is floor_results')
    totals = scoring.compute_totals(criteria, sheets) if criteria else []
    zs = scoring.z_scores(totals)
    # a pairwise contest's later round (the pitch final) is ranked by z-scores (floor_judging.round_scoring)
    ranked = scoring.rank_totals(entry_ids, totals, floor_judging.round_scoring(contest, round_), zs)
    report = Report(contest=contest, round=round_, results=ranked,
                    titles={e[0]: e[1] for e in entries},
                    awards={e[0]: (str(e[2]) if e[2] else None) for e in entries}, judges=[])
    if not detail:
        return report
    by_entry: dict[int, list[float]] = {}
    per_judge: dict[int, list[float]] = {}
    for entry_id, user_id, value in totals:
        report.cells[(entry_id, user_id)] = (value, zs[(entry_id, user_id)])
        report.entry_cells.setdefault(entry_id, []).append((user_id, value, zs[(entry_id, user_id)]))
        by_entry.setdefault(entry_id, []).append(value)
        per_judge.setdefault(user_id, []).append(value)
    report.spread = {e: scoring.judge_stats(vs)[1] for e, vs in by_entry.items()}
    report.alpha = krippendorff_alpha_interval(by_entry)
    assigned: dict[int, int] = {}
    for (user_id,) in db.session.execute(db.select(Assignment.user_id).where(
            Assignment.round_id == round_.id)).tuples():
        assigned[user_id] = assigned.get(user_id, 0) + 1
    for user_id, full_name, email in _round_judges(round_):
        summary = JudgeSummary(user_id, full_name, email, assigned=assigned.get(user_id, 0),
                               submitted=len(per_judge.get(user_id, [])), drafts=drafts.get(user_id, 0))
        if per_judge.get(user_id):
            summary.mean, summary.std = scoring.judge_stats(per_judge[user_id])
        report.judges.append(summary)
    return report


def result_items(report: Report) -> list[dict]:
    """The API's items: rank, entry_id, title, raw_mean, normalized, scores_count."""
    return [{"rank": r.rank, "entry_id": r.entry_id, "title": report.titles.get(r.entry_id, ""),
             "raw_mean": _finite(r.raw_mean), "normalized": _finite(r.normalized),
             "scores_count": r.scores_count, "award_level": report.awards.get(r.entry_id)}
            for r in report.results]


def _finite(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None
