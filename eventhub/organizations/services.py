"""Organizations' rules: finding (or making) the one record a typed name and tax code stand for, linking the
features' rows to it, searching, merging what the matching missed, and marking pairs as not the same.

Matching (eventhub.organizations.matching): a valid tax code (mã số thuế) first, else the folded name.
A merged organization keeps its names and codes, so what it was known by still leads to the survivor.
resolve and link never commit (they run inside the feature's own transaction); merge and mark_distinct do.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, case, delete, func, literal, or_
from sqlalchemy import update as update_rows
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import ValidationError
from ..extensions import db
from ..vietnamese import collation_key, fold
from . import matching
from .errors import (
    MergeIntoItself,
    NameTaken,
    OrganizationMerged,
    OrganizationNotFound,
    SameOrganization,
    TaxCodeTaken,
)
from .models import (
    NAME_KEY_LENGTH,
    NAME_LENGTH,
    SEARCH_TEXT_LENGTH,
    DistinctPair,
    Organization,
    OrganizationKind,
)

MAX_CHAIN = 50  # merged_into hops followed before giving up (merge re-points, so one hop is the rule)
LINK_CHUNK = 500
# What a row of a feature's table is to the series when it says nothing itself (a profile has a `kind`).
_TABLE_KINDS = {"exhibitors": OrganizationKind.startup, "contest_entries": OrganizationKind.startup}
# Tables whose reference to organizations is not "this row belongs to it": a merge leaves them alone.
_NOT_MOVED = {"organizations", "organization_distinct_pairs"}


# --- finding the record ------------------------------------------------------------------------------

def _clean_name(name: str | None) -> str:
    return " ".join((name or "").split())[:NAME_LENGTH]


def name_key_of(name: str) -> str:
    """The folded name (matching.fold_name) as stored and looked up: within the column's length, which
    folding can outgrow ("ﬃ" becomes "ffi")."""
    return matching.fold_name(name)[:NAME_KEY_LENGTH].rstrip()


SEPARATOR = " | "


def _search_text(*parts: str | None) -> str:
    """The folded names and codes people may search by, each once, most important first (a search_text
    given as a part is split into its own parts). The first part is cut to the column's length; a later
    one that does not fit whole is left out, so merge after merge the text stays within the column and
    the organization's own name and code stay in it."""
    kept: list[str] = []
    for part in parts:
        for piece in (part or "").split(SEPARATOR):
            folded = " ".join(fold(piece).split())
            text = SEPARATOR.join(kept)
            if not folded or folded in text:
                continue
            if not kept:
                kept.append(folded[:SEARCH_TEXT_LENGTH].rstrip())
            elif len(text) + len(SEPARATOR) + len(folded) <= SEARCH_TEXT_LENGTH:
                kept.append(folded)
    return SEPARATOR.join(kept)


def _rise(org: Organization, kind: OrganizationKind) -> None:
    """A startup or investor outranks `other`; a startup never becomes `other` again."""
    if org.kind == OrganizationKind.other and kind != OrganizationKind.other:
        org.kind = kind


def _survivor(org: Organization | None) -> Organization | None:
    """The organization followed along merged_into to the live one."""
    hops = 0
    while org is not None and org.merged_into_id is not None and hops < MAX_CHAIN:
        org = db.session.get(Organization, org.merged_into_id)
        hops += 1
    return org


def _by_tax_code(code: str) -> Organization | None:
    """The live organization with this code, else a merged one that had it (followed to its survivor)."""
    return _survivor(db.session.scalar(
        db.select(Organization).where(Organization.tax_code == code)
        .order_by(Organization.merged_into_id.is_not(None), Organization.id).limit(1)))


def _by_name_key(key: str) -> Organization | None:
    """An organization known by this folded name: live without a tax code first, then live, then the
    oldest merged one (followed to its survivor). One SELECT when the name is known."""
    stmt = db.select(Organization).where(Organization.name_key == key)
    return _survivor(db.session.scalar(stmt.order_by(_name_preference(), Organization.id).limit(1)))


def _name_preference():
    """Among the organizations known by one name: live without a tax code first, then live, then merged."""
    return case((Organization.merged_into_id.is_not(None), 2), (Organization.tax_code.is_not(None), 1),
                else_=0)


def known_by_name(name: str | None) -> dict[str, str] | None:
    """The parameters of `known_by_name_subquery` for a typed name (without a tax code); None for a
    blank name."""
    display = _clean_name(name)
    return {"name_key": name_key_of(display)} if display else None


@cache
def known_by_name_subquery() -> Any:
    """The id of the organization a typed name already leads to, as a scalar subquery (built once) to read
    along with something else: registration's hot path then spends no round trip of its own on it. As
    `_by_name_key` picks it, one merge hop followed (a merge re-points what had merged into the loser).
    NULL when the name is new (`link` the row then). Its parameter: `known_by_name(name)`."""
    return (db.select(func.coalesce(Organization.merged_into_id, Organization.id))
            .where(Organization.name_key == bindparam("name_key"))
            .order_by(_name_preference(), Organization.id).limit(1).scalar_subquery())


def known_id(name: str | None) -> int | None:
    """The id `known_by_name_subquery` reads, in a statement of its own; None for a new or blank name."""
    params = known_by_name(name)
    return db.session.scalar(db.select(known_by_name_subquery()), params) if params is not None else None


def _insert(org: Organization) -> bool:
    """Adds `org` in a SAVEPOINT; False when a unique index refused it (someone made the same one first)."""
    try:
        with db.session.begin_nested():
            db.session.add(org)
    except IntegrityError:
        return False
    return True


def resolve(name: str | None, tax_code: str | None = None, *,
            kind: OrganizationKind | str = OrganizationKind.other, source: Any = None,
            actor: Any = None) -> Organization | None:
    """The organization a typed name (and tax code) stands for, made when new; None for a blank name
    without a valid tax code. When an organization known by the name takes the typed tax code, an audit
    entry says who typed it and where (`source`: the feature's row; `actor`: else its `user`): a code
    typed by an applicant is unproven, and organizers can correct it. Does not commit."""
    kind = OrganizationKind(kind)
    display = _clean_name(name)
    code = matching.normalize_tax_code(tax_code)
    if not display and not code:
        return None
    key = name_key_of(display) if display else code
    for _attempt in range(3):  # a lost race reads the winner; a third loss would be a bug elsewhere
        org, took_code = _find(key, code, display)
        if org is not None:
            _rise(org, kind)
            if took_code:
                _record_tax_code(org, code, source, actor)
            return org
        org = Organization(name=display or code, kind=kind, tax_code=code, name_key=key,
                           search_text=_search_text(display, code))
        if _insert(org):
            return org
    raise RuntimeError(f"could not resolve the organization {display!r}")


def _find(key: str, code: str | None, display: str) -> tuple[Organization | None, bool]:
    """(the organization, whether it took `code` just now)."""
    if not code:
        return _by_name_key(key), False
    org = _by_tax_code(code)
    if org is not None or not display:
        return org, False
    named = _untaxed_by_name_key(key)
    if named is None:
        return None, False
    try:  # the same name without a code so far: it takes this one (unless another took it meanwhile)
        with db.session.begin_nested():
            named.tax_code = code
            named.search_text = _search_text(named.name, code, named.search_text)
    except IntegrityError:
        return _by_tax_code(code), False
    return named, True


def _untaxed_by_name_key(key: str) -> Organization | None:
    """The organization without a tax code that this folded name leads to: a live one known by it, else
    the survivor of the oldest merged one known by it (a merge taught the name) when that survivor has
    no tax code either. None otherwise: the name with a new code is then another organization."""
    org = _survivor(db.session.scalar(
        db.select(Organization).where(Organization.name_key == key, or_(
            Organization.merged_into_id.is_not(None), Organization.tax_code.is_(None)))
        .order_by(Organization.merged_into_id.is_not(None), Organization.id).limit(1)))
    return org if org is not None and not org.is_merged and org.tax_code is None else None


def _record_tax_code(org: Organization, code: str, source: Any, actor: Any) -> None:
    if actor is None:
        actor = getattr(source, "user", None)
    record("organization.tax_code_set", org, actor=actor, event=getattr(source, "event", None),
           object_type="organization",
           changes={"tax_code": code, "source": getattr(source, "__tablename__", None),
                    "source_id": getattr(source, "id", None)})


def clean_tax_code(value: Any, field: str = "tax_code") -> str | None:
    """An optional tax code as typed on a form or in a body: None when blank, the normalized code when
    valid, a ValidationError on `field` otherwise (FieldErrors.clean collects it)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code = matching.normalize_tax_code(value) if isinstance(value, str) and len(value) <= 40 else None
    if code is None:
        raise ValidationError({field: [_("Not a valid tax code (mã số thuế).")]})
    return code


def kind_of(row: Any) -> OrganizationKind:
    """What a feature's row makes its organization: its own `kind` when it is startup or investor (a
    matchmaking profile), else its table's (exhibitors and contest entries are startups)."""
    own = getattr(getattr(row, "kind", None), "value", None)
    if own in (OrganizationKind.startup.value, OrganizationKind.investor.value):
        return OrganizationKind(own)
    return _TABLE_KINDS.get(getattr(row, "__tablename__", ""), OrganizationKind.other)


def link(row: Any, *, kind: OrganizationKind | str | None = None, actor: Any = None) -> Organization | None:
    """Points `row.organization_id` at the organization its `organization` (and `tax_code`, if it has
    one) names; None when the name is blank. `actor`: who typed them (else the row's `user`), named by
    the audit entry when an organization takes the tax code. Does not commit; flush a new row first
    (the entry names the row by its id)."""
    org = resolve(row.organization, getattr(row, "tax_code", None), kind=kind or kind_of(row), source=row,
                  actor=actor)
    row.organization_id = org.id if org is not None else None
    return org


def linked_models() -> list[type]:
    """Every mapped class with an `organization` name and an `organization_id` to link (found from the
    mappers, so a new feature's table is linked without this module importing it)."""
    found = []
    for mapper in db.Model.registry.mappers:
        columns = mapper.local_table.c
        if "organization" in columns and "organization_id" in columns and any(
                fk.column.table.name == "organizations" for fk in columns.organization_id.foreign_keys):
            found.append(mapper.class_)
    return sorted(found, key=lambda cls: cls.__tablename__)


def _unlinked(model: type) -> Iterator[list[Any]]:
    last = 0
    while True:
        rows = list(db.session.scalars(
            db.select(model).where(model.organization_id.is_(None), model.id > last,
                                   func.trim(model.organization) != "")
            .order_by(model.id).limit(LINK_CHUNK)))
        if not rows:
            return
        last = rows[-1].id
        yield rows


def link_all() -> int:
    """Links every row not linked yet that names an organization; commits chunk by chunk. Returns the
    number of rows linked."""
    linked = 0
    for model in linked_models():
        for rows in _unlinked(model):
            for row in rows:
                if link(row) is not None:
                    linked += 1
            db.session.commit()
    return linked


# --- reading -----------------------------------------------------------------------------------------

def get(org_id: Any) -> Organization:
    """The organization with this id, merged or not; OrganizationNotFound (404) otherwise."""
    org = db.session.get(Organization, org_id) if _is_id(org_id) else None
    if org is None:
        raise OrganizationNotFound()
    return org


def get_live(org_id: Any) -> Organization:
    """The organization with this id followed to its survivor; OrganizationNotFound (404) otherwise."""
    org = _survivor(get(org_id))
    if org is None or org.is_merged:
        raise OrganizationNotFound()
    return org


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2**31 - 1


def former(org: Organization) -> list[Organization]:
    """The organizations merged into `org`, oldest first."""
    return list(db.session.scalars(db.select(Organization).where(Organization.merged_into_id == org.id)
                                   .order_by(Organization.id)))


def search(q: str = "", *, kind: str | None = None, page: int = 1,
           per_page: int = 50) -> tuple[list[Organization], int]:
    """(a page of live organizations, how many match): `q` matched inside the folded names and former
    names (diacritics and case ignored), in Vietnamese alphabetical order of the name."""
    stmt = db.select(Organization.id, Organization.name).where(Organization.merged_into_id.is_(None))
    if kind not in (None, ""):
        if kind not in OrganizationKind.__members__:
            raise ValidationError({"kind": [_("Choose one of: %(choices)s",
                                              choices=", ".join(OrganizationKind.__members__))]})
        stmt = stmt.where(Organization.kind == OrganizationKind(kind))
    words = fold((q or "")[:200]).split()
    for word in words:  # every word somewhere, in any order
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Organization.search_text.like(f"%{escaped}%", escape="\\"))
    # Names are sorted in Python: neither database collates Vietnamese (a before ă before â, đ after d).
    # By the name without its legal form ("Công ty CP …"), as people look a company up.
    rows = sorted(db.session.execute(stmt).all(),
                  key=lambda row: (collation_key(matching.name_without_form(row.name)), row.id))
    page, per_page = max(1, int(page)), max(1, int(per_page))
    ids = [row.id for row in rows[(page - 1) * per_page:page * per_page]]
    page_rows = db.session.scalars(db.select(Organization).where(Organization.id.in_(ids)))
    by_id = {org.id: org for org in page_rows}
    return [by_id[i] for i in ids], len(rows)


# --- what the matching missed ------------------------------------------------------------------------

def _lock_live(*orgs: Organization) -> bool:
    """Locks the rows, lower id first (two merges of one pair wait instead of deadlocking), and reads
    them again; False when one was merged meanwhile. SQLite has no FOR UPDATE: the conditional UPDATE
    takes its write lock, so a second merge waits for the first and then sees it."""
    ids = sorted({org.id for org in orgs})
    stmt = db.select(Organization).where(Organization.id.in_(ids)).order_by(Organization.id)
    list(db.session.scalars(stmt.with_for_update()))
    live = db.session.execute(update_rows(Organization)
                              .where(Organization.id.in_(ids), Organization.merged_into_id.is_(None))
                              .values(updated_at=utcnow()).execution_options(synchronize_session=False))
    list(db.session.scalars(stmt.execution_options(populate_existing=True)))
    return live.rowcount == len(ids)


def _referencing_columns() -> list[tuple[Any, Any]]:
    """(table, column) of every foreign key to organizations.id but the organizations' own bookkeeping."""
    found = []
    for table in db.metadata.sorted_tables:
        if table.name in _NOT_MOVED:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "organizations":
                found.append((table, fk.parent))
    return found


def merge(org: Organization, into: Organization, *, actor=None) -> Organization:
    """Merges `org` into `into`: every row that belonged to `org` now belongs to `into`. Commits.
    MergeIntoItself (409) for the same organization, OrganizationMerged (409) when either is merged."""
    if org.id == into.id:
        raise MergeIntoItself()
    if not _lock_live(org, into):
        db.session.rollback()
        raise OrganizationMerged()
    for table, column in _referencing_columns():
        db.session.execute(update_rows(table).where(column == org.id).values({column.name: into.id}))
    db.session.execute(update_rows(Organization).where(Organization.merged_into_id == org.id)
                       .values(merged_into_id=into.id))
    org.merged_into_id, org.merged_at = into.id, utcnow()
    db.session.flush()  # not live any more: its tax code and name leave the unique indexes
    if into.tax_code is None and org.tax_code is not None:
        into.tax_code = org.tax_code
    # Its own name and code first, then the merged one's: what no longer fits is left out.
    into.search_text = _search_text(into.name, into.tax_code, org.name, org.tax_code, into.search_text,
                                    org.search_text)
    _rise(into, org.kind)
    record("organization.merged", into, actor=actor, object_type="organization",
           changes={"merged_id": org.id, "merged_name": org.name})
    db.session.commit()
    db.session.expire_all()  # rows loaded before the moves hold the old organization_id
    return into


def _pair(a: Organization, b: Organization) -> tuple[int, int]:
    return min(a.id, b.id), max(a.id, b.id)


def mark_distinct(a: Organization, b: Organization, *, actor=None) -> DistinctPair:
    """Records that `a` and `b` are two organizations (not shown as likely duplicates again). Commits;
    a second call returns the same record."""
    if a.id == b.id:
        raise SameOrganization()
    if a.is_merged or b.is_merged:
        raise OrganizationMerged()
    low, high = _pair(a, b)
    stmt = db.select(DistinctPair).where(DistinctPair.low_id == low, DistinctPair.high_id == high)
    found = db.session.scalar(stmt)
    if found is not None:
        return found
    pair = DistinctPair(low_id=low, high_id=high, decided_by_id=getattr(actor, "id", None))
    if not _insert(pair):  # the same decision taken twice at once
        db.session.rollback()
        return db.session.scalar(stmt)
    record("organization.distinct", a, actor=actor, object_type="organization",
           changes={"other_id": b.id, "other_name": b.name})
    db.session.commit()
    return pair


# Likely duplicates are looked for among startups and investors: registrants' employers (kind other) are
# thousands of names typed once, the noise of the comparison, and no figure counts them as organizations.
DUPLICATE_KINDS = (OrganizationKind.startup, OrganizationKind.investor)


def likely_duplicates(limit: int = 100) -> list[tuple[Organization, Organization, float]]:
    """Pairs of live startups and investors that are probably one, most likely first: names alike
    (matching's rules), or the same folded name where only one has a tax code; pairs marked distinct
    left out."""
    rows = db.session.execute(db.select(Organization.id, Organization.name, Organization.tax_code,
                                        Organization.name_key)
                              .where(Organization.merged_into_id.is_(None),
                                     Organization.kind.in_(DUPLICATE_KINDS))
                              .order_by(Organization.id)).all()
    scored: dict[tuple[int, int], float] = {}
    for id_a, id_b, score in matching.likely_duplicates((row.id, row.name, row.tax_code) for row in rows):
        scored[min(id_a, id_b), max(id_a, id_b)] = score
    by_key: dict[str, list[Any]] = {}
    for row in rows:
        by_key.setdefault(row.name_key, []).append(row)
    for same in by_key.values():
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                if (a.tax_code is None) != (b.tax_code is None):
                    scored[min(a.id, b.id), max(a.id, b.id)] = 1.0
    if scored:
        decided = set(db.session.execute(db.select(DistinctPair.low_id, DistinctPair.high_id)).tuples())
        scored = {pair: score for pair, score in scored.items() if pair not in decided}
    best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:max(0, limit)]
    wanted = {i for pair, _score in best for i in pair}
    orgs = {org.id: org for org in db.session.scalars(db.select(Organization)
                                                      .where(Organization.id.in_(wanted)))}
    return [(orgs[a], orgs[b], score) for (a, b), score in best]


# --- what organizers correct ---------------------------------------------------------------------------

_UNCHANGED = object()


def update(org: Organization, *, actor=None, name: Any = _UNCHANGED, kind: Any = _UNCHANGED,
           tax_code: Any = _UNCHANGED) -> Organization:
    """An organizer corrects the name, the kind or the tax code (None or "" clears it; a code typed by an
    applicant is unproven). Commits, with an audit entry of what changed. ValidationError (422) on the
    fields; OrganizationMerged (409) for a merged one; TaxCodeTaken (409) when another organization has
    the code; NameTaken (409) when another one without a code has the same folded name (merge them)."""
    wanted = _clean_update(org, name, kind, tax_code)
    if org.is_merged:
        raise OrganizationMerged()
    changes = {key: [getattr(org, key), value] for key, value in wanted.items() if getattr(org, key) != value}
    changes = {key: [getattr(old, "value", old), getattr(new, "value", new)]
               for key, (old, new) in changes.items()}
    if not changes:
        return org
    new_name, new_code = wanted.get("name", org.name), wanted.get("tax_code", org.tax_code)
    new_key = name_key_of(new_name)
    _refuse_conflicts(org, new_key, new_code, "name" if "name" in changes else "tax_code")
    old_code = org.tax_code
    try:
        with db.session.begin_nested():
            org.name, org.name_key, org.tax_code = new_name, new_key, new_code
            org.kind = OrganizationKind(wanted.get("kind", org.kind))
            former = [part for part in org.search_text.split(SEPARATOR) if part != old_code]
            org.search_text = _search_text(new_name, new_code, *former)
    except IntegrityError:  # another organizer gave the code or the name meanwhile
        db.session.rollback()
        _refuse_conflicts(org, new_key, new_code, "name" if "name" in changes else "tax_code")
        raise
    record("organization.updated", org, actor=actor, object_type="organization", changes=changes)
    db.session.commit()
    return org


def _clean_update(org: Organization, name: Any, kind: Any, tax_code: Any) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    wanted: dict[str, Any] = {}
    if name is not _UNCHANGED:
        text = " ".join(name.split()) if isinstance(name, str) else ""
        if not text or "\x00" in text:
            errors["name"] = [_("Enter a name.")]
        elif len(text) > NAME_LENGTH:
            errors["name"] = [_("At most %(n)d characters.", n=NAME_LENGTH)]
        else:
            wanted["name"] = text
    if kind is not _UNCHANGED:
        if not isinstance(kind, str) or kind not in OrganizationKind.__members__:
            kinds = ", ".join(OrganizationKind.__members__)
            errors["kind"] = [_("Choose one of: %(choices)s", choices=kinds)]
        else:
            wanted["kind"] = OrganizationKind(kind)
    if tax_code is not _UNCHANGED:
        try:
            wanted["tax_code"] = clean_tax_code(tax_code)
        except ValidationError as exc:
            errors.update(exc.fields or {})
    if errors:
        raise ValidationError(errors)
    return wanted


def _refuse_conflicts(org: Organization, key: str, code: str | None, name_field: str) -> None:
    """TaxCodeTaken or NameTaken (409, the message at the field on a form, and `organization_id`: the one
    that has it) when another live organization has the code, or – without a code – the folded name."""
    live_others = db.select(Organization).where(Organization.id != org.id,
                                                Organization.merged_into_id.is_(None))
    if code is not None:
        holder = db.session.scalar(live_others.where(Organization.tax_code == code).limit(1))
        if holder is not None:
            message = _("“%(name)s” (no. %(id)d) has this tax code.", name=holder.name, id=holder.id)
            raise TaxCodeTaken(message, fields={"tax_code": [message]}, extra={"organization_id": holder.id})
        return
    holder = db.session.scalar(live_others.where(Organization.tax_code.is_(None),
                                                 Organization.name_key == key).limit(1))
    if holder is not None:
        message = _("“%(name)s” (no. %(id)d) has the same name and no tax code: merge the two instead.",
                    name=holder.name, id=holder.id)
        raise NameTaken(message, fields={name_field: [message]}, extra={"organization_id": holder.id})


# --- erasure -------------------------------------------------------------------------------------------

def forget_if_orphan(org_id: int | None) -> bool:
    """Deletes the organization when nothing refers to it any more: no row of any table with a foreign key
    to it (found as merge finds them), no organization merged into it. An erasure calls it after clearing
    a row's organization_id: a name only that person typed (their employer) goes with them. Does not
    commit; True when deleted."""
    if org_id is None:
        return False
    db.session.flush()  # the caller's cleared reference first
    org = db.session.get(Organization, org_id)
    if org is None:
        return False
    referrers = [(Organization.__table__, Organization.merged_into_id),
                 *_referencing_columns()]
    for table, column in referrers:
        held = db.select(literal(1)).select_from(table).where(column == org_id).limit(1)
        if db.session.execute(held).first() is not None:
            return False
    db.session.execute(delete(DistinctPair).where(or_(DistinctPair.low_id == org_id,
                                                      DistinctPair.high_id == org_id)))
    db.session.delete(org)
    db.session.flush()
    return True
