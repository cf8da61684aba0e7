"""Programmes (api.md "Organizations across the series, and the programme"): yearly targets of the report's
figures over several years, and each year's actual figures beside them. The department's organizers only."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import permissions
from ..programmes import services
from ..programmes.labels import INDICATORS
from .access import ORGANIZER
from .auth import require
from .reports import series_organizer
from .schemas import RequestSchema, refusals

blp = Blueprint("api_programmes", __name__, description="Programmes: yearly targets against the report")


class TargetSchema(RequestSchema):
    indicator = fields.String(required=True, validate=validate.Length(max=60), metadata={
        "description": "A figure of the report, or distinct.<name>: " + ", ".join(INDICATORS)})
    year = fields.Integer(required=True, strict=True)
    target = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0))


class ProgrammeInSchema(RequestSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40),
                         metadata={"example": "KNDMST-2021-2025"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    start_year = fields.Integer(required=True, strict=True)
    end_year = fields.Integer(required=True, strict=True)
    targets = fields.List(fields.Nested(TargetSchema), load_default=list)


class TargetOutSchema(ma.Schema):
    indicator = fields.String(required=True)
    year = fields.Integer(required=True)
    target = fields.Float(required=True)


class ProgrammeSchema(ma.Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    start_year = fields.Integer(required=True)
    end_year = fields.Integer(required=True)
    targets = fields.List(fields.Nested(TargetOutSchema), required=True)


class ProgrammeListSchema(ma.Schema):
    items = fields.List(fields.Nested(ProgrammeSchema), required=True)


class CellSchema(ma.Schema):
    target = fields.Float(allow_none=True, required=True,
                          metadata={"description": "Null: no target that year."})
    actual = fields.Integer(allow_none=True, required=True, metadata={
        "description": "The figure of the year's series report; null for a year without events."})


class YearSchema(ma.Schema):
    year = fields.Integer(required=True)
    indicators = fields.Dict(keys=fields.String(), values=fields.Nested(CellSchema), required=True)


class ProgrammeReportSchema(ma.Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    years = fields.List(fields.Nested(YearSchema), required=True, metadata={
        "description": "Every year of the programme; each lists every indicator with a target in some year."})


@blp.post("/programmes")
@series_organizer
@blp.arguments(ProgrammeInSchema)
@blp.response(201, ProgrammeSchema)
@refusals(blp, 401, 403, 409, 422)
@blp.doc(security=ORGANIZER)
def create_programme(body):
    """Creates a programme with its yearly targets (the department's organizers)."""
    user = require(permissions.can_view_series_report)
    return services.save(body, user)


@blp.get("/programmes")
@series_organizer
@blp.response(200, ProgrammeListSchema)
@refusals(blp, 401, 403)
@blp.doc(security=ORGANIZER)
def list_programmes():
    """The programmes, newest first."""
    return {"items": services.programmes()}


@blp.get("/programmes/<code>")
@series_organizer
@blp.response(200, ProgrammeSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def get_programme(code):
    """One programme and its targets."""
    return services.get(code)


@blp.get("/programmes/<code>/report")
@series_organizer
@blp.response(200, ProgrammeReportSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def programme_report(code):
    """Target and actual of each indicator, every year of the programme."""
    return services.report(services.get(code)).as_json()
