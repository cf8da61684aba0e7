"""The floor as other features see it (eventhub.hooks.Floor): booths with their occupant, and the map
with a booth to walk to marked – pairwise judges are sent from booth to booth."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from ..extensions import db
from ..hooks import BoothSpot
from .models import Booth, BoothPlacement, Exhibitor, Zone
from .routes import map_for


def booth_spots(event) -> list[BoothSpot]:
    """Every booth of the event in code order, in two queries whatever the size of the floor."""
    occupant: dict[int, str] = {}
    placements = db.session.execute(
        db.select(BoothPlacement.booth_id, Exhibitor.organization)
        .join(Exhibitor, Exhibitor.id == BoothPlacement.exhibitor_id)
        .where(BoothPlacement.event_id == event.id)
        .order_by(BoothPlacement.day, BoothPlacement.id)).tuples()
    for booth_id, organization in placements:
        occupant.setdefault(booth_id, organization)
    rows = db.session.execute(
        db.select(Booth.id, Booth.code, Booth.x, Booth.y, Booth.w, Booth.h, Zone.name)
        .join(Zone, Zone.id == Booth.zone_id)
        .where(Booth.event_id == event.id).order_by(Booth.code)).tuples()
    return [BoothSpot(code, zone, x + w / 2, y + h / 2, occupant.get(booth_id, ""))
            for booth_id, code, x, y, w, h, zone in rows]


def render_spot_map(event, *, target: str | None = None, here: str | None = None) -> Markup:
    """The floor map with `target` (the booth to walk to) and `here` marked; empty without a plan."""
    floor = map_for(event)
    if not floor.booths:
        return Markup("")
    return Markup(render_template("booths/_spot_map.html", floor=floor, target=target, here=here))
