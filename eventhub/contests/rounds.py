"""Rounds after the first: the next round opens with the top N of the current results or hand-picked
entries, a panel (the current one unless chosen) and a rubric (the current one unless given)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from ..accounts.models import User
from ..audit.services import record
from ..errors import Conflict, ValidationError
from ..extensions import db
from ..validation import FieldErrors
from . import floor_judging, floor_results
from .access import lock_round, round_entry_ids, round_judge_ids
from .models import Contest, ContestJudge, ContestRound, RoundEntry, RoundJudge
from .results import contest_results
from .setup import clean_criteria, criterion_row


def judge_ids_by_email(emails) -> list[int]:
    """The accounts a list of e-mail addresses names (any case); 422 when it names none."""
    wanted = [e.lower() for e in (emails if isinstance(emails, list) else []) if isinstance(e, str)]
    judge_ids = list(db.session.scalars(db.select(User.id).where(db.func.lower(User.email).in_(wanted))))
    if not judge_ids:
        raise ValidationError({"judge_emails": [_("Choose judges of this contest.")]})
    return judge_ids


def ranked_ids(contest: Contest, round_: ContestRound) -> list[int]:
    """The round's ranked entries, best first: the pairwise ranking of a round judged on the floor, else
    the rubric's; entries without a rank (no score, no vote) are left out."""
    if floor_judging.is_pairwise_round(contest, round_):
        return [row.entry_id for row in floor_results.pairwise_report(contest).rows if row.rank is not None]
    return [r.entry_id for r in contest_results(contest, round_).results if r.rank is not None]


def promote(contest: Contest, *, top_n: int | None = None, entry_ids: list[int] | None = None,
            judge_ids: list[int] | None = None, criteria=None, judges_per_entry: int | None = None,
            deadline: datetime | None = None, name: str | None = None, after_round: int | None = None,
            actor=None) -> ContestRound:
    """Opens the next round with the top N of the current results or a hand-picked set of entries.

    `after_round` is the round the organizer was looking at: when another organizer has opened the next
    one meanwhile, the request is refused instead of opening yet another round with the same entries."""
    current = contest.active_round
    if after_round is not None and after_round != current.number:
        raise Conflict(_("Another round was opened in the meantime."), code="round_changed")
    errors = FieldErrors()
    cleaned = clean_criteria(criteria, errors) if criteria is not None else [
        {"key": c.key, "name": c.name, "description": c.description, "weight": c.weight,
         "max_score": c.max_score} for c in current.criteria]
    if not cleaned and not errors.fields:
        # a pairwise first round may have no rubric; the round after it (the pitch final) is scored with one
        errors.add("criteria", _("Give the next round at least one criterion: its judges score a rubric."))
    errors.raise_if_any()
    if entry_ids is None:
        if not isinstance(top_n, int) or top_n < 1:
            raise ValidationError({"top_n": [_("Enter a whole number from 1.")]})
        entry_ids = ranked_ids(contest, current)[:top_n]
    allowed = set(round_entry_ids(current))
    if not entry_ids or any(e not in allowed for e in entry_ids):
        raise ValidationError({"entry_ids": [_("Choose entries of the current round.")]})
    judges = judge_ids if judge_ids is not None else round_judge_ids(current)
    contest_judges = set(db.session.scalars(db.select(ContestJudge.user_id).filter_by(contest_id=contest.id)))
    if any(j not in contest_judges for j in judges):
        raise ValidationError({"judge_ids": [_("Choose judges of this contest.")]})
    lock_round(current)
    # the column itself, read after the lock: an ORM select would hand back the stale loaded Contest
    fresh = db.session.scalar(db.select(Contest.current_round).where(Contest.id == contest.id)
                              .with_for_update())
    if fresh != current.number or (after_round is not None and after_round != fresh):
        raise Conflict(_("Another round was opened in the meantime."), code="round_changed")
    new = ContestRound(number=current.number + 1,
                       name=name or _("Round %(n)d", n=current.number + 1),
                       judges_per_entry=judges_per_entry or current.judges_per_entry,
                       deadline=deadline, criteria_version=1)
    contest.rounds.append(new)
    for position, item in enumerate(cleaned):
        new.all_criteria.append(criterion_row(1, position, item))
    db.session.flush()
    for entry_id in dict.fromkeys(entry_ids):
        db.session.add(RoundEntry(round_id=new.id, entry_id=entry_id))
    for judge_id in dict.fromkeys(judges):
        db.session.add(RoundJudge(round_id=new.id, user_id=judge_id))
    contest.current_round = new.number
    record("contest.promoted", contest, actor=actor, event=contest.event,
           changes={"round": new.number, "entries": list(entry_ids)})
    db.session.commit()
    return new
