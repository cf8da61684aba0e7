"""Entries that left a judge's reach while the judge walked to them (pairwise judging, issue 20): withdrawn
since, or with a conflict of interest confirmed or a team membership accepted since. The walk chose only
allowed entries when it sent the judge, so a vote or a skip is checked again when it arrives (under the
contest's lock, floor_judging.py), and the walk is repaired so that the judge is sent elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ..errors import ValidationError
from ..extensions import db
from .errors import Conflicted
from .floor_models import PairwiseVisit, PairwiseWalk, VisitOutcome
from .floor_state import excluded_ids
from .models import Contest, Entry, EntryStatus


@dataclass(frozen=True)
class OutOfReach:
    withdrawn: frozenset[int]  # no longer active entries of the contest
    excluded: frozenset[int]  # a confirmed conflict, or the judge's own team

    @property
    def ids(self) -> frozenset[int]:
        return self.withdrawn | self.excluded


def out_of_reach(contest: Contest, user, entry_ids) -> OutOfReach:
    """Which of these entries (ids of this contest's entries) the judge may no longer compare, read now."""
    ids = {i for i in entry_ids if i is not None}
    if not ids:
        return OutOfReach(frozenset(), frozenset())
    active = set(db.session.scalars(db.select(Entry.id).where(
        Entry.id.in_(ids), Entry.contest_id == contest.id, Entry.status == EntryStatus.submitted)))
    return OutOfReach(frozenset(ids - active), frozenset(excluded_ids(contest, user) & ids))


def leave_walk(walk: PairwiseWalk, gone: frozenset[int], now: datetime, *, at_current: bool) -> None:
    """The entries in `gone` leave the walk. A current one: the judge is sent elsewhere, compared with the
    same previous entry. A previous one: nothing to compare the current entry with. `at_current` (the judge
    voted on it): they have seen it, so it becomes the one the next booth is compared with – a fresh pair,
    as GET /next does with a first entry seen; else it stays their first entry of a new pair."""
    if walk.current_entry_id in gone:
        walk.current_entry_id = None
    if walk.previous_entry_id in gone:
        walk.previous_entry_id = None
        if walk.current_entry_id is not None and at_current:
            db.session.add(PairwiseVisit(contest_id=walk.contest_id, user_id=walk.user_id,
                                         entry_id=walk.current_entry_id, outcome=VisitOutcome.seen,
                                         created_at=now))
            walk.previous_entry_id, walk.current_entry_id = walk.current_entry_id, None
    walk.updated_at = now


def recheck(contest: Contest, user, walk: PairwiseWalk, named: dict[str, int], now: datetime, *,
            refuse: bool = True) -> bool:
    """Entries withdrawn, or put out of the judge's reach (a conflict, their team) since the judge was sent
    there, leave the walk. When the call names one, that is committed (the next GET /next sends the judge
    elsewhere) and True returned – or, `refuse` (a vote), the vote does not count: 403 for a conflict or
    team, 422 naming the field for a withdrawn entry. Else the caller goes on under the lock."""
    gone = out_of_reach(contest, user, {*named.values(), walk.previous_entry_id, walk.current_entry_id})
    if not gone.ids:
        return False
    leave_walk(walk, gone.ids, now, at_current=refuse and walk.current_entry_id in named.values())
    hit = [name for name, value in named.items() if value in gone.ids]
    if not hit:
        return False
    db.session.commit()
    if not refuse:
        return True
    if any(named[name] in gone.excluded for name in hit):
        raise Conflicted()
    raise ValidationError({name: [_("This entry was withdrawn.")] for name in hit})
