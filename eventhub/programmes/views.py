"""The programme's report as plain rows for the page and the PDF: words for indicators, numbers in the
language's format, "reached"/"not reached" per cell, "–" where a year had no event."""

from __future__ import annotations

from flask_babel import gettext as _

from ..i18n import format_number
from . import charts
from .labels import indicator_label
from .services import ProgrammeReport


def _number(value: float | int | None) -> str:
    if value is None:
        return "–"
    return format_number(int(value) if float(value).is_integer() else value)


def table(found: ProgrammeReport) -> list[dict]:
    """One row per indicator: its words and a cell per year {"target", "actual", "state", "words"}."""
    words = {True: _("reached"), False: _("not reached"), None: ""}
    rows = []
    for key in found.indicators:
        cells = []
        for year in found.years:
            cell = found.cells[key, year]
            state = "progress" if cell.in_progress else {True: "reached", False: "missed", None: "none"}[
                cell.reached]
            said = _("still under way") if cell.in_progress else words[cell.reached]
            cells.append({"year": year, "target": _number(cell.target), "actual": _number(cell.actual),
                          "state": state, "words": said})
        rows.append({"key": key, "label": indicator_label(key), "cells": cells})
    return rows


def chart_svgs(found: ProgrammeReport, prefix: str = "programme") -> dict[str, str]:
    """{indicator: SVG} of target against actual per year, in the current language."""
    legend = (_("Actual"), _("Target"))
    svgs = {}
    for index, key in enumerate(found.indicators):
        label = indicator_label(key)
        cells = [(year, found.cells[key, year]) for year in found.years]
        points = [(year, cell.target, cell.actual) for year, cell in cells]
        svgs[key] = charts.target_chart(
            points, title=label, legend=legend, chart_id=f"{prefix}-{index}",
            description=_("%(indicator)s: the actual figure of each year as a column, the target as a dash.",
                          indicator=label))
    return svgs
