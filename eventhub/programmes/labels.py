"""The programme's indicators in words: the report's figures and their distinct counts (issue 19)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import hooks
from ..reports.figures import FIGURES
from ..reports.labels import FIGURE_LABELS

DISTINCT = ("exhibitors", "investors", "projects_connected", "people_checked_in")

DISTINCT_LABELS = {
    "exhibitors": _l("Different exhibiting startups (each counted once)"),
    "investors": _l("Different investors and funds (each counted once)"),
    "projects_connected": _l("Different projects connected with investors (each counted once)"),
    "people_checked_in": _l("Different people checked in (each counted once)"),
}

# api.md: a programme's indicators are the report's figures and "distinct.<name>", in this order.
INDICATORS: tuple[str, ...] = FIGURES + tuple(f"distinct.{name}" for name in DISTINCT)
INDICATOR_LABELS = {**FIGURE_LABELS, **{f"distinct.{name}": label for name, label in DISTINCT_LABELS.items()}}

assert set(INDICATOR_LABELS) == set(INDICATORS)


def indicators() -> tuple[str, ...]:
    """INDICATORS, then the figures features add to the report (hooks.add_report_figures)."""
    return INDICATORS + tuple(hooks.report_figure_labels())


def indicator_label(indicator: str) -> str:
    label = INDICATOR_LABELS.get(indicator)
    return str(label if label is not None else hooks.report_figure_labels().get(indicator, indicator))


def indicator_choices() -> list[tuple[str, str]]:
    """(indicator, words) for a select, in the report's order, in the current language."""
    return [(key, indicator_label(key)) for key in indicators()]
