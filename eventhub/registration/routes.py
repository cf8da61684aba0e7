"""Public registration pages: the form, the manage page behind the e-mailed link, the agenda."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import hooks
from ..dbtypes import utcnow
from ..downloads import file_response
from ..errors import Conflict, Forbidden, ValidationError
from ..events.services import get_event
from ..extensions import db, limiter
from ..forms import apply_errors
from ..i18n import current_language
from ..ratelimits import (
    REGISTRATION_IP_SCOPE,
    RESEND_EMAIL_SCOPE,
    RESEND_IP_SCOPE,
    client_network_key,
    from_trusted_network,
    registration_email_key,
    registration_limit_per_email,
    registration_limit_per_ip,
    resend_email_key,
    resend_limit_per_email,
    resend_limit_per_ip,
)
from . import attendance as attendance_service
from . import catalog, services
from .errors import RegistrationClosed
from .forms import (
    DetailsForm,
    LostLinkForm,
    answers_from_form,
    form_data_from_answers,
    registration_form_class,
)
from .ical import sessions_ics
from .labels import STATUS_LABELS
from .models import Registration, RegistrationType
from .qr import qr_png, qr_svg_data_uri
from .tickets import read_manage_token

bp = Blueprint("registration", __name__)


@bp.app_context_processor
def _registration_helpers():
    return {"registration_status_labels": STATUS_LABELS}


def _load_type(slug: str, code: str) -> RegistrationType:
    rtype = services.event_with_type(slug, code).rtype  # with its event and questions, in one statement
    if rtype is None:
        abort(404)
    return rtype


def load_by_manage_token(token: str) -> Registration:
    found = read_manage_token(token)
    reg = db.session.get(Registration, found[0]) if found else None
    if reg is None or reg.manage_nonce != found[1]:
        abort(404)
    return reg


def _form_errors_to_fields(form, exc: ValidationError) -> None:
    """Service errors use API names (`answers.key`); the form calls the field `q_key`."""
    renamed = {("q_" + k.split(".", 1)[1] if k.startswith("answers.") else k): v
               for k, v in (exc.fields or {}).items()}
    apply_errors(form, ValidationError(renamed))


@bp.get("/events/<slug>/agenda")
def agenda(slug: str):
    event = get_event(slug)
    return render_template("registration/agenda.html", event=event, sessions=catalog.sessions_of(event))


@bp.get("/events/<slug>/agenda.ics")
def agenda_ics(slug: str):
    event = get_event(slug)
    body = sessions_ics(catalog.sessions_of(event), name=event.name)
    return file_response(body, "text/calendar", f"{event.slug}.ics", private=False)


@bp.route("/events/<slug>/register/<code>", methods=["GET", "POST"])
@limiter.shared_limit(registration_limit_per_ip, REGISTRATION_IP_SCOPE, key_func=client_network_key,
                      methods=["POST"], exempt_when=from_trusted_network)
@limiter.limit(registration_limit_per_email, key_func=registration_email_key, methods=["POST"])
def register(slug: str, code: str):
    rtype = _load_type(slug, code)
    event = rtype.event
    sessions = catalog.sessions_of(event)
    form = registration_form_class(rtype, sessions)()
    is_open = services.registration_is_open(event, rtype, utcnow())
    if is_open and form.validate_on_submit():
        try:
            _reg, token = services.register(
                event, preloaded=services.EventWithType(event, rtype), type_code=rtype.code,
                full_name=form.full_name.data, email=form.email.data,
                phone=form.phone.data, organization=form.organization.data,
                answers=answers_from_form(form, rtype),
                session_ids=form.sessions.data if "sessions" in form else [],
                consent=bool(form.consent.data), locale=current_language())
        except ValidationError as exc:
            _form_errors_to_fields(form, exc)
        except (Conflict, Forbidden) as exc:
            form.form_errors.append(exc.describe())
        else:
            return redirect(url_for(".manage", token=token, new=1))
    return render_template("registration/register.html", event=event, rtype=rtype, form=form,
                           is_open=is_open)


@bp.get("/r/<token>")
def manage(token: str):
    reg = catalog.with_chosen_sessions(load_by_manage_token(token))
    qr = qr_svg_data_uri(reg.ticket_code) if reg.status.value == "confirmed" else None
    return render_template("registration/manage.html", reg=reg, event=reg.event, token=token, qr=qr,
                           panels=hooks.render_panels(hooks.REGISTRATION_PAGE, reg=reg, token=token),
                           just_registered=request.args.get("new") == "1",
                           can_edit=services.can_edit_details(reg),
                           can_answer=attendance_service.can_answer(reg))


@bp.get("/r/<token>/ticket.png")
def ticket_png(token: str):
    reg = load_by_manage_token(token)
    if reg.status.value != "confirmed":
        abort(404)
    return file_response(qr_png(reg.ticket_code), "image/png", f"ticket-{reg.event.slug}-{reg.id}.png")


@bp.get("/r/<token>/sessions.ics")
def my_sessions_ics(token: str):
    reg = load_by_manage_token(token)
    sessions = [c.session for c in reg.session_choices if c.holding]
    return file_response(sessions_ics(sessions, name=reg.event.name), "text/calendar",
                         "my-sessions.ics")


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
def edit(token: str):
    reg = load_by_manage_token(token)
    rtype = reg.registration_type
    if not services.can_edit_details(reg):
        return _closed_for_changes(token)
    form_class = registration_form_class(rtype, [], base=DetailsForm, with_consent=False)
    form = form_class(data={"full_name": reg.full_name, "phone": reg.phone,
                            "organization": reg.organization, **form_data_from_answers(reg)})
    if form.validate_on_submit():
        try:
            services.update_details(reg, full_name=form.full_name.data, phone=form.phone.data,
                                    organization=form.organization.data,
                                    answers=answers_from_form(form, rtype))
        except ValidationError as exc:
            _form_errors_to_fields(form, exc)
        except RegistrationClosed:  # closed between showing the form and saving it
            return _closed_for_changes(token)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".manage", token=token))
    return render_template("registration/edit.html", reg=reg, event=reg.event, form=form, token=token)


def _closed_for_changes(token: str):
    flash(_("Registration is closed, so it can no longer be changed."), "warning")
    return redirect(url_for(".manage", token=token))


@bp.route("/r/<token>/sessions", methods=["GET", "POST"])
def choose_sessions(token: str):
    reg = load_by_manage_token(token)
    sessions = catalog.sessions_of(reg.event)
    if reg.status.value == "cancelled" or not sessions:
        return redirect(url_for(".manage", token=token))
    chosen = {c.session_id for c in reg.session_choices}
    if request.method == "POST":
        try:
            wanted = [int(v) for v in request.form.getlist("sessions")]
            services.change_sessions(reg, wanted)
        except ValueError:
            flash(_("Choose sessions of this event."), "danger")
        except ValidationError as exc:
            flash(" ".join(m for msgs in exc.fields.values() for m in msgs), "danger")
        except Conflict as exc:
            flash(exc.describe(), "danger")
        else:
            flash(_("Your sessions are saved."), "success")
            return redirect(url_for(".manage", token=token))
    return render_template("registration/sessions.html", reg=reg, event=reg.event, sessions=sessions,
                           chosen=chosen, token=token)


@bp.route("/registrations/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link e-mailed for a hold: a button (a GET changes nothing, mail scanners open links too)."""
    reg = services.registration_by_email_token(token)
    if reg is None:
        abort(404)
    if request.method == "POST":
        try:
            services.confirm_email(reg)
        except Conflict as exc:
            flash(exc.describe(), "warning")
        else:
            flash(_("Thank you: your e-mail address is confirmed."), "success")
        return redirect(url_for(".manage", token=services.manage_token(reg)))
    return render_template("registration/confirm_email.html", reg=reg, event=reg.event, token=token)


@bp.route("/events/<slug>/lost-link", methods=["GET", "POST"])
@limiter.shared_limit(resend_limit_per_ip, RESEND_IP_SCOPE, key_func=client_network_key, methods=["POST"],
                      exempt_when=from_trusted_network)
@limiter.shared_limit(resend_limit_per_email, RESEND_EMAIL_SCOPE, key_func=resend_email_key,
                      methods=["POST"])
def lost_link(slug: str):
    """"Lost your link?": the same answer whether or not the address is registered."""
    event = get_event(slug)
    form = LostLinkForm()
    if form.validate_on_submit():
        services.resend_links(event, form.email.data)
        flash(_("If this address is registered for this event, its links are on their way. "
                "Please check your inbox (and the spam folder)."), "info")
        return redirect(url_for(".lost_link", slug=event.slug))
    return render_template("registration/lost_link.html", event=event, form=form)


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    """Asks once more (a tap on a phone is easy to make by mistake), then cancels."""
    reg = load_by_manage_token(token)
    if request.method == "GET":
        return render_template("registration/cancel.html", reg=reg, event=reg.event, token=token)
    services.cancel_registration(reg, reason=None)
    flash(_("Your registration is cancelled."), "info")
    return redirect(url_for(".manage", token=token))


@bp.route("/r/<token>/attendance", methods=["GET", "POST"])
def attendance(token: str):
    """The reminder's two answers: a page saying what the answer does, then one button that POSTs (mail
    scanners open links: a GET changes nothing)."""
    reg = load_by_manage_token(token)
    answer = request.values.get("answer")
    if request.method == "GET" or answer not in ("yes", "no"):
        return render_template("registration/attendance.html", reg=reg, event=reg.event, token=token,
                               answer=answer if answer in ("yes", "no") else None,
                               can_answer=attendance_service.can_answer(reg))
    try:
        attendance_service.set_attendance(reg, answer == "yes")
    except Conflict as exc:
        flash(exc.describe(), "warning")
    else:
        if answer == "yes":
            flash(_("Thank you: we will be glad to see you."), "success")
        elif reg.registration_type.waitlist:
            flash(_("Your registration is cancelled. Thank you for telling us: your seat goes to someone "
                    "on the waiting list."), "info")
        else:
            flash(_("Your registration is cancelled. Thank you for telling us: your place is given back for "
                    "someone else to register."), "info")
    return redirect(url_for(".manage", token=token))


@bp.get("/r/<token>/data.json")
def my_data(token: str):
    reg = load_by_manage_token(token)
    response = jsonify(services.export_personal_data(reg))
    response.headers["Content-Disposition"] = "attachment; filename=my-registration.json"
    return response


@bp.post("/r/<token>/erase")
def erase(token: str):
    reg = load_by_manage_token(token)
    if request.form.get("confirm") != "yes":
        flash(_("Please tick the box to confirm."), "danger")
        return redirect(url_for(".manage", token=token))
    event = reg.event
    services.erase_personal_data(reg)
    flash(_("Your registration and its personal data are erased."), "info")
    return redirect(url_for("events.show", slug=event.slug))
