"""A registration that takes a seat, written in one go: the seat, the row, its audit entry and its e-mail.

The morning rush's path (issue 21). The unit of work spent a third of a registration's CPU on three rows
whose shape never changes, and PostgreSQL waited a round trip for each statement. Here the writes are
prebuilt Core statements:

- PostgreSQL: one statement of data-modifying CTEs – the seat's conditional UPDATE, then the three
  INSERTs fed by its RETURNING. A statement is atomic by itself: when the request reads in autocommit
  (`extensions.each_statement_commits`), that statement is the whole transaction, its commit included.
- SQLite: the four statements back to back, so the write lock is held for as short as can be.

Nothing is written when no seat is left: the caller then goes the whole way (expired holds, the waiting
list, sold out). A second live registration of the address fails as the INSERT would, with IntegrityError,
and takes no seat.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Boolean, Enum, String, bindparam, cast, func, insert, literal, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.models import AuditEntry
from ..audit.services import entry_values
from ..dbtypes import utcnow
from ..extensions import db
from ..mail.models import OutboundEmail
from ..mail.outbox import queued_values, queued_without_session
from .models import Registration, RegistrationType
from .notifications import RECEIVED
from .seats import taking

_REGISTRATION = [(attr.key, attr.columns[0]) for attr in Registration.__mapper__.column_attrs
                 if attr.key != "id"]
CREATED = "registration.created"


def write(reg: Registration, *, event, rtype: RegistrationType, actor, notify: bool) -> bool:
    """Takes a seat of `rtype` and writes `reg` (its status, ticket and hold already set as for a seat),
    its audit entry and, if `notify`, its confirmation e-mail; commits. False when no seat was left: nothing
    written, the transaction still open. On success `reg` is in the session as a loaded, persistent row."""
    values = {key: reg.__dict__[key] if key in reg.__dict__ else _default(column)
              for key, column in _REGISTRATION}
    # The clock's time, not the registration's own (register's `now`): `record` and `mail.queue` take it,
    # and an e-mail dated as a registration made with a later `now` would wait until then.
    written_at = utcnow()
    audit = entry_values(CREATED, "registration", actor=actor, event=event, now=written_at,
                         changes={"status": reg.status.value, "type": rtype.code})
    # notifications.registered's e-mail, its payload {registration_id, status}
    email = queued_values(RECEIVED, now=written_at) if notify else None
    if db.session.get_bind().dialect.name == "postgresql":
        new_id = _in_one_statement(values, audit, email, rtype.id)
    else:
        new_id = _one_by_one(values, audit, email, rtype.id)
    if new_id is None:
        return False
    if notify:
        queued_without_session()
    db.session.commit()
    for key, value in values.items():
        if key not in reg.__dict__:
            setattr(reg, key, value)  # every column as written: nothing to load again
    reg.id = new_id
    make_transient_to_detached(reg)
    db.session.add(reg)  # persistent, not pending: nothing is inserted again
    for name, value in (("event", event), ("registration_type", rtype), ("session_choices", [])):
        set_committed_value(reg, name, value)  # no lazy load when the caller reads them
    return True


def _default(column) -> Any:
    """What the unit of work would have inserted for a column the registration does not set."""
    if column.default is None:
        return None
    return column.default.arg(None) if column.default.is_callable else column.default.arg


def _one_by_one(values: dict, audit: dict, email: dict | None, type_id: int) -> int | None:
    connection = db.session.connection()  # Core: the session's ORM layer has nothing to add here
    if connection.execute(taking(RegistrationType), {"row_id": type_id}).rowcount != 1:
        return None
    new_id = connection.execute(_INSERT_REGISTRATION, values).inserted_primary_key[0]
    connection.execute(_INSERT_AUDIT, {**audit, "object_id": str(new_id)})
    if email is not None:
        payload = {"registration_id": new_id, "status": values["status"].value}
        connection.execute(_INSERT_EMAIL, {**email, "to": values["email"], "payload": payload})
    return new_id


_INSERT_REGISTRATION = insert(Registration.__table__)
_INSERT_AUDIT = insert(AuditEntry.__table__)
_INSERT_EMAIL = insert(OutboundEmail.__table__)


def _in_one_statement(values: dict, audit: dict, email: dict | None, type_id: int) -> int | None:
    params: dict[str, Any] = {"row_id": type_id, "now": audit["created_at"],
                              "sent_status": values["status"].value}
    params.update({f"r{i}": values[key] for i, (key, _column) in enumerate(_REGISTRATION)})
    params.update({f"a_{name}": audit[name] for name in _AUDIT_COLUMNS})
    if email is not None:
        params.update({f"e_{name}": email[name] for name in _EMAIL_COLUMNS})
    return db.session.execute(_statement(email is not None), params).scalar()


# What the statement takes besides the registration's columns: the audit entry's and the e-mail's columns
# other than their times (`now`: the clock's, as written), the registration's id and e-mail address.
_AUDIT_COLUMNS = ("action", "object_type", "actor_id", "event_id", "changes")
_EMAIL_COLUMNS = ("kind", "status", "attempts")


@cache
def _statement(with_email: bool):
    """WITH seat AS (UPDATE … RETURNING id), reg AS (INSERT … SELECT … FROM seat RETURNING id),
    audit AS (INSERT … SELECT … FROM reg)[, email AS (INSERT … SELECT … FROM reg)] SELECT id FROM reg.
    Built once. Parameters are typed (bind processing: UTC times, JSON, enums) with short names: psycopg
    converts a query of over 4,096 characters or 50 parameters anew on every execution (1.5 ms of CPU)."""
    seat = taking(RegistrationType).returning(RegistrationType.__table__.c.id).cte("seat")
    registrations = Registration.__table__
    reg = (insert(registrations)
           .from_select([column.name for _key, column in _REGISTRATION],
                        select(*[_typed(f"r{i}", column) for i, (_key, column) in enumerate(_REGISTRATION)])
                        .select_from(seat))
           .returning(registrations.c.id).cte("reg"))
    audits = AuditEntry.__table__
    now = bindparam("now", type_=audits.c.created_at.type)
    audit = (insert(audits)
             .from_select([*_AUDIT_COLUMNS, "created_at", "object_id"],
                          select(*[_typed(f"a_{name}", audits.c[name]) for name in _AUDIT_COLUMNS],
                                 now, cast(reg.c.id, String)).select_from(reg))
             .cte("audit"))
    ctes = [audit]
    if with_email:
        emails = OutboundEmail.__table__
        email_to = _typed(f"r{[key for key, _column in _REGISTRATION].index('email')}", emails.c.to)
        payload = func.json_build_object(literal("registration_id"), reg.c.id,
                                         literal("status"), cast(bindparam("sent_status"), String))
        ctes.append(insert(emails)
                    .from_select([*_EMAIL_COLUMNS, "created_at", "next_attempt_at", "to", "payload"],
                                 select(*[_typed(f"e_{name}", emails.c[name]) for name in _EMAIL_COLUMNS],
                                        now, now, email_to, payload).select_from(reg))
                    .cte("email"))
    return select(reg.c.id).add_cte(*ctes)


def _typed(name: str, column):
    """A parameter of the column's type. psycopg's dialect casts most in the SQL (`%(r3)s::VARCHAR`),
    which PostgreSQL needs in a SELECT list; not booleans and enums kept as text: those are cast here."""
    param = bindparam(name, type_=column.type)
    if isinstance(column.type, Boolean):
        return cast(param, Boolean)
    if isinstance(column.type, Enum):
        return cast(param, String)
    return param
