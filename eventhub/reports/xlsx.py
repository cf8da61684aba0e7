"""The report's numbers as a workbook for people: a sheet of figures, then one sheet per chart's data.

Every sheet is a table of `spreadsheets.write_table` (headers and sheet names in the reader's language,
numbers as numbers, an event's start and end and the charts' days and hours as real dates and times,
fitted columns, a frozen header, a filter). The figures sheet keeps api.md's keys in its first column,
hidden, for whoever links the workbook to the API's JSON; the columns after it hold the labels and the
numbers, and a series adds a column per event (by slug, named on the events sheet). The key columns'
headers are codes, the same in every language (`figure`, `slug`): programs find the keys by them.
Labels come from organizers, so text is never a formula.
"""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .. import spreadsheets
from ..vietnamese import normalize_text
from .attendance import table as attendance_table
from .labels import figure_rows, outcome_label
from .services import Report, chart_titles

SHEETS = ("arrivals", "registrations_per_day", "session_attendance", "entries_per_contest",
          "meeting_outcomes")


DAY_LABEL = "%d/%m/%Y"  # as breakdowns._day_label writes a day


def sheet_titles() -> dict[str, str]:
    """The sheets' names in the current language (Excel allows 31 characters)."""
    return {"figures": _("Figures"), "events": _("Events"), "arrivals": _("Arrivals"),
            "registrations_per_day": _("Registrations per day"),
            "session_attendance": _("Session attendance"), "entries_per_contest": _("Entries per contest"),
            "meeting_outcomes": _("Meeting outcomes")}


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


def _local(moment: datetime | None, tz) -> datetime | None:
    """An event's moment on its own clock (the events of a series may differ), as Excel wants it."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment and moment.tzinfo else moment


def _figures_sheet(workbook: Workbook, report: Report) -> None:
    titles = sheet_titles()
    sheet = workbook.active
    sheet.title = spreadsheets.sheet_title(titles["figures"])
    events = report.events if report.is_series else []
    rows = []
    for row in figure_rows(report.totals, report.distinct):
        rows.append([row["key"], row["title"], *[report.per_event[e.id][row["key"]] for e in events],
                     row["value"]])
        if row["distinct"]:  # a series' distinct count, under the sum: not a figure of any one event
            other = row["distinct"]
            rows.append([f"distinct.{other['key']}", other["label"], *[None] * len(events), other["value"]])
    spreadsheets.write_table(
        sheet, ["figure", _("Figure"), *[event.slug for event in events], _("Total")], rows)
    sheet.column_dimensions["A"].hidden = True
    if events:
        names = spreadsheets.add_sheet(workbook, titles["events"])
        spreadsheets.write_table(names, ["slug", _("Event"), _("Starts"), _("Ends")], (
            [event.slug, normalize_text(event.name), _local(event.starts_at, event.tz),
             _local(event.ends_at, event.tz)] for event in events))


def _chart_sheets(workbook: Workbook, report: Report) -> None:
    data = report.breakdowns
    titles = chart_titles(report)
    names = sheet_titles()
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
        sheet = spreadsheets.add_sheet(workbook, names[name])
        spreadsheets.append_row(sheet, [titles[name]], bold=True)
        spreadsheets.write_table(sheet, list(heads[name]), (
            [_moment(str(label), name, data.arrivals_unit), value] for label, value in rows[name]))


PERCENT_FORMAT = "0.0%"


def _attendance_sheet(workbook: Workbook, report: Report) -> None:
    """The no-show figures: a row per registration type and the total, each count beside its share of
    the confirmed (a fraction in a percent-formatted cell, so that it computes); the words around it."""
    data = attendance_table(report.attendance)
    sheet = spreadsheets.add_sheet(workbook, data["heading"])
    spreadsheets.append_row(sheet, [data["heading"]], bold=True)
    if not data["ended"]:
        spreadsheets.append_row(sheet, [data["note"]])
    header = [data["type_label"]]
    for key, label in data["columns"]:
        header += [label] if key == "base" else [label, _("%(label)s (share)", label=label)]

    def cells(row: list[dict]) -> list:
        values = []
        for cell in row:
            values += [cell["value"]] if cell["key"] == "base" else [cell["value"], cell["share"]]
        return values

    rows = [[normalize_text(row["name"]), *cells(row["cells"])] for row in data["types"]]
    rows.append([data["total_label"], *cells(data["total"])])
    count = spreadsheets.write_table(sheet, header, rows)
    first = sheet.max_row - count + 1
    for line in sheet.iter_rows(min_row=first, max_row=sheet.max_row):
        for index in range(3, len(header), 2):  # after the type and the base: a count, then its share
            line[index].number_format = PERCENT_FORMAT
    for cell in sheet[sheet.max_row]:  # the total
        cell.font = Font(bold=True)
    spreadsheets.append_row(sheet, [])
    if data["ended"]:
        spreadsheets.append_row(sheet, [data["note"]])
    spreadsheets.append_row(sheet, [data["base_note"]])


def render_report_xlsx(report: Report, lang: str = "vi") -> bytes:
    with force_locale(lang):
        workbook, _first = spreadsheets.new_workbook(_("Figures"))
        _figures_sheet(workbook, report)
        _chart_sheets(workbook, report)
        if report.attendance is not None:
            _attendance_sheet(workbook, report)
    return spreadsheets.workbook_bytes(workbook)
