"""Marshmallow schemas shared by the API: errors, paging and the envelope of lists."""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma
from flask_babel import gettext as _
from marshmallow import EXCLUDE, fields, validate

from ..validation import UNSTORABLE as _UNSTORABLE

BINARY = {"type": "string", "format": "binary"}  # a file answered as it is (PDF, XLSX, iCalendar)


def _has_unstorable_text(value) -> bool:
    """NUL, which PostgreSQL refuses in text, or a lone surrogate, which is not UTF-8 at all, anywhere."""
    pending = [value]
    while pending:  # a loop, not recursion: a JSON value may nest as deep as the parser allows
        item = pending.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return True
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


class RequestSchema(ma.Schema):
    """Request bodies ignore fields they do not know (tolerant readers), and say so in the spec."""

    class Meta:
        unknown = EXCLUDE

    @ma.pre_load
    def _refuse_unstorable_text(self, data, **_kwargs):
        """Text no database can store is a 422 on its field, on SQLite and PostgreSQL alike."""
        if not isinstance(data, Mapping):
            return data  # marshmallow answers "Invalid input type."
        errors = {}
        for name, field in self.load_fields.items():
            key = field.data_key or name
            if key in data and _has_unstorable_text(data[key]):
                errors[key] = [_("Not in the expected format.")]
        if errors:
            raise ma.ValidationError(errors)
        return data


class AsSent(fields.Raw):
    """A value taken and given as it is, described in openapi.json as `shape` would be.

    For bodies whose values the service checks itself (its own 422 messages, its own tolerance of
    odd values) and for computed numbers, which a typed field would reformat (an int as a float).
    """

    def __init__(self, shape: fields.Field, **kwargs):
        super().__init__(**kwargs)
        self.shape = shape


class ObjectAs(fields.Dict):
    """A JSON object (anything else is a 422) whose keys the service checks, described as `schema`."""

    def __init__(self, schema: type[ma.Schema], **kwargs):
        super().__init__(**kwargs)
        self.shape = fields.Nested(schema)


# What a field says of itself in openapi.json, whatever its shape says: notes, default, null.
_OWN_PROPERTIES = {"description", "default", "nullable", "example", "readOnly", "writeOnly", "deprecated"}


def as_sent2properties(converter, field, ret, **_kwargs) -> dict:
    """apispec: AsSent and ObjectAs fields are documented as their shape."""
    if not isinstance(field, AsSent | ObjectAs):
        return {}
    for key in [key for key in ret if key not in _OWN_PROPERTIES]:
        del ret[key]
    return {key: value for key, value in converter.field2property(field.shape).items() if key not in ret}


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


def refusals(blp, *statuses: int):
    """Documents that an endpoint may answer these statuses, each with the error shape of api.md."""
    def decorate(view):
        for status in reversed(statuses):
            view = blp.alt_response(status, schema=ErrorSchema)(view)
        return view
    return decorate
