"""Who may call the contest API, settled before any body is read: 401 without a token, 404 for an
unknown id, 403 for the wrong person – whatever the body holds. Also the blind-aware entry view."""

from __future__ import annotations

from functools import wraps

from flask import url_for
from flask_babel import gettext as _

from .. import permissions
from ..accounts.models import User
from ..contests import judging
from ..contests.access import is_team_member
from ..contests.models import Conflict, Contest, Entry
from ..errors import Forbidden
from .access import get_or_404
from .auth import require, require_user
from .contest_schemas import entry_view


def _contest(contest_id: int) -> Contest:
    return get_or_404(Contest, contest_id, code="contest_not_found", message=_("There is no such contest."))


def _entry(entry_id: int) -> Entry:
    return get_or_404(Entry, entry_id, code="entry_not_found", message=_("There is no such entry."))


def _managed(contest_id: int) -> tuple[Contest, User]:
    require_user()
    contest = _contest(contest_id)
    return contest, require(permissions.can_manage_contest, contest)


def _blind_for(user, entry: Entry) -> bool:
    return entry.contest.blind and not (permissions.can_manage_contest(user, entry.contest)
                                        or is_team_member(user, entry))


def _entry_for(user, entry: Entry) -> dict:
    view = entry_view(entry, blind=_blind_for(user, entry),
                      deck_url=url_for("api_contests.get_deck", id=entry.id))
    if permissions.can_manage_contest(user, entry.contest):
        view["booth"] = entry.booth_code  # where it is shown on the floor (pairwise judging)
    return view


# Who may call is settled before the body is read: 401 without a token, 404 for an unknown id,
# 403 for the wrong person – whatever the body holds.

def managed_contest(view):
    """`contest` and `user` for an organizer of the contest's event."""
    @wraps(view)
    def wrapper(*args, id, **kwargs):
        contest, user = _managed(id)
        return view(*args, contest=contest, user=user, **kwargs)
    return wrapper


def judge_or_manager_contest(view):
    @wraps(view)
    def wrapper(*args, id, **kwargs):
        user = require_user()
        contest = _contest(id)
        if not (permissions.can_manage_contest(user, contest)
                or permissions.can_judge_contest(user, contest)):
            raise Forbidden()
        return view(*args, contest=contest, user=user, **kwargs)
    return wrapper


def signed_in_contest(view):
    @wraps(view)
    def wrapper(*args, id, **kwargs):
        user = require_user()
        return view(*args, contest=_contest(id), user=user, **kwargs)
    return wrapper


def managed_entry(view):
    @wraps(view)
    def wrapper(*args, id, **kwargs):
        require_user()
        entry = _entry(id)
        return view(*args, entry=entry, user=require(permissions.can_manage_contest, entry.contest), **kwargs)
    return wrapper


def team_or_manager_entry(view):
    @wraps(view)
    def wrapper(*args, id, **kwargs):
        user = require_user()
        entry = _entry(id)
        if not (is_team_member(user, entry) or permissions.can_manage_contest(user, entry.contest)):
            raise Forbidden()
        return view(*args, entry=entry, user=user, **kwargs)
    return wrapper


def scorable_entry(view):
    """The judge assigned to the entry in the current round, without a conflict (else 403)."""
    @wraps(view)
    def wrapper(*args, id, **kwargs):
        user = require_user()
        entry = _entry(id)
        judging.check_can_score(user, entry, entry.contest.active_round)
        return view(*args, entry=entry, user=user, **kwargs)
    return wrapper


def managed_conflict(view):
    @wraps(view)
    def wrapper(*args, id, **kwargs):
        require_user()
        conflict = get_or_404(Conflict, id, code="conflict_not_found",
                              message=_("There is no such conflict of interest."))
        user = require(permissions.can_manage_contest, conflict.entry.contest)
        return view(*args, conflict=conflict, user=user, **kwargs)
    return wrapper
