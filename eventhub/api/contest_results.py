"""Contests API, continued: the results of the current round, rubric or pairwise (same blueprint)."""

from __future__ import annotations

from .. import permissions
from ..contests import floor_judging, floor_results
from ..contests.errors import ResultsNotPublished
from ..contests.results import contest_results, result_items
from .auth import current_api_user
from .contest_access import _contest
from .contest_blueprint import blp
from .contest_schemas import ResultsSchema
from .schemas import refusals


@blp.get("/contests/<int:id>/results")
@blp.response(200, ResultsSchema)
@refusals(blp, 403, 404)
def results(id):
    """Ranked results of the current round: organizers at any time, judges of a pairwise contest while
    its round is judged on the floor, anyone once published. A round judged pairwise on the floor
    (`"scoring": "pairwise"`) ranks by `score`, the entry's estimated quality (`sigma` its uncertainty);
    entries nobody has compared yet come last with `rank` null. Rubric rounds (the final of a pairwise
    contest too) rank by `normalized`."""
    contest = _contest(id)
    user = current_api_user()
    pairwise = floor_judging.is_pairwise_round(contest)
    # a floor judge reads the live ranking of the floor round only: the pitch final is a rubric round,
    # whose results judges see once published, as in any rubric contest
    allowed = user is not None and (permissions.can_manage_contest(user, contest) or (
        pairwise and contest.has_judge(user)))
    if not (contest.published_at or allowed):
        raise ResultsNotPublished()
    if pairwise:
        return {"scoring": "pairwise", "round": contest.active_round.number,
                "published": contest.is_published,
                "items": floor_results.result_items(floor_results.pairwise_report(contest))}
    report = contest_results(contest)
    return {"scoring": floor_judging.round_scoring(contest, report.round), "round": report.round.number,
            "published": contest.is_published, "items": result_items(report)}
