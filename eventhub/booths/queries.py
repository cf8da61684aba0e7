"""Reading booths and exhibitors for the map, the directory, the API and documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..events.models import Event
from ..extensions import db
from ..vietnamese import collation_key, fold
from .days import event_days
from .models import Booth, BoothPlacement, Exhibitor, ExhibitorStatus, Zone

PALETTE = ("#1565c0", "#2e7d32", "#c62828", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e",
           "#558b2f", "#283593")
FREE_COLOUR = "#e9ecef"


@dataclass
class Occupant:
    exhibitor: Exhibitor
    days: list[date] = field(default_factory=list)
    locked: bool = False


@dataclass
class BoothView:
    booth: Booth
    occupants: list[Occupant]

    @property
    def exhibitor(self) -> Exhibitor | None:
        """The exhibitor of the booth's first occupied day (the only one, unless split by day)."""
        return self.occupants[0].exhibitor if self.occupants else None

    @property
    def locked(self) -> bool:
        return any(o.locked for o in self.occupants)


def org_key(text: str):
    return tuple(collation_key(word) for word in fold(text).split()), text


def booth_views(event: Event, *, day: date | None = None) -> list[BoothView]:
    booths = list(db.session.scalars(db.select(Booth).filter_by(event_id=event.id).order_by(Booth.code)))
    stmt = (db.select(BoothPlacement).filter_by(event_id=event.id)
            .order_by(BoothPlacement.day, BoothPlacement.id))
    if day is not None:
        stmt = stmt.where(BoothPlacement.day == day)
    by_booth: dict[int, dict[int, Occupant]] = {}
    for p in db.session.scalars(stmt):
        occupant = by_booth.setdefault(p.booth_id, {}).setdefault(p.exhibitor_id, Occupant(p.exhibitor))
        occupant.days.append(p.day)
        occupant.locked = occupant.locked or p.locked
    return [BoothView(b, list(by_booth.get(b.id, {}).values())) for b in booths]


def has_floor_plan(event: Event) -> bool:
    """Whether the floor map is published: it is, once the plan has booths (until then the page is empty)."""
    return db.session.scalar(db.select(db.exists().where(Booth.event_id == event.id))) or False


def placements_by_exhibitor(event: Event) -> dict[int, tuple[Booth, list[date], bool]]:
    found: dict[int, tuple[Booth, list[date], bool]] = {}
    for p in db.session.scalars(db.select(BoothPlacement).filter_by(event_id=event.id)
                                .order_by(BoothPlacement.day)):
        _booth, days, _locked = found.setdefault(p.exhibitor_id, (p.booth, [], p.locked))
        days.append(p.day)
    return found


def sector_colours(event: Event) -> dict[str, str]:
    """Each sector (of zones and exhibitors) its colour, in alphabetical order."""
    sectors = set(db.session.scalars(db.select(Zone.sector).filter_by(event_id=event.id)))
    sectors |= set(db.session.scalars(db.select(Exhibitor.sector).filter_by(event_id=event.id)))
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sorted(s for s in sectors if s))}


def applications(event: Event, *, status: str | None = None) -> list[Exhibitor]:
    stmt = db.select(Exhibitor).filter_by(event_id=event.id).order_by(Exhibitor.created_at, Exhibitor.id)
    if status:
        stmt = stmt.where(Exhibitor.status == status)
    return list(db.session.scalars(stmt))


def directory(event: Event, *, q: str | None = None, sector: str | None = None) -> list[Exhibitor]:
    """Approved exhibitors, by organization (Vietnamese order); `q` ignores accents and case."""
    stmt = db.select(Exhibitor).where(Exhibitor.event_id == event.id,
                                      Exhibitor.status == ExhibitorStatus.approved)
    if sector:
        stmt = stmt.where(Exhibitor.sector == sector)
    for word in fold(q or "").split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Exhibitor.search_text.like(f"%{escaped}%", escape="\\"))
    return sorted(db.session.scalars(stmt), key=lambda e: org_key(e.organization))


def sectors(event: Event) -> list[str]:
    return sorted(set(db.session.scalars(db.select(Exhibitor.sector).where(
        Exhibitor.event_id == event.id, Exhibitor.status == ExhibitorStatus.approved))))


def days_of(event: Event) -> list[date]:
    return event_days(event)
