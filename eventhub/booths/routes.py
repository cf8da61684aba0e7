"""Booth pages for visitors (floor map, directory, exhibitor page, PDFs) and startups (applying)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import permissions
from ..access import get_or_404
from ..downloads import file_response
from ..errors import EventHubError, ValidationError
from ..events.services import get_event
from ..extensions import db
from ..forms import apply_errors
from ..sectors import SECTORS, canonical_sector, sector_label
from . import documents, logos, queries, services
from .days import event_days, exhibitor_days
from .forms import REASON_LABELS, STAGE_LABELS, STATUS_LABELS, ApplicationForm, DirectoryForm, size_label
from .models import Exhibitor, ExhibitorStatus
from .svg import floor_map as build_map

bp = Blueprint("booths", __name__)

SECTOR_CHOICES = tuple(SECTORS)


@bp.app_context_processor
def _labels():
    return {"exhibitor_status_labels": STATUS_LABELS, "stage_labels": STAGE_LABELS,
            "unplaced_reason_labels": REASON_LABELS}


# `{{ booth.size|booth_size }}`: "Tiêu chuẩn" for `standard` (macros imported without context use it too).
bp.add_app_template_filter(size_label, "booth_size")


def _day_arg(event) -> date | None:
    value = request.args.get("day")
    days = {d.isoformat(): d for d in event_days(event)}
    return days.get(value) if value else None


def map_for(event, *, day: date | None = None):
    return build_map(queries.booth_views(event, day=day), services.zones_of(event),
                     queries.sector_colours(event), free=queries.FREE_COLOUR,
                     url_for_exhibitor=lambda e: url_for("booths.exhibitor", slug=event.slug,
                                                         exhibitor_id=e.id))


def _visible_exhibitor(event, exhibitor_id: int) -> Exhibitor:
    exhibitor = get_or_404(Exhibitor, exhibitor_id, event=event)
    if exhibitor.status != ExhibitorStatus.approved and not permissions.can_view_application(
            current_user, exhibitor):
        abort(404)
    return exhibitor


# --- visitors ----------------------------------------------------------------------------------------

@bp.get("/events/<slug>/floor-map")
def floor_map(slug: str):
    event = get_event(slug)
    day = _day_arg(event)
    return render_template("booths/floor_map.html", event=event, floor=map_for(event, day=day),
                           days=event_days(event), day=day)


@bp.get("/events/<slug>/exhibitors")
def directory(slug: str):
    event = get_event(slug)
    form = DirectoryForm(formdata=request.args)
    form.sector.choices = [SelectChoice("", _("All sectors")),
                           *(SelectChoice(s, sector_label(s)) for s in queries.sectors(event))]
    exhibitors = queries.directory(event, q=form.q.data, sector=form.sector.data or None)
    return render_template("booths/directory.html", event=event, form=form, exhibitors=exhibitors,
                           placed=queries.placements_by_exhibitor(event),
                           has_map=queries.has_floor_plan(event))


@bp.get("/events/<slug>/exhibitors/<int:exhibitor_id>")
def exhibitor(slug: str, exhibitor_id: int):
    event = get_event(slug)
    shown = _visible_exhibitor(event, exhibitor_id)
    placed = queries.placements_by_exhibitor(event).get(shown.id)
    return render_template("booths/exhibitor.html", event=event, exhibitor=shown, placed=placed,
                           floor=map_for(event) if placed else None)


@bp.get("/events/<slug>/exhibitors/<int:exhibitor_id>/logo.png")
def logo(slug: str, exhibitor_id: int):
    event = get_event(slug)
    png = logos.load(_visible_exhibitor(event, exhibitor_id).logo_key)
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png", headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/events/<slug>/exhibitors.pdf")
def exhibitor_list_pdf(slug: str):
    event = get_event(slug)
    return _inline_pdf(documents.exhibitor_list_pdf(event), f"exhibitors-{event.slug}.pdf")


@bp.get("/events/<slug>/booths/<code>/sign.pdf")
def booth_sign(slug: str, code: str):
    event = get_event(slug)
    view = next((v for v in queries.booth_views(event) if v.booth.code == code), None)
    if view is None:
        abort(404)
    return _inline_pdf(documents.booth_sign_pdf(event, view), f"booth-{event.slug}-{code}.pdf")


def _inline_pdf(pdf: bytes, filename: str):
    response = file_response(pdf, "application/pdf", filename, private=False)
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


# --- startups ----------------------------------------------------------------------------------------

def _application_form(event, current: Exhibitor | None) -> ApplicationForm:
    form = ApplicationForm(obj=current) if current else ApplicationForm()
    if current and request.method == "GET":
        form.preferences.data = ", ".join(current.preferences or [])
        form.days.data = list(current.days or [])
        form.stage.data = current.stage.value if current.stage else ""
    # A zone's old spelling ("smartcity") is the list's code ("smart_city"): one choice per sector.
    zone_sectors = [canonical_sector(z.sector) for z in services.zones_of(event) if z.sector]
    sectors = list(dict.fromkeys([*zone_sectors, *SECTOR_CHOICES]))
    if current and request.method == "GET":
        form.sector.data = canonical_sector(current.sector)
    form.sector.choices = [SelectChoice(s, sector_label(s)) for s in sectors]
    form.size.choices = [SelectChoice(s, size_label(s)) for s in services.booth_sizes(event)]
    others = [e for e in queries.applications(event) if e.is_active and (not current or e.id != current.id)]
    form.avoid.choices = [SelectChoice(e.id, e.organization) for e in others]
    form.days.choices = [SelectChoice(d.isoformat(), d.strftime("%d/%m/%Y")) for d in event_days(event)]
    return form


def _values(form: ApplicationForm) -> dict:
    return {"organization": form.organization.data, "sector": form.sector.data, "size": form.size.data,
            "stage": form.stage.data or None, "product": form.product.data or "",
            "preferences": [p.strip() for p in (form.preferences.data or "").split(",") if p.strip()],
            "avoid": list(form.avoid.data or []), "days": list(form.days.data or []),
            "contact_email": form.contact_email.data or None, "tax_code": form.tax_code.data or None}


@bp.route("/events/<slug>/booth-application", methods=["GET", "POST"])
@login_required
def my_application(slug: str):
    event = get_event(slug)
    current = db.session.scalar(db.select(Exhibitor).where(
        Exhibitor.event_id == event.id, Exhibitor.user_id == current_user.id,
        Exhibitor.status != ExhibitorStatus.withdrawn).order_by(Exhibitor.id).limit(1))
    if current is None and not permissions.can_apply_for_booth(current_user, event):
        abort(403)
    form = _application_form(event, current)
    editable = current is None or current.status in (ExhibitorStatus.submitted,
                                                     ExhibitorStatus.changes_requested)
    if editable and form.validate_on_submit():
        logo = form.logo.data.read(logos.MAX_LOGO_BYTES + 1) if form.logo.data else None
        try:
            if current is None:
                services.apply(event, current_user, logo=logo, **_values(form))
                flash(_("Your application is submitted. We e-mailed you a confirmation."), "success")
            else:
                services.update_application(current, actor=current_user, logo=logo, **_values(form))
                flash(_("Your application is updated."), "success")
            return redirect(url_for(".my_application", slug=slug))
        except ValidationError as exc:
            apply_errors(form, exc)
        except EventHubError as exc:
            form.form_errors.append(exc.describe())
    placed = queries.placements_by_exhibitor(event).get(current.id) if current else None
    return render_template("booths/application.html", event=event, form=form, current=current,
                           editable=editable, placed=placed, no_booths=not services.booth_sizes(event),
                           days=exhibitor_days(event, current) if current else [])


@bp.post("/events/<slug>/booth-application/withdraw")
@login_required
def withdraw(slug: str):
    event = get_event(slug)
    current = db.session.scalar(db.select(Exhibitor).where(
        Exhibitor.event_id == event.id, Exhibitor.user_id == current_user.id,
        Exhibitor.status != ExhibitorStatus.withdrawn).order_by(Exhibitor.id).limit(1))
    if current is None:
        abort(404)
    try:
        services.withdraw(current, actor=current_user)
        flash(_("Your application is withdrawn."), "success")
    except EventHubError as exc:
        flash(exc.describe(), "danger")
    return redirect(url_for(".my_application", slug=slug))

