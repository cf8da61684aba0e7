"""Organizers' pages: contests of an event, set-up, judges, entries, conflicts, assignment, results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..access import get_or_404, managed_event
from ..downloads import XLSX_MIMETYPE, file_response
from ..errors import EventHubError, ValidationError
from ..forms import apply_errors
from ..i18n import decimal_point
from . import assigning, conflicts, publishing, queries, rounds, setup, voting
from .blueprint import MAX_ID, bp, form_id, local_input
from .errors import RescoringNeedsConfirmation, RubricPublished, ScoringLocked
from .exports import scores_xlsx
from .floor_exports import pairwise_xlsx
from .floor_judging import is_pairwise_round, round_scoring
from .floor_results import pairwise_report
from .forms import ContestForm, JudgesForm, criteria_text, parse_criteria
from .models import Conflict, Contest, Scoring
from .results import contest_results


def _managed(contest_id: int) -> Contest:
    contest = get_or_404(Contest, contest_id)
    if not permissions.can_manage_contest(current_user, contest):
        abort(403)
    return contest


def _form_data(form: ContestForm, tz) -> dict:
    def local(value):
        return value.replace(tzinfo=tz) if value is not None else None

    criteria = parse_criteria(form.criteria.data)
    return {"code": form.code.data, "name": form.name.data, "description": form.description.data,
            "rules": form.rules.data, "criteria": criteria if isinstance(criteria, list) else [criteria],
            "judges_per_entry": form.judges_per_entry.data, "blind": form.blind.data,
            "scoring": form.scoring.data, "submission_deadline": local(form.submission_deadline.data),
            "judging_deadline": local(form.judging_deadline.data), "peoples_choice": form.peoples_choice.data,
            "vote_closes_at": local(form.vote_closes_at.data)}


def _criteria_messages(path: str, messages: list[str]) -> list[str]:
    """The service names a criterion by index ("criteria.2.weight"); the form is one box of lines, so the
    organizer is told the line and the column instead ("Line 3, weight: Enter a number.")."""
    index, _sep, part = path.partition(".")
    if not index.isdigit():
        return messages
    line = _("Line %(n)d", n=int(index) + 1)
    if not part:  # the line is not "code | name | weight | maximum score"
        return [f"{line}: " + _("write it as: code | name | weight | maximum score.")]
    parts = {"key": _("code"), "name": _("name"), "weight": _("weight"), "max_score": _("maximum score")}
    where = f"{line}, {parts[part]}" if part in parts else line
    return [f"{where}: {m}" for m in messages]


def _errors_to_form(form, exc: ValidationError) -> None:
    fields: dict[str, list[str]] = {}
    for name, messages in (exc.fields or {}).items():
        top, _sep, rest = name.partition(".")
        if top == "criteria" and rest:
            messages = _criteria_messages(rest, list(messages))
        fields.setdefault(top, []).extend(messages)
    apply_errors(form, ValidationError(fields))


@bp.route("/events/<slug>/contests", methods=["GET", "POST"])
@login_required
def event_contests(slug: str):
    event = managed_event(slug)
    form = ContestForm()
    if form.validate_on_submit():
        try:
            contest = setup.create_contest(event, _form_data(form, event.tz), actor=current_user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            flash(_("The contest is created."), "success")
            return redirect(url_for("contests.manage", id=contest.id))
    return render_template("contests/admin/list.html", event=event, contests=queries.contests_of(event),
                           form=form)


@bp.route("/contests/<int:id>/settings", methods=["GET", "POST"])
@login_required
def settings(id: int):
    contest = _managed(id)
    form = ContestForm(obj=None if request.method == "POST" else contest)
    if request.method == "GET":
        form.criteria.data = criteria_text(contest.first_round.criteria)
        for name in ("submission_deadline", "judging_deadline", "vote_closes_at"):
            value = getattr(contest, name)
            local = value.astimezone(contest.event.tz).replace(tzinfo=None) if value else None
            getattr(form, name).data = local
    rescoring = None  # score sheets a rubric change would send back: the page asks before saving
    if form.validate_on_submit():
        try:
            setup.update_contest(contest, _form_data(form, contest.event.tz), actor=current_user,
                                 ask_before_rescoring=True,
                                 rescoring_confirmed=request.form.get("confirm_rescoring", type=int))
        except RescoringNeedsConfirmation as exc:
            rescoring = exc.sheets
        except RubricPublished as exc:
            apply_errors(form, ValidationError({"criteria": [exc.describe()]}))
        except ScoringLocked as exc:
            apply_errors(form, ValidationError({"scoring": [exc.describe()]}))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            flash(_("The contest is saved."), "success")
            return redirect(url_for("contests.manage", id=contest.id))
    return render_template("contests/admin/settings.html", contest=contest, event=contest.event, form=form,
                           rescoring=rescoring)


@bp.get("/contests/<int:id>/manage")
@login_required
def manage(id: int):
    contest = _managed(id)
    round_ = contest.active_round
    entries = queries.entries_of(contest)
    pairs = assigning.round_assignments(round_)
    by_entry: dict[int, list[str]] = {}
    for entry_id, _uid, email in pairs:
        by_entry.setdefault(entry_id, []).append(email)
    pairwise = is_pairwise_round(contest, round_)
    judges = pairwise_report(contest).judges if pairwise else contest_results(contest, detail=True).judges
    return render_template("contests/admin/manage.html", contest=contest, event=contest.event, round=round_,
                           entries=entries, by_entry=by_entry, judges=judges,
                           conflicts=conflicts.contest_conflicts(contest), judges_form=JudgesForm(),
                           pending_conflicts=conflicts.pending_conflicts(contest),
                           pairwise=pairwise, scoring=round_scoring(contest, round_))


@bp.post("/contests/<int:id>/judges")
@login_required
def add_judges(id: int):
    contest = _managed(id)
    form = JudgesForm()
    if form.validate_on_submit():
        emails = [line.strip() for line in (form.emails.data or "").replace(",", "\n").splitlines()
                  if line.strip()]
        try:
            setup.add_judges(contest, emails, actor=current_user)
        except ValidationError as exc:
            for messages in (exc.fields or {}).values():
                for message in messages:
                    flash(message, "danger")
            index = {f"emails.{i}": e for i, e in enumerate(emails)}
            bad = [index[k] for k in (exc.fields or {}) if k in index]
            if bad:
                flash(_("Not added: %(emails)s", emails=", ".join(bad)), "danger")
        else:
            flash(_("The judges are added."), "success")
    return redirect(url_for("contests.manage", id=contest.id))


@bp.post("/contests/<int:id>/assign")
@login_required
def assign(id: int):
    contest = _managed(id)
    try:
        made = assigning.run_assignment(contest, actor=current_user)
    except EventHubError as exc:
        flash(exc.describe(), "danger")
    else:
        flash(_("%(n)d assignments made.", n=len(made)), "success")
    return redirect(url_for("contests.manage", id=contest.id))


@bp.post("/contests/<int:id>/assignments")
@login_required
def edit_assignment(id: int):
    contest = _managed(id)
    try:
        entry, judge = assigning.find_pair(contest, form_id("entry_id"), form_id("user_id"))
        if request.form.get("action") == "remove":
            assigning.remove_assignment(contest, entry, judge.id, actor=current_user)
        else:
            assigning.add_assignment(contest, entry, judge, actor=current_user)
    except EventHubError as exc:
        flash(exc.describe() if not exc.fields else "; ".join(m for ms in exc.fields.values() for m in ms),
              "danger")
    return redirect(url_for("contests.manage", id=contest.id))


@bp.post("/contests/<int:id>/conflicts")
@login_required
def add_conflict(id: int):
    contest = _managed(id)
    try:
        conflicts.add_by_organizer(contest, form_id("entry_id"),
                                   request.form.get("judge_email", ""), actor=current_user,
                                   reason=request.form.get("reason", ""),
                                   locked=request.form.get("locked") == "1")
    except ValidationError as exc:
        flash("; ".join(m for ms in (exc.fields or {}).values() for m in ms), "danger")
    else:
        flash(_("The conflict of interest is recorded."), "success")
    return redirect(url_for("contests.manage", id=contest.id))


@bp.post("/conflicts/<int:id>/decide")
@login_required
def decide_conflict(id: int):
    conflict = get_or_404(Conflict, id)
    contest = _managed(conflict.contest_id)
    try:
        conflicts.decide(conflict, request.form.get("status", ""), actor=current_user,
                         locked=request.form.get("locked") == "1")
    except ValidationError:
        flash(_("Confirm or dismiss the conflict of interest."), "danger")
    return redirect(url_for("contests.manage", id=contest.id))


@bp.get("/contests/<int:id>/results/manage")
@login_required
def results(id: int):
    contest = _managed(id)
    report = contest_results(contest, detail=True)
    return render_template("contests/admin/results.html", contest=contest, event=contest.event,
                           report=report, rows=_result_rows(report),
                           tally=voting.tally(contest) if contest.peoples_choice else None,
                           pairwise=contest.scoring == Scoring.pairwise,
                           promote_criteria=criteria_text(contest.active_round.criteria))


def _result_rows(report) -> list[dict]:
    """The ranking with every judge's raw total and z-score, formatted here once: a contest of
    300 entries is 1,500 cells, which Jinja would format a hundred times slower."""
    names = report.judge_names
    point = decimal_point()

    def num(value: float, spec: str) -> str:  # "60,63" in Vietnamese, where "1.013" reads as a thousand
        return format(value, spec).replace(".", point)

    rows = []
    for r in report.results:
        cells = report.entry_cells.get(r.entry_id, [])
        rows.append({
            "rank": r.rank, "entry_id": r.entry_id, "title": report.titles.get(r.entry_id, ""),
            "raw_mean": "–" if r.raw_mean is None else num(r.raw_mean, ".2f"),
            "normalized": "–" if r.normalized is None else num(r.normalized, ".3f"),
            "spread": num(report.spread[r.entry_id], ".2f") if r.entry_id in report.spread else "–",
            "scores_count": r.scores_count, "award": report.awards.get(r.entry_id),
            "cells": [f"{names.get(judge_id, judge_id)}: {num(raw, '.1f')} / {num(z, '.2f')}"
                      for judge_id, raw, z in cells],
        })
    return rows


@bp.get("/contests/<int:id>/scores.xlsx")
@login_required
def export(id: int):
    contest = _managed(id)
    if is_pairwise_round(contest, contest.active_round):  # comparisons, not score sheets
        return file_response(pairwise_xlsx(contest), XLSX_MIMETYPE, f"floor-{contest.code}.xlsx")
    return file_response(scores_xlsx(contest), XLSX_MIMETYPE, f"scores-{contest.code}.xlsx")


@bp.post("/contests/<int:id>/publish")
@login_required
def publish(id: int):
    contest = _managed(id)
    if request.form.get("action") == "unpublish":
        publishing.unpublish(contest, actor=current_user)
    else:
        publishing.publish(contest, actor=current_user)
        flash(_("The results are public."), "success")
    return redirect(_back_to(contest))


def _back_to(contest: Contest) -> str:
    """The results page, or the floor page of a pairwise contest when its form was posted from there."""
    if request.form.get("back") == "floor" and contest.scoring == Scoring.pairwise:
        return url_for("contests.floor_admin", id=contest.id)
    return url_for("contests.results", id=contest.id)


@bp.post("/contests/<int:id>/awards")
@login_required
def awards(id: int):
    """The award levels of the ranking's form: `award_<entry id>` = level or empty."""
    contest = _managed(id)
    levels = {int(k.removeprefix("award_")): v or None for k, v in request.form.items()
              if k.startswith("award_") and k.removeprefix("award_").isdecimal()
              and 1 <= int(k.removeprefix("award_")) <= MAX_ID}
    try:
        publishing.set_awards(contest, levels, actor=current_user)
    except ValidationError:
        flash(_("Choose an award level."), "danger")
    else:
        flash(_("The awards are saved."), "success")
    return redirect(_back_to(contest))


def _promote_messages(fields: dict[str, list[str]]) -> list[str]:
    """The refusal of the next round in words; a rubric line is named by its number and column."""
    return [m for path, messages in fields.items() for m in (
        _criteria_messages(path.removeprefix("criteria."), messages) if path.startswith("criteria.")
        else messages)]


@bp.post("/contests/<int:id>/promote")
@login_required
def promote(id: int):
    contest = _managed(id)
    picked = [int(v) for v in request.form.getlist("entry_ids") if v.isdecimal() and 1 <= int(v) <= MAX_ID]
    top_n = request.form.get("top_n", type=int)
    lines = parse_criteria(request.form.get("criteria", ""))  # empty: the current round's rubric
    emails = [e.strip() for e in request.form.get("judge_emails", "").replace(",", "\n").splitlines()
              if e.strip()]  # none: the current panel
    try:
        rounds.promote(contest, top_n=None if picked else top_n, entry_ids=picked or None,
                       criteria=(lines or None) if isinstance(lines, list) else [lines],
                       judge_ids=rounds.judge_ids_by_email(emails) if emails else None,
                       deadline=local_input(None, contest), actor=current_user,
                       after_round=request.form.get("after_round", type=int))
    except EventHubError as exc:
        flash(exc.describe() if not exc.fields else "; ".join(_promote_messages(exc.fields)), "danger")
    else:
        flash(_("The next round is open: assign its judges."), "success")
    return redirect(url_for("contests.manage", id=contest.id))
