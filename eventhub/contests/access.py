"""Who is on which side of an entry: team, panel, assignments, conflicts. Plain queries, no commits."""

from __future__ import annotations

from ..extensions import db
from .models import (
    Assignment,
    Conflict,
    ConflictStatus,
    Contest,
    ContestJudge,
    ContestRound,
    Entry,
    EntryMember,
    EntryStatus,
    RoundEntry,
    RoundJudge,
)


def lock_round(round_: ContestRound, *, shared: bool = False) -> None:
    """A lock on the round, held until the commit. Saving a sheet takes
    it shared; assigning, editing the rubric and adding or deciding conflicts take it exclusive – so a
    sheet is never saved against an assignment, rubric or conflict that is being replaced, and an
    assignment is never computed from conflicts that are being added.

    SQLite has no row locks and reads outside a transaction until the first write: a no-op UPDATE
    takes its single write lock there, after which every read sees what others committed."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(db.update(ContestRound).where(ContestRound.id == round_.id)
                           .values(number=ContestRound.number))
        return
    db.session.execute(db.select(ContestRound.id).where(ContestRound.id == round_.id)
                       .with_for_update(read=shared))


def round_entry_ids(round_: ContestRound) -> list[int]:
    """The entries judged in a round: every active entry in round 1, the promoted ones later."""
    query = db.select(Entry.id).where(Entry.contest_id == round_.contest_id,
                                      Entry.status == EntryStatus.submitted)
    if round_.number > 1:
        query = query.join(RoundEntry, RoundEntry.entry_id == Entry.id).where(
            RoundEntry.round_id == round_.id)
    return list(db.session.scalars(query.order_by(Entry.id)))


def round_judge_ids(round_: ContestRound) -> list[int]:
    if round_.number == 1:
        query = db.select(ContestJudge.user_id).where(ContestJudge.contest_id == round_.contest_id)
    else:
        query = db.select(RoundJudge.user_id).where(RoundJudge.round_id == round_.id)
    return sorted(db.session.scalars(query))


def blocked_pairs(contest: Contest) -> set[tuple[int, int]]:
    """(entry_id, user_id) of every conflict that keeps a judge away: the confirmed ones (declared,
    set by an organizer, or detected and then confirmed). A pending detected one does not (see
    Conflict.blocks)."""
    rows = db.session.execute(db.select(Conflict.entry_id, Conflict.user_id).where(
        Conflict.contest_id == contest.id, Conflict.status == ConflictStatus.confirmed))
    return {(e, u) for e, u in rows}


def is_conflicted(user_id: int, entry: Entry) -> bool:
    return entry.is_conflicted_with(user_id)


def is_contest_judge(user, contest: Contest) -> bool:
    return contest.has_judge(user)


def is_assigned(user_id: int, entry: Entry, round_: ContestRound | None = None) -> bool:
    return entry.is_assigned_to(user_id, round_)


def is_team_member(user, entry: Entry) -> bool:
    return entry.has_member(user)


def entries_of_user(user) -> list[Entry]:
    """The entries the person is on the team of, newest first."""
    mine = db.select(EntryMember.entry_id).where(
        EntryMember.user_id == user.id, EntryMember.accepted_at.is_not(None))
    return list(db.session.scalars(db.select(Entry).where(Entry.id.in_(mine)).order_by(Entry.id.desc())))


def assigned_entry_ids(user_id: int, round_: ContestRound) -> list[int]:
    return list(db.session.scalars(db.select(Assignment.entry_id).where(
        Assignment.round_id == round_.id, Assignment.user_id == user_id)))
