"""What the other features keep of a person, erased with their account (Decree 13/2023/ND-CP).

The features point at accounts, not the other way round, so the models are imported late. Company
facts (an exhibitor's organization, a fund's sectors) stay – they describe a company, not the person –
but every name, address and free text the person wrote goes, and their certificates are revoked.
"""

from __future__ import annotations

from sqlalchemy import or_

from ..dbtypes import utcnow
from ..extensions import db


def forget_person(user, old_email: str, erased_email: str) -> None:
    """Scrubs the account's traces in contests, booths, matchmaking and certificates (no commit)."""
    from ..booths.models import Exhibitor
    from ..certificates.models import Certificate, CertificateStatus
    from ..contests.models import EntryMember
    from ..matchmaking.models import Meeting, MeetingRequest, Profile

    email = old_email.strip().lower()
    for member in db.session.scalars(db.select(EntryMember).where(
            or_(EntryMember.user_id == user.id, EntryMember.email_normalized == email))):
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
    for cert in db.session.scalars(db.select(Certificate).where(
            or_(Certificate.user_id == user.id, db.func.lower(Certificate.holder_email) == email))):
        cert.holder_name, cert.holder_email, cert.holder_key = "—", erased_email, f"erased:{cert.id}"
        if cert.status != CertificateStatus.revoked:
            cert.status, cert.revoked_at = CertificateStatus.revoked, now
            cert.revoke_reason = "Erased at the holder's request."
