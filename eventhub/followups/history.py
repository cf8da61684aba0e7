"""Organizations' histories (hooks.add_organization_records): what each side reported after a meeting
or an award – "Pilot reported 90 days after the meeting with X". The events themselves are told by the
features that hold the meetings and entries, so `events` adds none."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy.orm import aliased

from ..contests.models import Entry
from ..extensions import db
from ..hooks import HistoryItem
from ..matchmaking.models import Meeting, Profile
from .models import OutcomeFollowUp


def events(org_ids: list[int]) -> dict[int, set[int]]:
    return {}


def _rank(followup: OutcomeFollowUp) -> int:
    """How far it went: an investment, then a pilot, then a follow-up meeting."""
    return 3 if followup.investment else 2 if followup.pilot else 1


def _what(followup: OutcomeFollowUp) -> str:
    return {3: _("Investment"), 2: _("Pilot"), 1: _("Follow-up meeting")}[_rank(followup)]


def _furthest(rows):
    """One answer per (what it is about, days, organization): both sides of a meeting, or every member of
    a team, answer the same question; the history says once how far it went."""
    best: dict = {}
    for key, followup, *rest in rows:
        kept = best.get(key)
        if kept is None or _rank(followup) > _rank(kept[0]):
            best[key] = (followup, *rest)
    return best.values()


def history(org_ids: list[int]) -> list[HistoryItem]:
    """One item per answer that reported something, for the organizations on either side (two queries)."""
    if not org_ids:
        return []
    investor, startup = aliased(Profile), aliased(Profile)
    reported = or_(OutcomeFollowUp.pilot, OutcomeFollowUp.investment, OutcomeFollowUp.follow_up_meeting)
    meetings = db.session.execute(
        db.select(OutcomeFollowUp, investor, startup)
        .join(Meeting, Meeting.id == OutcomeFollowUp.meeting_id)
        .join(investor, investor.id == Meeting.investor_profile_id)
        .join(startup, startup.id == Meeting.startup_profile_id)
        .where(reported, or_(investor.organization_id.in_(org_ids),
                             startup.organization_id.in_(org_ids)))).all()
    items = []
    sides = [((followup.meeting_id, followup.days, mine.organization_id), followup, other)
             for followup, inv, start in meetings
             for mine, other in ((inv, start), (start, inv)) if mine.organization_id in org_ids]
    for followup, other in _furthest(sides):
        text = _("%(what)s reported %(days)d days after the meeting with %(other)s",
                 what=_what(followup), days=followup.days, other=other.organization)
        items.append(HistoryItem(followup.event_id, followup.answered_at or followup.asked_at, "outcome",
                                 text))
    awards = db.session.execute(
        db.select(OutcomeFollowUp, Entry).join(Entry, Entry.id == OutcomeFollowUp.entry_id)
        .where(reported, Entry.organization_id.in_(org_ids))).all()
    for followup, entry in _furthest(((f.entry_id, f.days), f, e) for f, e in awards):
        items.append(HistoryItem(followup.event_id, followup.answered_at or followup.asked_at, "outcome",
                                 _("%(what)s reported %(days)d days after the award to “%(title)s”",
                                   what=_what(followup), days=followup.days, title=entry.title)))
    return items
