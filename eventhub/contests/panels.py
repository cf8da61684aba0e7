"""What contests shows on other features' pages and menus, its data loaded here so templates run no query."""

from __future__ import annotations

from flask import g
from sqlalchemy import bindparam

from .. import permissions
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
_SHOWN_CONTESTS = (db.select(_contests.id, _contests.name, _contests.published_at.is_not(None))
                   .where(_contests.event_id == bindparam("event_id"))
                   .order_by(_contests.id))  # built once: plain rows, no objects


def event_page_key(event, user) -> tuple:
    """Everything the contests section shows (eventhub.fragments), in one lean query: each contest's name
    and whether its results are out; whether this visitor may manage them, as a flag."""
    rows = db.session.execute(_SHOWN_CONTESTS, {"event_id": event.id}).all()
    may_manage = permissions.can_manage_event(user, event)
    return (event.id, event.slug, may_manage, tuple(tuple(row) for row in rows))


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
