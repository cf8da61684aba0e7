"""The summary report (api.md "Summary report"): figures of an event or a year's series, PDF and XLSX."""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import permissions
from ..downloads import XLSX_MIMETYPE, file_response
from ..reports import services
from ..reports.distinct import DISTINCT
from ..reports.pdf import render_report_pdf, report_filename, report_language
from ..reports.xlsx import render_report_xlsx
from .access import ORGANIZER, managed_event
from .auth import require
from .schemas import BINARY, RequestSchema, refusals

blp = Blueprint("api_reports", __name__, description="The organizers' summary report")

_DESCRIPTIONS = {
    "registrations": "Registrations that are not cancelled.",
    "checked_in": "Registrations with at least one check-in (not undone).",
    "visitor_attendances": "Check-ins, one per person per event day.",
    "exhibitors": "Exhibitor applications submitted or approved.",
    "contests": "The event's contests.",
    "entries": "Entries of its contests, not withdrawn.",
    "sessions": "Workshops and conferences.",
    "session_attendance": "Seats held in the event's sessions.",
    "session_checkins": "People scanned in at the sessions' doors, each person once per session.",
    "investors": "Investor profiles of the event.",
    "meetings_held": "Meetings marked held by either side, each once.",
    "projects_connected": "Startups with at least one meeting held.",
    "certificates": "Certificates issued, not revoked.",
}

# Figures features above the reports add (hooks.add_report_figures): the follow-ups of outcomes.
_ADDED_DESCRIPTIONS = {
    "investment_reported": "Investment (VND) reported in the follow-ups 30 and 90 days after meetings and "
                           "awards: each meeting or award once, at the largest amount any side reported "
                           "(each side's latest answer).",
    "startups_with_pilot_or_investment": "Startups that reported a pilot or an investment in a follow-up, "
                                         "each organization once (in a series: once over the year's "
                                         "events).",
}

FiguresSchema = ma.Schema.from_dict(
    {name: fields.Integer(required=True, metadata={"description": description})
     for name, description in {**_DESCRIPTIONS, **_ADDED_DESCRIPTIONS}.items()},
    name="ReportFiguresSchema")


_ATTENDANCE_COUNTS = {
    "base": "Registrations that were confirmed: confirmed now, or cancelled by answering that they would "
            "not come (attending false). The four parts below sum to it.",
    "checked_in": "Came: at least one check-in (not undone) on one of the event's days.",
    "said_no": "Answered that they would not come (and so cancelled), and did not come.",
    "said_yes_absent": "Answered that they would come, and did not come.",
    "silent_absent": "Did not answer, and did not come.",
    "said_yes": "Answered that they would come, whether they came or not (not a part of the base's sum).",
}


class AttendanceSharesSchema(ma.Schema):
    """Each count as a fraction of `base`, not rounded; null when `base` is 0."""

    checked_in = fields.Float(allow_none=True, required=True)
    said_no = fields.Float(allow_none=True, required=True)
    said_yes_absent = fields.Float(allow_none=True, required=True)
    silent_absent = fields.Float(allow_none=True, required=True)
    said_yes = fields.Float(allow_none=True, required=True)


AttendanceCountsSchema = ma.Schema.from_dict(
    {**{key: fields.Integer(required=True, metadata={"description": text})
        for key, text in _ATTENDANCE_COUNTS.items()},
     "shares": fields.Nested(AttendanceSharesSchema, required=True)},
    name="AttendanceCountsSchema")


class AttendanceTypeSchema(AttendanceCountsSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class AttendanceSchema(ma.Schema):
    ended = fields.Boolean(required=True, metadata={
        "description": "Whether the event has ended: before, those who have not come yet are no no-shows."})
    total = fields.Nested(AttendanceCountsSchema, required=True)
    by_type = fields.List(fields.Nested(AttendanceTypeSchema), required=True, metadata={
        "description": "Each registration type of the event, in its order, with its own counts."})


class EventReportSchema(FiguresSchema):
    attendance = fields.Nested(AttendanceSchema, required=True, metadata={
        "description": "No-show figures: who of the confirmed registrants came, said no, or stayed away."})


class EventFiguresSchema(FiguresSchema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    starts_at = fields.DateTime(required=True, attribute="starts_at")


_DISTINCT_DESCRIPTIONS = {
    "exhibitors": "Exhibiting startups (as `exhibitors`), each organization once over the year's events.",
    "investors": "Investors (as `investors`), each organization or fund once; a profile without an "
                 "organization name is its account's e-mail.",
    "projects_connected": "Startups with at least one meeting held (as `projects_connected`), each "
                          "organization once.",
    "people_checked_in": "People checked in (as `checked_in`), each e-mail address (lowercased) once.",
}
DistinctSchema = ma.Schema.from_dict(
    {name: fields.Integer(required=True, metadata={"description": _DISTINCT_DESCRIPTIONS[name]})
     for name in DISTINCT},
    name="ReportDistinctSchema")


class SeriesReportSchema(FiguresSchema):
    year = fields.Integer(required=True)
    distinct = fields.Nested(DistinctSchema, required=True, metadata={
        "description": "Each organization or person counted once over the year's events, where the "
                       "figures above are sums over the events. Organizations are matched by name with "
                       "diacritics, case and legal-form words folded."})
    events = fields.List(fields.Nested(EventFiguresSchema), required=True, metadata={
        "description": "Each event starting in the year (event time), with its own figures."})


class YearField(fields.Integer):
    """A year written in ASCII digits: `int()` alone would also take "२०३१" or " 2031 "."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not (isinstance(value, str) and value.isascii() and value.isdigit()):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class YearArgsSchema(RequestSchema):
    year = YearField(required=True, strict=False,
                          validate=validate.Range(min=services.MIN_YEAR, max=services.MAX_YEAR),
                          metadata={"example": 2020})


class LanguageArgsSchema(RequestSchema):
    lang = fields.String(load_default="vi", validate=validate.OneOf(["vi", "en"]),
                         metadata={"description": "The PDF's language: Vietnamese by default."})


class SeriesDownloadArgsSchema(YearArgsSchema, LanguageArgsSchema):
    pass


@blp.get("/events/<slug>/report")
@managed_event
@blp.response(200, EventReportSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def event_report(event, user):
    """The figures of the event's summary report and its no-show figures (organizers of the event)."""
    report = services.event_report(event)
    return {**report.totals, "attendance": report.attendance.as_json()}


@blp.get("/events/<slug>/report.pdf")
@managed_event
@blp.arguments(LanguageArgsSchema, location="query")
@blp.response(200, BINARY, content_type="application/pdf", description="The printable report (A4).")
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def event_report_pdf(args, event, user):
    """The printable summary report of the event: Vietnamese, or English with `?lang=en`."""
    report = services.event_report(event)
    return file_response(render_report_pdf(report, report_language(args["lang"])), "application/pdf",
                         report_filename(report, "pdf"))


@blp.get("/events/<slug>/report.xlsx")
@managed_event
@blp.arguments(LanguageArgsSchema, location="query")
@blp.response(200, BINARY, content_type=XLSX_MIMETYPE, description="Figures and the charts' numbers.")
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def event_report_xlsx(args, event, user):
    """The report's numbers: a sheet of figures, a sheet per chart."""
    report = services.event_report(event)
    return file_response(render_report_xlsx(report, report_language(args["lang"])), XLSX_MIMETYPE,
                         report_filename(report, "xlsx"))


def series_organizer(view):
    """401 without a token, 403 for anyone but a global organizer – before the query is read."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        require(permissions.can_view_series_report)
        return view(*args, **kwargs)

    return wrapper


def _series(year: int) -> services.Report:
    return services.series_report(year)


def _series_json(report: services.Report) -> dict:
    events = [{"slug": event.slug, "name": event.name, "starts_at": event.local_starts_at,
               **report.per_event[event.id]} for event in report.events]
    return {**report.totals, "year": report.year, "distinct": report.distinct, "events": events}


@blp.get("/series/report")
@series_organizer
@blp.arguments(YearArgsSchema, location="query")
@blp.response(200, SeriesReportSchema)
@refusals(blp, 401, 403, 422)
@blp.doc(security=ORGANIZER)
def series_report(args):
    """The figures of every event starting in `year` (event time), summed, with each event's own."""
    return _series_json(_series(args["year"]))


@blp.get("/series/report.pdf")
@series_organizer
@blp.arguments(SeriesDownloadArgsSchema, location="query")
@blp.response(200, BINARY, content_type="application/pdf", description="The printable report (A4).")
@refusals(blp, 401, 403, 422)
@blp.doc(security=ORGANIZER)
def series_report_pdf(args):
    """The printable summary report of a year's series."""
    report = _series(args["year"])
    return file_response(render_report_pdf(report, report_language(args["lang"])), "application/pdf",
                         report_filename(report, "pdf"))


@blp.get("/series/report.xlsx")
@series_organizer
@blp.arguments(SeriesDownloadArgsSchema, location="query")
@blp.response(200, BINARY, content_type=XLSX_MIMETYPE, description="Figures and the charts' numbers.")
@refusals(blp, 401, 403, 422)
@blp.doc(security=ORGANIZER)
def series_report_xlsx(args):
    """The series' numbers: figures per event and summed, a sheet per chart."""
    report = _series(args["year"])
    return file_response(render_report_xlsx(report, report_language(args["lang"])), XLSX_MIMETYPE,
                         report_filename(report, "xlsx"))
