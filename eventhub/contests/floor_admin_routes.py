"""Organizers' pages of pairwise judging on the floor: one contest's live ranking and judges, the event's
pairwise contests (categories) side by side, the XLSX, and an entry's booth."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..access import get_or_404, managed_event
from ..dbtypes import utcnow
from ..downloads import XLSX_MIMETYPE, file_response
from ..errors import ValidationError
from ..forms import apply_errors
from . import floor_view, queries
from .blueprint import bp
from .floor_exports import pairwise_xlsx
from .floor_judging import judging_open
from .floor_results import pairwise_report
from .floor_spots import set_booth_code
from .forms import BoothForm, criteria_text
from .models import Contest, Entry, Scoring

REFRESH_SECONDS = 30


def _managed_pairwise(contest_id: int) -> Contest:
    contest = get_or_404(Contest, contest_id)
    if not permissions.can_manage_contest(current_user, contest):
        abort(403)
    if contest.scoring != Scoring.pairwise:
        abort(404)
    return contest


@bp.get("/contests/<int:id>/floor/manage")
@login_required
def floor_admin(id: int):
    """The live ranking; `?awards=1` shows the award choices instead and stops refreshing (a refresh
    would throw away levels chosen but not saved yet); `?live=0` stops refreshing."""
    contest = _managed_pairwise(id)
    report = pairwise_report(contest)
    now = utcnow()
    setting_awards = request.args.get("awards") == "1"
    paused = request.args.get("live") == "0"  # the organizer stopped the refresh (WCAG 2.2.1)
    open_ = judging_open(contest, now)
    return render_template("contests/admin/floor_contest.html", contest=contest, event=contest.event,
                           report=report, rows=_rank_rows(report), judges=_judge_rows(report, now),
                           unvisited=report.unvisited, open=open_, setting_awards=setting_awards,
                           refresh=REFRESH_SECONDS if open_ and not (setting_awards or paused) else None,
                           paused=paused and open_ and not setting_awards,
                           updated_at=now, promote_criteria=criteria_text(contest.first_round.criteria))


def _rank_rows(report) -> list[dict]:
    bars = floor_view.bars(report.rows)
    return [{"rank": r.rank, "entry_id": r.entry_id, "title": r.title, "organization": r.organization,
             "booth": r.booth, "score": floor_view.score_text(r), "sigma": floor_view.sigma_text(r),
             "bar": bars.get(r.entry_id), "votes": r.votes, "wins": r.wins, "award": r.award_level,
             "visitors": floor_view.visitors_count(r)} for r in report.rows]


def _judge_rows(report, now) -> list[dict]:
    verdicts = floor_view.judge_verdicts(report.judges)
    tz = report.contest.event.tz
    return [{"name": j.full_name, "email": j.email, "votes": j.votes, "skips": j.skips,
             "reliability": floor_view.share(j.reliability), "verdict": verdicts[j.user_id],
             "verdict_words": floor_view.verdict_words(verdicts[j.user_id]), "current": j.current_title,
             "last_vote": floor_view.ago(j.last_vote_at, now, tz), "remaining": j.remaining}
            for j in report.judges]


@bp.get("/events/<slug>/contests/floor")
@login_required
def floor_admin_overview(slug: str):
    """Every pairwise contest (category) of the event with its progress."""
    event = managed_event(slug)
    contests = [c for c in queries.contests_of(event) if c.scoring == Scoring.pairwise]
    now = utcnow()
    cards = []
    for contest in contests:
        report = pairwise_report(contest)
        visited = len(report.rows) - len(report.unvisited)
        cards.append({"contest": contest, "entries": len(report.rows), "visited": visited,
                      "votes": report.votes_total, "judges": len(report.judges),
                      "open": judging_open(contest, now),
                      "leader": next((r.title for r in report.rows if r.rank == 1), None)})
    return render_template("contests/admin/floor_overview.html", event=event, cards=cards,
                           refresh=REFRESH_SECONDS if any(c["open"] for c in cards) else None, updated_at=now)


@bp.get("/contests/<int:id>/floor.xlsx")
@login_required
def floor_admin_export(id: int):
    contest = _managed_pairwise(id)
    return file_response(pairwise_xlsx(contest), XLSX_MIMETYPE, f"floor-{contest.code}.xlsx")


@bp.post("/entries/<int:id>/booth")
@login_required
def entry_booth(id: int):
    """The organizer places an entry at a booth, also after the entries have closed."""
    entry = get_or_404(Entry, id)
    if not permissions.can_manage_contest(current_user, entry.contest):
        abort(403)
    form = BoothForm()
    if form.validate_on_submit():
        try:
            set_booth_code(entry, form.booth_code.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, ValidationError({"booth_code": exc.fields.get("booth", [])}))
        else:
            flash(_("The booth is saved."), "success")
            return redirect(url_for("contests.entry", id=entry.id))
    return render_template("contests/entry_form.html", contest=entry.contest, form=None, entry=entry,
                           open=False, booth_form=form), 422
