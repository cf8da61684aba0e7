"""What people read for an organization's kind and for what it holds, in their language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .models import OrganizationKind

KIND_LABELS = {
    OrganizationKind.startup: _l("Startup"),
    OrganizationKind.investor: _l("Investor"),
    OrganizationKind.other: _l("Other organization"),
}


def kind_label(kind) -> str:
    return str(KIND_LABELS.get(OrganizationKind(kind), kind)) if kind else ""


def held_words(table: str, count: int) -> str:
    """"3 booth applications": what a feature's table holds of an organization, by the table's name (the
    features sit above organizations; a table that lands later reads as "other records")."""
    if table == "exhibitors":
        return ngettext("%(num)d booth application", "%(num)d booth applications", count)
    if table == "contest_entries":
        return ngettext("%(num)d contest entry", "%(num)d contest entries", count)
    if table == "match_profiles":
        return ngettext("%(num)d matchmaking profile", "%(num)d matchmaking profiles", count)
    if table == "registrations":
        return ngettext("%(num)d registration", "%(num)d registrations", count)
    return ngettext("%(num)d other record", "%(num)d other records", count)


def source_words(table: str | None, row_id) -> str:
    """"the booth application no. 12": the feature's row a tax code was typed in (an audit entry)."""
    number = row_id if isinstance(row_id, int) else "?"
    if table == "exhibitors":
        return _l("the booth application no. %(id)s", id=number)
    if table == "match_profiles":
        return _l("the matchmaking profile no. %(id)s", id=number)
    if table == "contest_entries":
        return _l("the contest entry no. %(id)s", id=number)
    if table == "registrations":
        return _l("the registration no. %(id)s", id=number)
    return _l("a form")
