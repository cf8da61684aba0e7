"""Recomputing the stored Vietnamese name order key (registrations.sort_key) of every row.

The key is derived from the name (vietnamese.name_sort_string); when the collation changes (issue
14.2: part by part, the space of a middle name before every letter) every stored key must be written
again, or `?sort=name` mixes old and new keys. An Alembic migration calls

    recompute_sort_keys(op.get_bind())

It works on a plain connection, not on the app's session: a migration runs on its own connection and
in its own transaction (on SQLite a second connection would wait on the migration's lock). It names the
table and the three columns it needs itself, so later model changes do not break an old migration.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..vietnamese import name_sort_string

_registrations = sa.table("registrations", sa.column("id", sa.Integer), sa.column("full_name", sa.String),
                          sa.column("sort_key", sa.String))
# erase_personal_data() leaves this name and an empty key; an erased person stays without a key.
ERASED_NAME = "—"


def recompute_sort_keys(connection: sa.Connection, *, batch_size: int = 500) -> int:
    """Writes every registration's sort key from its name; returns how many keys changed.

    Walks the table by id in batches (bounded memory on a big table; SQLite and PostgreSQL alike) and
    writes only the keys that differ. Commits nothing: the caller's transaction (the migration's) does.
    """
    changed, last_id = 0, 0
    while True:
        rows = connection.execute(
            sa.select(_registrations.c.id, _registrations.c.full_name, _registrations.c.sort_key)
            .where(_registrations.c.id > last_id).order_by(_registrations.c.id).limit(batch_size)).all()
        if not rows:
            return changed
        updates = []
        for row_id, full_name, old_key in rows:
            erased = full_name == ERASED_NAME and not old_key
            new_key = "" if erased else name_sort_string(full_name or "")
            if new_key != old_key:
                updates.append({"row_id": row_id, "new_key": new_key})
        if updates:
            connection.execute(sa.update(_registrations).where(_registrations.c.id == sa.bindparam("row_id"))
                               .values(sort_key=sa.bindparam("new_key")), updates)
            changed += len(updates)
        last_id = rows[-1].id


# Search columns that hold vietnamese.fold() of their row's text.
_FOLDED_SEARCH_TABLES = ("registrations", "exhibitors")


def refold_eth_in_search_texts(connection: sa.Connection) -> int:
    """fold() now reads the eth ð/Ð (old encodings' stand-in for đ/Đ) as "d"; stored search texts folded
    before kept "ð". The old fold differs from the new exactly there (fold lower-cases first and leaves
    ð otherwise untouched), so replacing it in place equals folding every row again; returns how many
    rows changed. Commits nothing, like recompute_sort_keys; a migration calls both."""
    changed = 0
    for name in _FOLDED_SEARCH_TABLES:
        table = sa.table(name, sa.column("search_text", sa.String))
        result = connection.execute(
            sa.update(table).where(table.c.search_text.like("%\u00f0%"))
            .values(search_text=sa.func.replace(table.c.search_text, "\u00f0", "d")))
        changed += result.rowcount or 0
    return changed
