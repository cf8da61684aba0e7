"""Taking and giving back seats with conditional UPDATEs: the database decides who gets the last one."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, or_, update

from ..extensions import db
from .models import EventSession, RegistrationType

SeatHolder = type[RegistrationType] | type[EventSession]


@cache
def taking(model: SeatHolder):
    """Built once: a statement built anew for every registration costs more CPU than its round trip."""
    return (update(model)
            .where(model.id == bindparam("row_id"),
                   or_(model.capacity.is_(None), model.taken < model.capacity))
            .values(taken=model.taken + 1)
            .execution_options(synchronize_session=False))


@cache
def _freeing(model: SeatHolder):
    return (update(model).where(model.id == bindparam("row_id"), model.taken > 0)
            .values(taken=model.taken - 1)
            .execution_options(synchronize_session=False))


def take_seat(model: SeatHolder, row_id: int) -> bool:
    """Takes one seat if one is left; True when it did. Holds the row lock until commit."""
    return db.session.execute(taking(model), {"row_id": row_id}).rowcount == 1


def free_seat(model: SeatHolder, row_id: int) -> None:
    db.session.execute(_freeing(model), {"row_id": row_id})
