"""The report's numbers as a workbook: a sheet of figures, then one sheet per chart's data.

Machine-readable first: the first column of the figures sheet holds api.md's keys, the columns
after it the language's labels and the numbers; a series adds a column per event (by slug).
"""

from __future__ import annotations

import io

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..registration.exports import neutralize
from ..vietnamese import normalize_text
from .figures import FIGURES
from .labels import FIGURE_LABELS, outcome_label
from .services import Report, chart_titles

SHEETS = ("arrivals", "registrations_per_day", "session_attendance", "entries_per_contest",
          "meeting_outcomes")


def _append(sheet, row: list) -> None:
    """A row whose text is never read as a formula (labels come from organizers)."""
    sheet.append([neutralize(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _header(sheet, row: list) -> None:
    _append(sheet, row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


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
        names = workbook.create_sheet("events")
        _header(names, ["slug", _("Event"), _("Starts"), _("Ends")])
        for event in events:
            _append(names, [event.slug, normalize_text(event.name),
                            event.local_starts_at.strftime("%d/%m/%Y %H:%M"),
                            event.local_ends_at.strftime("%d/%m/%Y %H:%M")])


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
        sheet = workbook.create_sheet(name)
        _header(sheet, [titles[name]])
        _header(sheet, list(heads[name]))
        for label, value in rows[name]:
            _append(sheet, [normalize_text(str(label)), value])
        sheet.column_dimensions["A"].width = 40


def render_report_xlsx(report: Report, lang: str = "vi") -> bytes:
    with force_locale(lang):
        workbook = Workbook()
        _figures_sheet(workbook, report)
        _chart_sheets(workbook, report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
