"""The floor map's drawing data: booth rectangles on the grid, coloured by sector. Pure of Flask."""

from __future__ import annotations

from dataclasses import dataclass, field

SCALE = 10  # SVG units per grid unit
MARGIN = 1  # grid units around the drawing on every side: a thick outline at a wall is not cut off


@dataclass
class MapBooth:
    code: str
    x: int
    y: int
    w: int
    h: int
    fill: str
    size: str
    zone: str
    label: str
    organization: str
    sector: str
    exhibitor_id: int | None
    locked: bool
    url: str | None


@dataclass
class MapZone:
    code: str
    name: str
    x: int
    y: int
    w: int
    h: int


@dataclass
class MapGroup:
    """A zone's booths, in code order: the list a phone shows when a zone is tapped."""

    code: str
    name: str
    booths: list[MapBooth]


@dataclass
class FloorMap:
    view_box: str
    zones: list[MapZone]
    booths: list[MapBooth]
    legend: dict[str, str]
    groups: list[MapGroup] = field(default_factory=list)


def floor_map(views, zones, colours: dict[str, str], *, free: str, url_for_exhibitor) -> FloorMap:
    """`views`: queries.BoothView; `zones`: models.Zone; colours: sector → fill."""
    rects = [(v.booth.x, v.booth.y, v.booth.x + v.booth.w, v.booth.y + v.booth.h) for v in views]
    rects += [(z.x, z.y, z.x + z.w, z.y + z.h) for z in zones if z.has_outline]
    left = min((r[0] for r in rects), default=0) - MARGIN
    top = min((r[1] for r in rects), default=0) - MARGIN
    right = max((r[2] for r in rects), default=10) + MARGIN
    bottom = max((r[3] for r in rects), default=10) + MARGIN
    map_booths = []
    for view in views:
        b, e = view.booth, view.exhibitor
        map_booths.append(MapBooth(
            code=b.code, x=b.x * SCALE, y=b.y * SCALE, w=b.w * SCALE, h=b.h * SCALE,
            fill=colours.get(e.sector, free) if e else free, size=b.size, zone=b.zone.code,
            label=b.code, organization=" / ".join(o.exhibitor.organization for o in view.occupants),
            sector=e.sector if e else (b.zone.sector or ""), exhibitor_id=e.id if e else None,
            locked=view.locked, url=url_for_exhibitor(e) if e else None))
    map_zones = [MapZone(z.code, z.name, z.x * SCALE, z.y * SCALE, z.w * SCALE, z.h * SCALE)
                 for z in zones if z.has_outline]
    used = {b.sector for b in map_booths if b.exhibitor_id}
    groups = [MapGroup(z.code, z.name, [b for b in map_booths if b.zone == z.code]) for z in zones]
    view_box = f"{left * SCALE} {top * SCALE} {(right - left) * SCALE} {(bottom - top) * SCALE}"
    return FloorMap(view_box, map_zones, map_booths,
                    {s: c for s, c in colours.items() if s in used}, [g for g in groups if g.booths])
