"""Contests API, continued: pairwise judging on the exhibition floor (api.md "Pairwise judging at the
exhibition"), on the contests blueprint. The rules are the service's (contests/floor_judging.py)."""

from __future__ import annotations

from functools import wraps

from flask import Response
from flask_babel import gettext as _

from ..contests import floor_judging
from ..errors import Forbidden, ValidationError
from .auth import require_user
from .contest_access import _contest
from .contest_blueprint import blp
from .pairwise_schemas import NextSchema, VoteInSchema, VoteOutSchema, next_view, vote_view
from .schemas import refusals

BEARER = [{"bearerAuth": []}]
NOTHING_LEFT = "The judge has nothing left to compare: every entry they may be sent to is out of reach."


def floor_judge_contest(view):
    """A judge of the contest, settled before the body is read: 401, 404, then 403 (organizers who
    are not judges too: they have their own pages)."""
    @wraps(view)
    def wrapper(*args, id, **kwargs):
        user = require_user()
        contest = _contest(id)
        if not contest.has_judge(user):
            raise Forbidden()
        return view(*args, contest=contest, user=user, **kwargs)
    return wrapper


def _answer(stop) -> Response | dict:
    return Response(status=204) if stop is None else next_view(stop)


@blp.get("/contests/<int:id>/next")
@floor_judge_contest
@blp.response(200, NextSchema)
@blp.alt_response(204, description=NOTHING_LEFT)
@refusals(blp, 401, 403, 404, 409)
@blp.doc(security=BEARER)
def next_entry(contest, user):
    """The entry the judge visits next, and the one they saw before it (`previous_entry_id`).

    - Not started: a first entry (the least compared, near the booth the judge was last at, not one another
      judge was just sent to); no `previous_entry_id` – there is nothing to compare it with yet.
    - A judge who has seen only their first entry gets the second by asking again: the first becomes
      `previous_entry_id`, the second is the entry whose comparison with it teaches the ranking most (the
      nearer booth when nearly equal).
    - While a pair is pending (after the second entry, until the judge votes or skips) the same pair again.
    - After a vote or a skip: the next entry to compare with the entry seen before.

    Never an entry the judge has a conflict of interest with or is on the team of, nor one they have
    visited while others remain. `204` when nothing is left. `403 judging_closed` once the floor has closed
    (deadline, results published, or the final round opened); `409 not_pairwise` for a rubric contest.
    """
    return _answer(floor_judging.next_stop(contest, user))


@blp.post("/contests/<int:id>/votes")
@floor_judge_contest
@blp.arguments(VoteInSchema)
@blp.response(201, VoteOutSchema)
@refusals(blp, 401, 403, 404, 409, 422)
@blp.doc(security=BEARER)
def post_vote(body, contest, user):
    """`{"winner", "loser"}`: which of the judge's previous and current entries was better (in either
    order; anything else `422`) → `201 {"id","winner","loser","created_at"}`. Sending the same vote again
    within a minute (a lost answer) answers the same vote and records nothing.

    `{"skip": entry_id}`: the current entry's booth could not be found → `201 {"skipped"}`; the previous
    entry stays the one to compare with. An id that is not an entry of this contest → `404`; after the
    floor closed → `403 judging_closed`. An entry withdrawn since the judge was sent there → `422` on its
    field, one the judge now has a conflict of interest with or is on the team of →
    `403 conflict_of_interest`: the vote does not count and the entry leaves the walk (a skip of it just
    leaves the walk); GET /next then sends the judge elsewhere. A vote can be taken back within a minute:
    `POST /contests/{id}/votes/undo`.
    """
    keys = set(body)
    if keys == {"skip"}:
        floor_judging.skip(contest, user, body["skip"])
        return {"skipped": body["skip"]}
    if keys == {"winner", "loser"}:
        return vote_view(floor_judging.vote(contest, user, body["winner"], body["loser"]), contest)
    message = _("Send the better entry and the other one, or the entry to skip.")
    named = keys & {"winner", "loser", "skip"} or {"winner", "loser"}
    raise ValidationError({name: [message] for name in sorted(named)})


@blp.post("/contests/<int:id>/votes/undo")
@floor_judge_contest
@blp.response(200, NextSchema)
@blp.alt_response(204, description=NOTHING_LEFT)
@refusals(blp, 401, 403, 404, 409)
@blp.doc(security=BEARER)
def undo_vote(contest, user):
    """Takes back the judge's last vote within a minute of it: the same pair is in front of them again
    (answered as GET /contests/{id}/next). `409 nothing_to_undo` without a vote, `409 undo_expired` after
    the minute."""
    return _answer(floor_judging.undo_last(contest, user))
