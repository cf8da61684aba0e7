"""Demo certificates of the events that are over (the 2020 series): participants (checked in),
speakers, contest winners and judges, issued three days after each event. Every demo event's
certificates (and its summary report) are signed for the organizers by a deputy director of the
department, under "BAN TỔ CHỨC".

Only the certificates (serials, holders) are made – their PDFs are rendered when first opened – and
issuing is idempotent, so a second run adds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..certificates.holders import holders_for
from ..certificates.models import Certificate, CertificateKind
from ..certificates.services import ensure_certificates
from ..certificates.templates import set_signer, signer_of
from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db
from .data import EVENTS

# Who signs for the organizers (a made-up person: the demo names no real official).
SIGNER_NAME = "Đoàn Minh Khôi"
SIGNER_TITLE = "Phó Giám đốc Sở Khoa học và Công nghệ"


def issued_at(event: Event) -> datetime:
    """The demo's certificates of an event were issued the Monday-ish after it: three days on, 09:00."""
    return (event.local_ends_at + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)


def load_certificates(organizer, *, now: datetime | None = None) -> int:
    """Issues every kind of certificate for every demo event that is over (an event not yet held has
    none; another event is not the demo's to touch); returns how many were added."""
    now = now or utcnow()
    before = db.session.scalar(db.select(db.func.count(Certificate.id)))
    demo_events = Event.slug.in_([spec["slug"] for spec in EVENTS])
    for event in db.session.scalars(db.select(Event).where(demo_events).order_by(Event.starts_at)):
        if signer_of(event) == ("", ""):  # one an organizer has set stays
            set_signer(event, SIGNER_NAME, SIGNER_TITLE, actor=organizer)
    for event in db.session.scalars(db.select(Event).where(demo_events, Event.ends_at < now)
                                    .order_by(Event.starts_at)):
        for kind in CertificateKind:
            holders = holders_for(event, kind)
            if holders:
                ensure_certificates(event, kind, holders, actor_id=getattr(organizer, "id", None),
                                    now=min(issued_at(event), now))
    return db.session.scalar(db.select(db.func.count(Certificate.id))) - before
