"""Organizers' registration pages: lists, approval queue, manual registration, exports, set-up."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import hooks
from ..access import get_or_404, managed_event
from ..audit.words import describe_page
from ..errors import Conflict, EventHubError, ValidationError
from ..extensions import db
from ..forms import apply_errors
from ..urls import safe_local_path
from . import catalog, exports, queries, services
from .admin_forms import (
    KIND_LABELS,
    SORT_QUERY,
    STATUS_LABELS,
    FilterForm,
    ManualRegistrationForm,
    QuestionEditForm,
    QuestionForm,
    ReasonForm,
    SessionForm,
    TypeForm,
    question_form_data,
    session_form_data,
    type_form_data,
    values_of,
)
from .forms import answers_from_form, registration_form_class
from .models import EventSession, Question, Registration, RegistrationType

bp = Blueprint("registration_admin", __name__)

PER_PAGE = 50
FILTERS = ("q", "status", "type", "sort")


@bp.context_processor
def _labels():
    return {"status_labels": STATUS_LABELS, "kind_labels": KIND_LABELS}


def _load_question(slug: str, type_id: int, question_id: int) -> Question:
    rtype = get_or_404(RegistrationType, type_id, event=managed_event(slug))
    question = db.session.get(Question, question_id)
    if question is None or question.registration_type_id != rtype.id:
        abort(404)
    return question


# --- registrations --------------------------------------------------------------------------------

@bp.get("/events/<slug>/registrations")
@login_required
def registrations(slug: str):
    event = managed_event(slug)
    types = catalog.types_of(event)
    form = FilterForm(formdata=request.args)
    form.set_choices(types)
    filters = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    if form.sort.data not in SORT_QUERY:  # the approval queue is served first come, first served
        form.sort.data = "oldest" if form.status.data == "pending_approval" else "newest"
    stmt = queries.registrations_query(event, status=form.status.data or None, q=form.q.data,
                                       type_code=form.type.data or None, sort=SORT_QUERY[form.sort.data])
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    return render_template("registration/admin/list.html", event=event, form=form, types=types,
                           page=page, filters=filters, counts=queries.counts_by_type_and_status(event),
                           totals=queries.totals_by_status(event))


@bp.get("/events/<slug>/registrations.csv")
@login_required
def export_csv(slug: str):
    event = managed_event(slug)
    return exports.csv_download(event)


@bp.get("/events/<slug>/registrations.xlsx")
@login_required
def export_xlsx(slug: str):
    event = managed_event(slug)
    return exports.xlsx_download(event)


@bp.get("/events/<slug>/registrations/<int:reg_id>")
@login_required
def registration(slug: str, reg_id: int):
    reg = get_or_404(Registration, reg_id, event=managed_event(slug))
    return render_template("registration/admin/detail.html", event=reg.event, reg=reg,
                           history=describe_page(queries.registration_history(reg), reg.event),
                           panels=hooks.render_panels(hooks.REGISTRATION_ADMIN, reg=reg, user=current_user))


def _decide(action: str, reg: Registration, reason: str | None) -> str:
    """Calls the service for `action`; returns the message for the organizer."""
    if action == "approve":
        services.approve(reg, actor=current_user)
        return _("%(name)s is approved and has been sent a ticket.", name=reg.full_name)
    if action == "reject":
        services.reject(reg, actor=current_user, reason=reason)
        return _("%(name)s is rejected.", name=reg.full_name)
    services.cancel_registration(reg, actor=current_user, reason=reason)
    return _("The registration of %(name)s is cancelled.", name=reg.full_name)


@bp.post("/events/<slug>/registrations/<int:reg_id>/<any(approve, reject, cancel):action>")
@login_required
def decide(slug: str, reg_id: int, action: str):
    reg = get_or_404(Registration, reg_id, event=managed_event(slug))
    form = ReasonForm()
    if not form.validate():
        flash(" ".join(str(e) for e in form.reason.errors) or _("Please try again."), "danger")
    else:
        try:
            flash(_decide(action, reg, (form.reason.data or "").strip() or None), "success")
        except EventHubError as exc:
            flash(exc.describe(), "danger")
    here = url_for(".registration", slug=slug, reg_id=reg_id)
    return redirect(safe_local_path(request.form.get("next"), here))


def _chosen_type(types: list[RegistrationType]) -> RegistrationType:
    """The type whose questions the form shows: the one posted, or asked for, or the first."""
    code = request.form.get("type") or request.args.get("type")
    return next((t for t in types if t.code == code), types[0])


def _apply_service_errors(form, exc: ValidationError) -> None:
    """Service errors name answers `answers.<key>`; the form calls those fields `q_<key>`."""
    renamed = {("q_" + k.split(".", 1)[1] if k.startswith("answers.") else k): v
               for k, v in (exc.fields or {}).items()}
    apply_errors(form, ValidationError(renamed))


@bp.route("/events/<slug>/registrations/new", methods=["GET", "POST"])
@login_required
def new_registration(slug: str):
    event = managed_event(slug)
    types = catalog.types_of(event)
    if not types:
        flash(_("Create a registration type first."), "info")
        return redirect(url_for(".new_type", slug=slug))
    rtype = _chosen_type(types)
    form = registration_form_class(rtype, catalog.sessions_of(event), base=ManualRegistrationForm,
                                   with_consent=False)(type=rtype.code)
    form.type.choices = [SelectChoice(t.code, t.name) for t in types]
    if form.validate_on_submit():
        try:
            reg, _token = services.register(
                event, type_code=form.type.data, full_name=form.full_name.data, email=form.email.data,
                phone=form.phone.data, organization=form.organization.data,
                answers=answers_from_form(form, rtype),
                session_ids=form.sessions.data if "sessions" in form else [],
                consent=form.consent.data is True, actor=current_user, bypass_window=True)
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        except Conflict as exc:
            form.form_errors.append(exc.describe())
        else:
            flash(_("%(name)s is registered: %(status)s.", name=reg.full_name,
                    status=STATUS_LABELS[reg.status.value]), "success")
            return redirect(url_for(".registration", slug=slug, reg_id=reg.id))
    return render_template("registration/admin/new.html", event=event, form=form, rtype=rtype, types=types)


# --- registration types and their questions -------------------------------------------------------

@bp.get("/events/<slug>/registration-types")
@login_required
def types(slug: str):
    event = managed_event(slug)
    return render_template("registration/admin/types.html", event=event, types=catalog.types_of(event),
                           counts=queries.counts_by_type_and_status(event))


@bp.route("/events/<slug>/registration-types/new", methods=["GET", "POST"])
@login_required
def new_type(slug: str):
    event = managed_event(slug)
    form = TypeForm()
    if form.validate_on_submit():
        try:
            rtype = catalog.create_type(event, actor=current_user, **values_of(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.code.errors.append(exc.describe())
        else:
            flash(_("The registration type “%(name)s” is created.", name=rtype.name), "success")
            return redirect(url_for(".edit_type", slug=slug, type_id=rtype.id))
    return render_template("registration/admin/type_form.html", event=event, form=form, rtype=None)


@bp.route("/events/<slug>/registration-types/<int:type_id>", methods=["GET", "POST"])
@login_required
def edit_type(slug: str, type_id: int):
    rtype = get_or_404(RegistrationType, type_id, event=managed_event(slug))
    form = TypeForm(data=type_form_data(rtype))
    if form.validate_on_submit():
        try:
            catalog.update_type(rtype, actor=current_user, **values_of(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.code.errors.append(exc.describe())
        else:
            flash(_("The registration type “%(name)s” is saved.", name=rtype.name), "success")
            return redirect(url_for(".types", slug=slug))
    return render_template("registration/admin/type_form.html", event=rtype.event, form=form, rtype=rtype)


@bp.route("/events/<slug>/registration-types/<int:type_id>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(slug: str, type_id: int):
    rtype = get_or_404(RegistrationType, type_id, event=managed_event(slug))
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            catalog.add_question(rtype, actor=current_user, **values_of(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("The question is added."), "success")
            return redirect(url_for(".edit_type", slug=slug, type_id=type_id))
    return render_template("registration/admin/question_form.html", event=rtype.event, rtype=rtype,
                           form=form, question=None)


@bp.route("/events/<slug>/registration-types/<int:type_id>/questions/<int:question_id>",
          methods=["GET", "POST"])
@login_required
def edit_question(slug: str, type_id: int, question_id: int):
    question = _load_question(slug, type_id, question_id)
    form = QuestionEditForm(data=question_form_data(question))
    if form.validate_on_submit():
        try:
            catalog.update_question(question, actor=current_user, **values_of(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("The question is saved."), "success")
            return redirect(url_for(".edit_type", slug=slug, type_id=type_id))
    rtype = question.registration_type
    return render_template("registration/admin/question_form.html", event=rtype.event, rtype=rtype,
                           form=form, question=question)


@bp.post("/events/<slug>/registration-types/<int:type_id>/questions/<int:question_id>/active")
@login_required
def set_question_active(slug: str, type_id: int, question_id: int):
    question = _load_question(slug, type_id, question_id)
    active = request.form.get("active") == "1"
    catalog.set_question_active(question, active, actor=current_user)
    flash(_("The question is shown on the form again.") if active
          else _("The question is hidden from the form; earlier answers are kept."), "info")
    return redirect(url_for(".edit_type", slug=slug, type_id=type_id))


# --- workshop and conference sessions -------------------------------------------------------------

@bp.get("/events/<slug>/sessions/manage")
@login_required
def sessions(slug: str):
    event = managed_event(slug)
    sessions = catalog.sessions_of(event)
    return render_template("registration/admin/sessions.html", event=event, sessions=sessions,
                           row_panels=hooks.render_row_panels(hooks.SESSIONS_ADMIN, event=event,
                                                              sessions=sessions, user=current_user))


@bp.route("/events/<slug>/sessions/manage/new", methods=["GET", "POST"])
@login_required
def new_session(slug: str):
    event = managed_event(slug)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            created = catalog.create_session(event, actor=current_user, **values_of(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("The session “%(title)s” is created.", title=created.title), "success")
            return redirect(url_for(".sessions", slug=slug))
    return render_template("registration/admin/session_form.html", event=event, form=form, item=None)


@bp.route("/events/<slug>/sessions/manage/<int:session_id>", methods=["GET", "POST"])
@login_required
def edit_session(slug: str, session_id: int):
    item = get_or_404(EventSession, session_id, event=managed_event(slug))
    form = SessionForm(data=session_form_data(item))
    if form.validate_on_submit():
        try:
            catalog.update_session(item, actor=current_user, **values_of(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("The session “%(title)s” is saved.", title=item.title), "success")
            return redirect(url_for(".sessions", slug=slug))
    return render_template("registration/admin/session_form.html", event=item.event, form=form, item=item)
