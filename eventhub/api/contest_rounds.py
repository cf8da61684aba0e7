"""Contests API, continued: opening the next round and the people's choice tallies (same blueprint)."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import permissions
from ..contests import rounds, voting
from ..errors import Forbidden, ValidationError
from .access import ORGANIZER
from .auth import current_api_user
from .contest_access import _contest, managed_contest
from .contest_blueprint import blp
from .contest_schemas import ContestSchema, PromoteSchema, VoteTalliesSchema, contest_view
from .schemas import refusals


@blp.post("/contests/<int:id>/rounds")
@managed_contest
@blp.arguments(PromoteSchema)
@blp.response(201, ContestSchema)
@refusals(blp, 401, 403, 404, 409, 422)
@blp.doc(security=ORGANIZER)
def promote(body, contest, user):
    """Opens the next round with the top N (`top_n`) or hand-picked entries (`entry_ids`)."""
    judge_ids = rounds.judge_ids_by_email(body["judge_emails"]) if body["judge_emails"] is not None else None
    entry_ids = body["entry_ids"]
    if entry_ids is not None and (not isinstance(entry_ids, list) or not all(
            isinstance(e, int) and not isinstance(e, bool) for e in entry_ids)):
        raise ValidationError({"entry_ids": [_("Choose entries of the current round.")]})
    jpe = body["judges_per_entry"]
    if jpe is not None and (isinstance(jpe, bool) or not isinstance(jpe, int) or not 1 <= jpe <= 50):
        raise ValidationError({"judges_per_entry": [_("Enter a whole number from 1 to 50.")]})
    after = body["after_round"]
    if after is not None and (isinstance(after, bool) or not isinstance(after, int) or after < 1):
        raise ValidationError({"after_round": [_("Enter a whole number from 1.")]})
    top_n = body["top_n"] if isinstance(body["top_n"], int) and not isinstance(body["top_n"], bool) else None
    rounds.promote(contest, top_n=top_n, entry_ids=entry_ids, judge_ids=judge_ids, criteria=body["criteria"],
                   judges_per_entry=jpe, after_round=after, actor=user)
    return contest_view(contest)


@blp.get("/contests/<int:id>/votes")
@blp.response(200, VoteTalliesSchema)
@refusals(blp, 403, 404)
def votes(id):
    """People's choice tallies: organizers any time, anyone once the vote has closed."""
    contest = _contest(id)
    user = current_api_user()
    organizer = user is not None and permissions.can_manage_contest(user, contest)
    if not (voting.voting_closed(contest) or organizer):
        raise Forbidden(_("The tallies are hidden until the vote closes."), code="votes_hidden")
    return {"items": [{"entry_id": e, "title": t, "votes": n} for e, t, n in voting.tally(contest)]}
