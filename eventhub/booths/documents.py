"""Printed booth documents: an A4 sign for a booth, and the exhibitor list. WeasyPrint, plain data."""

from __future__ import annotations

import base64

from flask_babel import gettext as _

from ..events.models import Event
from ..i18n import format_date_range
from ..printing import render_html, render_pdf
from ..sectors import sector_label
from ..vietnamese import normalize_text
from . import logos, queries
from .forms import STAGE_LABELS


def _logo_uri(key: str | None) -> str | None:
    png = logos.load(key)
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else None


def booth_sign_pdf(event: Event, view) -> bytes:
    """One A4 page: the booth's code, its exhibitor(s) with logo and sector, the event."""
    occupants = [{"organization": normalize_text(o.exhibitor.organization),
                  "sector": sector_label(o.exhibitor.sector),
                  "product": normalize_text(o.exhibitor.product or "")[:300],
                  "logo": _logo_uri(o.exhibitor.logo_key),
                  "days": ", ".join(d.strftime("%d/%m/%Y") for d in o.days)} for o in view.occupants]
    html = render_html("booth_sign.html", event_name=normalize_text(event.name),
                       event_dates=format_date_range(event.starts_at, event.ends_at, event.tz),
                       code=view.booth.code, zone=view.booth.zone.name, occupants=occupants,
                       labels={"booth": _("Booth"), "zone": _("Zone"), "free": _("This booth is free."),
                               "days": _("Days")}, show_days=len(occupants) > 1)
    return render_pdf(html, ["booth_sign.css"])


def exhibitor_list_pdf(event: Event) -> bytes:
    """The approved exhibitors with their booth, by organization in Vietnamese order."""
    placed = queries.placements_by_exhibitor(event)
    rows = []
    for e in queries.directory(event):
        booth, _days, _locked = placed.get(e.id, (None, [], False))
        rows.append({"organization": normalize_text(e.organization), "sector": sector_label(e.sector),
                     "stage": str(STAGE_LABELS[e.stage.value]) if e.stage else "",
                     "booth": booth.code if booth else "—"})
    html = render_html("exhibitor_list.html", event_name=normalize_text(event.name),
                       event_dates=format_date_range(event.starts_at, event.ends_at, event.tz),
                       venue=normalize_text(event.venue or ""), rows=rows,
                       labels={"title": _("Exhibitors"), "organization": _("Organization"),
                               "sector": _("Sector"), "stage": _("Stage"), "booth": _("Booth"),
                               "count": _("%(n)d exhibitors", n=len(rows))})
    return render_pdf(html, ["exhibitor_list.css"])
