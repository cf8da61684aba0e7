"""The department's organizers' pages of programmes: the list, the form (create and edit), the programme's
report (table and charts) and its PDF. The services judge the input; the form only reads the grid."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import permissions
from ..downloads import file_response
from ..errors import Conflict, NotFound, ValidationError
from ..reports.pdf import report_language
from ..reports.services import MAX_YEAR, MIN_YEAR
from . import forms, services, views
from .labels import indicator_choices
from .pdf import filename, render_programme_pdf

bp = Blueprint("programmes", __name__)


def _allowed() -> None:
    if not permissions.can_view_series_report(current_user):
        abort(403)


def _programme(code: str):
    _allowed()
    try:
        return services.get(code)
    except NotFound:
        abort(404)


@bp.get("/programmes")
@login_required
def index():
    _allowed()
    return render_template("programmes/list.html", programmes=services.programmes())


def _grid_years(default: list[int]) -> list[int]:
    """The years the posted grid has columns for (hidden fields), or `default`."""
    start, end = request.form.get("grid_start", ""), request.form.get("grid_end", "")
    if start.isascii() and start.isdigit() and end.isascii() and end.isdigit() \
            and MIN_YEAR <= int(start) <= int(end) <= MAX_YEAR and int(end) - int(start) < services.MAX_YEARS:
        return list(range(int(start), int(end) + 1))
    return default


def _new_years(body: dict, fallback: list[int]) -> list[int]:
    start, end = body["start_year"], body["end_year"]
    if isinstance(start, int) and isinstance(end, int) and MIN_YEAR <= start <= end <= MAX_YEAR \
            and end - start < services.MAX_YEARS:
        return list(range(start, end + 1))
    return fallback


def _form(programme=None):
    _allowed()
    if request.method == "GET":
        values = ({"code": programme.code, "name": programme.name, "start_year": programme.start_year,
                   "end_year": programme.end_year} if programme else {})
        years = programme.years if programme else []
        rows = forms.from_programme(programme) if programme else forms.blank_rows(0)
        return _page(programme, values, years, rows, {})
    years = _grid_years([])
    body, cell_errors = forms.read(request.form, years)
    values = {key: body[key] for key in ("code", "name", "start_year", "end_year")}
    if request.form.get("action") == "years":  # new columns for the years typed, nothing saved
        new_years = _new_years(body, years)
        return _page(programme, values, new_years, forms.grid(request.form, new_years), {})
    errors: dict[str, list[str]] = {}
    if not cell_errors:
        try:
            saved = services.save(body, current_user, programme)
        except ValidationError as exc:
            errors = exc.fields or {}
        except Conflict as exc:
            errors = {"code": [exc.describe()]}
        else:
            flash(_("The programme is saved."), "success")
            return redirect(url_for("programmes.show", code=saved.code))
    return _page(programme, values, years, forms.grid(request.form, years), errors, cell_errors, status=422)


def _page(programme, values, years, rows, errors, cell_errors=None, status=200):
    return render_template("programmes/form.html", programme=programme, values=values, years=years, rows=rows,
                           errors=errors, cell_errors=cell_errors or {}, choices=indicator_choices(),
                           min_year=MIN_YEAR, max_year=MAX_YEAR), status


@bp.route("/programmes/new", methods=["GET", "POST"])
@login_required
def create():
    return _form()


@bp.route("/programmes/<code>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str):
    return _form(_programme(code))


@bp.get("/programmes/<code>")
@login_required
def show(code: str):
    found = services.report(_programme(code))
    svgs = {key: Markup(svg) for key, svg in views.chart_svgs(found).items()}  # escaped in charts
    return render_template("programmes/show.html", report=found, programme=found.programme,
                           rows=views.table(found), charts=svgs)


@bp.get("/programmes/<code>/report.pdf")
@login_required
def pdf(code: str):
    found = services.report(_programme(code))
    lang = report_language(request.args.get("doc_lang"))
    return file_response(render_programme_pdf(found, lang), "application/pdf", filename(found))
