"""Demo certificates: the 2020 events' participants (checked in), speakers, contest winners and judges.

Only the certificates (serials, holders) are made – their PDFs are rendered when first opened – and
issuing is idempotent, so a second run adds nothing.
"""

from __future__ import annotations

from ..certificates.holders import holders_for
from ..certificates.models import Certificate, CertificateKind
from ..certificates.services import ensure_certificates
from ..events.models import Event
from ..extensions import db


def load_certificates(organizer) -> int:
    """Issues every kind of certificate for every event; returns how many were added."""
    before = db.session.scalar(db.select(db.func.count(Certificate.id)))
    for event in db.session.scalars(db.select(Event).order_by(Event.starts_at)):
        for kind in CertificateKind:
            holders = holders_for(event, kind)
            if holders:
                ensure_certificates(event, kind, holders, actor_id=getattr(organizer, "id", None))
    return db.session.scalar(db.select(db.func.count(Certificate.id))) - before
