"""Organizations across the series (api.md "Organizations across the series, and the programme"): one record
per startup, fund or employer, the events it took part in, its history, and the merges organizers make
where the matching missed. The department's (global) organizers only."""

from __future__ import annotations

from datetime import datetime
from functools import wraps
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields, validate

from .. import hooks, permissions
from ..events.models import Event
from ..extensions import db
from ..organizations import services
from ..organizations.models import Organization, OrganizationKind
from .access import ORGANIZER
from .auth import require
from .schemas import ErrorSchema, PageArgsSchema, RequestSchema, list_of, refusals

blp = Blueprint("api_organizations", __name__, description="Organizations across the series")

KINDS = [kind.value for kind in OrganizationKind]


def organizer_only(view):
    """401 without a token, 403 for anyone but a global organizer – before the body or query is read."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        kwargs["user"] = require(permissions.can_manage_organizations)
        return view(*args, **kwargs)

    return wrapper


class OrganizationArgsSchema(PageArgsSchema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Words of the name or a former name; diacritics and case "
                                               "are ignored."})
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))


class OrganizationSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": KINDS})
    events = fields.List(fields.String(), required=True,
                         metadata={"description": "Slugs of the events it took part in, by start."})
    tax_code = fields.String(metadata={"description": "Mã số thuế, when known: 10 digits or 10-3."})


class HistoryItemSchema(ma.Schema):
    event = fields.String(required=True, metadata={"description": "The event's slug."})
    kind = fields.String(required=True, metadata={"example": "exhibited"})
    text = fields.String(required=True)
    at = fields.String(required=True, metadata={"description": "ISO 8601 date or date-time."})


class OrganizationDetailSchema(OrganizationSchema):
    merged_into = fields.Integer(metadata={"description": "Present when merged: the surviving organization."})
    merged = fields.List(fields.Integer(),
                         metadata={"description": "Ids of the organizations merged into it."})
    history = fields.List(fields.Nested(HistoryItemSchema), required=True,
                          metadata={"description": "Newest first, from every feature."})


class MergedSchema(OrganizationSchema):
    merged = fields.List(fields.Integer(), required=True,
                         metadata={"description": "Ids of every organization merged into it so far."})


class OrganizationPatchSchema(RequestSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = fields.String(validate=validate.OneOf(KINDS))
    tax_code = fields.String(allow_none=True, validate=validate.Length(max=40),
                             metadata={"description": "Mã số thuế (10 digits, or 10-3 for a branch); null or "
                                                      "\"\" clears it. Stored normalized."})


class MergeInSchema(RequestSchema):
    into = fields.Integer(required=True, strict=True, metadata={"description": "The surviving organization."})


class DistinctInSchema(RequestSchema):
    other = fields.Integer(required=True, strict=True,
                           metadata={"description": "An organization that is not the same as this one."})


def _event_slugs(org_ids: list[int]) -> dict[int, list[str]]:
    """{org id: slugs of its events by start}: the features' event ids, then one query for the events."""
    found = hooks.organization_events(org_ids)
    wanted = {event_id for ids in found.values() for event_id in ids}
    events = db.session.execute(db.select(Event.id, Event.slug).where(Event.id.in_(wanted))
                                .order_by(Event.starts_at, Event.id)).all() if wanted else []
    return {org_id: [slug for event_id, slug in events if event_id in found.get(org_id, ())]
            for org_id in org_ids}


def _item(org: Organization, slugs: list[str]) -> dict:
    item = {"id": org.id, "name": org.name, "kind": org.kind.value, "events": slugs}
    if org.tax_code:
        item["tax_code"] = org.tax_code
    return item


def _items(orgs: list[Organization]) -> list[dict]:
    slugs = _event_slugs([org.id for org in orgs])
    return [_item(org, slugs[org.id]) for org in orgs]


def _merged_ids(org: Organization) -> list[int]:
    return [former.id for former in services.former(org)]


def _local(item: hooks.HistoryItem, events: dict) -> str:
    """A date as it is; a moment in its event's time zone (api.md: ISO 8601 with offset)."""
    event = events.get(item.event_id)
    if isinstance(item.at, datetime) and event is not None:
        return item.at.astimezone(ZoneInfo(event.timezone)).isoformat()
    return item.at.isoformat()


def _load(org_id: int) -> Organization:
    return services.get(org_id)


@blp.get("/organizations")
@organizer_only
@blp.arguments(OrganizationArgsSchema, location="query")
@blp.response(200, list_of(OrganizationSchema))
@refusals(blp, 401, 403, 422)
@blp.doc(security=ORGANIZER)
def list_organizations(args, user):
    """Organizations not merged, in Vietnamese alphabetical order, with the events each took part in."""
    orgs, total = services.search(args["q"], kind=args["kind"], page=args["page"], per_page=args["per_page"])
    return {"items": _items(orgs), "page": args["page"], "per_page": args["per_page"], "total": total}


@blp.get("/organizations/<int:org_id>")
@organizer_only
@blp.response(200, OrganizationDetailSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def get_organization(org_id, user):
    """One organization with its history across the series; a merged one names its survivor."""
    org = _load(org_id)
    merged = services.former(org)
    ids = [org.id, *(former.id for former in merged)]
    history = hooks.organization_history(ids)
    events = {row.id: row for row in db.session.execute(
        db.select(Event.id, Event.slug, Event.timezone).where(Event.id.in_({i.event_id for i in history})))}
    body = _item(org, _event_slugs([org.id])[org.id])
    body["merged"] = [former.id for former in merged]
    if org.merged_into_id is not None:
        body["merged_into"] = org.merged_into_id
    body["history"] = [{"event": events[item.event_id].slug if item.event_id in events else "",
                        "kind": item.kind, "text": str(item.text), "at": _local(item, events)}
                       for item in history]
    return body


@blp.patch("/organizations/<int:org_id>")
@organizer_only
@blp.arguments(OrganizationPatchSchema)
@blp.response(200, OrganizationSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`tax_code_taken`, `organization_name_taken` "
                  "(another one without a tax code has the name: merge instead), `organization_merged`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def update_organization(body, org_id, user):
    """Corrects the name, the kind or the tax code (a code typed by an applicant is unproven); the fields
    not sent stay as they are."""
    org = services.update(_load(org_id), actor=user, **body)
    return _items([org])[0]


@blp.post("/organizations/<int:org_id>/merge")
@organizer_only
@blp.arguments(MergeInSchema)
@blp.response(200, MergedSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`merge_into_itself`, `organization_merged`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def merge_organization(body, org_id, user):
    """Merges this organization into `into`: its exhibitors, entries, profiles and registrations (and
    anything else that points to it) now belong to the survivor, which is answered."""
    org, into = _load(org_id), _load(body["into"])
    survivor = services.merge(org, into, actor=user)
    return {**_items([survivor])[0], "merged": _merged_ids(survivor)}


@blp.post("/organizations/<int:org_id>/distinct")
@organizer_only
@blp.arguments(DistinctInSchema)
@blp.response(200, OrganizationSchema)
@refusals(blp, 401, 403, 404)
@blp.alt_response(409, schema=ErrorSchema, description="`same_organization`, `organization_merged`")
@refusals(blp, 422)
@blp.doc(security=ORGANIZER)
def mark_distinct(body, org_id, user):
    """Records that the two are different organizations: they are no longer shown as likely duplicates."""
    org, other = _load(org_id), _load(body["other"])
    services.mark_distinct(org, other, actor=user)
    return _items([org])[0]
