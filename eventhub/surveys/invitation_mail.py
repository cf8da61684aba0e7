"""The survey's invitation, written at delivery in the registrant's language: their personal link (no
account needed), why they receive it, the unsubscribe link and the List-Unsubscribe headers as the
organizers' messages have them (messaging.delivery)."""

from __future__ import annotations

from email.message import EmailMessage

from flask_babel import lazy_gettext as _l

from .. import mail
from ..extensions import db
from ..mail.outbox import ERASED_DOMAIN
from ..messaging.delivery import unsubscribe_url
from ..messaging.services import is_unsubscribed
from ..urls import external_url
from .models import SurveyInvitation
from .services import INVITATION_KIND, is_closed, make_answer_token

SUBJECT = _l("How was %(what)s? Tell us in two minutes")


class _Subject:
    """Translated only when rendered, in the registrant's language."""

    def __init__(self, what: str):
        self.what = what

    def __str__(self) -> str:
        return str(SUBJECT) % {"what": self.what}


@mail.builder(INVITATION_KIND)
def build_invitation(invitation_id: int) -> EmailMessage | None:
    """None – nothing to send – for an invitation gone, an erased or unsubscribed address, a closed survey."""
    invitation = db.session.get(SurveyInvitation, invitation_id)
    if invitation is None:
        return None
    reg, survey = invitation.registration, invitation.survey
    if reg.email.endswith(ERASED_DOMAIN) or is_closed(survey) or is_unsubscribed(reg.email_normalized):
        return None
    event = survey.event
    what = survey.session.title if survey.session is not None else event.name
    url = unsubscribe_url(reg.email_normalized)
    email = mail.render(
        reg.email, "survey_invitation", locale=reg.locale or "vi", to_name=reg.full_name,
        subject=_Subject(what), reg=reg, event=event, survey=survey, what=what,
        answer_url=external_url("surveys.answer", token=make_answer_token(survey.id, reg.id)),
        questions=len(survey.questions), unsubscribe_url=url)
    email["List-Unsubscribe"] = f"<{url}>"
    email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return email

