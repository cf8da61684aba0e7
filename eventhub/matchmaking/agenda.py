"""A person's agenda of meetings: plain data for the page and the printed PDF."""

from __future__ import annotations

from flask_babel import gettext as _

from ..i18n import format_date, format_date_range, format_time, zone_name
from ..printing import render_html, render_pdf
from ..vietnamese import normalize_text
from .models import Profile
from .scheduling import meetings_of


def agenda_rows(profile: Profile) -> list[dict[str, str]]:
    tz = profile.event.tz
    rows = []
    for meeting in meetings_of(profile):
        other = meeting.other(profile)
        rows.append({"date": format_date(meeting.starts_at, tz),
                     "time": f"{format_time(meeting.starts_at, tz)}–{format_time(meeting.ends_at, tz)}",
                     "table": str(meeting.table_number), "with": normalize_text(other.organization),
                     "person": normalize_text(other.user.full_name)})
    return rows


def agenda_pdf(profile: Profile) -> bytes:
    """The agenda as an A4 PDF, in the reader's language (the labels are translated here: documents
    get plain data only)."""
    event = profile.event
    html = render_html("matchmaking_agenda.html", title=_("Meeting agenda"),
                       event_name=normalize_text(event.name),
                       event_dates=format_date_range(event.starts_at, event.ends_at, event.tz),
                       venue=normalize_text(event.venue or ""),
                       owner=normalize_text(profile.organization),
                       owner_name=normalize_text(profile.user.full_name),
                       labels={"date": _("Date"), "time": _("Time"), "table": _("Table"),
                               "with": _("Meeting with"), "person": _("Contact"),
                               "empty": _("No meetings are scheduled yet."),
                               "timezone": _("Times are in the event's time zone (%(tz)s).",
                                             tz=zone_name(event.timezone, event.starts_at))},
                       rows=agenda_rows(profile))
    return render_pdf(html, ["matchmaking_agenda.css"])
