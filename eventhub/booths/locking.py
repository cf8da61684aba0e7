"""The per-event lock every change of booths takes first: changes of one event's booths queue up."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..dbtypes import utcnow
from ..extensions import db
from .models import Floorplan


def lock_floorplan(event_id: int) -> Floorplan:
    """Locks (creating it if needed) the event's Floorplan row until the caller's commit.

    An UPDATE takes the row lock on PostgreSQL and the write lock on SQLite; whatever is read after it
    is what the change before ours committed. A missing row is made with INSERT … ON CONFLICT DO
    NOTHING, which waits for (and then yields to) a request making it at the same moment instead of
    failing: a rollback here would silently undo what the caller already did in its transaction.
    """
    lock = (update(Floorplan).where(Floorplan.event_id == event_id)
            .values(version=Floorplan.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False))
    if db.session.execute(lock).rowcount == 0:
        insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        db.session.execute(insert(Floorplan).values(event_id=event_id, version=0, updated_at=utcnow())
                           .on_conflict_do_nothing(index_elements=["event_id"]))
        db.session.execute(lock)
    return db.session.scalar(db.select(Floorplan).filter_by(event_id=event_id)
                             .execution_options(populate_existing=True))


def floorplan_of(event_id: int) -> Floorplan | None:
    return db.session.scalar(db.select(Floorplan).filter_by(event_id=event_id))
