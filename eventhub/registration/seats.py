"""Taking and giving back seats with conditional UPDATEs: the database decides who gets the last one."""

from __future__ import annotations

from sqlalchemy import or_, update

from ..extensions import db
from .models import EventSession, RegistrationType

SeatHolder = type[RegistrationType] | type[EventSession]


def take_seat(model: SeatHolder, row_id: int) -> bool:
    """Takes one seat if one is left; True when it did. Holds the row lock until commit."""
    stmt = (update(model)
            .where(model.id == row_id, or_(model.capacity.is_(None), model.taken < model.capacity))
            .values(taken=model.taken + 1)
            .execution_options(synchronize_session=False))
    return db.session.execute(stmt).rowcount == 1


def free_seat(model: SeatHolder, row_id: int) -> None:
    stmt = (update(model).where(model.id == row_id, model.taken > 0)
            .values(taken=model.taken - 1)
            .execution_options(synchronize_session=False))
    db.session.execute(stmt)
