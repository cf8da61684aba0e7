"""What contests shows on other features' pages and menus, its data loaded here so templates run no query."""

from __future__ import annotations

from flask import g

from .. import fragments, permissions
from ..extensions import db
from . import voting
from .models import Contest, ContestJudge


def event_page(event, user) -> dict | None:
    """The event's contests; its organizers also see the section with none yet, to set one up."""
    contests = list(db.session.scalars(
        db.select(Contest).where(Contest.event_id == event.id).order_by(Contest.id)))
    may_manage = permissions.can_manage_event(user, event)
    if not contests and not may_manage:
        return None
    return {"event": event, "contests": contests, "may_manage": may_manage}


_contests = Contest.__table__.c


def event_page_key_data(event_id) -> tuple:
    """What the contests section shows that is stored, as SQL of the event's id (hooks.Panel.key_data):
    each contest's id and name, and whether its results are out."""
    return (db.select(fragments.json_rows(_contests.id, _contests.name, _contests.published_at.is_not(None),
                                          order_by=(_contests.id,)))
            .where(_contests.event_id == event_id).scalar_subquery(),)


def event_page_key(event, user, data: tuple) -> tuple:
    """Everything the contests section shows (eventhub.fragments): `data` (event_page_key_data's values)
    and whether this visitor may manage them, as a flag."""
    return (event.id, event.slug, permissions.can_manage_event(user, event), data[0])


def vote_link(reg, token) -> dict | None:
    """The people's choice link, where the registrant's event has a contest with a vote."""
    return {"token": token} if voting.votable_contests(reg) else None


def judges_any_contest(user) -> bool:
    """For the main menu: is this person a judge of any contest (one EXISTS query, once a request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = g.setdefault("judges_any_contest", {})
    if user.id not in known:
        known[user.id] = bool(db.session.scalar(
            db.select(db.exists().where(ContestJudge.user_id == user.id))))
    return known[user.id]
