"""The report's words: figure names, chart titles and the funnel's stages, translated when used."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import hooks
from .distinct import DISTINCT
from .figures import FIGURES

FIGURE_LABELS = {
    "registrations": _l("Registrations"),
    "checked_in": _l("People checked in"),
    "visitor_attendances": _l("Visitor attendances"),
    "exhibitors": _l("Exhibiting startups"),
    "contests": _l("Contests"),
    "entries": _l("Contest entries"),
    "sessions": _l("Workshops and conferences"),
    "session_attendance": _l("Session attendance"),
    "session_checkins": _l("Scanned in at sessions"),
    "investors": _l("Investors and funds"),
    "meetings_held": _l("Meetings held"),
    "projects_connected": _l("Projects connected with investors"),
    "certificates": _l("Certificates issued"),
}

FIGURE_NOTES = {
    "registrations": _l("Not cancelled."),
    "checked_in": _l("Registrations with at least one check-in."),
    "visitor_attendances": _l("Check-ins, one per person per day."),
    "exhibitors": _l("Applications submitted or approved."),
    "entries": _l("Not withdrawn."),
    "session_attendance": _l("Seats held in the sessions."),
    "session_checkins": _l("People scanned in at a session's door, each once per session."),
    "meetings_held": _l("Marked held by either side, each meeting once."),
    "projects_connected": _l("Startups with at least one meeting held."),
    "certificates": _l("Valid, not revoked."),
}

OUTCOME_LABELS = {
    "requested": _l("Requested"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "scheduled": _l("Scheduled"),
    "held": _l("Held"),
    "no_show": _l("No-show"),
    "follow_up": _l("Further talks"),
    "due_diligence": _l("Due diligence"),
    "term_sheet": _l("Term sheet"),
    "invested": _l("Invested"),
}

assert set(FIGURE_LABELS) == set(FIGURES)


# The distinct counts of a series (reports/distinct.py), each shown beside the figure it counts once.
DISTINCT_BESIDE = {"exhibitors": "exhibitors", "investors": "investors",
                   "projects_connected": "projects_connected", "people_checked_in": "checked_in"}
DISTINCT_LABELS = {
    "exhibitors": _l("Different exhibiting startups (each counted once)"),
    "investors": _l("Different investors and funds (each counted once)"),
    "projects_connected": _l("Different projects connected (each counted once)"),
    "people_checked_in": _l("Different people checked in (each person counted once)"),
}
_ORGANIZATION_ONCE = _l("An organization at several events counts once: one record per organization, found "
                        "by tax code, else by name without diacritics, case or legal form such as "
                        "“Công ty TNHH”, and as organizers merged them.")
DISTINCT_NOTES = {
    "exhibitors": _ORGANIZATION_ONCE, "investors": _ORGANIZATION_ONCE,
    "projects_connected": _ORGANIZATION_ONCE,
    "people_checked_in": _l("A person at several events counts once, by e-mail address."),
}
assert set(DISTINCT_LABELS) == set(DISTINCT_NOTES) == set(DISTINCT_BESIDE) == set(DISTINCT)


def figure_keys(figures: dict[str, int]) -> list[str]:
    """api.md's figures, then those features add to the report (hooks.add_report_figures) that
    `figures` holds, in the order they were added."""
    return [*FIGURES, *(key for key in hooks.report_figure_labels() if key in figures)]


def figure_label(key: str) -> str:
    label = FIGURE_LABELS.get(key)
    return str(label if label is not None else hooks.report_figure_labels().get(key, key))


def figure_rows(figures: dict[str, int], distinct: dict[str, int] | None = None) -> list[dict]:
    """[{"key", "label", "title", "note", "value", "distinct"}] in api.md's order, translated in the
    current language. With a series' `distinct` counts, a figure that has one is titled as the sum over
    the events, and its row carries the distinct count ({"key", "label", "note", "value"}) to show
    beside it; `label` stays the short name (for tables' headers)."""
    beside = {figure: key for key, figure in DISTINCT_BESIDE.items()} if distinct is not None else {}
    rows = []
    for key in figure_keys(figures):
        label = figure_label(key)
        row = {"key": key, "label": label, "title": label, "note": str(FIGURE_NOTES.get(key, "")),
               "value": figures[key], "distinct": None}
        if key in beside:
            other = beside[key]
            row["title"] = _("%(figure)s (sum over the events)", figure=label)
            row["distinct"] = {"key": other, "label": str(DISTINCT_LABELS[other]),
                               "note": str(DISTINCT_NOTES[other]), "value": distinct[other]}
        rows.append(row)
    return rows


def outcome_label(stage: str) -> str:
    label = OUTCOME_LABELS.get(stage)
    return str(label) if label is not None else stage.replace("_", " ").capitalize()


def chart_texts(unit: str, *, series: bool = False) -> dict[str, dict[str, str]]:
    """Titles and descriptions of the charts, in the current language (one more for a series)."""
    per = _("per hour") if unit == "hour" else _("per day")
    first = {"registrations_per_event": {"title": _("Registrations per event"),
                                         "desc": _("Registrations not cancelled, per event.")}}
    return {
        **(first if series else {}),
        "arrivals": {"title": _("Arrivals over time (%(per)s)", per=per),
                     "desc": _("Check-ins %(per)s, in the event's time zone.", per=per)},
        "registrations_per_day": {"title": _("Registrations per day"),
                                  "desc": _("Registrations not cancelled, by the day they were made.")},
        "session_attendance": {"title": _("Attendance per session"),
                               "desc": _("Seats held in each workshop or conference.")},
        "entries_per_contest": {"title": _("Entries per contest"),
                                "desc": _("Entries not withdrawn, per contest.")},
        "meeting_outcomes": {"title": _("Investor meetings: outcome funnel"),
                             "desc": _("Meeting requests and meetings at each stage.")},
    }


# The no-show figures' columns (reports/attendance.py): people read words, never the API's keys.
ATTENDANCE_LABELS = {
    "base": _l("Confirmed"),
    "checked_in": _l("Came"),
    "said_no": _l("Said they would not come"),
    "said_yes_absent": _l("Said yes but stayed away"),
    "silent_absent": _l("Stayed away without a word"),
    "said_yes": _l("Said they would come"),
}
# Before the event has ended: who came so far, and the answers – nobody is absent yet.
ATTENDANCE_LABELS_SO_FAR = {
    "checked_in": _l("Came so far"),
}
