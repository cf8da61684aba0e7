"""Badge pages: the organizers' bulk badge job, and print on demand at the desk ("In thẻ")."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import jobs, permissions
from ..access import get_or_404, managed_event
from ..downloads import file_response
from ..jobs.labels import JOB_LABELS
from ..registration import catalog
from ..registration.models import Registration
from ..urls import safe_local_path
from . import services as badges
from .forms import LAYOUT_LABELS, BadgeJobForm

bp = Blueprint("badges", __name__)

JOB_LABELS["badges"] = _l("Badges")


@bp.route("/events/<slug>/badges", methods=["GET", "POST"])
@login_required
def bulk_badges(slug: str):
    event = managed_event(slug)
    form = BadgeJobForm()
    form.set_choices(catalog.types_of(event))
    if form.validate_on_submit():
        filters = {"type_code": form.type.data or None, "status": form.status.data}
        if not badges.count_badges(event, **filters):
            flash(_("No confirmed registration matches: there is no badge to print."), "warning")
        else:
            job = jobs.start("badges", actor=current_user, event=event, event_id=event.id,
                             layout=form.layout.data, type=filters["type_code"], status=filters["status"])
            return redirect(url_for("jobs.show", job_id=job.id))
    return render_template("badges/bulk_badges.html", event=event, form=form,
                           confirmed=badges.count_badges(event))


@bp.route("/events/<slug>/registrations/<int:reg_id>/badge.pdf", methods=["GET", "POST"])
@login_required
def print_badge(slug: str, reg_id: int):
    """GET shows the badge and records nothing (a link, a prefetch or an <img> on another site must not
    write the print log in the viewer's name); POST – the desk's "Print badge" button, with CSRF – logs
    the print (asking first when it was printed before) and sends the browser to the badge (303)."""
    event = managed_event(slug, permissions.can_check_in)
    reg = get_or_404(Registration, reg_id, event=event)
    layout = request.values.get("layout", "a6")
    if layout not in badges.LAYOUTS:
        abort(404)
    data = badges.registration_badge_data(reg)  # 409 for a registration without a ticket
    if request.method == "POST":
        earlier = badges.previous_prints(reg)
        if earlier and request.form.get("confirm") != "1":
            back = safe_local_path(request.values.get("next"), url_for("events.show", slug=slug))
            return render_template("badges/print_badge.html", event=event, reg=reg, earlier=earlier,
                                   layout=layout, layout_labels=LAYOUT_LABELS, back=back)
        badges.record_print(reg, actor=current_user, layout=layout)
        return redirect(url_for(".print_badge", slug=slug, reg_id=reg.id, layout=layout), 303)
    pdf = badges.render_badges([data], layout)
    filename = f"badge-{slug}-{reg.id}.pdf"
    response = file_response(pdf, "application/pdf", filename)
    # Opened in the browser's viewer, ready to print, rather than saved.
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
