"""Judges' work: their list in a per-judge random order, the score sheet, drafts and submitting.

A sheet is one row per judge, entry and round (a unique constraint): saving inserts it or, when it
exists, updates it under a row lock, so two saves at once – by two judges or by one judge twice –
lose nothing and never make two rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..dbtypes import utcnow
from ..errors import ValidationError
from ..extensions import db
from ..i18n import format_datetime
from .access import is_assigned, is_conflicted, lock_round
from .assignment import judge_order
from .errors import Conflicted, JudgingClosed, NotAssigned
from .floor_judging import is_pairwise_round
from .models import Assignment, Contest, ContestJudge, ContestRound, Entry, Score, ScoreStatus
from .scoring import Criterion as C
from .scoring import total, valid_number

MAX_COMMENT = 10_000


@dataclass
class JudgeItem:
    entry: Entry
    score: Score | None

    @property
    def state(self) -> str:
        if self.score is None:
            return "todo"
        if self.score.criteria_version != self._version:
            return "rescore"
        return self.score.status.value

    _version: int = 1


def judge_items(user: User, contest: Contest) -> list[JudgeItem]:
    """The judge's entries in the current round, in their own random order, with their sheets."""
    round_ = contest.active_round
    if is_pairwise_round(contest, round_):  # walked on the floor (floor_walk), not scored from a list
        return []
    entries = {e.id: e for e in db.session.scalars(
        db.select(Entry).join(Assignment, Assignment.entry_id == Entry.id)
        .where(Assignment.round_id == round_.id, Assignment.user_id == user.id))}
    scores = {s.entry_id: s for s in db.session.scalars(db.select(Score).where(
        Score.round_id == round_.id, Score.user_id == user.id))}
    items = []
    for entry_id in judge_order(contest.id, user.id, entries):
        item = JudgeItem(entries[entry_id], scores.get(entry_id))
        item._version = round_.criteria_version
        items.append(item)
    return items


def progress(items: list[JudgeItem]) -> tuple[int, int]:
    return sum(1 for i in items if i.state == "submitted"), len(items)


def judge_contests(user: User) -> list[Contest]:
    return list(db.session.scalars(db.select(Contest).join(
        ContestJudge, ContestJudge.contest_id == Contest.id)
        .where(ContestJudge.user_id == user.id).order_by(Contest.id.desc())))


def judging_open(round_: ContestRound, now: datetime) -> bool:
    return round_.deadline is None or now < round_.deadline


def closed_reason(contest: Contest, now: datetime | None = None) -> str | None:
    """Why the judges' sheets of the contest's current round are read-only, in words; None while open."""
    round_ = contest.active_round
    if judging_open(round_, now or utcnow()):
        return None
    return _("Judging of this round closed at %(time)s.",
             time=format_datetime(round_.deadline, contest.event.tz))


def check_can_score(user: User, entry: Entry, round_: ContestRound) -> None:
    if is_conflicted(user.id, entry):
        raise Conflicted()
    if not is_assigned(user.id, entry, round_):
        raise NotAssigned()


@dataclass
class ScoreSheet:
    """The judge's sheet for an entry in the current round, as the page shows it."""

    entry: Entry
    round: ContestRound
    score: Score | None
    values: dict  # the scores to show: the stored ones, unless the rubric changed since
    comment: str
    closed: str | None = None  # why the sheet is read-only (the round's judging is closed), else None


def load_sheet(entry: Entry, judge: User, *, now: datetime | None = None) -> ScoreSheet:
    """The judge's sheet for the entry in the current round; scores under an older rubric are not shown.
    A sheet of a closed round comes with the reason, and the page shows it read-only."""
    round_ = entry.contest.active_round
    score = db.session.scalar(db.select(Score).filter_by(round_id=round_.id, entry_id=entry.id,
                                                         user_id=judge.id))
    current = score is not None and score.criteria_version == round_.criteria_version
    return ScoreSheet(entry=entry, round=round_, score=score, values=dict(score.values) if current else {},
                      comment=score.comment if score else "", closed=closed_reason(entry.contest, now))


def clean_scores(round_: ContestRound, raw, *, complete: bool) -> dict[str, float]:
    """{key: number}; every criterion required when `complete`; 0 ≤ score ≤ max_score."""
    if not isinstance(raw, dict):
        raise ValidationError({"scores": [_("Enter an object.")]})
    criteria = {c.key: c for c in round_.criteria}
    errors: dict[str, list[str]] = {}
    values: dict[str, float] = {}
    for key in raw:
        if key not in criteria:
            errors[f"scores.{str(key)[:40]}"] = [_("This contest has no such criterion.")]
    for key, criterion in criteria.items():
        value = raw.get(key)
        field = f"scores.{key}"
        if value is None or value == "":
            if complete:
                errors[field] = [_("Score this criterion.")]
            continue
        if not valid_number(value):
            errors[field] = [_("Enter a number.")]
            continue
        value = float(value)
        if not 0 <= value <= criterion.max_score:
            errors[field] = [_("Enter a score from 0 to %(max)s.", max=_fmt(criterion.max_score))]
            continue
        values[key] = value
    if errors:
        raise ValidationError(errors)
    return values


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def save_scores(entry: Entry, judge: User, raw_scores, *, comment=None, submit: bool = True,
                now: datetime | None = None) -> Score:
    """Saves the judge's sheet: a draft (partial allowed) or submitted (every criterion)."""
    now = now or utcnow()
    contest = entry.contest
    round_ = contest.active_round
    lock_round(round_, shared=True)
    db.session.expire(round_)  # the rubric and deadline as they are now that no one can change them
    check_can_score(judge, entry, round_)
    if is_pairwise_round(contest, round_):  # an assignment left from before the contest became pairwise
        raise NotAssigned()
    if not judging_open(round_, now):
        raise JudgingClosed(closed_reason(contest, now))
    values = clean_scores(round_, raw_scores, complete=submit)
    if comment is not None and not isinstance(comment, str):
        raise ValidationError({"comment": [_("Enter text.")]})
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": [_("At most %(n)d characters.", n=MAX_COMMENT)]})
    status = ScoreStatus.submitted if submit else ScoreStatus.draft
    fields = {"values": values, "comment": comment, "status": status,
              "criteria_version": round_.criteria_version, "updated_at": now,
              "submitted_at": now if submit else None}
    where = {"round_id": round_.id, "entry_id": entry.id, "user_id": judge.id}
    score = db.session.scalar(db.select(Score).filter_by(**where).with_for_update())
    if score is None:
        try:
            with db.session.begin_nested():
                score = Score(created_at=now, **where, **fields)
                db.session.add(score)
        except IntegrityError:  # the same judge saved at the same moment: update their row
            score = db.session.scalar(db.select(Score).filter_by(**where).with_for_update())
    for key, value in fields.items():
        setattr(score, key, value)
    db.session.commit()
    return score


def sheet_total(round_: ContestRound, score: Score | None) -> float | None:
    if score is None or score.criteria_version != round_.criteria_version:
        return None
    criteria = [C(c.key, c.weight, c.max_score) for c in round_.criteria]
    if any(c.key not in score.values for c in criteria):
        return None
    value = total(criteria, score.values)
    return value if math.isfinite(value) else None
