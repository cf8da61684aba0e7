"""Exhibition booths (api.md): the floor plan, applications, the optimizer, placements, the booth list."""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import permissions
from ..booths import allocation, queries, services
from ..booths.models import Booth, Exhibitor
from ..dbtypes import MAX_ID
from ..errors import NotFound, ValidationError
from ..extensions import db
from .access import ORGANIZER, event_for, event_in_path, managed_event
from .auth import require, require_user
from .pagination import paginate_list
from .schemas import ErrorSchema, ObjectAs, PageArgsSchema, RequestSchema, list_of, refusals

blp = Blueprint("api_booths", __name__, description="Exhibition booths")
DAY = fields.Date()


# --- shapes --------------------------------------------------------------------------------------

class BoothZoneSchema(ma.Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    sector = fields.String(allow_none=True)
    x = fields.Integer(allow_none=True)
    y = fields.Integer(allow_none=True)
    w = fields.Integer(allow_none=True)
    h = fields.Integer(allow_none=True)


class BoothInSchema(ma.Schema):
    code = fields.String(required=True)
    zone = fields.String(required=True, metadata={"description": "A zone's code."})
    x = fields.Integer(required=True)
    y = fields.Integer(required=True)
    w = fields.Integer(required=True)
    h = fields.Integer(required=True)
    size = fields.String(required=True)
    price_tier = fields.String(allow_none=True)


class FloorplanRequestSchema(RequestSchema):
    zones = fields.List(ObjectAs(BoothZoneSchema), required=True,
                        metadata={"description": "An outline (x, y, w, h) is optional."})
    booths = fields.List(ObjectAs(BoothInSchema), required=True, metadata={"description": "In grid units."})


class BoothOccupantSchema(ma.Schema):
    id = fields.Integer(required=True)
    organization = fields.String(required=True)
    sector = fields.String(required=True)
    days = fields.List(fields.Date(), metadata={"description": "The days it holds the booth."})


class BoothSchema(ma.Schema):
    code = fields.String(required=True)
    zone = fields.String(required=True)
    x = fields.Integer(required=True)
    y = fields.Integer(required=True)
    w = fields.Integer(required=True)
    h = fields.Integer(required=True)
    size = fields.String(required=True)
    price_tier = fields.String(allow_none=True)
    sector = fields.String(allow_none=True, metadata={"description": "The sector of the booth's zone."})
    exhibitor = fields.Nested(BoothOccupantSchema, allow_none=True, metadata={
        "description": "The exhibitor (of the first day, if the booth is shared by day); null when free."})
    exhibitors = fields.List(fields.Nested(BoothOccupantSchema), metadata={
        "description": "Every exhibitor on it with their days (several when shared by day)."})
    locked = fields.Boolean(required=True)
    displaced = fields.List(fields.Integer(), metadata={
        "description": "After a PUT: exhibitors that lost their (unlocked) booth to make room."})


class FloorplanSchema(ma.Schema):
    zones = fields.List(fields.Nested(BoothZoneSchema), required=True)
    booths = fields.List(fields.Nested(BoothSchema), required=True)


class ExhibitorRequestSchema(RequestSchema):
    organization = fields.String(required=True)
    sector = fields.String(required=True, metadata={"example": "agritech"})
    size = fields.String(required=True, metadata={"description": "A booth size type of the floor plan."})
    preferences = fields.List(fields.String(), load_default=list, allow_none=True, metadata={
        "description": "Zone or booth codes, best first (at most 10)."})
    avoid = fields.List(fields.Integer(strict=True), load_default=None, allow_none=True,
                        metadata={"description": "Ids of exhibitors (competitors) to keep away from."})
    days = fields.List(fields.String(), load_default=None, allow_none=True, metadata={
        "description": "Days of the event (YYYY-MM-DD) it exhibits on; none: every day."})
    stage = fields.String(load_default=None, allow_none=True,
                          metadata={"enum": ["idea", "pre_seed", "seed", "series_a", "growth"]})
    product = fields.String(load_default="", allow_none=True)
    tax_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40), metadata={
        "description": "Mã số thuế (optional): 10 digits, or 13 for a branch; stored normalized."})


class ExhibitorCreatedSchema(ma.Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)


class ExhibitorSchema(ma.Schema):
    id = fields.Integer(required=True)
    organization = fields.String(required=True)
    sector = fields.String(required=True)
    stage = fields.String(allow_none=True)
    product = fields.String()
    size = fields.String(required=True)
    status = fields.String(required=True)
    booth = fields.String(allow_none=True)
    days = fields.List(fields.String())


class ExhibitorReviewSchema(RequestSchema):
    decision = fields.String(required=True, validate=validate.OneOf(list(services.DECISIONS)))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class BoothAssignRequestSchema(RequestSchema):
    time_limit = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                              validate=validate.Range(min=0.1, max=60),
                              metadata={"description": "Seconds the optimizer may search (default 10)."})


class BoothAssignmentSchema(ma.Schema):
    exhibitor_id = fields.Integer(required=True)
    booth = fields.String(required=True)


class UnplacedReasonSchema(ma.Schema):
    exhibitor_id = fields.Integer(required=True)
    reason = fields.String(required=True, metadata={"enum": [
        "no_booth_of_size", "booths_of_size_taken", "avoid_constraints", "search_stopped"]})


class BoothAssignResultSchema(ma.Schema):
    assignments = fields.List(fields.Nested(BoothAssignmentSchema), required=True)
    unassigned = fields.List(fields.Integer(), required=True)
    objective = fields.Float(required=True)
    optimal = fields.Boolean(required=True)
    gap = fields.Float(required=True, metadata={"description": "(best bound − objective) / objective"})
    placed = fields.Integer(required=True)
    preference_points = fields.Integer(required=True)
    reasons = fields.List(fields.Nested(UnplacedReasonSchema), required=True)
    status = fields.String(required=True)
    seconds = fields.Float(required=True)


class BoothPlaceSchema(RequestSchema):
    exhibitor_id = fields.Integer(strict=True, required=True, allow_none=True,
                                  metadata={"description": "null empties the booth."})
    locked = fields.Boolean(load_default=True)


class BoothArgsSchema(PageArgsSchema):
    day = fields.Date(load_default=None, metadata={"description": "Only that day's exhibitors."})
    per_page = fields.Integer(load_default=500, validate=validate.Range(min=1, max=500))


# --- helpers -------------------------------------------------------------------------------------

def occupant_json(occupant) -> dict:
    e = occupant.exhibitor
    return {"id": e.id, "organization": e.organization, "sector": e.sector, "days": occupant.days}


def booth_json(view) -> dict:
    b = view.booth
    occupants = [occupant_json(o) for o in view.occupants]
    return {"code": b.code, "zone": b.zone.code, "x": b.x, "y": b.y, "w": b.w, "h": b.h, "size": b.size,
            "price_tier": b.price_tier, "sector": b.zone.sector, "locked": view.locked,
            "exhibitor": occupants[0] if occupants else None, "exhibitors": occupants}


def _booth(event, code: str) -> Booth:
    booth = None
    if len(code) <= 20 and "\x00" not in code:
        booth = db.session.scalar(db.select(Booth).filter_by(event_id=event.id, code=code))
    if booth is None:
        raise NotFound(_("This event has no booth with this code."), code="booth_not_found")
    return booth


def _exhibitor_in_path(view):
    """`{id}` of an application, for organizers of its event: 401, 403, then 404."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = require_user()
        exhibitor_id = kwargs.pop("id")
        exhibitor = db.session.get(Exhibitor, exhibitor_id)
        if exhibitor is None:
            if permissions.is_organizer(user):
                raise NotFound(_("There is no such exhibitor."), code="exhibitor_not_found")
            require(lambda _u: False)
        require(permissions.can_manage_booths, exhibitor.event)
        return view(*args, exhibitor=exhibitor, user=user, **kwargs)
    return wrapper


def _plan(event) -> dict:
    return {"zones": services.zones_of(event), "booths": [booth_json(v) for v in queries.booth_views(event)]}


# --- endpoints -----------------------------------------------------------------------------------

@blp.get("/events/<slug>/floorplan")
@event_in_path
@blp.response(200, FloorplanSchema)
@refusals(blp, 404)
def get_floorplan(event):
    """The event's zones and booths."""
    return _plan(event)


@blp.put("/events/<slug>/floorplan")
@managed_event
@blp.arguments(FloorplanRequestSchema)
@blp.response(200, FloorplanSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`booths_assigned`: clear the assignment first")
@blp.alt_response(422, schema=ErrorSchema, description="fields name the offending zone or booth")
@blp.doc(security=ORGANIZER)
def put_floorplan(body, event, user):
    """Replaces the floor plan as a whole, while no booth is assigned (organizers)."""
    services.replace_floorplan(event, body, actor=user)
    return _plan(event)


@blp.post("/events/<slug>/exhibitors")
@event_for(permissions.can_apply_for_booth)  # a startup: 401, 404, 403 before the body is read
@blp.arguments(ExhibitorRequestSchema)
@blp.response(201, ExhibitorCreatedSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`already_applied`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def apply(body, event, user):
    """A startup (participant account) applies for a booth; the application is `submitted`."""
    exhibitor = services.apply(event, user, **{k: v for k, v in body.items()})
    return {"id": exhibitor.id, "status": exhibitor.status.value}


@blp.get("/events/<slug>/exhibitors")
@event_in_path
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(ExhibitorSchema))
@refusals(blp, 404)
def list_exhibitors(args, event):
    """The exhibitor directory: approved exhibitors with their booth, by organization."""
    placed = queries.placements_by_exhibitor(event)
    items = []
    for e in queries.directory(event):
        booth, days, _locked = placed.get(e.id, (None, [], False))
        items.append({"id": e.id, "organization": e.organization, "sector": e.sector, "stage": e.stage,
                      "product": e.product, "size": e.size, "status": e.status.value,
                      "booth": booth.code if booth else None, "days": [d.isoformat() for d in days]})
    return paginate_list(items, args["page"], args["per_page"])


@blp.post("/exhibitors/<int:id>/review")
@_exhibitor_in_path
@blp.arguments(ExhibitorReviewSchema)
@blp.response(200, ExhibitorSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`invalid_status`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def review(body, exhibitor, user):
    """Approves, rejects or asks for changes (organizers); the startup is e-mailed."""
    services.review(exhibitor, body["decision"], note=body["note"], actor=user)
    return {"id": exhibitor.id, "organization": exhibitor.organization, "sector": exhibitor.sector,
            "stage": exhibitor.stage, "product": exhibitor.product, "size": exhibitor.size,
            "status": exhibitor.status.value, "booth": None, "days": exhibitor.days}


@blp.post("/events/<slug>/booths/assign")
@managed_event
@blp.arguments(BoothAssignRequestSchema, required=False)
@blp.response(200, BoothAssignResultSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`locks_conflict`, `plan_changed`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def assign(body, event, user):
    """Runs the optimizer: locked placements stay, as many exhibitors as possible are placed, then the
    best preferences; says whether the answer is proven optimal, and why the unplaced are unplaced."""
    solution = allocation.assign_booths(event, actor=user, time_limit=(body or {}).get("time_limit"))
    return {"assignments": [{"exhibitor_id": e, "booth": c} for e, c in solution.assignments.items()],
            "unassigned": solution.unassigned, "objective": solution.objective, "optimal": solution.optimal,
            "gap": solution.gap, "placed": solution.placed, "preference_points": solution.preference_points,
            "reasons": [{"exhibitor_id": e, "reason": r} for e, r in solution.reasons.items()],
            "status": solution.status, "seconds": solution.seconds}


@blp.put("/events/<slug>/booths/<code>")
@managed_event
@blp.arguments(BoothPlaceSchema)
@blp.response(200, BoothSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`booth_locked`: locked to another exhibitor")
@blp.alt_response(422, schema=ErrorSchema, description="`size_mismatch`, `avoid_conflict`, unknown exhibitor")
@blp.doc(security=ORGANIZER)
def place(body, event, user, code):
    """Places an exhibitor on the booth for all its days (locked: the optimizer keeps it)."""
    booth = _booth(event, code)
    exhibitor = None
    if body["exhibitor_id"] is not None:
        exhibitor_id = body["exhibitor_id"]
        exhibitor = db.session.get(Exhibitor, exhibitor_id) if 1 <= exhibitor_id <= MAX_ID else None
        if exhibitor is None or exhibitor.event_id != event.id:
            raise ValidationError({"exhibitor_id": [_("This event has no such exhibitor.")]})
    displaced = allocation.place(event, booth, exhibitor, locked=body["locked"], actor=user)
    view = next(v for v in queries.booth_views(event) if v.booth.id == booth.id)
    return {**booth_json(view), "displaced": displaced}


@blp.get("/events/<slug>/booths")
@event_in_path
@blp.arguments(BoothArgsSchema, location="query")
@blp.response(200, list_of(BoothSchema))
@refusals(blp, 404, 422)
def list_booths(args, event):
    """Every booth with its exhibitor (organization, sector) once assigned (anyone)."""
    views = queries.booth_views(event, day=args["day"])
    return paginate_list([booth_json(v) for v in views], args["page"], args["per_page"])
