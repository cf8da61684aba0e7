"""The report's numbers as a workbook: a sheet of figures, then one sheet per chart's data.

Machine-readable first: the first column of the figures sheet holds api.md's keys, the columns
after it the language's labels and the numbers; a series adds a column per event (by slug).
Written with `eventhub.spreadsheets` (labels come from organizers, so text is never a formula); numbers
are numbers, an event's start and end and the charts' days and hours are real dates and times.
"""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook

from .. import spreadsheets
from ..vietnamese import normalize_text
from .figures import FIGURES
from .labels import FIGURE_LABELS, outcome_label
from .services import Report, chart_titles

SHEETS = ("arrivals", "registrations_per_day", "session_attendance", "entries_per_contest",
          "meeting_outcomes")


DAY_LABEL = "%d/%m/%Y"  # as breakdowns._day_label writes a day


def _append(sheet, row: list) -> None:
    spreadsheets.append_row(sheet, row)


def _header(sheet, row: list) -> None:
    spreadsheets.append_row(sheet, row, bold=True)


def _moment(label: str, name: str, unit: str):
    """A chart's day ("14/12/2026") as a date, an hour ("08:00") as a time; other labels as text."""
    try:
        if name == "registrations_per_day" or (name == "arrivals" and unit == "day"):
            return datetime.strptime(label, DAY_LABEL).date()
        if name == "arrivals":
            return time(int(label[:2]))
    except ValueError:
        pass
    return normalize_text(str(label))


def _figures_sheet(workbook: Workbook, report: Report) -> None:
    sheet = workbook.active
    sheet.title = "figures"
    events = report.events if report.is_series else []
    _header(sheet, ["figure", _("Figure"), *[event.slug for event in events], _("Total")])
    for key in FIGURES:
        _append(sheet, [key, str(FIGURE_LABELS[key]), *[report.per_event[e.id][key] for e in events],
                        report.totals[key]])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 36
    if events:
        names = spreadsheets.add_sheet(workbook, "events")
        _header(names, ["slug", _("Event"), _("Starts"), _("Ends")])
        for event in events:
            spreadsheets.append_row(names, [event.slug, normalize_text(event.name), event.starts_at,
                                            event.ends_at], tz=event.tz)


def _chart_sheets(workbook: Workbook, report: Report) -> None:
    data = report.breakdowns
    titles = chart_titles(report)
    heads = {
        "arrivals": (_("Hour") if data.arrivals_unit == "hour" else _("Day"), _("Check-ins")),
        "registrations_per_day": (_("Day"), _("Registrations")),
        "session_attendance": (_("Session"), _("Seats held")),
        "entries_per_contest": (_("Contest"), _("Entries")),
        "meeting_outcomes": (_("Stage"), _("Number")),
    }
    rows = {
        "arrivals": data.arrivals, "registrations_per_day": data.registrations_per_day,
        "session_attendance": data.session_attendance, "entries_per_contest": data.entries_per_contest,
        "meeting_outcomes": [(outcome_label(stage), n) for stage, n in data.meeting_outcomes],
    }
    for name in SHEETS:
        sheet = spreadsheets.add_sheet(workbook, name)
        _header(sheet, [titles[name]])
        _header(sheet, list(heads[name]))
        for label, value in rows[name]:
            _append(sheet, [_moment(str(label), name, data.arrivals_unit), value])
        sheet.column_dimensions["A"].width = 40


def render_report_xlsx(report: Report, lang: str = "vi") -> bytes:
    with force_locale(lang):
        workbook, _first = spreadsheets.new_workbook("figures")
        _figures_sheet(workbook, report)
        _chart_sheets(workbook, report)
    return spreadsheets.workbook_bytes(workbook)
