"""The matchmaking figures of the summary report (api.md "Summary report"), computed from the data.

Read-only queries; the report reads them and nothing else of this package.
"""

from __future__ import annotations

from sqlalchemy import func

from ..extensions import db
from .models import FollowUp, Meeting, Profile, ProfileKind


def investor_count(event_id: int) -> int:
    """The event's investor profiles."""
    return db.session.scalar(db.select(func.count(Profile.id)).where(
        Profile.event_id == event_id, Profile.kind == ProfileKind.investor)) or 0


def meetings_held(event_id: int) -> int:
    """Meetings marked held by either side, each counted once (cancelled meetings never count)."""
    return db.session.scalar(db.select(func.count(Meeting.id)).where(
        Meeting.event_id == event_id, Meeting.held)) or 0


def projects_connected(event_id: int) -> int:
    """Startups with at least one meeting held."""
    return db.session.scalar(db.select(func.count(func.distinct(Meeting.startup_profile_id))).where(
        Meeting.event_id == event_id, Meeting.held)) or 0


def outcome_counts(event_id: int) -> dict[str, int]:
    """Held meetings by follow-up stage: {"follow_up": n, …, "none": meetings held without a stage}."""
    counts = {stage.value: 0 for stage in FollowUp}
    counts["none"] = 0
    rows = db.session.execute(db.select(Meeting.stage, func.count(Meeting.id)).where(
        Meeting.event_id == event_id, Meeting.held).group_by(Meeting.stage))
    for stage, count in rows:
        counts[stage.value if stage else "none"] = count
    return counts
