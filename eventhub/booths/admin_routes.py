"""Organizers' booth pages: the floor plan, application review, and the allocation tools."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import permissions
from ..access import get_or_404, managed_event
from ..dbtypes import MAX_ID
from ..downloads import file_response
from ..errors import EventHubError, ValidationError
from ..extensions import db
from ..forms import apply_errors
from . import allocation, floorplan, queries, services
from .forms import STATUS_LABELS, FloorplanForm, PlaceForm, ReviewForm, RunForm, SwapForm, size_label
from .locking import floorplan_of
from .models import Booth, Exhibitor
from .routes import map_for

bp = Blueprint("booths_admin", __name__)


def _application(event, exhibitor_id: int) -> Exhibitor:
    """The exhibitor a posted id names in this event, else 404 (a form's id is not bounded as a URL's is)."""
    exhibitor = db.session.get(Exhibitor, exhibitor_id) if exhibitor_id <= MAX_ID else None
    if exhibitor is None or exhibitor.event_id != event.id:
        abort(404)
    return exhibitor


# --- the floor plan ----------------------------------------------------------------------------------

def _plan_from(form: FloorplanForm) -> dict:
    upload = form.plan_file.data
    if upload and getattr(upload, "filename", ""):
        raw = upload.read(2_000_000)
        if upload.filename.lower().endswith(".json"):
            return floorplan.parse_json(raw)
        return floorplan.parse_csv(raw)
    return floorplan.parse_csv(form.plan_csv.data or "")


@bp.route("/events/<slug>/floorplan/edit", methods=["GET", "POST"])
@login_required
def edit_floorplan(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    form = FloorplanForm()
    if request.method == "GET":
        form.plan_csv.data = floorplan.plan_as_csv(services.zones_of(event), services.booths_of(event))
    if form.validate_on_submit():
        try:
            booths = services.replace_floorplan(event, _plan_from(form), actor=current_user)
            flash(_("The floor plan is saved: %(n)d booths.", n=len(booths)), "success")
            return redirect(url_for(".edit_floorplan", slug=slug))
        except ValidationError as exc:
            form.form_errors.extend(f"{name}: {' '.join(messages)}" for name, messages in exc.fields.items())
        except EventHubError as exc:
            form.form_errors.append(exc.describe())
    return render_template("booths/admin/floorplan.html", event=event, form=form, floor=map_for(event),
                           assigned=services.has_placements(event))


@bp.get("/events/<slug>/floorplan.csv")
@login_required
def floorplan_csv(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    body = floorplan.plan_as_csv(services.zones_of(event), services.booths_of(event)).encode()
    return file_response(body, "text/csv", f"floorplan-{event.slug}.csv")


@bp.post("/events/<slug>/floorplan/clear-assignment")
@login_required
def clear_assignment(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    removed = services.clear_assignment(event, actor=current_user)
    flash(_("%(n)d placements removed.", n=removed), "success")
    return redirect(url_for(".edit_floorplan", slug=slug))


# --- applications ------------------------------------------------------------------------------------

@bp.get("/events/<slug>/booth-applications")
@login_required
def applications(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    return render_template("booths/admin/applications.html", event=event, status=status,
                           applications=queries.applications(event, status=status),
                           placed=queries.placements_by_exhibitor(event))


@bp.route("/events/<slug>/booth-applications/<int:exhibitor_id>", methods=["GET", "POST"])
@login_required
def application(slug: str, exhibitor_id: int):
    event = managed_event(slug, permissions.can_manage_booths)
    exhibitor = get_or_404(Exhibitor, exhibitor_id, event=event)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            services.review(exhibitor, form.decision.data, note=form.note.data, actor=current_user)
            flash(_("%(org)s: %(status)s. The startup has been e-mailed.", org=exhibitor.organization,
                    status=STATUS_LABELS[exhibitor.status.value]), "success")
            return redirect(url_for(".applications", slug=slug))
        except ValidationError as exc:
            apply_errors(form, exc)
        except EventHubError as exc:
            form.form_errors.append(exc.describe())
    by_id = {e.id: e for e in queries.applications(event)}
    return render_template("booths/admin/application.html", event=event, exhibitor=exhibitor, form=form,
                           avoided=[by_id[i] for i in exhibitor.avoid or [] if i in by_id],
                           placed=queries.placements_by_exhibitor(event).get(exhibitor.id))


def _describe(exc: EventHubError) -> str:
    return " ".join([exc.describe(), *(m for ms in (exc.fields or {}).values() for m in ms)])


# --- allocation --------------------------------------------------------------------------------------

def _tool_forms(event, views):
    active = [e for e in queries.applications(event) if e.is_active]
    place, swap = PlaceForm(prefix="place"), SwapForm(prefix="swap")
    place.booth.choices = [SelectChoice(v.booth.code, f"{v.booth.code} ({size_label(v.booth.size)})")
                           for v in views]
    people = [SelectChoice(str(e.id), f"{e.organization} ({size_label(e.size)})") for e in active]
    place.exhibitor.choices = [SelectChoice("", "—"), *people]
    swap.first.choices = swap.second.choices = people
    return place, swap, active


@bp.get("/events/<slug>/booths/allocation")
@login_required
def allocation_page(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    views = queries.booth_views(event)
    place, swap, active = _tool_forms(event, views)
    placed = queries.placements_by_exhibitor(event)
    plan = floorplan_of(event.id)
    reasons = (plan.last_run or {}).get("reasons", {}) if plan else {}
    unplaced = [(e, reasons.get(str(e.id))) for e in active if e.id not in placed]
    return render_template("booths/admin/allocation.html", event=event, floor=map_for(event), plan=plan,
                           run_form=RunForm(), place_form=place, swap_form=swap, placed=placed,
                           unplaced=unplaced, exhibitors=active)


@bp.post("/events/<slug>/booths/allocation/run")
@login_required
def run(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    form = RunForm()
    if form.validate_on_submit():
        try:
            limit = float(form.time_limit.data) if form.time_limit.data else None
            solution = allocation.assign_booths(event, actor=current_user, time_limit=limit)
            flash(_("%(placed)d exhibitors placed, %(unplaced)d without a booth; objective %(objective)d "
                    "(%(proof)s).", placed=solution.placed, unplaced=len(solution.unassigned),
                    objective=solution.objective,
                    proof=_("proven optimal") if solution.optimal else
                    _("gap %(gap).2f %%", gap=solution.gap * 100)), "success")
        except EventHubError as exc:
            flash(exc.describe(), "danger")
    else:
        flash(" ".join(str(e) for e in form.time_limit.errors) or _("Please try again."), "danger")
    return redirect(url_for(".allocation_page", slug=slug))


@bp.post("/events/<slug>/booths/allocation/place")
@login_required
def place(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    form = PlaceForm(prefix="place")
    code, chosen = form.booth.data or "", form.exhibitor.data or ""
    booth = None
    if len(code) <= 20:
        booth = db.session.scalar(db.select(Booth).filter_by(event_id=event.id, code=code))
    if not form.validate_on_submit() or booth is None:
        flash(_("Choose a booth of the plan."), "danger")
        return redirect(url_for(".allocation_page", slug=slug))
    exhibitor = _application(event, int(chosen)) if chosen.isdigit() else None
    try:
        displaced = allocation.place(event, booth, exhibitor, locked=form.locked.data, actor=current_user)
        flash(_("Booth %(code)s updated.", code=booth.code) + (" " + _(
            "%(n)d exhibitors lost their booth to make room; re-run the optimizer to place them.",
            n=len(displaced)) if displaced else ""), "success")
    except EventHubError as exc:
        flash(_describe(exc), "danger")
    return redirect(url_for(".allocation_page", slug=slug))


@bp.post("/events/<slug>/booths/allocation/swap")
@login_required
def swap(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    form = SwapForm(prefix="swap")
    if form.validate_on_submit() and (form.first.data or "").isdigit() and (form.second.data or "").isdigit():
        first, second = _application(event, int(form.first.data)), _application(event, int(form.second.data))
        try:
            allocation.swap(event, first, second, actor=current_user)
            flash(_("%(a)s and %(b)s swapped booths.", a=first.organization, b=second.organization),
                  "success")
        except EventHubError as exc:
            flash(_describe(exc), "danger")
    return redirect(url_for(".allocation_page", slug=slug))


@bp.post("/events/<slug>/booths/allocation/confirm")
@login_required
def confirm(slug: str):
    event = managed_event(slug, permissions.can_manage_booths)
    sent = allocation.confirm(event, actor=current_user)
    flash(_("The assignment is confirmed; %(n)d exhibitors are being e-mailed their booth.", n=sent),
          "success")
    return redirect(url_for(".allocation_page", slug=slug))
