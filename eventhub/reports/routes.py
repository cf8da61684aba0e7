"""Organizers' report pages: the dashboard of an event and of a year's series, and their downloads."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import permissions
from ..access import managed_event
from ..downloads import XLSX_MIMETYPE, file_response
from ..errors import ValidationError
from . import services
from .attendance import table as attendance_table
from .figures import FIGURES
from .labels import figure_rows
from .pdf import render_report_pdf, report_filename, report_language
from .xlsx import render_report_xlsx

bp = Blueprint("reports", __name__)


def _event_report(slug: str) -> services.Report:
    return services.event_report(managed_event(slug, permissions.can_view_event_report))


def _series_year() -> tuple[int, list[int]]:
    """The year asked for, else the latest with data (`services.default_series_year`); and the years that
    have events."""
    if not permissions.can_view_series_report(current_user):
        abort(403)
    years = services.years_with_events()
    asked = request.args.get("year")
    if asked in (None, ""):
        return services.default_series_year(), years
    try:
        return services.clean_year(asked), years
    except ValidationError:
        abort(404)


def _doc_language() -> str:
    # `doc_lang` on the pages' links: `lang` would also switch the whole site's language.
    return report_language(request.args.get("doc_lang") or request.args.get("lang"))


def _dashboard(report: services.Report, **extra):
    svgs = {key: Markup(svg) for key, svg in services.chart_svgs(report, prefix="dash").items()}  # escaped
    attendance = attendance_table(report.attendance) if report.attendance else None
    rows = figure_rows(report.totals, report.distinct)
    # The series' table per event: api.md's figures; those other features add (follow-ups) in a table of
    # their own under it, so that neither grows too wide for a desk.
    tables = [[row for row in rows if row["key"] in FIGURES],
              [row for row in rows if row["key"] not in FIGURES]]
    return render_template("reports/dashboard.html", report=report, rows=rows, charts=svgs,
                           attendance=attendance, matrix_tables=[t for t in tables if t], **extra)


@bp.get("/events/<slug>/report")
@login_required
def event_dashboard(slug: str):
    report = _event_report(slug)
    return _dashboard(report, event=report.event)


@bp.get("/events/<slug>/report.pdf")
@login_required
def event_pdf(slug: str):
    report = _event_report(slug)
    return file_response(render_report_pdf(report, _doc_language()), "application/pdf",
                         report_filename(report, "pdf"))


@bp.get("/events/<slug>/report.xlsx")
@login_required
def event_xlsx(slug: str):
    report = _event_report(slug)
    return file_response(render_report_xlsx(report, _doc_language()), XLSX_MIMETYPE,
                         report_filename(report, "xlsx"))


@bp.get("/reports/series")
@login_required
def series_dashboard():
    year, years = _series_year()
    return _dashboard(services.series_report(year), years=years, year=year)


@bp.get("/reports/series.pdf")
@login_required
def series_pdf():
    report = services.series_report(_series_year()[0])
    return file_response(render_report_pdf(report, _doc_language()), "application/pdf",
                         report_filename(report, "pdf"))


@bp.get("/reports/series.xlsx")
@login_required
def series_xlsx():
    report = services.series_report(_series_year()[0])
    return file_response(render_report_xlsx(report, _doc_language()), XLSX_MIMETYPE,
                         report_filename(report, "xlsx"))
