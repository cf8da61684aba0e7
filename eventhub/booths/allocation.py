"""Booth rules, part two: running the optimizer, manual placements (move, lock, swap), confirming.

Every change locks the event's Floorplan row first (locking.py), then reads the placements: two
organizers acting at once are served one after the other, and the second sees what the first did.
The optimizer runs outside the lock (it may take seconds) on a snapshot; its result is written only
if nothing changed meanwhile (the Floorplan version), else the organizer is asked to run it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete

from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import Conflict, ValidationError
from ..events.models import Event
from ..extensions import db
from . import notifications
from .days import event_days, exhibitor_days
from .forms import size_label
from .geometry import Rect
from .locking import floorplan_of, lock_floorplan
from .models import Booth, BoothPlacement, Exhibitor, Zone
from .problem import BoothSpec, ExhibitorSpec, Problem
from .solver import DEFAULT_TIME_LIMIT, LockConflict, Solution, solve


class BoothLocked(Conflict):
    code = "booth_locked"


class PlanChanged(Conflict):
    code = "plan_changed"


@dataclass
class Snapshot:
    """The event's booths, active exhibitors and placements, as read at one moment."""

    event: Event
    days: list[date]
    booths: list[Booth]
    exhibitors: list[Exhibitor]
    placements: list[BoothPlacement]
    version: int
    zone_sectors: dict[str, str | None] = field(default_factory=dict)

    def problem(self, *, keep_unlocked: bool = False) -> Problem:
        day_index = {d: i for i, d in enumerate(self.days)}
        booth_specs = tuple(BoothSpec(b.code, b.zone.code, Rect(b.x, b.y, b.w, b.h), b.size)
                            for b in self.booths)
        specs = []
        for e in self.exhibitors:
            days = None if not e.days else frozenset(
                day_index[d] for d in exhibitor_days(self.event, e) if d in day_index)
            specs.append(ExhibitorSpec(e.id, e.size, tuple(e.preferences or ()), e.sector,
                                       frozenset(e.avoid or ()), days))
        booth_code = {b.id: b.code for b in self.booths}
        locks = {p.exhibitor_id: booth_code[p.booth_id] for p in self.placements
                 if p.locked or keep_unlocked}
        return Problem(booth_specs, tuple(specs), self.zone_sectors, locks, tuple(range(len(self.days))))


def snapshot(event: Event) -> Snapshot:
    plan = floorplan_of(event.id)
    booths = list(db.session.scalars(db.select(Booth).filter_by(event_id=event.id).order_by(Booth.code)))
    exhibitors = list(db.session.scalars(db.select(Exhibitor).where(
        Exhibitor.event_id == event.id, Exhibitor.status.in_(Exhibitor.ACTIVE_STATUSES))
        .order_by(Exhibitor.created_at, Exhibitor.id)))
    placements = list(db.session.scalars(db.select(BoothPlacement).filter_by(event_id=event.id)
                                         .order_by(BoothPlacement.day, BoothPlacement.id)))
    zones = db.session.scalars(db.select(Zone).filter_by(event_id=event.id))
    return Snapshot(event, event_days(event), booths, exhibitors, placements, plan.version if plan else 0,
                    {z.code: z.sector for z in zones})


def assign_booths(event: Event, *, actor=None, time_limit: float | None = None) -> Solution:
    """Runs the optimizer keeping every locked placement; replaces the unlocked ones. Commits."""
    state = snapshot(event)
    if not state.booths:
        raise ValidationError({"floorplan": [_("Draw the floor plan first: this event has no booths.")]})
    problem = state.problem()
    limit = time_limit or current_app.config.get("BOOTHS_SOLVER_SECONDS", DEFAULT_TIME_LIMIT)
    try:
        solution = solve(problem, time_limit=limit,
                         workers=current_app.config.get("BOOTHS_SOLVER_WORKERS", 2))
    except LockConflict as exc:
        raise Conflict(_("The locked placements break a rule: %(problems)s", problems=str(exc)),
                       code="locks_conflict") from exc
    plan = lock_floorplan(event.id)
    if plan.version != state.version + 1:
        db.session.rollback()
        raise PlanChanged(_("Booths changed while the optimizer ran; run it again."))
    db.session.execute(delete(BoothPlacement).where(BoothPlacement.event_id == event.id))
    by_code = {b.code: b for b in state.booths}
    for exhibitor in state.exhibitors:
        code = solution.assignments.get(exhibitor.id)
        if code is not None:
            _insert(event, by_code[code], exhibitor, locked=exhibitor.id in problem.locks)
    plan.solved_at, plan.confirmed_at = utcnow(), None
    plan.last_run = {"objective": solution.objective, "optimal": solution.optimal, "gap": solution.gap,
                     "status": solution.status, "seconds": round(solution.seconds, 3),
                     "placed": solution.placed, "preference_points": solution.preference_points,
                     "reasons": {str(k): v for k, v in solution.reasons.items()}}
    record("booths.assigned", event, actor=actor, event=event, object_type="event",
           changes={k: v for k, v in plan.last_run.items() if k != "reasons"})
    db.session.commit()
    return solution


def _insert(event: Event, booth: Booth, exhibitor: Exhibitor, *, locked: bool) -> None:
    for day in exhibitor_days(event, exhibitor):
        db.session.add(BoothPlacement(event_id=event.id, booth_id=booth.id, exhibitor_id=exhibitor.id,
                                      day=day, locked=locked))


def _overlap(a: list[date], b: list[date]) -> bool:
    return bool(set(a) & set(b))


def place(event: Event, booth: Booth, exhibitor: Exhibitor | None, *, locked: bool = True,
          actor=None) -> list[int]:
    """Puts `exhibitor` on `booth` for all its days (None empties the booth). Commits.

    Unlocked exhibitors in the way (on the booth, or an avoided neighbour) lose their booth and are
    returned; a booth locked to someone else is a 409, a locked avoided neighbour a 422.
    """
    if exhibitor is not None:
        _check_placeable(booth, exhibitor)
    lock_floorplan(event.id)
    if exhibitor is not None:
        db.session.refresh(exhibitor, ["status"])  # as it is now that booths are ours
        if not exhibitor.is_active:
            db.session.rollback()
            _check_placeable(booth, exhibitor)
    state = snapshot(event)
    displaced = _make_room(state, booth, exhibitor) if exhibitor is not None else set()
    if exhibitor is None:
        db.session.execute(delete(BoothPlacement).where(BoothPlacement.booth_id == booth.id))
    else:
        db.session.execute(delete(BoothPlacement).where(BoothPlacement.exhibitor_id == exhibitor.id))
        _insert(event, booth, exhibitor, locked=locked)
    record("booths.placed", booth, actor=actor, event=event,
           changes={"booth": booth.code, "exhibitor_id": exhibitor.id if exhibitor else None,
                    "locked": locked, "displaced": sorted(displaced)})
    db.session.commit()
    return sorted(displaced)


def _check_placeable(booth: Booth, exhibitor: Exhibitor) -> None:
    if exhibitor.event_id != booth.event_id:
        raise ValidationError({"exhibitor_id": [_("This exhibitor is not part of this event.")]})
    if not exhibitor.is_active:
        raise ValidationError({"exhibitor_id": [_("Only submitted or approved applications get a booth.")]})
    if exhibitor.size != booth.size:
        raise ValidationError({"exhibitor_id": [_(
            "%(org)s needs a booth of size %(size)s; booth %(code)s is %(booth_size)s.",
            org=exhibitor.organization, size=size_label(exhibitor.size), code=booth.code,
            booth_size=size_label(booth.size))]},
            code="size_mismatch")


def _make_room(state: Snapshot, booth: Booth, exhibitor: Exhibitor, *, ignore: frozenset[int] = frozenset()
               ) -> set[int]:
    """Removes the unlocked placements that `exhibitor` on `booth` would break; refuses locked ones."""
    event = state.event
    mine = exhibitor_days(event, exhibitor)
    by_id = {e.id: e for e in state.exhibitors}
    problem = state.problem()
    neighbours = {state.booths[i].id for i in problem.neighbours[problem.booth_index[booth.code]]}
    partners = set(exhibitor.avoid or ())
    partners |= {e.id for e in state.exhibitors if exhibitor.id in (e.avoid or ())}
    displaced: set[int] = set()
    for p in state.placements:
        if p.exhibitor_id in (exhibitor.id, *ignore) or p.day not in mine:
            continue
        if p.booth_id == booth.id:
            if p.locked:
                db.session.rollback()
                holder = by_id[p.exhibitor_id].organization if p.exhibitor_id in by_id else "?"
                raise BoothLocked(_("Booth %(code)s is locked to %(org)s.", code=booth.code, org=holder))
            displaced.add(p.exhibitor_id)
        elif p.booth_id in neighbours and p.exhibitor_id in partners:
            if p.locked:
                db.session.rollback()
                raise ValidationError({"exhibitor_id": [_(
                    "%(org)s must not be next to %(other)s, who is locked on a neighbouring booth.",
                    org=exhibitor.organization, other=by_id[p.exhibitor_id].organization)]},
                    code="avoid_conflict")
            displaced.add(p.exhibitor_id)
    if displaced:
        db.session.execute(delete(BoothPlacement).where(BoothPlacement.exhibitor_id.in_(displaced)))
    return displaced


def swap(event: Event, first: Exhibitor, second: Exhibitor, *, actor=None) -> None:
    """Exchanges the booths of two placed exhibitors of the same size; both end up locked. Commits."""
    if first.id == second.id:
        raise ValidationError({"second": [_("Choose two different exhibitors.")]})
    if first.size != second.size:
        raise ValidationError({"second": [_("Only exhibitors with booths of the same size can swap.")]})
    lock_floorplan(event.id)
    state = snapshot(event)
    booth_of = {p.exhibitor_id: p.booth_id for p in state.placements}
    if first.id not in booth_of or second.id not in booth_of:
        db.session.rollback()
        raise ValidationError({"second": [_("Both exhibitors need a booth to swap.")]})
    booths = {b.id: b for b in state.booths}
    a_booth, b_booth = booths[booth_of[first.id]], booths[booth_of[second.id]]
    db.session.execute(delete(BoothPlacement).where(BoothPlacement.exhibitor_id.in_([first.id, second.id])))
    state.placements = [p for p in state.placements if p.exhibitor_id not in (first.id, second.id)]
    _make_room(state, b_booth, first)
    _insert(event, b_booth, first, locked=True)
    db.session.flush()
    state.placements = list(db.session.scalars(db.select(BoothPlacement).filter_by(event_id=event.id)))
    _make_room(state, a_booth, second)
    _insert(event, a_booth, second, locked=True)
    record("booths.swapped", event, actor=actor, event=event, object_type="event",
           changes={str(first.id): [a_booth.code, b_booth.code],
                    str(second.id): [b_booth.code, a_booth.code]})
    db.session.commit()


def set_locked(event: Event, exhibitor: Exhibitor, locked: bool, *, actor=None) -> None:
    lock_floorplan(event.id)
    rows = list(db.session.scalars(db.select(BoothPlacement).filter_by(exhibitor_id=exhibitor.id)))
    for row in rows:
        row.locked = locked
    record("booths.locked" if locked else "booths.unlocked", exhibitor, actor=actor, event=event)
    db.session.commit()


def confirm(event: Event, *, actor=None) -> int:
    """Marks the assignment confirmed and e-mails every active exhibitor its booth (or that it has
    none yet). Returns the number of e-mails. Commits."""
    plan = lock_floorplan(event.id)
    state = snapshot(event)
    booths = {b.id: b.code for b in state.booths}
    placed: dict[int, tuple[str, list[str]]] = {}
    for p in state.placements:
        code, days = placed.setdefault(p.exhibitor_id, (booths[p.booth_id], []))
        days.append(p.day.isoformat())
    for exhibitor in state.exhibitors:
        code, days = placed.get(exhibitor.id, (None, []))
        notifications.booth_confirmed(exhibitor, code, sorted(days))
    plan.confirmed_at = utcnow()
    record("booths.confirmed", event, actor=actor, event=event, object_type="event",
           changes={"placed": len(placed), "emails": len(state.exhibitors)})
    db.session.commit()
    return len(state.exhibitors)
