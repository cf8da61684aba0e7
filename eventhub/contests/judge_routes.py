"""Judges' pages for a laptop or tablet: my entries with progress, the score sheet, recusing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..access import get_or_404
from ..errors import EventHubError, ValidationError
from . import conflicts, floor_judging, judging
from .blueprint import bp
from .forms import ConflictForm, parse_score_sheet
from .models import Contest, Entry


@bp.get("/judge")
@login_required
def judge_home():
    panels = []
    for contest in judging.judge_contests(current_user):
        if floor_judging.is_pairwise_round(contest):
            # judged by walking the floor and comparing booths: no list of assigned entries
            closed = None if floor_judging.judging_open(contest) else _("Judging on the floor is closed.")
            panels.append({"contest": contest, "pairwise": True, "items": [], "done": 0, "total": 0,
                           "closed": closed, "deadline": contest.active_round.deadline})
            continue
        items = judging.judge_items(current_user, contest)
        done, total = judging.progress(items)
        panels.append({"contest": contest, "items": items, "done": done, "total": total,
                       "closed": judging.closed_reason(contest), "deadline": contest.active_round.deadline})
    panels.sort(key=lambda panel: panel["closed"] is not None)  # the rounds still open first
    return render_template("contests/judge_home.html", panels=panels)


def _scorable(entry_id: int):
    entry = get_or_404(Entry, entry_id)
    if not permissions.can_score(current_user, entry):
        abort(403)
    return entry


@bp.route("/judge/entries/<int:id>", methods=["GET", "POST"])
@login_required
def score_sheet(id: int):
    entry = _scorable(id)
    sheet = judging.load_sheet(entry, current_user)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST" and sheet.closed:
        # a closed round's sheet is read-only
        flash(_("Nothing was saved. %(reason)s", reason=sheet.closed), "danger")
        status = 403
    elif request.method == "POST":
        posted = parse_score_sheet(request.form, sheet.round.criteria)
        sheet.comment = posted.comment
        try:
            judging.save_scores(entry, current_user, posted.scores, comment=posted.comment,
                                submit=posted.submit)
        except ValidationError as exc:
            errors = {k.removeprefix("scores."): v for k, v in (exc.fields or {}).items()}
            sheet.values, status = posted.scores, 422
        except EventHubError as exc:
            flash(exc.describe(), "danger")
            status = exc.status
        else:
            flash(_("Your scores are submitted.") if posted.submit else _("Your draft is saved."), "success")
            return redirect(url_for("contests.judge_home") if posted.submit
                            else url_for("contests.score_sheet", id=entry.id))
    return render_template("contests/score_sheet.html", entry=entry, contest=entry.contest, round=sheet.round,
                           values=sheet.values, comment=sheet.comment, errors=errors, score=sheet.score,
                           blind=entry.contest.blind, closed=sheet.closed,
                           conflict_form=ConflictForm()), status


@bp.post("/judge/entries/<int:id>/recuse")
@login_required
def recuse(id: int):
    entry = get_or_404(Entry, id)
    contest = get_or_404(Contest, entry.contest_id)
    if not permissions.can_judge_contest(current_user, contest):
        abort(403)
    form = ConflictForm()
    if form.validate_on_submit():
        conflicts.declare(contest, entry.id, current_user, reason=form.reason.data or "")
        flash(_("You are recused from this entry; it is no longer on your list."), "info")
    return redirect(url_for("contests.judge_home"))
