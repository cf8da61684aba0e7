"""What contests tell the organizer's cockpit, one card per contest: entries short of scores in the round
being judged (for a round judged on the floor: comparisons made and entries nobody has visited yet),
detected conflicts of interest waiting for a decision, and the contest's deadlines.
Three queries for all of an event's contests (five with pairwise ones), whatever their size."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, exists, func, or_

from ..dbtypes import utcnow
from ..extensions import db
from ..hooks import CockpitPart, Deadline, Decision, Figure
from ..i18n import format_number
from .floor_models import PairwiseVisit, PairwiseVote, VisitOutcome
from .models import (
    Conflict,
    ConflictSource,
    ConflictStatus,
    Contest,
    ContestRound,
    Entry,
    EntryStatus,
    RoundEntry,
    Score,
    ScoreStatus,
    Scoring,
)


def load(event, user) -> list[CockpitPart]:
    rounds = db.session.execute(
        db.select(Contest, ContestRound)
        .join(ContestRound, and_(ContestRound.contest_id == Contest.id,
                                 ContestRound.number == Contest.current_round))
        .where(Contest.event_id == event.id).order_by(Contest.id)).tuples().all()
    if not rounds:
        return []
    entries, short = _entries_and_short(event)
    pending = dict(db.session.execute(
        db.select(Conflict.contest_id, func.count(Conflict.id))
        .join(Contest, Contest.id == Conflict.contest_id)
        .where(Contest.event_id == event.id, Conflict.source == ConflictSource.detected,
               Conflict.status == ConflictStatus.pending)
        .group_by(Conflict.contest_id)).tuples().all())
    now = utcnow()
    floor = _floor_figures(event) if any(_on_floor(c, r) for c, r in rounds) else {}
    return [_part(event, contest, round_, entries.get(contest.id, 0), short.get(contest.id, 0),
                  pending.get(contest.id, 0), now, order=40 + index, floor=floor.get(contest.id, (0, 0)))
            for index, (contest, round_) in enumerate(rounds)]


def _on_floor(contest: Contest, round_: ContestRound) -> bool:
    """The round is judged by comparisons on the floor (a pairwise contest's first round)."""
    return contest.scoring == Scoring.pairwise and round_.number == 1


def _floor_figures(event) -> dict[int, tuple[int, int]]:
    """Per pairwise contest: comparisons that count (not undone), and active entries some judge has seen."""
    votes = dict(db.session.execute(
        db.select(PairwiseVote.contest_id, func.count(PairwiseVote.id))
        .join(Contest, Contest.id == PairwiseVote.contest_id)
        .where(Contest.event_id == event.id, PairwiseVote.undone_at.is_(None))
        .group_by(PairwiseVote.contest_id)).tuples().all())
    seen = dict(db.session.execute(
        db.select(Entry.contest_id, func.count(func.distinct(PairwiseVisit.entry_id)))
        .join(PairwiseVisit, PairwiseVisit.entry_id == Entry.id)
        .join(Contest, Contest.id == Entry.contest_id)
        .where(Contest.event_id == event.id, Entry.status == EntryStatus.submitted,
               PairwiseVisit.outcome == VisitOutcome.seen)
        .group_by(Entry.contest_id)).tuples().all())
    return {cid: (votes.get(cid, 0), seen.get(cid, 0)) for cid in set(votes) | set(seen)}


def _entries_and_short(event) -> tuple[dict[int, int], dict[int, int]]:
    """Per contest: the entries of the round being judged, and those with fewer submitted scores (under
    the rubric in force) than the round's judges per entry."""
    scores = (db.select(Score.round_id, Score.entry_id, func.count(Score.id).label("n"))
              .join(ContestRound, ContestRound.id == Score.round_id)
              .where(Score.status == ScoreStatus.submitted,
                     Score.criteria_version == ContestRound.criteria_version)
              .group_by(Score.round_id, Score.entry_id).subquery())
    promoted = exists().where(RoundEntry.round_id == ContestRound.id, RoundEntry.entry_id == Entry.id)
    given = func.coalesce(scores.c.n, 0)
    rows = db.session.execute(
        db.select(Contest.id, func.count(Entry.id),
                  func.count(Entry.id).filter(given < ContestRound.judges_per_entry))
        .join(ContestRound, and_(ContestRound.contest_id == Contest.id,
                                 ContestRound.number == Contest.current_round))
        .join(Entry, and_(Entry.contest_id == Contest.id, Entry.status == EntryStatus.submitted))
        .outerjoin(scores, and_(scores.c.round_id == ContestRound.id, scores.c.entry_id == Entry.id))
        .where(Contest.event_id == event.id, or_(ContestRound.number == 1, promoted))
        .group_by(Contest.id))
    entries, short = {}, {}
    for contest_id, n, n_short in rows:
        entries[contest_id], short[contest_id] = n, n_short
    return entries, short


def _part(event, contest: Contest, round_: ContestRound, entries: int, short: int, pending: int, now,
          order: int, floor: tuple[int, int] = (0, 0)) -> CockpitPart:
    manage = url_for("contests.manage", id=contest.id)
    results = url_for("contests.results", id=contest.id)
    figures = [Figure(_("Entries"), entries, url_for("contests.event_contests", slug=event.slug))]
    if _on_floor(contest, round_):  # no score sheets: comparisons, and booths no judge has reached yet
        votes, seen = floor
        results = url_for("contests.floor_admin", id=contest.id)
        figures.append(Figure(_("Comparisons made on the floor"), votes, results))
        if not contest.is_published:
            figures.append(Figure(_("Entries nobody has visited yet"), max(entries - seen, 0),
                                  results + "#unvisited", total=entries))
    elif not contest.is_published:
        figures.append(Figure(_("Entries without enough scores"), short, results, total=entries,
                              note=_("%(n)s scores each needed", n=format_number(round_.judges_per_entry))))
    decisions = []
    if pending:
        decisions.append(Decision(
            ngettext("%(n)s detected conflict of interest to confirm or dismiss in %(contest)s",
                     "%(n)s detected conflicts of interest to confirm or dismiss in %(contest)s", pending,
                     n=format_number(pending), contest=contest.name),
            pending, manage + "#pending-conflicts"))
    deadlines = []
    if contest.submission_deadline and contest.submission_deadline > now:
        deadlines.append(Deadline(_("Entries close: %(contest)s", contest=contest.name),
                                  contest.submission_deadline, manage))
    judging = round_.deadline or contest.judging_deadline
    if judging and judging > now and not contest.is_published:
        deadlines.append(Deadline(_("Judging ends: %(contest)s", contest=contest.name), judging, results))
    if contest.peoples_choice and contest.vote_closes_at and contest.vote_closes_at > now:
        deadlines.append(Deadline(_("People's choice vote closes: %(contest)s", contest=contest.name),
                                  contest.vote_closes_at, results))
    title = contest.name if round_.number == 1 else f"{contest.name} · {round_.name or round_.number}"
    return CockpitPart(title, manage, figures, decisions, deadlines, order=order)
