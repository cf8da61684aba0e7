"""JSON shapes of registration types, questions, sessions and registrations."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from ..dbtypes import MAX_ID
from ..registration import queries
from ..registration.models import QuestionKind, Registration, RegistrationStatus
from .access import MANAGE_TOKEN_HEADER
from .schemas import PageArgsSchema, RequestSchema

STATUSES = [status.value for status in RegistrationStatus]
QUESTION_KINDS = [kind.value for kind in QuestionKind]
SORTS = sorted(queries.SORTS)
# An answer as its question's kind has it: text or a choice, several choices, a checkbox, a number.
ANSWER = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "boolean"},
                    {"type": "number"}]}


class LocalDateTime(fields.DateTime):
    """A stored (UTC) time, answered in the time zone of the object's event, with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = value.astimezone(obj.event.tz)
        return super()._serialize(value, attr, obj, **kwargs)


class QuestionSchema(ma.Schema):
    id = fields.Integer(required=True)
    key = fields.String(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": QUESTION_KINDS})
    required = fields.Boolean(required=True)
    options = fields.List(fields.String(), required=True)
    help_text = fields.String(required=True)


class QuestionCreateSchema(RequestSchema):
    key = fields.String(required=True, metadata={"example": "company_size"})
    label = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": QUESTION_KINDS})
    required = fields.Boolean(load_default=False)
    options = fields.List(fields.String(), load_default=None, allow_none=True)
    help_text = fields.String(load_default="", allow_none=True)


class RegistrationTypeSchema(ma.Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"example": "visitor"})
    name = fields.String(required=True)
    description = fields.String(required=True)
    capacity = fields.Integer(required=True, allow_none=True)
    remaining = fields.Integer(required=True, allow_none=True,
                               metadata={"description": "Seats left; null when the type is unlimited."})
    waitlist = fields.Boolean(required=True)
    requires_approval = fields.Boolean(required=True)
    confirm_email = fields.Boolean(required=True, metadata={
        "description": "A new registration holds its seat as `pending_email` until the e-mailed link "
                       "is opened."})
    opens_at = LocalDateTime(allow_none=True)
    closes_at = LocalDateTime(allow_none=True)
    questions = fields.List(fields.Nested(QuestionSchema), attribute="active_questions", required=True)


class RegistrationTypeCreateSchema(RequestSchema):
    code = fields.String(required=True, metadata={"example": "visitor"})
    name = fields.String(required=True)
    description = fields.String(load_default="", allow_none=True)
    capacity = fields.Integer(strict=True, load_default=None, allow_none=True)
    waitlist = fields.Boolean(load_default=False)
    requires_approval = fields.Boolean(load_default=False)
    confirm_email = fields.Boolean(load_default=False)
    opens_at = fields.DateTime(load_default=None, allow_none=True)
    closes_at = fields.DateTime(load_default=None, allow_none=True)


class SessionSchema(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    speakers = fields.List(fields.String(), required=True)
    room = fields.String(required=True)
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    capacity = fields.Integer(required=True, allow_none=True)
    remaining = fields.Integer(required=True, allow_none=True,
                               metadata={"description": "Seats left; null when the session is unlimited."})


class SessionCreateSchema(RequestSchema):
    title = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    room = fields.String(load_default="", allow_none=True)
    capacity = fields.Integer(strict=True, load_default=None, allow_none=True)
    speakers = fields.List(fields.String(), load_default=list)
    description = fields.String(load_default="", allow_none=True)


class RegistrationRequestSchema(RequestSchema):
    # The services check every value (api.md's 422s name these fields); here only JSON types.
    type_code = fields.String(data_key="type", load_default=None, allow_none=True,
                              metadata={"example": "visitor"})
    full_name = fields.String(load_default=None, allow_none=True)
    email = fields.String(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True)
    organization = fields.String(load_default=None, allow_none=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True, metadata=ANSWER),
                          load_default=None,
                          allow_none=True, metadata={"description": "{question key: answer}"})
    sessions = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID)),
                           load_default=None, allow_none=True)
    consent = fields.Raw(load_default=None, metadata={"type": "boolean", "description": "Must be true."})
    locale = fields.String(load_default=None, allow_none=True, metadata={"enum": ["vi", "en"]})


class RegistrationCreatedSchema(ma.Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": STATUSES})
    ticket_code = fields.String(metadata={"description": "Present exactly when the status is confirmed."})
    hold_expires_at = fields.DateTime(metadata={
        "description": "Present when the status is pending_email: the seat is released then unless the "
                       "link e-mailed to the address is opened."})
    manage_token = fields.String(
        required=True, metadata={"description": f"Opens the registration as {MANAGE_TOKEN_HEADER}."})


class RegistrationSchema(ma.Schema):
    id = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"description": "The event's slug."})
    type_code = fields.String(data_key="type", required=True, metadata={"description": "The type's code."})
    status = fields.String(required=True, metadata={"enum": STATUSES})
    full_name = fields.String(required=True)
    email = fields.String(required=True)
    phone = fields.String(required=True, allow_none=True, metadata={"example": "+84912345678"})
    organization = fields.String(required=True, allow_none=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(metadata=ANSWER), required=True)
    sessions = fields.List(fields.Integer(), required=True,
                           metadata={"description": "Ids of the sessions chosen."})
    ticket_code = fields.String(metadata={"description": "Present exactly when the status is confirmed."})
    hold_expires_at = fields.DateTime(metadata={"description": "Present when the status is pending_email."})
    attending = fields.Boolean(required=True, allow_none=True, metadata={
        "description": "The answer to \"will you come?\": true, false (then cancelled), null (none yet)."})
    attendance_at = fields.DateTime(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)

    @ma.pre_dump
    def _representation(self, reg, **_kwargs):
        if not isinstance(reg, Registration):
            return reg
        data = {
            "id": reg.id, "event": reg.event.slug, "type_code": reg.registration_type.code,
            "status": reg.status.value, "full_name": reg.full_name, "email": reg.email,
            "phone": reg.phone, "organization": reg.organization, "answers": reg.answers_by_key,
            "sessions": sorted(choice.session_id for choice in reg.session_choices),
            "created_at": reg.created_at.astimezone(reg.event.tz),
            "attending": reg.attending,
            "attendance_at": reg.attendance_at.astimezone(reg.event.tz) if reg.attendance_at else None,
        }
        if reg.status == RegistrationStatus.confirmed:
            data["ticket_code"] = reg.ticket_code
        if reg.status == RegistrationStatus.pending_email and reg.hold_expires_at:
            data["hold_expires_at"] = reg.hold_expires_at.astimezone(reg.event.tz)
        return data


class ResendRequestSchema(ma.Schema):
    """Any JSON body gets `202 {}` (api.md: always): what is not an address is simply not registered."""

    class Meta:
        unknown = ma.EXCLUDE

    email = fields.Raw(load_default=None,
                       metadata={"type": "string", "description": "The registrant's e-mail."})

    @ma.pre_load
    def _any_json(self, data, **_kwargs):
        return data if isinstance(data, dict) else {}


class AcceptedSchema(ma.Schema):
    """`202 {}`: the same answer whether or not the address is registered."""


class CancelledSchema(ma.Schema):
    status = fields.String(required=True, metadata={"enum": ["cancelled"]})


class JsonBoolean(fields.Boolean):
    """JSON true or false only: not "yes", "on", 1 or 0, which marshmallow would otherwise take."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class AttendanceAnswerSchema(RequestSchema):
    attending = JsonBoolean(required=True, metadata={
        "description": "`true`: I will come; `false`: I cannot come (the registration is cancelled)."})


class ReasonSchema(RequestSchema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class RegistrationFilterSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    type_code = fields.String(data_key="type", metadata={"description": "A registration type's code."})
    q = fields.String(metadata={"description": "Name, e-mail, phone or organization; diacritics ignored."})
    sort = fields.String(load_default="created", validate=validate.OneOf(SORTS),
                         metadata={"description": "`name`: by Vietnamese given name."})

    @ma.pre_load
    def _empty_filter_is_no_filter(self, data, **_kwargs):
        """`?status=&type=` as a form leaves them: no filter (paging values stay strict)."""
        names = ("status", "type", "q", "sort")
        data = {key: data[key] for key in data}  # webargs hands over a MultiDict proxy
        return {key: value for key, value in data.items() if not (key in names and value == "")}


