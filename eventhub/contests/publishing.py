"""The outcome organizers decide: publishing the results (and taking them back) and the award levels."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import ValidationError
from ..extensions import db
from .models import AwardLevel, Contest, Entry


def publish(contest: Contest, *, actor=None, now: datetime | None = None) -> Contest:
    """Makes the results public (once: publishing again changes nothing)."""
    if contest.published_at is None:
        contest.published_at = now or utcnow()
        record("contest.published", contest, actor=actor, event=contest.event)
        db.session.commit()
    return contest


def unpublish(contest: Contest, *, actor=None) -> Contest:
    """Takes the results back from the public (needed before the rubric may change in meaning)."""
    contest.published_at = None
    record("contest.unpublished", contest, actor=actor, event=contest.event)
    db.session.commit()
    return contest


def set_award(entry: Entry, level: str | None, *, actor=None) -> Entry:
    """Sets the entry's award level (first, second, third, consolation), or clears it with None or ""."""
    if level in (None, ""):
        entry.award_level = None
    elif isinstance(level, str) and level in {a.value for a in AwardLevel}:
        entry.award_level = AwardLevel(level)
    else:
        raise ValidationError({"award_level": [_("Choose one of: %(choices)s",
                                                 choices="first, second, third, consolation")]})
    record("contest.award", entry, actor=actor, event=entry.contest.event,
           changes={"award_level": entry.award_level})
    db.session.commit()
    return entry


def set_awards(contest: Contest, levels: dict[int, str | None], *, actor=None) -> None:
    """Several entries' award levels at once (the results page); all or nothing."""
    allowed = {a.value for a in AwardLevel}
    if any(not isinstance(level, str) or level not in allowed for level in levels.values() if level):
        raise ValidationError({"award_level": [_("Choose one of: %(choices)s",
                                                 choices="first, second, third, consolation")]})
    entries = db.session.scalars(db.select(Entry).where(Entry.contest_id == contest.id,
                                                        Entry.id.in_(list(levels)))).all()
    changed = {}
    for entry in entries:
        new = AwardLevel(levels[entry.id]) if levels[entry.id] else None
        if entry.award_level != new:
            entry.award_level = new
            changed[entry.id] = new
    if changed:
        record("contest.awards", contest, actor=actor, event=contest.event, changes={"awards": changed})
    db.session.commit()
