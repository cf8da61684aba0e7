"""Judges' pages for a laptop or tablet: my entries with progress, the score sheet, recusing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..errors import EventHubError, ValidationError
from ..extensions import db
from . import conflicts, judging
from .blueprint import bp, load_contest, load_entry
from .forms import ConflictForm
from .models import Score


@bp.get("/judge")
@login_required
def judge_home():
    panels = []
    for contest in judging.judge_contests(current_user):
        items = judging.judge_items(current_user, contest)
        done, total = judging.progress(items)
        panels.append({"contest": contest, "items": items, "done": done, "total": total})
    return render_template("contests/judge_home.html", panels=panels)


def _scorable(entry_id: int):
    entry = load_entry(entry_id)
    if not permissions.can_score(current_user, entry):
        abort(403)
    return entry


@bp.route("/judge/entries/<int:id>", methods=["GET", "POST"])
@login_required
def score_sheet(id: int):
    entry = _scorable(id)
    contest = entry.contest
    round_ = contest.active_round
    score = db.session.scalar(db.select(Score).filter_by(round_id=round_.id, entry_id=entry.id,
                                                         user_id=current_user.id))
    values = dict(score.values) if score and score.criteria_version == round_.criteria_version else {}
    comment = score.comment if score else ""
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        submit = request.form.get("action") == "submit"
        raw = {}
        for c in round_.criteria:
            text = (request.form.get(f"c_{c.key}") or "").strip().replace(",", ".")
            try:
                raw[c.key] = float(text) if text else None
            except ValueError:
                raw[c.key] = text  # refused by the service with a message next to the field
        comment = request.form.get("comment", "")
        try:
            judging.save_scores(entry, current_user, {k: v for k, v in raw.items() if v is not None},
                                comment=comment, submit=submit)
        except ValidationError as exc:
            errors = {k.removeprefix("scores."): v for k, v in (exc.fields or {}).items()}
            values = {k: v for k, v in raw.items() if v is not None}
            status = 422
        except EventHubError as exc:
            flash(exc.describe(), "danger")
            status = exc.status
        else:
            flash(_("Your scores are submitted.") if submit else _("Your draft is saved."), "success")
            return redirect(url_for("contests.judge_home") if submit
                            else url_for("contests.score_sheet", id=entry.id))
    blind = contest.blind
    return render_template("contests/score_sheet.html", entry=entry, contest=contest, round=round_,
                           values=values, comment=comment, errors=errors, score=score, blind=blind,
                           conflict_form=ConflictForm()), status


@bp.post("/judge/entries/<int:id>/recuse")
@login_required
def recuse(id: int):
    entry = load_entry(id)
    contest = load_contest(entry.contest_id)
    if not permissions.can_judge_contest(current_user, contest):
        abort(403)
    form = ConflictForm()
    if form.validate_on_submit():
        conflicts.declare(contest, entry.id, current_user, reason=form.reason.data or "")
        flash(_("You are recused from this entry; it is no longer on your list."), "info")
    return redirect(url_for("contests.judge_home"))
