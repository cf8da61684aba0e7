"""The check-in desk and live numbers, for gate staff and organizers.

Works without JavaScript: a scan is a plain POST that renders the desk with its result, the field
empty and focused for the next scan. static/js/checkin.js only makes the same POST in the background.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from .. import permissions
from ..access import get_or_404, managed_event
from ..dbtypes import utcnow
from ..errors import EventHubError, ValidationError, json_error
from ..i18n import format_date
from ..registration import catalog
from ..registration.labels import STATUS_LABELS
from ..registration.models import Registration
from . import door_routes, gates, offline, offline_desk, services  # imports the check-in tables too
from .blueprint import bp
from .errors import AlreadyCheckedIn, AlreadyUndone
from .forms import ActionForm, GateForm, ScanForm
from .models import CheckIn

GATE_COOKIE = "eventhub_gate"  # the gate's name, percent-encoded (UTF-8), kept a year on the device
GATE_COOKIE_AGE = 365 * 24 * 3600


def mask_email(email: str | None) -> str:
    """Enough of an address to tell two namesakes apart at the gate, not enough to copy it."""
    local, _at, domain = (email or "").partition("@")
    return f"{local[:2]}…@{domain}" if domain else ""


def mask_phone(phone: str | None) -> str:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return f"…{digits[-3:]}" if digits else ""


@bp.context_processor
def _helpers():
    return {"status_labels": STATUS_LABELS, "mask_email": mask_email, "mask_phone": mask_phone,
            "checkin_phase": services.phase_of}


def _gate() -> str:
    """This device's gate, from its cookie; a cookie no form could have set counts as none."""
    try:
        return services.clean_gate(unquote(request.cookies.get(GATE_COOKIE, "")))
    except ValidationError:
        return ""


def _phase(event, checkin, refusal: EventHubError | None) -> str | None:
    """Where the scan shown falls: a new check-in's day, or for `already_checked_in` the day of the
    check-in that refused it, so a second test scan reads as a test scan (amber), not as red."""
    if checkin is None and isinstance(refusal, AlreadyCheckedIn) and refusal.checkin is not None:
        checkin = refusal.checkin
    return services.phase_of(checkin, event) if checkin is not None else None


def _desk(event, *, checkin=None, refusal: EventHubError | None = None, q: str | None = None,
          status: int = 200):
    q = request.args.get("q", "") if q is None else q
    gate = _gate()
    page = render_template(
        "checkin/desk.html", event=event, gate=gate, checkin=checkin, refusal=refusal, q=q,
        people=services.find_people(event, q), recent=services.recent_check_ins(event),
        today=format_date(utcnow(), event.timezone),
        phase=_phase(event, checkin, refusal),
        doors=door_routes.sessions_today(event),
        scan_form=ScanForm(formdata=None), gate_form=GateForm(formdata=None, gate=gate),
        action_form=ActionForm(formdata=None), offline_texts=offline_desk.texts(event))
    return page, status


@bp.get("/events/<slug>/checkin")
@login_required
def desk(slug: str):
    return _desk(managed_event(slug, permissions.can_check_in))


@bp.post("/events/<slug>/checkin")
@login_required
def scan(slug: str):
    event = managed_event(slug, permissions.can_check_in)
    form = ScanForm()
    if not form.validate_on_submit() or not (form.ticket_code.data or "").strip():
        return _desk(event)  # Enter on an empty field: nothing to say
    try:
        checkin = services.check_in(event, form.ticket_code.data, gate=_gate(), staff=current_user)
    except EventHubError as exc:
        return _desk(event, refusal=exc, status=exc.status)
    return _desk(event, checkin=checkin)


@bp.post("/events/<slug>/checkin/registrations/<int:reg_id>")
@login_required
def check_in_by_hand(slug: str, reg_id: int):
    event = managed_event(slug, permissions.can_check_in)
    reg = get_or_404(Registration, reg_id, event=event)
    q = (request.form.get("q") or "")[:200]
    try:
        checkin = services.check_in_registration(event, reg, gate=_gate(), staff=current_user)
    except EventHubError as exc:
        return _desk(event, refusal=exc, q=q, status=exc.status)
    return _desk(event, checkin=checkin, q=q)


@bp.post("/events/<slug>/checkin/gate")
@login_required
def set_gate(slug: str):
    event = managed_event(slug, permissions.can_check_in)
    form = GateForm()
    response = redirect(url_for(".desk", slug=event.slug))
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.gate.errors) or _("Please try again."), "danger")
        return response
    gate = services.clean_gate(form.gate.data)
    response.set_cookie(GATE_COOKIE, quote(gate), max_age=GATE_COOKIE_AGE, samesite="Lax", httponly=True,
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    flash(_("This device is now at gate “%(gate)s”.", gate=gate) if gate
          else _("This device has no gate name now."), "success")
    return response


@bp.post("/events/<slug>/checkin/<int:checkin_id>/undo")
@login_required
def undo(slug: str, checkin_id: int):
    event = managed_event(slug)
    checkin = get_or_404(CheckIn, checkin_id, event=event)
    try:
        services.undo_check_in(checkin, actor=current_user)
    except AlreadyUndone as exc:
        flash(exc.describe(), "warning")
    else:
        flash(_("The check-in of %(name)s is undone: the ticket can be scanned again.",
                name=checkin.registration.full_name), "success")
    return redirect(url_for(".desk", slug=event.slug))


# --- the desk without a network (issue 17): the same services as /api/v1, with the desk's session -----

@bp.get("/events/<slug>/checkin/offline-kit")
@login_required
def offline_kit(slug: str):
    """The offline kit of api.md, and a fresh CSRF token for the batch (the page may be an offline copy)."""
    event = managed_event(slug, permissions.can_check_in)
    response = jsonify({**offline.offline_kit(event), "csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"  # names of people: not for shared caches
    return response


@bp.post("/events/<slug>/checkin/batch")
@login_required
def check_in_batch(slug: str):
    """The scans this desk decided offline, judged by the server as of their `scanned_at` (api.md)."""
    event = managed_event(slug, permissions.can_check_in)
    try:
        device, scans = offline_desk.read_batch(request.get_json(silent=True))
        results = offline.check_in_batch(event, scans, device=device, staff=current_user)
    except EventHubError as exc:
        return json_error(exc)
    return jsonify({"results": results})


@bp.get("/events/<slug>/checkin/sw.js")
def service_worker(slug: str):
    """The desk's service worker, served under the desk so that its scope can be the desk itself
    (a worker under /static/ could only control /static/). Public: plain code, no data."""
    response = send_from_directory(current_app.static_folder, "js/checkin-sw.js", max_age=0,
                                   mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = url_for(".desk", slug=slug)
    return response


@bp.get("/events/<slug>/checkin/manifest.webmanifest")
def manifest(slug: str):
    """The web app manifest of the desk. Public: browsers fetch manifests without cookies."""
    response = jsonify(offline_desk.manifest(slug))
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/events/<slug>/checkin/stats")
@login_required
def stats(slug: str):
    event = managed_event(slug, permissions.can_check_in)
    types = {rtype.code: rtype for rtype in catalog.types_of(event)}
    numbers = services.stats(event)
    peak = max([slot["count"] for slot in numbers["arrivals"]] or [0])
    return render_template("checkin/stats.html", event=event, stats=numbers, types=types, peak=peak,
                           updated_at=utcnow().astimezone(event.tz).strftime("%H:%M:%S"))


@bp.get("/checkin")
@login_required
def gate_home():
    """The staff menu's desk: straight to the one event under way, else a choice of the coming ones."""
    if not permissions.may_work_a_gate(current_user):
        abort(403)
    now = utcnow()
    events = gates.events_at_the_gate(current_user, now)
    today = gates.under_way(events, now)
    if len(today) == 1:
        return redirect(url_for(".desk", slug=today[0].slug))
    return render_template("checkin/gate_home.html", events=events, under_way={event.id for event in today})

