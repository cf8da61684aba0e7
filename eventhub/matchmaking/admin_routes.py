"""Organizers' matchmaking pages: slots and tables, the scheduler, the meetings grid (slot × table)
with lock, move and cancel, and the outcome counts (never the private notes)."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import permissions
from ..access import get_or_404, managed_event
from ..dbtypes import MAX_ID
from ..errors import EventHubError, ValidationError
from ..extensions import db
from ..forms import apply_errors
from ..i18n import format_datetime
from . import outcomes, scheduling, slots
from .forms import MoveForm, SlotsForm
from .labels import FOLLOW_UPS
from .models import Meeting, MeetingSlot, Profile, ProfileKind

bp = Blueprint("matchmaking_admin", __name__)


def _load_meeting(slug: str, meeting_id: int) -> Meeting:
    return get_or_404(Meeting, meeting_id, event=managed_event(slug, permissions.can_manage_matchmaking))


@bp.route("/events/<slug>/matchmaking/manage", methods=["GET", "POST"])
@login_required
def slots_page(slug: str):
    """The slots by day, and the form that makes one day's slots."""
    event = managed_event(slug, permissions.can_manage_matchmaking)
    form = SlotsForm()
    if request.method == "GET":
        form.day.data = event.local_starts_at.date()
    if form.validate_on_submit():
        try:
            wanted = slots.day_slots(event, form.day.data, form.start.data, form.end.data, form.minutes.data)
            slots.set_slots(event, wanted, form.tables.data, day=form.day.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, exc)
        except EventHubError as exc:
            form.form_errors.append(exc.describe())
        else:
            flash(_("%(n)d slots are set for %(day)s.", n=len(wanted),
                    day=form.day.data.strftime("%d/%m/%Y")), "success")
            return redirect(url_for(".slots_page", slug=slug))
    by_day = defaultdict(list)
    for slot in slots.slots_of(event):
        by_day[slots.local_day(slot, event)].append(slot)
    counts = slots.meeting_counts(event)
    return render_template("matchmaking/admin/slots.html", event=event, form=form, by_day=dict(by_day),
                           counts=counts, waiting=len(scheduling.waiting_requests(event)),
                           profiles=_profile_counts(event))


def _profile_counts(event) -> dict[str, int]:
    rows = db.session.execute(db.select(Profile.kind, db.func.count(Profile.id))
                              .where(Profile.event_id == event.id).group_by(Profile.kind))
    counts = {kind.value: 0 for kind in ProfileKind}
    counts.update({kind.value: n for kind, n in rows})
    return counts


@bp.post("/events/<slug>/matchmaking/manage/schedule")
@login_required
def run_schedule(slug: str):
    event = managed_event(slug, permissions.can_manage_matchmaking)
    try:
        result = scheduling.run_scheduler(event, actor=current_user)
    except EventHubError as exc:
        flash(exc.describe(), "danger")
    else:
        flash(_("%(added)d meetings placed; %(left)d accepted requests found no place.",
                added=len(result.added), left=len(result.unscheduled)),
              "success" if not result.unscheduled else "warning")
    return redirect(url_for(".meetings", slug=slug))


@bp.get("/events/<slug>/matchmaking/manage/meetings")
@login_required
def meetings(slug: str):
    """The grid: a row per slot, a column per table."""
    event = managed_event(slug, permissions.can_manage_matchmaking)
    all_slots = slots.slots_of(event)
    grid: dict[tuple[int, int], Meeting] = {}
    for meeting in scheduling.scheduled_meetings(event):
        grid[meeting.slot_id, meeting.table_number] = meeting
    tables = max((slot.tables for slot in all_slots), default=0)
    return render_template("matchmaking/admin/meetings.html", event=event, slots=all_slots, grid=grid,
                           tables=tables, waiting=scheduling.waiting_requests(event),
                           summary=outcomes.summary(event), follow_up_labels=FOLLOW_UPS)


@bp.route("/events/<slug>/matchmaking/manage/meetings/<int:meeting_id>/move", methods=["GET", "POST"])
@login_required
def move(slug: str, meeting_id: int):
    meeting = _load_meeting(slug, meeting_id)
    event = meeting.event
    form = MoveForm(data={"slot": meeting.slot_id, "table": meeting.table_number})
    choices = slots.slots_of(event)
    form.slot.choices = [SelectChoice(s.id, format_datetime(s.starts_at, event.tz)) for s in choices]
    if form.validate_on_submit():
        try:
            slot_id = form.slot.data
            slot = db.session.get(MeetingSlot, slot_id) if 1 <= slot_id <= MAX_ID else None
            scheduling.move_meeting(meeting, slot, form.table.data, actor=current_user)
        except ValidationError as exc:
            apply_errors(form, exc)
        except EventHubError as exc:
            form.form_errors.append(exc.describe())
        else:
            flash(_("The meeting is moved; both sides are told."), "success")
            return redirect(url_for(".meetings", slug=slug))
    return render_template("matchmaking/admin/move.html", event=event, meeting=meeting, form=form)


@bp.post("/events/<slug>/matchmaking/manage/meetings/<int:meeting_id>/<any(lock, unlock):action>")
@login_required
def lock(slug: str, meeting_id: int, action: str):
    meeting = _load_meeting(slug, meeting_id)
    scheduling.set_locked(meeting, action == "lock", actor=current_user)
    flash(_("The meeting is locked.") if action == "lock" else _("The meeting is unlocked."), "info")
    return redirect(url_for(".meetings", slug=slug))


@bp.post("/events/<slug>/matchmaking/manage/meetings/<int:meeting_id>/cancel")
@login_required
def cancel(slug: str, meeting_id: int):
    meeting = _load_meeting(slug, meeting_id)
    try:
        scheduling.cancel_meeting(meeting, actor=current_user)
    except EventHubError as exc:
        flash(exc.describe(), "danger")
    else:
        flash(_("The meeting is cancelled; both sides are told."), "info")
    return redirect(url_for(".meetings", slug=slug))
