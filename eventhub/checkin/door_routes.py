"""The door of one workshop (the desk's door mode) and the list of who came in, on the checkin blueprint.

Like the desk, the door works without JavaScript: a scan is a plain POST that renders the door with its
answer, the field empty and focused, and the room's numbers as they are after the scan.
static/js/checkin-door.js posts the same form in the background and refreshes the numbers.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from .. import permissions
from ..access import get_or_404, managed_event
from ..dbtypes import utcnow
from ..errors import EventHubError
from ..registration.models import EventSession
from . import doors, services
from .blueprint import bp
from .errors import AlreadyInSession
from .forms import ScanForm

REFRESH_SECONDS = 5  # how often the door's screen asks for the room's numbers
RECENT = 8  # the latest entries the door shows under its answer


def sessions_today(event) -> list[EventSession]:
    """Today's sessions (the event's time zone): the doors the desk and the event page offer."""
    return doors.sessions_on(event, services.event_day(event, utcnow()))


def _door_session(slug: str, session_id: int):
    """The event (its gate team only: 403) and its session (another event's session: 404)."""
    event = managed_event(slug, permissions.can_check_in)
    return event, get_or_404(EventSession, session_id, event=event)


def _door(event, session, *, entry=None, refusal: EventHubError | None = None, status: int = 200):
    earlier = None
    if isinstance(refusal, AlreadyInSession) and refusal.registration is not None:
        earlier = doors.entry_of(session, refusal.registration.id)  # "already in since 09:05"
    now = utcnow()
    recent = doors.entries(session, limit=RECENT)
    page = render_template(
        "checkin/door.html", event=event, session=session, entry=entry, refusal=refusal, earlier=earlier,
        occupancy=doors.occupancy(session), recent=recent, off_day=_off_day(event, session, recent),
        other_day=not doors.on_session_day(event, session, now),
        # Ended earlier today: said, not refused – people step out and come back in.
        ended=session.ends_at <= now and doors.on_session_day(event, session, now),
        updated_at=_clock(event), refresh_seconds=REFRESH_SECONDS,
        scan_form=ScanForm(formdata=None))
    return page, status


def _off_day(event, session, entries) -> set[int]:
    """The ids of entries made on another day than the session's: test scans, shown with their date (they
    stay in the API's counts, but no certificate counts them – certificates.holders)."""
    return {e.id for e in entries if not doors.on_session_day(event, session, e.checked_in_at)}


@bp.get("/events/<slug>/checkin/sessions/<int:session_id>")
@login_required
def door(slug: str, session_id: int):
    return _door(*_door_session(slug, session_id))


@bp.post("/events/<slug>/checkin/sessions/<int:session_id>")
@login_required
def door_scan(slug: str, session_id: int):
    event, session = _door_session(slug, session_id)  # loaded before the form is read
    form = ScanForm()
    if not form.validate_on_submit() or not (form.ticket_code.data or "").strip():
        return _door(event, session)  # Enter on an empty field: nothing to say
    try:
        entry = services.check_in_session(event, session, form.ticket_code.data, staff=current_user)
    except EventHubError as exc:
        return _door(event, session, refusal=exc, status=exc.status)
    return _door(event, session, entry=entry)


@bp.get("/events/<slug>/checkin/sessions/<int:session_id>/attendance")
@login_required
def session_attendance(slug: str, session_id: int):
    """Who came in: names, booked or walk-in, and when (the gate team and the organizers)."""
    event, session = _door_session(slug, session_id)
    entries = doors.entries(session)
    return render_template("checkin/session_attendance.html", event=event, session=session,
                           occupancy=doors.occupancy(session), entries=entries,
                           off_day=_off_day(event, session, entries),
                           updated_at=_clock(event), refresh_seconds=REFRESH_SECONDS)


def _clock(event) -> str:
    return utcnow().astimezone(event.tz).strftime("%H:%M:%S")
