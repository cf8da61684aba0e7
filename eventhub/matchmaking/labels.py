"""What people read for sectors, stages, statuses and fit reasons, in their language."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..sectors import SECTORS as SECTORS  # the forms and routes read it here
from ..sectors import sector_label
from ..vietnamese import format_vnd
from .fit import Reason

# The fixed list of sectors is the core's (booths share it): codes are stored, labels are translated.
STAGES = {
    "idea": _l("idea"),
    "pre_seed": _l("pre-seed"),
    "seed": _l("seed"),
    "series_a": _l("Series A"),
    "growth": _l("growth"),
}

INVESTOR_TYPES = {
    "fund": _l("Investment fund"),
    "angel": _l("Angel investor"),
    "corporate": _l("Corporate venture"),
    "public": _l("Public or city fund"),
}

CURRENCIES = {"VND": _l("VND (đồng)"), "USD": _l("USD")}

COUNTRIES = {
    "VN": _l("Vietnam"), "SG": _l("Singapore"), "US": _l("United States"), "JP": _l("Japan"),
    "KR": _l("South Korea"), "IN": _l("India"), "ID": _l("Indonesia"), "TH": _l("Thailand"),
}

REQUEST_STATUSES = {
    "pending": _l("Waiting for an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
}

MEETING_STATUSES = {"scheduled": _l("Scheduled"), "cancelled": _l("Cancelled")}

FOLLOW_UPS = {
    "follow_up": _l("Further talks"),
    "due_diligence": _l("Due diligence"),
    "term_sheet": _l("Term sheet"),
    "invested": _l("Invested"),
}

KINDS = {"investor": _l("Investor"), "startup": _l("Startup")}


def format_money(amount: int | None, currency) -> str:
    """1.000.000 ₫ or 200.000 USD: dots between thousands either way, as people here write them."""
    if amount is None:
        return ""
    if str(getattr(currency, "value", currency)) == "VND":
        return format_vnd(amount)
    return f"{amount:,} USD".replace(",", ".")


def reason_text(reason: Reason) -> str:
    """One reason in words: "same sector: AI", "stage: seed"…"""
    if reason.code == "sector":
        return _("same sector: %(sector)s", sector=sector_label(reason.value))
    if reason.code == "stage":
        return _("stage: %(stage)s", stage=STAGES.get(reason.value, reason.value))
    if reason.code == "ticket":
        return _("amount within the ticket size")
    if reason.code == "country":
        return _("invests in %(country)s", country=COUNTRIES.get(reason.value, reason.value))
    return reason.code


def reasons_text(reasons) -> list[str]:
    return [reason_text(reason) for reason in reasons]
