"""What the other features keep of a person, erased with their account (Decree 13/2023/ND-CP).

The features point at accounts, not the other way round, so the models are imported late. Company
facts (an exhibitor's organization, a fund's sectors) stay – they describe a company, not the person –
but every name, address and free text the person wrote goes, and their certificates are revoked.
Records are the account's by its id, or by its address only once that address is proven.
"""

from __future__ import annotations

from sqlalchemy import or_

from .. import storage
from ..dbtypes import utcnow
from ..extensions import db


def forget_person(user, old_email: str, erased_email: str) -> None:
    """Scrubs the account's traces in contests, booths, matchmaking and certificates (no commit)."""
    from ..booths.models import Exhibitor
    from ..certificates.models import Certificate, CertificateStatus
    from ..contests.models import EntryMember
    from ..matchmaking.models import Meeting, MeetingRequest, Profile

    email = old_email.strip().lower()
    # What names the address belongs to the account only once the address is proven; before that,
    # erasing it must not touch other people's things (a sign-up with a visitor's address would
    # otherwise revoke the visitor's certificates).
    proven = user.email_verified_at is not None
    mine = [EntryMember.user_id == user.id]
    if proven:
        mine.append(EntryMember.email_normalized == email)
    for member in db.session.scalars(db.select(EntryMember).where(or_(*mine))):
        member.full_name, member.email, member.email_normalized = "—", erased_email, erased_email
    for exhibitor in db.session.scalars(db.select(Exhibitor).where(Exhibitor.user_id == user.id)):
        exhibitor.contact_email, exhibitor.review_note = erased_email, None
    profiles = list(db.session.scalars(db.select(Profile).where(Profile.user_id == user.id)))
    ids = [p.id for p in profiles]
    for profile in profiles:
        profile.contactable = False
        profile.thesis = profile.seeking = profile.traction = ""
        profile.deck_url = None
    if ids:
        for request in db.session.scalars(db.select(MeetingRequest).where(
                MeetingRequest.from_profile_id.in_(ids))):
            request.message = ""
        for meeting in db.session.scalars(db.select(Meeting).where(
                or_(Meeting.investor_profile_id.in_(ids), Meeting.startup_profile_id.in_(ids)))):
            if meeting.investor_profile_id in ids:
                meeting.investor_note = ""
            if meeting.startup_profile_id in ids:
                meeting.startup_note = ""
    now = utcnow()
    held = [Certificate.user_id == user.id]
    if proven:
        held.append(db.func.lower(Certificate.holder_email) == email)
    for cert in db.session.scalars(db.select(Certificate).where(or_(*held))):
        cert.holder_name, cert.holder_email, cert.holder_key = "—", erased_email, f"erased:{cert.id}"
        # The kept PDF was printed with the name (downloads stamp it, they do not reprint it): drop it,
        # so that a later download renders "—". A batch file ("…#page") holds others too; only unlink it.
        if cert.file_key and "#" not in cert.file_key:
            storage.delete(cert.file_key)
        cert.file_key = None
        if cert.status != CertificateStatus.revoked:
            cert.status, cert.revoked_at = CertificateStatus.revoked, now
            cert.revoke_reason = "Erased at the holder's request."
