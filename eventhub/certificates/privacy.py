"""What certificates keep of a person (Decree 13/2023/ND-CP): the certificates issued to them.

Erasure revokes them and blanks the holder's name and address; the serial stays, so that its verify
page says the certificate is revoked rather than unknown.
"""

from __future__ import annotations

from sqlalchemy import or_

from .. import storage
from ..accounts.models import User
from ..accounts.privacy import erased_address, proven_address
from ..dbtypes import utcnow
from ..extensions import db
from .models import Certificate, CertificateStatus


def _held_by(user: User):
    # The account's certificates by id; by address only once the address is proven (accounts.privacy).
    held = [Certificate.user_id == user.id]
    address = proven_address(user)
    if address:
        held.append(db.func.lower(Certificate.holder_email) == address)
    return db.select(Certificate).where(or_(*held)).order_by(Certificate.issued_at, Certificate.id)


def export(user: User) -> list[dict]:
    """The person's certificates as they are printed and verified."""
    return [{"serial": cert.serial, "event": cert.event.slug, "kind": cert.kind.value,
             "status": cert.status.value, "title": cert.title, "holder_name": cert.holder_name,
             "holder_email": cert.holder_email, "details": dict(cert.details or {}),
             "issued_at": cert.issued_at.isoformat(),
             "revoked_at": cert.revoked_at.isoformat() if cert.revoked_at else None}
            for cert in db.session.scalars(_held_by(user))]


def forget(user: User) -> None:
    """Revokes the person's certificates and blanks their name, address and kept PDF (no commit)."""
    now, erased = utcnow(), erased_address(user)
    for cert in db.session.scalars(_held_by(user)):
        cert.holder_name, cert.holder_email, cert.holder_key = "—", erased, f"erased:{cert.id}"
        # The kept PDF was printed with the name (downloads stamp it, they do not reprint it): drop it,
        # so that a later download renders "—". A batch file ("…#page") holds others too; only unlink it.
        if cert.file_key and "#" not in cert.file_key:
            storage.delete(cert.file_key)
        cert.file_key = None
        if cert.status != CertificateStatus.revoked:
            cert.status, cert.revoked_at = CertificateStatus.revoked, now
            cert.revoke_reason = "Erased at the holder's request."
