"""The one list of sectors (booths and matchmaking share it): codes are stored and sent by the API and
CSV, people read the label in their language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SECTORS = {
    "ai": _l("AI"),
    "fintech": _l("Fintech"),
    "agritech": _l("Agritech"),
    "edtech": _l("Edtech"),
    "healthtech": _l("Healthtech"),
    "ecommerce": _l("E-commerce"),
    "logistics": _l("Logistics"),
    "cleantech": _l("Cleantech"),
    "greentech": _l("Green technology"),
    "smart_city": _l("Smart city"),
    "other": _l("Other"),
}
# Codes written another way before the list was one (the booth form offered "smartcity").
_SAME_AS = {"smartcity": "smart_city", "e-commerce": "ecommerce"}


def canonical_sector(code: str | None) -> str | None:
    """The code the list uses for `code` ("smart_city" for the old "smartcity"); another as it is."""
    if not code:
        return code
    folded = code.strip().lower()
    if folded in SECTORS:
        return folded
    return _SAME_AS.get(folded, code)


def sector_label(code: str | None) -> str:
    """The sector's label; a code outside the list (a floor plan may name its own) as it was typed."""
    if not code:
        return ""
    known = SECTORS.get(code) or SECTORS.get(_SAME_AS.get(code.lower(), code.lower()))
    return str(known) if known is not None else code
