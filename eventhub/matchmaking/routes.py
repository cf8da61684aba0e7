"""Matchmaking pages for investors and startups: profile, recommendations, browsing, requests,
inbox, agenda (page, PDF, calendar) and outcomes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..access import get_or_404, managed_event
from ..dbtypes import MAX_ID
from ..downloads import file_response
from ..errors import EventHubError, ValidationError
from ..extensions import db
from ..forms import apply_errors
from ..urls import external_url
from . import agenda, outcomes, profiles, recommendations, requesting, scheduling
from .forms import FilterForm, InvestorProfileForm, OutcomeForm, RequestForm, StartupProfileForm
from .ical import feed_token, meetings_ics, read_feed_token
from .labels import (
    COUNTRIES,
    CURRENCIES,
    FOLLOW_UPS,
    INVESTOR_TYPES,
    KINDS,
    MEETING_STATUSES,
    REQUEST_STATUSES,
    SECTORS,
    STAGES,
    format_money,
)
from .models import Meeting, MeetingRequest, Profile, ProfileKind

bp = Blueprint("matchmaking", __name__)


@bp.context_processor
def _labels():
    return {"sector_labels": SECTORS, "stage_labels": STAGES, "investor_type_labels": INVESTOR_TYPES,
            "currency_labels": CURRENCIES, "country_labels": COUNTRIES, "request_labels": REQUEST_STATUSES,
            "meeting_labels": MEETING_STATUSES, "follow_up_labels": FOLLOW_UPS, "kind_labels": KINDS,
            "money": format_money}


def _load(slug: str, *, need_profile: bool = True):
    """The event and the signed-in person's profile; 403 for accounts that hold none."""
    event = managed_event(slug, permissions.can_have_match_profile)
    profile = profiles.profile_of(event, current_user)
    if need_profile and profile is None:
        flash(_("Create your matchmaking profile first."), "info")
        return event, None
    return event, profile


def _to_profile_form(event):
    return redirect(url_for(".profile", slug=event.slug))


@bp.get("/events/<slug>/matchmaking")
@login_required
def index(slug: str):
    event, profile = _load(slug)
    if profile is None:
        return _to_profile_form(event)
    asked = requesting.requested_ids(profile)
    return render_template("matchmaking/index.html", event=event, profile=profile,
                           recommendations=recommendations.recommendations(profile), asked=asked,
                           incoming=sum(1 for r in requesting.incoming(profile) if r.status == "pending"))


@bp.route("/events/<slug>/matchmaking/profile", methods=["GET", "POST"])
@login_required
def profile(slug: str):
    event, existing = _load(slug, need_profile=False)
    investor = profiles.kind_for(current_user) == ProfileKind.investor
    form_class = InvestorProfileForm if investor else StartupProfileForm
    form = form_class(obj=existing) if existing else form_class(organization=current_user.organization)
    if existing:  # a sector set through the API that the form does not list stays choosable
        field = form.sectors if investor else form.sector
        own = (existing.sectors or []) if investor else [existing.sector]
        field.choices = [*field.choices, *((s, s) for s in own if s and s not in SECTORS)]
    if existing and request.method == "GET":
        if investor:
            form.investor_type.data = existing.investor_type.value if existing.investor_type else "fund"
        else:
            form.stage.data = existing.stage.value if existing.stage else None
        form.currency.data = existing.currency.value
    if form.validate_on_submit():
        try:
            profiles.save_profile(event, current_user, form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash(_("Your matchmaking profile is saved."), "success")
            return redirect(url_for(".index", slug=slug))
    return render_template("matchmaking/profile_form.html", event=event, form=form, investor=investor,
                           profile=existing)


@bp.get("/events/<slug>/matchmaking/browse")
@login_required
def browse(slug: str):
    event, profile = _load(slug)
    if profile is None:
        return _to_profile_form(event)
    form = FilterForm(formdata=request.args)
    found = recommendations.browse(profile, sector=form.sector.data or None, stage=form.stage.data or None)
    return render_template("matchmaking/browse.html", event=event, profile=profile, form=form, found=found,
                           asked=requesting.requested_ids(profile))


@bp.route("/events/<slug>/matchmaking/request/<int:profile_id>", methods=["GET", "POST"])
@login_required
def request_meeting(slug: str, profile_id: int):
    event, profile = _load(slug)
    if profile is None:
        return _to_profile_form(event)
    other = profiles.get_profile(event, profile_id)
    if other is None or other.id == profile.id:
        abort(404)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            requesting.send_request(profile, other, form.message.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except EventHubError as exc:
            flash(exc.describe(), "danger")
        else:
            flash(_("Your request is sent to %(organization)s.", organization=other.organization), "success")
            return redirect(url_for(".inbox", slug=slug))
    fit = recommendations.pair_fit(profile, other)
    return render_template("matchmaking/request.html", event=event, profile=profile, other=other, form=form,
                           fit=fit, existing=requesting.between(profile, other))


@bp.get("/events/<slug>/matchmaking/inbox")
@login_required
def inbox(slug: str):
    event, profile = _load(slug)
    if profile is None:
        return _to_profile_form(event)
    return render_template("matchmaking/inbox.html", event=event, profile=profile,
                           incoming=requesting.incoming(profile), outgoing=requesting.outgoing(profile))


@bp.post("/events/<slug>/matchmaking/requests/<int:request_id>/<any(accept, decline):action>")
@login_required
def answer(slug: str, request_id: int, action: str):
    event, profile = _load(slug)
    if profile is None:
        abort(404)
    found = get_or_404(MeetingRequest, request_id, event=event)
    try:
        if action == "accept":
            requesting.accept(found, profile)
            flash(_("You accepted the meeting with %(organization)s. Its time will be in your agenda once "
                    "the organizers schedule it.", organization=found.from_profile.organization), "success")
        else:
            requesting.decline(found, profile)
            flash(_("You declined the request of %(organization)s.",
                    organization=found.from_profile.organization), "info")
    except EventHubError as exc:
        flash(exc.describe(), "danger")
    return redirect(url_for(".inbox", slug=slug))


@bp.get("/events/<slug>/matchmaking/agenda")
@login_required
def agenda_page(slug: str):
    event, profile = _load(slug)
    if profile is None:
        return _to_profile_form(event)
    feed_url = external_url("matchmaking.calendar_feed", token=feed_token(profile))  # never the Host header
    return render_template("matchmaking/agenda.html", event=event, profile=profile,
                           meetings=scheduling.meetings_of(profile), feed_url=feed_url)


@bp.get("/events/<slug>/matchmaking/agenda.pdf")
@login_required
def agenda_pdf(slug: str):
    event, profile = _load(slug)
    if profile is None:
        abort(404)
    return file_response(agenda.agenda_pdf(profile), "application/pdf", f"{event.slug}-agenda.pdf")


@bp.get("/events/<slug>/matchmaking/agenda.ics")
@login_required
def agenda_ics(slug: str):
    event, profile = _load(slug)
    if profile is None:
        abort(404)
    body = meetings_ics(profile, scheduling.meetings_of(profile, include_cancelled=True))
    return file_response(body, "text/calendar", f"{event.slug}-meetings.ics")


@bp.get("/matchmaking/calendar/<token>.ics")
def calendar_feed(token: str):
    """A person's meetings for calendar apps, which subscribe by address and cannot sign in."""
    found = read_feed_token(token)
    profile = db.session.get(Profile, found[0]) if found and 1 <= found[0] <= MAX_ID else None
    if profile is None or profile.user_id != found[1] or not profile.user.active:
        abort(404)
    body = meetings_ics(profile, scheduling.meetings_of(profile, include_cancelled=True))
    return file_response(body, "text/calendar", f"{profile.event.slug}-meetings.ics")


@bp.route("/events/<slug>/matchmaking/meetings/<int:meeting_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(slug: str, meeting_id: int):
    event, profile = _load(slug)
    meeting = get_or_404(Meeting, meeting_id, event=event)
    if profile is None or meeting.side_of(profile) is None:
        abort(404)
    side = meeting.side_of(profile)
    held = meeting.held_by(side)
    form = OutcomeForm(data={"held": None if held is None else ("yes" if held else "no"),
                             "stage": meeting.stage.value if meeting.stage else "",
                             "note": meeting.note_of(side)})
    if form.validate_on_submit():
        try:
            outcomes.record_outcome(meeting, profile, held=form.held.data == "yes",
                                    stage=form.stage.data or None, note=form.note.data or "")
        except ValidationError as exc:
            apply_errors(form, exc)
        except EventHubError as exc:
            flash(exc.describe(), "danger")
        else:
            flash(_("Thank you: the outcome is saved."), "success")
            return redirect(url_for(".agenda_page", slug=slug))
    return render_template("matchmaking/outcome.html", event=event, profile=profile, meeting=meeting,
                           other=meeting.other(profile), form=form)
