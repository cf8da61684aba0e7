"""Marshmallow schemas shared by the API: errors, paging and the envelope of lists."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import EXCLUDE, fields, validate


class RequestSchema(ma.Schema):
    """Request bodies ignore fields they do not know (tolerant readers), and say so in the spec."""

    class Meta:
        unknown = EXCLUDE


class ErrorDetailSchema(ma.Schema):
    code = fields.String(required=True, metadata={"example": "slug_taken"})
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class ErrorSchema(ma.Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)


class PageArgsSchema(RequestSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class PageSchema(ma.Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)


_list_schemas: dict[str, type[ma.Schema]] = {}


def list_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The `{"items", "page", "per_page", "total"}` envelope around a schema, made once per item."""
    name = item_schema.__name__.removesuffix("Schema") + "ListSchema"
    if name not in _list_schemas:
        _list_schemas[name] = type(name, (PageSchema,), {
            "items": fields.List(fields.Nested(item_schema), required=True),
        })
    return _list_schemas[name]
