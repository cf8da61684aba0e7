"""Event pages: the public home and event pages, and organizers' create, edit and manage."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import hooks, permissions
from ..access import get_or_404, managed_event
from ..accounts import services as accounts
from ..accounts.models import EventRole
from ..audit.services import entries_for_event
from ..dbtypes import utcnow
from ..errors import Conflict, ValidationError
from ..extensions import db
from ..forms import apply_errors
from ..vietnamese import sort_people
from . import services
from .forms import KIND_LABELS, EventForm, GrantRoleForm

bp = Blueprint("events", __name__)


@bp.app_context_processor
def _kind_labels():
    return {"event_kind_labels": KIND_LABELS}


def _form_values(form: EventForm) -> dict:
    return {name: form[name].data for name in ("name", "slug", "kind", "starts_at", "ends_at",
                                               "venue", "description", "registration_open")}


@bp.get("/")
def home():
    now = utcnow()
    upcoming = list(db.session.scalars(services.events_query(upcoming_from=now)))
    return render_template("events/home.html", upcoming=upcoming,
                           past=services.past_events(now=now))


@bp.get("/events/<slug>")
def show(slug: str):
    event = services.get_event(slug)
    return render_template("events/show.html", event=event, panels=_event_page_panels(event))


def _event_page_panels(event) -> dict:
    """What other features show on the event page, by place; their data is loaded here, not in templates."""
    slots = {"page": hooks.EVENT_PAGE, "links": hooks.EVENT_LINKS, "gate": hooks.EVENT_GATE,
             "organizer": hooks.EVENT_ORGANIZER}
    return {place: hooks.render_panels(slot, event=event, user=current_user) for place, slot in slots.items()}


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def create():
    if not permissions.can_create_event(current_user):
        abort(403)
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = services.create_event(actor=current_user, **_form_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.slug.errors.append(exc.describe())
        else:
            flash(_("The event is created."), "success")
            return redirect(url_for(".show", slug=event.slug))
    return render_template("events/form.html", form=form, event=None)


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    event = managed_event(slug)
    form = EventForm(obj=event)
    if request.method == "GET":  # the form edits local times in the event's own zone
        form.starts_at.data = event.local_starts_at.replace(tzinfo=None)
        form.ends_at.data = event.local_ends_at.replace(tzinfo=None)
        form.kind.data = event.kind.value
    if form.validate_on_submit():
        try:
            services.update_event(event, actor=current_user, **_form_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            form.slug.errors.append(exc.describe())
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for(".show", slug=event.slug))
    return render_template("events/form.html", form=form, event=event)


@bp.route("/events/<slug>/manage", methods=["GET", "POST"])
@login_required
def manage(slug: str):
    event = managed_event(slug)
    form = GrantRoleForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(form.email.data)
        if user is None or not user.email_verified:  # an unproven address names nobody yet
            form.email.errors.append(_("No account with a confirmed address has this e-mail address."))
        else:
            accounts.grant_event_role(user, event, form.role.data, actor=current_user)
            flash(_("%(name)s now has this role.", name=user.full_name), "success")
            return redirect(url_for(".manage", slug=slug))
    grants = sort_people(db.session.scalars(db.select(EventRole).where(EventRole.event_id == event.id)),
                         name=lambda grant: grant.user.full_name)
    return render_template("events/manage.html", event=event, form=form, grants=grants,
                           audit=entries_for_event(event, limit=50),
                           organizer_links=hooks.organizer_links(current_user, event))


@bp.post("/events/<slug>/manage/roles/<int:grant_id>/revoke")
@login_required
def revoke_role(slug: str, grant_id: int):
    event = managed_event(slug)
    grant = get_or_404(EventRole, grant_id, event=event)
    accounts.revoke_event_role(grant, event, actor=current_user)
    flash(_("The role is removed."), "info")
    return redirect(url_for(".manage", slug=slug))


@bp.get("/events/<slug>/audit")
@login_required
def audit(slug: str):
    event = managed_event(slug, permissions.can_view_audit)
    return render_template("events/audit.html", event=event,
                           entries=entries_for_event(event, limit=500))
