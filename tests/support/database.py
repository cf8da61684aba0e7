"""The test database: created on PostgreSQL when missing, emptied between tests, a sibling for fault tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy import event as sa_event
from sqlalchemy.engine import make_url

from eventhub.extensions import db as _db

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/eventhub"


def ensure_postgres_database(url: str) -> None:
    """Creates the PostgreSQL database `url` names unless it exists."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                             {"n": parsed.database})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def empty_tables() -> None:
    """Deletes every row of every table (and restarts PostgreSQL's sequences), then commits."""
    tables = list(reversed(_db.metadata.sorted_tables))
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        _db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(table.delete())
    _db.session.commit()


def postgres_url(suffix: str) -> str:
    """A PostgreSQL database of this test run's own (next to TEST_DATABASE_URL's, or on loopback)."""
    base = os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    parsed = make_url(base)
    url = parsed.set(database=f"{parsed.database}_{suffix}").render_as_string(hide_password=False)
    ensure_postgres_database(url)
    return url


@contextmanager
def statements_sent(engine) -> Iterator[list[str]]:
    """The SQL of every statement `engine` sends while the block runs, in order."""
    sent: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        sent.append(statement)

    sa_event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        sa_event.remove(engine, "before_cursor_execute", note)
