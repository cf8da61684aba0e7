"""Paging a select into the list envelope of api.md."""

from __future__ import annotations

from sqlalchemy import func

from ..extensions import db


def paginate(stmt, page: int, per_page: int) -> dict:
    total = db.session.scalar(db.select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return {"items": items, "page": page, "per_page": per_page, "total": total or 0}


def paginate_list(items: list, page: int, per_page: int) -> dict:
    """The same envelope over a list the services already hand back whole (types, sessions)."""
    start = (page - 1) * per_page
    return {"items": items[start:start + per_page], "page": page, "per_page": per_page,
            "total": len(items)}
