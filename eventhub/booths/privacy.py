"""What booths keep of a person (Decree 13/2023/ND-CP): the booth applications of their account.

Erasure blanks the contact address and the organizer's note about the application; the company's own
facts (its name, sector, product) describe a company, not the person, and stay.
"""

from __future__ import annotations

from ..accounts.models import User
from ..accounts.privacy import erased_address
from ..extensions import db
from .models import Booth, BoothPlacement, Exhibitor


def export(user: User) -> list[dict]:
    """A startup account's booth applications, as its owner downloads them."""
    found = db.session.scalars(db.select(Exhibitor).where(Exhibitor.user_id == user.id)
                               .order_by(Exhibitor.created_at, Exhibitor.id))
    result = []
    for e in found:
        placements = db.session.execute(
            db.select(Booth.code, BoothPlacement.day).join(Booth, Booth.id == BoothPlacement.booth_id)
            .where(BoothPlacement.exhibitor_id == e.id).order_by(BoothPlacement.day))
        result.append({
            "id": e.id, "event": e.event.slug, "status": e.status.value, "organization": e.organization,
            "sector": e.sector, "stage": e.stage.value if e.stage else None, "product": e.product,
            "size": e.size, "preferences": list(e.preferences or []), "avoid": list(e.avoid or []),
            "days": list(e.days or []), "contact_email": e.contact_email, "has_logo": bool(e.logo_key),
            "review_note": e.review_note, "created_at": e.created_at.isoformat(),
            "booths": [{"booth": code, "day": day.isoformat()} for code, day in placements]})
    return result


def forget(user: User) -> None:
    """Each application of the account loses its contact address and review note (no commit)."""
    for exhibitor in db.session.scalars(db.select(Exhibitor).where(Exhibitor.user_id == user.id)):
        exhibitor.contact_email, exhibitor.review_note = erased_address(user), None
