"""What matchmaking knows of organizations across the series (hooks.add_organization_records): the events
where they had a profile; a line for the profile, one for the meetings held (how many, with whom) and one
per outcome a meeting reached ("Term sheet with Quỹ Mekong").

Two queries whatever the number of organizations: the profiles, then their held meetings with the other
side's organization."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_
from sqlalchemy.orm import aliased

from ..events.models import Event
from ..extensions import db
from ..hooks import HistoryItem, events_by_organization
from ..urls import page_path
from .labels import FOLLOW_UPS
from .models import Meeting, Profile, ProfileKind


def events(org_ids: list[int]) -> dict[int, set[int]]:
    """{organization id: events where it has an investor or startup profile}."""
    if not org_ids:
        return {}
    return events_by_organization(db.session.execute(
        db.select(Profile.organization_id, Profile.event_id).where(Profile.organization_id.in_(org_ids))
        .distinct()))


def history(org_ids: list[int]) -> list[HistoryItem]:
    """The profile, the meetings held and the outcomes reported, per profile of these organizations."""
    if not org_ids:
        return []
    profiles = db.session.execute(
        db.select(Profile.id, Profile.kind, Profile.created_at, Profile.event_id, Event.slug)
        .join(Event, Event.id == Profile.event_id).where(Profile.organization_id.in_(org_ids))
        .order_by(Profile.id)).all()
    meetings = _held_meetings([p.id for p in profiles])
    items = []
    for profile in profiles:
        url = page_path("matchmaking_admin.meetings", slug=profile.slug)
        text = (_("Investor profile in the matchmaking") if profile.kind == ProfileKind.investor
                else _("Startup profile in the matchmaking"))
        items.append(HistoryItem(profile.event_id, profile.created_at, "profile", text, url))
        held = meetings.get(profile.id, [])
        if not held:
            continue
        others = sorted({other for _at, other, _stage in held})
        items.append(HistoryItem(
            profile.event_id, max(at for at, _o, _s in held), "meeting",
            ngettext("%(num)d meeting held, with %(names)s", "%(num)d meetings held, with %(names)s",
                     len(held), names=", ".join(others)), url))
        for at, other, stage in held:
            if stage is not None:
                items.append(HistoryItem(
                    profile.event_id, at, "outcome",
                    _("Outcome reported with %(name)s: %(stage)s", name=other, stage=FOLLOW_UPS[stage]), url))
    return items


def _held_meetings(profile_ids: list[int]) -> dict[int, list[tuple]]:
    """{profile id: [(ends at, the other side's organization, outcome stage or None)]} of held meetings."""
    found: dict[int, list[tuple]] = {}
    if not profile_ids:
        return found
    investor, startup = aliased(Profile), aliased(Profile)
    rows = db.session.execute(
        db.select(Meeting.investor_profile_id, Meeting.startup_profile_id, Meeting.ends_at, Meeting.stage,
                  investor.organization.label("investor_org"), startup.organization.label("startup_org"))
        .join(investor, investor.id == Meeting.investor_profile_id)
        .join(startup, startup.id == Meeting.startup_profile_id)
        .where(Meeting.held, or_(Meeting.investor_profile_id.in_(profile_ids),
                                 Meeting.startup_profile_id.in_(profile_ids)))
        .order_by(Meeting.ends_at, Meeting.id))
    wanted = set(profile_ids)
    for row in rows:
        stage = row.stage.value if row.stage else None
        if row.investor_profile_id in wanted:
            found.setdefault(row.investor_profile_id, []).append((row.ends_at, row.startup_org, stage))
        if row.startup_profile_id in wanted:
            found.setdefault(row.startup_profile_id, []).append((row.ends_at, row.investor_org, stage))
    return found
