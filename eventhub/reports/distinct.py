"""Distinct counts over a series (api.md "Organizations across the series"): each organization or person once.

The report's figures are sums over events: a startup that exhibits at three events of the year is three
exhibitors there. These count it once. An organization is its record (`organization_id`, the survivor
when it was merged, so a merge an organizer makes shows in the counts); a row not linked yet is known by
`organization_key`: its name's match key (diacritics, case and legal-form words such as "Công ty TNHH"
folded), or the account's e-mail when it gave no usable name.

Each count keeps the rule of the figure it stands beside (reports/figures.py, matchmaking/figures.py):
active exhibitor applications, investor profiles, startups with a meeting held, check-ins not undone on
the event's days. All four are read in ONE statement (UNION ALL, one snapshot, like the figures) plus
the small query for the events' dates, whatever the number of events or rows; names are folded here,
in Python, each distinct name once.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Integer, String, cast, func, literal, null, union_all
from sqlalchemy.orm import aliased

from ..accounts.models import User
from ..booths.models import Exhibitor
from ..checkin.days import on_event_days_of_ids
from ..checkin.models import CheckIn
from ..extensions import db
from ..matchmaking.models import Meeting, Profile, ProfileKind
from ..organizations.matching import name_key
from ..organizations.models import Organization
from ..registration.models import Registration

# api.md's keys, in the order the report shows them (each beside the figure of the same name).
DISTINCT = ("exhibitors", "investors", "projects_connected", "people_checked_in")


def organization_key(name: str | None, email: str | None) -> tuple[str, str]:
    """Who an organization is, for counting it once: its name's match key; the e-mail (lowercased)
    when there is no name to fold (empty, or punctuation only)."""
    key = name_key(name or "")
    if key[1]:
        return key
    return ("email", (email or "").strip().lower())


def _survivor(column):
    """The row's organization id, or the one it was merged into (merges re-point, so one hop is all)."""
    org = aliased(Organization)
    return org, func.coalesce(org.merged_into_id, column)


def _statement(ids: list[int]):
    """(figure, organization id, name, e-mail) rows of the four counts, each part already distinct."""
    no_name, no_org = cast(null(), String(200)), cast(null(), Integer)
    org, org_id = _survivor(Exhibitor.organization_id)
    exhibitors = (db.select(literal("exhibitors").label("figure"), org_id.label("org"),
                            Exhibitor.organization.label("name"), Exhibitor.contact_email.label("email"))
                  .outerjoin(org, org.id == Exhibitor.organization_id)
                  .where(Exhibitor.event_id.in_(ids), Exhibitor.status.in_(list(Exhibitor.ACTIVE_STATUSES))))
    org, org_id = _survivor(Profile.organization_id)
    investors = (db.select(literal("investors"), org_id, Profile.organization, User.email)
                 .join(User, User.id == Profile.user_id).outerjoin(org, org.id == Profile.organization_id)
                 .where(Profile.event_id.in_(ids), Profile.kind == ProfileKind.investor))
    org, org_id = _survivor(Profile.organization_id)
    connected = (db.select(literal("projects_connected"), org_id, Profile.organization, User.email)
                 .join(User, User.id == Profile.user_id).outerjoin(org, org.id == Profile.organization_id)
                 .where(Profile.id.in_(db.select(Meeting.startup_profile_id)
                                       .where(Meeting.event_id.in_(ids), Meeting.held))))
    people = (db.select(literal("people_checked_in"), no_org, no_name, Registration.email)
              .join(CheckIn, CheckIn.registration_id == Registration.id)
              .where(CheckIn.event_id.in_(ids), CheckIn.undone_at.is_(None), on_event_days_of_ids(ids)))
    return union_all(*(part.distinct() for part in (exhibitors, investors, connected, people)))


def distinct_figures(event_ids: Iterable[int]) -> dict[str, int]:
    """{"exhibitors", "investors", "projects_connected", "people_checked_in"}: each organization or
    person counted once over the events `event_ids`."""
    ids = list(dict.fromkeys(event_ids))
    seen: dict[str, set] = {name: set() for name in DISTINCT}
    if ids:
        for figure, org_id, name, email in db.session.execute(_statement(ids)):
            if figure == "people_checked_in":
                seen[figure].add((email or "").strip().lower())
            elif org_id is not None:
                seen[figure].add(("org", org_id))
            else:
                seen[figure].add(organization_key(name, email))
    return {name: len(keys) for name, keys in seen.items()}
