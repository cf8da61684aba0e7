"""What certificates tell the organizer's cockpit: how many are issued (and revoked). One query."""

from __future__ import annotations

from collections import Counter

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from ..extensions import db
from ..hooks import CockpitPart, Figure
from ..i18n import format_number
from .models import Certificate, CertificateStatus


def load(event, user) -> CockpitPart:
    counts = Counter(dict(db.session.execute(
        db.select(Certificate.status, func.count(Certificate.id))
        .where(Certificate.event_id == event.id).group_by(Certificate.status)).tuples().all()))
    index = url_for("certificates.index", slug=event.slug)
    revoked = counts[CertificateStatus.revoked]
    return CockpitPart(_l("Certificates"), index, [
        Figure(_l("Certificates issued"), counts[CertificateStatus.valid], index,
               note=_l("%(n)s revoked", n=format_number(revoked)) if revoked else ""),
    ], order=80)
