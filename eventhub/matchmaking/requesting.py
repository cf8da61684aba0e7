"""Meeting requests: one side asks, the other accepts or declines.

States: pending → accepted | declined, moved only by a conditional UPDATE (`… WHERE status =
'pending'`), so two answers at once give one answer and one refusal. The same pair can be asked
once, whichever side asks: the unique (pair_low, pair_high) constraint decides a race.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..dbtypes import utcnow
from ..errors import ValidationError
from ..extensions import db
from . import notifications
from .errors import AlreadyRequested, NotContactable, NotPending, NotRecipient, TooManyPending
from .models import MeetingRequest, Profile, RequestStatus
from .settings import pending_cap

MAX_MESSAGE = 2000


def _clean_message(message: Any) -> str:
    if message is None:
        return ""
    if not isinstance(message, str):
        raise ValidationError({"message": [_("Enter text.")]})
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": [_("At most %(n)d characters.", n=MAX_MESSAGE)]})
    return message


def pending_outgoing(profile: Profile) -> int:
    return db.session.scalar(db.select(func.count(MeetingRequest.id)).where(
        MeetingRequest.from_profile_id == profile.id, MeetingRequest.status == RequestStatus.pending)) or 0


def between(a: Profile, b: Profile) -> MeetingRequest | None:
    low, high = sorted((a.id, b.id))
    return db.session.scalar(db.select(MeetingRequest).filter_by(pair_low=low, pair_high=high))


def send_request(sender: Profile, recipient: Profile, message: Any = None, *, notify: bool = True,
                 now: datetime | None = None) -> MeetingRequest:
    """Asks `recipient` for a meeting. Commits.

    422 for the same side (or oneself), 403 `not_contactable`, 409 `already_requested`, 409
    `too_many_pending_requests` past the cap of pending outgoing requests.
    """
    now = now or utcnow()
    text = _clean_message(message)
    if recipient.event_id != sender.event_id:
        raise ValidationError({"to_profile_id": [_("Choose a profile of this event.")]})
    if recipient.kind == sender.kind:
        raise ValidationError({"to_profile_id": [
            _("Investors meet startups: choose a profile of the other side.")]})
    if not recipient.contactable:
        raise NotContactable()
    if between(sender, recipient) is not None:
        raise AlreadyRequested()
    # The sender's row is locked (a no-op UPDATE) while we count: two requests at once from one
    # profile cannot both slip under the cap.
    db.session.execute(update(Profile).where(Profile.id == sender.id).values(updated_at=Profile.updated_at)
                       .execution_options(synchronize_session=False))
    if pending_outgoing(sender) >= pending_cap():
        db.session.rollback()
        raise TooManyPending()
    low, high = sorted((sender.id, recipient.id))
    request = MeetingRequest(event_id=sender.event_id, from_profile_id=sender.id, to_profile_id=recipient.id,
                             pair_low=low, pair_high=high, message=text, status=RequestStatus.pending,
                             created_at=now)
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise AlreadyRequested() from exc
    record("matchmaking.request_sent", request, actor=sender.user, event=sender.event,
           object_type="meeting_request", changes={"to_profile_id": recipient.id})
    if notify:
        notifications.request_received(request)
    db.session.commit()
    return request


def _answer(request: MeetingRequest, profile: Profile, status: RequestStatus, now: datetime | None,
            notify: bool = True):
    if profile.id != request.to_profile_id:
        raise NotRecipient()
    now = now or utcnow()
    result = db.session.execute(
        update(MeetingRequest).where(MeetingRequest.id == request.id,
                                     MeetingRequest.status == RequestStatus.pending)
        .values(status=status, decided_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(request)
        raise NotPending()
    request.status, request.decided_at = status, now
    record(f"matchmaking.request_{status.value}", request, actor=profile.user, event=profile.event,
           object_type="meeting_request")
    if notify:
        notifications.request_answered(request)
    db.session.commit()
    return request


def accept(request: MeetingRequest, profile: Profile, *, notify: bool = True,
           now: datetime | None = None) -> MeetingRequest:
    """The recipient accepts; the meeting is placed when organizers run the scheduler. Commits."""
    return _answer(request, profile, RequestStatus.accepted, now, notify)


def decline(request: MeetingRequest, profile: Profile, *, notify: bool = True,
            now: datetime | None = None) -> MeetingRequest:
    return _answer(request, profile, RequestStatus.declined, now, notify)


def incoming(profile: Profile) -> list[MeetingRequest]:
    return list(db.session.scalars(db.select(MeetingRequest).where(MeetingRequest.to_profile_id == profile.id)
                                   .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())))


def outgoing(profile: Profile) -> list[MeetingRequest]:
    return list(db.session.scalars(db.select(MeetingRequest).where(
        MeetingRequest.from_profile_id == profile.id)
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())))


def requested_ids(profile: Profile) -> set[int]:
    """Ids of the profiles this one has a request with, in either direction."""
    rows = db.session.execute(db.select(MeetingRequest.from_profile_id, MeetingRequest.to_profile_id).where(
        or_(MeetingRequest.from_profile_id == profile.id, MeetingRequest.to_profile_id == profile.id)))
    return {b if a == profile.id else a for a, b in rows}
