"""The e-mail that asks: written when the outbox delivers it, in the recipient's language, with the
personal link, the unsubscribe link and the List-Unsubscribe headers (as organizers' messages have)."""

from __future__ import annotations

from email.message import EmailMessage

from flask_babel import lazy_gettext as _l

from .. import mail
from ..extensions import db
from ..mail.outbox import ERASED_DOMAIN
from ..messaging.delivery import unsubscribe_url
from ..messaging.services import is_unsubscribed
from ..urls import external_url
from .models import OutcomeFollowUp, Side
from .services import asks_still
from .sweep import KIND
from .tokens import make_token

SUBJECT = _l("%(days)d days on: what came of it? – %(event)s")


class _Subject:
    """Translated only when rendered, in the recipient's language."""

    def __init__(self, days: int, event: str):
        self.days, self.event = days, event

    def __str__(self) -> str:
        return str(SUBJECT) % {"days": self.days, "event": self.event}


def recipient(followup: OutcomeFollowUp) -> tuple[str, str, str, str] | None:
    """(e-mail, name, language, the other side or the award's words) of the person asked; None when gone."""
    if followup.side == Side.team:
        member = followup.member
        if member is None:
            return None
        user = member.user
        email = user.email if user is not None else member.email
        return email, member.full_name, (user.locale if user is not None else None) or "vi", ""
    meeting = followup.meeting
    profile = meeting.investor if followup.side == Side.investor else meeting.startup
    user = profile.user
    if user is None or not user.active:
        return None
    return user.email, user.full_name, user.locale or "vi", meeting.other(profile).organization


@mail.builder(KIND)
def build(followup_id: int) -> EmailMessage | None:
    """The question, or None when the row is gone, the meeting no longer held, or the address unsubscribed."""
    followup = db.session.get(OutcomeFollowUp, followup_id)
    if followup is None or not asks_still(followup):
        return None
    found = recipient(followup)
    if found is None or found[0].endswith(ERASED_DOMAIN) or is_unsubscribed(found[0]):
        return None
    email, name, locale, other = found
    url = unsubscribe_url(email)
    message = mail.render(email, "followup_ask", locale=locale, subject=_Subject(followup.days,
                                                                                 followup.event.name),
                          to_name=name or None, name=name, followup=followup, event=followup.event,
                          other=other, entry=followup.entry,
                          answer_url=external_url("followups.answer_page", token=make_token(followup.id)),
                          unsubscribe_url=url)
    message["List-Unsubscribe"] = f"<{url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
