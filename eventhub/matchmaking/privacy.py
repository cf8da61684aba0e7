"""What matchmaking keeps of a person (Decree 13/2023/ND-CP): their account's profiles, with the
requests and meetings they took part in.

Erasure makes the profiles uncontactable and blanks every free text the person wrote – the thesis,
what they seek, their traction, the deck link, their request messages and their own meeting notes;
the other side's notes are theirs and stay.
"""

from __future__ import annotations

from sqlalchemy import or_

from ..accounts.models import User
from ..extensions import db
from .models import Meeting, MeetingRequest, Profile


def export(user: User) -> list[dict]:
    """An account's profiles with the requests and meetings of each: its own notes, never the other side's."""
    result = []
    for profile in db.session.scalars(db.select(Profile).where(Profile.user_id == user.id)
                                      .order_by(Profile.created_at, Profile.id)):
        requests = db.session.scalars(db.select(MeetingRequest).where(
            (MeetingRequest.from_profile_id == profile.id) | (MeetingRequest.to_profile_id == profile.id))
            .order_by(MeetingRequest.id))
        meetings = db.session.scalars(db.select(Meeting).where(
            (Meeting.investor_profile_id == profile.id) | (Meeting.startup_profile_id == profile.id))
            .order_by(Meeting.starts_at, Meeting.id))
        data = {"id": profile.id, "event": profile.event.slug, "kind": profile.kind.value,
                "organization": profile.organization, "contactable": profile.contactable,
                "currency": profile.currency.value, "created_at": profile.created_at.isoformat()}
        if profile.is_investor:
            data.update(investor_type=profile.investor_type.value if profile.investor_type else None,
                        sectors=list(profile.sectors or []), stages=list(profile.stages or []),
                        ticket_min=profile.ticket_min, ticket_max=profile.ticket_max,
                        countries=list(profile.countries or []), thesis=profile.thesis)
        else:
            data.update(sector=profile.sector, stage=profile.stage.value if profile.stage else None,
                        seeking=profile.seeking, amount=profile.amount, traction=profile.traction,
                        deck_url=profile.deck_url)
        data["meeting_requests"] = [
            {"id": r.id, "direction": "sent" if r.from_profile_id == profile.id else "received",
             "with": r.other(profile).organization, "message": r.message, "status": r.status.value,
             "created_at": r.created_at.isoformat()} for r in requests]
        data["meetings"] = [
            {"id": m.id, "with": m.other(profile).organization, "starts_at": m.starts_at.isoformat(),
             "ends_at": m.ends_at.isoformat(), "table": m.table_number, "status": m.status.value,
             "held": m.held_by(m.side_of(profile)), "note": m.note_of(m.side_of(profile))} for m in meetings]
        result.append(data)
    return result


def forget(user: User) -> None:
    """The account's profiles stop being contactable and lose every free text the person wrote (no commit)."""
    profiles = list(db.session.scalars(db.select(Profile).where(Profile.user_id == user.id)))
    ids = [p.id for p in profiles]
    for profile in profiles:
        profile.contactable = False
        profile.thesis = profile.seeking = profile.traction = ""
        profile.deck_url = None
    if not ids:
        return
    for request in db.session.scalars(db.select(MeetingRequest).where(
            MeetingRequest.from_profile_id.in_(ids))):
        request.message = ""
    for meeting in db.session.scalars(db.select(Meeting).where(
            or_(Meeting.investor_profile_id.in_(ids), Meeting.startup_profile_id.in_(ids)))):
        if meeting.investor_profile_id in ids:
            meeting.investor_note = ""
        if meeting.startup_profile_id in ids:
            meeting.startup_note = ""
