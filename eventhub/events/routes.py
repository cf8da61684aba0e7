"""Event pages: the public home and event pages, and organizers' create, edit and manage."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from .. import fragments, hooks, permissions
from ..access import get_or_404, managed_event
from ..accounts import services as accounts
from ..accounts.models import EventRole
from ..audit.services import actors_of, page_for_event
from ..audit.words import areas as audit_areas
from ..audit.words import describe_page
from ..dbtypes import MAX_ID, utcnow
from ..errors import Conflict, ValidationError
from ..extensions import db, reads_only
from ..forms import apply_errors
from ..i18n import format_number
from ..mail import outbox
from ..vietnamese import sort_people
from . import cockpit, services
from .forms import KIND_LABELS, EventForm, GrantRoleForm

bp = Blueprint("events", __name__)


@bp.app_context_processor
def _kind_labels():
    return {"event_kind_labels": KIND_LABELS}


def _form_values(form: EventForm) -> dict:
    return {name: form[name].data for name in ("name", "slug", "kind", "starts_at", "ends_at",
                                               "venue", "description", "registration_open",
                                               "reminder_hours")}


@bp.get("/")
def home():
    """Upcoming events soonest first, then past ones latest first: one lean query, and the cards rendered
    once for what they show (eventhub.fragments), the same for every visitor."""
    reads_only()  # read by crowds, writes nothing
    now = utcnow()
    rows = services.event_cards()
    upcoming = [row for row in rows if row.ends_at >= now]
    past = sorted((row for row in rows if row.ends_at < now), key=lambda row: row.starts_at, reverse=True)
    shown = (tuple(map(tuple, upcoming)), tuple(map(tuple, past)))
    content = fragments.cached("events/_home_events.html", shown, lambda: render_template(
        "events/_home_events.html", upcoming=upcoming, past=past))
    return fragments.render_public_page("events/home.html", content, content=content)


# The event's columns its page shows (templates/events/_event_header.html): the key of its kept HTML.
SHOWN = ("id", "slug", "name", "kind", "starts_at", "ends_at", "timezone", "venue", "description",
         "registration_open")


# Where the event page puts what other features show (templates/events/show.html: panels.<place>).
PLACES = {"page": hooks.EVENT_PAGE, "links": hooks.EVENT_LINKS, "gate": hooks.EVENT_GATE,
          "organizer": hooks.EVENT_ORGANIZER}
_SLOTS = tuple(PLACES.values())


@bp.get("/events/<slug>")
def show(slug: str):
    """The event and every panel's key in one statement (hooks.panel_keys); the parts rendered once for
    what they show (eventhub.fragments)."""
    reads_only()  # read by crowds, writes nothing
    keys = hooks.panel_keys(_SLOTS, services.EVENT_ID)
    event, values = services.get_event_with(slug, keys.columns)
    header = fragments.cached("events/_event_header.html", tuple(getattr(event, name) for name in SHOWN),
                              lambda: render_template("events/_event_header.html", event=event))
    data, user = keys.split(values), current_user._get_current_object()  # the proxy resolved once
    panels = {place: hooks.render_panels(slot, data=data, event=event, user=user)
              for place, slot in PLACES.items()}
    shown = (event.name, header, *panels.values())  # the title, and the fragments (kept by their own keys)
    return fragments.render_public_page("events/show.html", shown, event=event, header=header, panels=panels)


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
    grants = sort_people(db.session.scalars(db.select(EventRole).where(EventRole.event_id == event.id)
                                            .options(selectinload(EventRole.user))),
                         name=lambda grant: grant.user.full_name)
    return render_template("events/manage.html", event=event, form=form, grants=grants,
                           organizer_links=hooks.organizer_links(current_user, event),
                           **cockpit.page(event, current_user))


@bp.post("/events/<slug>/manage/roles/<int:grant_id>/revoke")
@login_required
def revoke_role(slug: str, grant_id: int):
    event = managed_event(slug)
    grant = get_or_404(EventRole, grant_id, event=event)
    accounts.revoke_event_role(grant, event, actor=current_user)
    flash(_("The role is removed."), "info")
    return redirect(url_for(".manage", slug=slug))


@bp.get("/outbox/failed")
@login_required
def failed_emails():
    if not permissions.can_manage_outbox(current_user):
        abort(403)
    return render_template("events/failed_emails.html", emails=outbox.failed_emails())


@bp.post("/outbox/failed/retry")
@login_required
def retry_failed_emails():
    if not permissions.can_manage_outbox(current_user):
        abort(403)
    count = services.retry_failed_emails(actor=current_user)
    flash(ngettext("%(n)s e-mail is queued again.", "%(n)s e-mails are queued again.", count,
                   n=format_number(count)), "success")
    return redirect(url_for(".failed_emails"))


@bp.get("/events/<slug>/audit")
@login_required
def audit(slug: str):
    """The event's log as sentences, 50 a page, filtered by area (a feature) or by person."""
    event = managed_event(slug, permissions.can_view_audit)
    areas = audit_areas()
    area = next((a for a in areas if a.key == request.args.get("area")), None)
    person = request.args.get("person", type=int)
    person = person if person is not None and 0 < person <= MAX_ID else None
    number = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    page = page_for_event(event, page=number, prefixes=area.prefixes if area else (), actor_id=person)
    people = sort_people(actors_of(event), name=lambda row: row[1])
    lines = describe_page(page.items, event)
    return render_template("events/audit.html", event=event, page=page, lines=lines, areas=areas,
                           area=area.key if area else "", people=people, person=person)
