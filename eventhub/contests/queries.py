"""The lists the pages and the API show: an event's contests, a contest's entries. Plain reads, no commits.

Each comes as a statement too, for the API's pagination, and as a list for the pages.
"""

from __future__ import annotations

from sqlalchemy import Select

from ..extensions import db
from .models import Contest, Entry


def contests_query(event) -> Select:
    """The event's contests, oldest first."""
    return db.select(Contest).where(Contest.event_id == event.id).order_by(Contest.id)


def contests_of(event) -> list[Contest]:
    """The event's contests, oldest first."""
    return list(db.session.scalars(contests_query(event)))


def entries_query(contest: Contest) -> Select:
    """Every entry of the contest, withdrawn ones too, oldest first."""
    return db.select(Entry).where(Entry.contest_id == contest.id).order_by(Entry.id)


def entries_of(contest: Contest) -> list[Entry]:
    """Every entry of the contest, withdrawn ones too, oldest first."""
    return list(db.session.scalars(entries_query(contest)))
