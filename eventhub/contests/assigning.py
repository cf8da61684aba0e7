"""Assigning judges to entries: the whole round by min-cost flow, or one pair by hand."""

from __future__ import annotations

from flask_babel import gettext as _

from ..accounts.models import User
from ..audit.services import record
from ..dbtypes import MAX_ID
from ..errors import Conflict as StateConflict
from ..errors import ValidationError
from ..extensions import db
from .access import blocked_pairs, lock_round, round_entry_ids, round_judge_ids
from .assignment import AssignmentInfeasible, assign
from .errors import AssignmentInfeasibleError, PairwiseContest, ScoringStarted
from .floor_judging import is_pairwise_round
from .models import Assignment, Contest, ContestRound, Entry, Score


def infeasible_message(exc: AssignmentInfeasible) -> str:
    p = exc.params
    if exc.kind == "no_entries":
        return _("There are no entries to assign.")
    if exc.kind == "not_enough_judges":
        return _("Not enough judges: %(judges)d judges, %(needed)d needed for each entry.",
                 judges=p["judges"], needed=p["needed"])
    if exc.kind == "entry_short":
        title = db.session.scalar(db.select(Entry.title).where(Entry.id == p["entry"])) or ""
        return _("Entry %(id)d (%(title)s) has only %(available)d unconflicted judges, needs %(needed)d.",
                 id=p["entry"], title=title, available=p["available"], needed=p["needed"])
    return _("The conflicts of interest leave no way to give every entry its judges with even loads.")


def run_assignment(contest: Contest, *, actor=None, round_: ContestRound | None = None,
                   seed: int | None = None) -> list[Assignment]:
    """Replaces the round's assignments. Refused (409) once any judge has saved a score in the round."""
    round_ = round_ or contest.active_round
    if is_pairwise_round(contest, round_):  # judged on the floor: nobody is assigned (its final is)
        raise PairwiseContest()
    lock_round(round_)
    if db.session.scalar(db.select(Score.id).where(Score.round_id == round_.id).limit(1)) is not None:
        raise ScoringStarted()
    entries = round_entry_ids(round_)
    judges = round_judge_ids(round_)
    try:
        pairs = assign(entries, judges, round_.judges_per_entry, blocked_pairs(contest),
                       seed=seed if seed is not None else contest.id * 1000 + round_.number)
    except AssignmentInfeasible as exc:
        raise AssignmentInfeasibleError(infeasible_message(exc)) from exc
    db.session.execute(db.delete(Assignment).where(Assignment.round_id == round_.id))
    made = [Assignment(round_id=round_.id, entry_id=e, user_id=j) for e, j in pairs]
    db.session.add_all(made)
    record("contest.assigned", contest, actor=actor, event=contest.event,
           changes={"round": round_.number, "pairs": len(made)})
    db.session.commit()
    return made


def find_pair(contest: Contest, entry_id: int, judge_id: int) -> tuple[Entry, User]:
    """The entry of this contest and the account a form names by id (0 names nothing), else 422."""
    entry = db.session.get(Entry, entry_id) if entry_id else None
    judge = db.session.get(User, judge_id) if judge_id else None
    if judge is None or entry is None or entry.contest_id != contest.id:
        raise ValidationError({"entry_id": [_("Choose an entry and a judge of this contest.")]})
    return entry, judge


def find_pair_by_email(contest: Contest, entry_id, judge_email) -> tuple[Entry, User]:
    """The entry of this contest and the account an API body names by e-mail, else 422 for the field."""
    ok = isinstance(entry_id, int) and not isinstance(entry_id, bool) and 1 <= entry_id <= MAX_ID
    entry = db.session.get(Entry, entry_id) if ok else None
    if entry is None or entry.contest_id != contest.id:
        raise ValidationError({"entry_id": [_("This contest has no such entry.")]})
    judge = None
    if isinstance(judge_email, str):
        email = judge_email.strip().lower()
        judge = db.session.scalar(db.select(User).where(db.func.lower(User.email) == email))
    if judge is None:
        raise ValidationError({"judge_email": [_("No account has this e-mail address.")]})
    return entry, judge


def add_assignment(contest: Contest, entry: Entry, judge: User, *, actor=None) -> Assignment:
    round_ = contest.active_round
    if is_pairwise_round(contest, round_):
        raise PairwiseContest()
    lock_round(round_)  # against a conflict being added, and the same pair added twice at once
    if entry.contest_id != contest.id or entry.id not in round_entry_ids(round_):
        raise ValidationError({"entry_id": [_("This entry is not in the current round.")]})
    if judge.id not in round_judge_ids(round_):
        raise ValidationError({"judge_email": [_("This person is not a judge of this round.")]})
    if (entry.id, judge.id) in blocked_pairs(contest):
        raise StateConflict(_("This judge has a conflict of interest with this entry."),
                            code="conflict_of_interest")
    existing = db.session.scalar(db.select(Assignment).filter_by(round_id=round_.id, entry_id=entry.id,
                                                                 user_id=judge.id))
    if existing is not None:
        return existing
    assignment = Assignment(round_id=round_.id, entry_id=entry.id, user_id=judge.id)
    db.session.add(assignment)
    record("contest.assignment_added", contest, actor=actor, event=contest.event,
           changes={"entry_id": entry.id, "user_id": judge.id})  # by number: erasure leaves no address
    db.session.commit()
    return assignment


def remove_assignment(contest: Contest, entry: Entry, judge_id: int, *, actor=None) -> None:
    round_ = contest.active_round
    db.session.execute(db.delete(Assignment).where(Assignment.round_id == round_.id,
                                                   Assignment.entry_id == entry.id,
                                                   Assignment.user_id == judge_id))
    record("contest.assignment_removed", contest, actor=actor, event=contest.event,
           changes={"entry_id": entry.id, "user_id": judge_id})
    db.session.commit()


def round_assignments(round_: ContestRound) -> list[tuple[int, int, str]]:
    """(entry_id, user_id, judge e-mail) of the round, by entry."""
    return list(db.session.execute(
        db.select(Assignment.entry_id, Assignment.user_id, User.email)
        .join(User, User.id == Assignment.user_id)
        .where(Assignment.round_id == round_.id).order_by(Assignment.entry_id, User.email)).tuples())
