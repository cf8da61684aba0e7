"""E-mails to the other side of a request or meeting, in the recipient's language.

Queued in the caller's transaction (eventhub.mail); the builders write them when they are
delivered, from the rows as they then are.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import mail
from ..extensions import db
from ..i18n import format_datetime, format_time
from ..urls import external_url
from .models import Meeting, MeetingRequest, Profile

SUBJECTS = {
    "request": _l("%(organization)s asks to meet you: %(event)s"),
    "accepted": _l("%(organization)s accepted your meeting request: %(event)s"),
    "declined": _l("%(organization)s declined your meeting request: %(event)s"),
    "scheduled": _l("Your meeting with %(organization)s is scheduled: %(event)s"),
    "moved": _l("Your meeting with %(organization)s has moved: %(event)s"),
    "cancelled": _l("Your meeting with %(organization)s is cancelled: %(event)s"),
}


class _Subject:
    """Translated only when rendered, in the recipient's language."""

    def __init__(self, key: str, organization: str, event_name: str):
        self.key, self.organization, self.event_name = key, organization, event_name

    def __str__(self) -> str:
        return str(SUBJECTS[self.key]) % {"organization": self.organization, "event": self.event_name}


def _to(profile: Profile) -> str:
    return profile.user.email


def request_received(request: MeetingRequest) -> None:
    mail.queue("matchmaking.request", to=_to(request.to_profile), request_id=request.id)


def request_answered(request: MeetingRequest) -> None:
    mail.queue("matchmaking.answer", to=_to(request.from_profile), request_id=request.id,
               status=request.status.value)


def meeting_changed(meeting: Meeting, what: str) -> None:
    """`what`: scheduled, moved or cancelled; both sides are told."""
    for profile in (meeting.investor, meeting.startup):
        mail.queue("matchmaking.meeting", to=_to(profile), meeting_id=meeting.id, profile_id=profile.id,
                   what=what)


def render_for(profile: Profile, template: str, subject: object, **context):
    """The e-mail emails/<template> to the profile's user in their language (`subject`: translated when
    made a str, as _Subject), or None when the account is gone or switched off."""
    user = profile.user
    if user is None or not user.active:
        return None
    return mail.render(user.email, template, locale=user.locale or "vi", subject=subject,
                       profile=profile, event=profile.event, **context)


@mail.builder("matchmaking.request")
def _build_request(request_id: int):
    request = db.session.get(MeetingRequest, request_id)
    if request is None:
        return None
    sender = request.from_profile
    return render_for(request.to_profile, "matchmaking_request",
                      _Subject("request", sender.organization, sender.event.name), request=request,
                      sender=sender, inbox_url=external_url("matchmaking.inbox", slug=sender.event.slug))


@mail.builder("matchmaking.answer")
def _build_answer(request_id: int, status: str):
    request = db.session.get(MeetingRequest, request_id)
    if request is None:
        return None
    recipient = request.to_profile
    return render_for(request.from_profile, "matchmaking_answer",
                      _Subject(status, recipient.organization, recipient.event.name), request=request,
                      recipient=recipient, status=status,
                      inbox_url=external_url("matchmaking.inbox", slug=recipient.event.slug))


@mail.builder("matchmaking.meeting")
def _build_meeting(meeting_id: int, profile_id: int, what: str):
    meeting = db.session.get(Meeting, meeting_id)
    profile = db.session.get(Profile, profile_id)
    if meeting is None or profile is None:
        return None
    other = meeting.other(profile)
    tz = meeting.event.tz
    return render_for(profile, "matchmaking_meeting", _Subject(what, other.organization, meeting.event.name),
                      meeting=meeting, other=other, what=what,
                      starts=format_datetime(meeting.starts_at, tz), ends=format_time(meeting.ends_at, tz),
                      agenda_url=external_url("matchmaking.agenda_page", slug=meeting.event.slug))
