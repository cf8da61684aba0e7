"""The organizers' pages of an event's surveys (list, new, results, send, close, XLSX) and the public page
behind the invitation's personal link, where a registrant answers from a phone."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import permissions
from ..access import managed_event
from ..dbtypes import utcnow
from ..downloads import XLSX_MIMETYPE, file_response
from ..errors import Conflict, NotFound, ValidationError
from ..i18n import format_share, zone_name
from . import forms, services
from .exports import results_xlsx
from .labels import KIND_LABELS, STATE_LABELS, STATE_TONES, kind_choices
from .results import survey_results

bp = Blueprint("surveys", __name__)


def _event(slug: str):
    return managed_event(slug, permissions.can_read_survey_answers)


def _survey(event, survey_id: int):
    try:
        return services.get_survey(survey_id, event=event)
    except NotFound:
        abort(404)


def _labels() -> dict:
    return {"state_labels": STATE_LABELS, "state_tones": STATE_TONES, "kind_labels": KIND_LABELS}


@bp.get("/events/<slug>/surveys")
@login_required
def index(slug: str):
    event = _event(slug)
    return render_template("surveys/list.html", event=event, rows=services.surveys_of(event),
                           now=utcnow(), shown_state=services.shown_state, **_labels())


@bp.route("/events/<slug>/surveys/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    event = _event(slug)
    values = {"title": "", "session_id": None, "closes_at": ""}
    rows, general, row_errors = forms.blank_rows(), {}, {}
    if request.method == "POST":
        body, rows, numbers = forms.read_survey(request.form)
        values = {"title": body["title"], "session_id": body["session_id"],
                  "closes_at": request.form.get("closes_at", "")}
        try:
            body["closes_at"] = forms.read_closes_at(request.form, event.tz)
            survey = services.create_survey(event, actor=current_user, **body)
        except ValidationError as exc:
            general, row_errors = forms.row_errors(exc.fields or {}, numbers)
        else:
            flash(_("The survey is saved as a draft. Send it once the event or the workshop is over."),
                  "success")
            return redirect(url_for(".show", slug=event.slug, survey_id=survey.id))
    return render_template("surveys/form.html", event=event, values=values, rows=rows, errors=general,
                           row_errors=row_errors, kinds=kind_choices(),
                           workshops=services.workshops_of(event), zone=zone_name(event.tz)), \
        422 if general or row_errors else 200


@bp.get("/events/<slug>/surveys/<int:survey_id>")
@login_required
def show(slug: str, survey_id: int):
    event = _event(slug)
    survey = _survey(event, survey_id)
    return render_template("surveys/show.html", event=event, survey=survey, results=survey_results(survey),
                           state=services.shown_state(survey), share=format_share, **_labels())


@bp.post("/events/<slug>/surveys/<int:survey_id>/send")
@login_required
def send(slug: str, survey_id: int):
    event = _event(slug)
    survey = _survey(event, survey_id)
    try:
        invited = services.send_survey(survey, actor=current_user)
    except Conflict as exc:
        flash(exc.describe(), "danger")
    else:
        flash(ngettext("The survey was sent to %(num)d more person.",
                       "The survey was sent to %(num)d more people.", invited)
              if invited else _("Nobody new to invite: everyone who came has the survey."), "success")
    return redirect(url_for(".show", slug=event.slug, survey_id=survey_id))


@bp.post("/events/<slug>/surveys/<int:survey_id>/close")
@login_required
def close(slug: str, survey_id: int):
    event = _event(slug)
    services.close_survey(_survey(event, survey_id), actor=current_user)
    flash(_("The survey is closed: it takes no more answers."), "success")
    return redirect(url_for(".show", slug=event.slug, survey_id=survey_id))


@bp.get("/events/<slug>/surveys/<int:survey_id>/results.xlsx")
@login_required
def export(slug: str, survey_id: int):
    event = _event(slug)
    survey = _survey(event, survey_id)
    return file_response(results_xlsx(survey_results(survey), tz=event.tz), XLSX_MIMETYPE,
                         f"survey-{event.slug}-{survey.id}.xlsx")


@bp.route("/surveys/r/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The respondent's page: no account, the token is the key. Closed → a page that says so."""
    try:
        survey, reg = services.read_answer_token(token)
    except NotFound:
        abort(404)
    if services.is_closed(survey) or survey.state.value != "sent":
        return render_template("surveys/closed.html", survey=survey, event=survey.event), 410
    response = services.response_of(survey.id, reg.id)
    values = dict(response.answers) if response else {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = forms.read_answers(request.form, survey)
        try:
            services.submit_answers(survey, reg, values)
        except ValidationError as exc:
            errors = exc.fields or {}
        except Conflict:
            return render_template("surveys/closed.html", survey=survey, event=survey.event), 410
        else:
            return render_template("surveys/thanks.html", survey=survey, event=survey.event, token=token)
    return render_template("surveys/answer.html", survey=survey, event=survey.event, reg=reg, values=values,
                           errors=errors, answered=response is not None), 422 if errors else 200
