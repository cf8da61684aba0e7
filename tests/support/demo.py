"""The 2020 demo, loaded once per test session (per xdist worker) and copied into each test that reads it.

Loading it takes seconds (hundreds of people, eight judged contests, booths, meetings); the tests that
read it only need its rows. So `demo_snapshot` loads it once into the empty test database, keeps every
row in memory, loads it a second time to see what a re-run adds, and empties the database again; `demo`
puts the rows back for one test, and the `db` fixture empties the tables after it as after any test,
so a test that writes leaks nothing into the next.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Integer, func, select, text

from eventhub.demo import load_demo
from eventhub.extensions import db as _db
from tests.support.database import empty_tables

VISITORS = 0.01  # of the 5,000 visitor registrations: the quick demo of the README
PASSWORD = "demo1234"


@dataclass(frozen=True)
class DemoSnapshot:
    """Every row of the loaded demo, per table, and what a second run of the loader added per table."""

    rows: dict[str, list[dict]]
    added_by_second_run: dict[str, int]


def _row_counts() -> dict[str, int]:
    return {table.name: _db.session.scalar(select(func.count()).select_from(table))
            for table in _db.metadata.sorted_tables}


def _restart_sequences() -> None:
    """PostgreSQL: each id sequence goes on after the copied rows' largest id."""
    for table in _db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                _db.session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), "
                    f"COALESCE((SELECT MAX(\"{column.name}\") FROM \"{table.name}\"), 0) + 1, false)"))


def restore(snapshot: DemoSnapshot) -> None:
    """Writes the snapshot's rows into the (empty) database, parents before children, and commits."""
    for table in _db.metadata.sorted_tables:
        rows = snapshot.rows[table.name]
        if rows:
            _db.session.execute(table.insert(), rows)
    if _db.engine.dialect.name == "postgresql":
        _restart_sequences()
    _db.session.commit()


@pytest.fixture(scope="session")
def demo_snapshot(app) -> DemoSnapshot:
    """The demo loaded once, kept as rows; the database is left empty for the next test."""
    with app.app_context():
        empty_tables()
        load_demo(password=PASSWORD, visitors=VISITORS)
        _db.session.expire_all()
        rows = {t.name: [dict(r._mapping) for r in _db.session.execute(t.select())]
                for t in _db.metadata.sorted_tables}
        before = _row_counts()
        load_demo(password=PASSWORD, visitors=VISITORS)
        after = _row_counts()
        _db.session.rollback()
        empty_tables()
        _db.session.remove()
    return DemoSnapshot(rows=rows, added_by_second_run={name: after[name] - before[name] for name in after})


@pytest.fixture
def demo(db, demo_snapshot) -> DemoSnapshot:
    """This test's own copy of the loaded demo (removed afterwards by `db`)."""
    restore(demo_snapshot)
    return demo_snapshot
