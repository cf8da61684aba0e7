"""What surveys keep of a person (Decree 13/2023/ND-CP): their answers, tied to their registrations, and
the invitations. An account's export shows the answers of the registrations it holds; an account's erasure
lets go of its registrations without erasing them (registration.privacy), so the answers stay with the
registration, and erasing that (through its manage link) deletes them and scrubs its invitations' address.
The registration's own download (its manage link) shows its answers too (hooks.add_registration_export)."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..extensions import db
from ..mail.models import OutboundEmail
from ..registration.models import Registration
from .models import Survey, SurveyInvitation, SurveyResponse


def _answered(where) -> list[dict]:
    """The responses `where` selects, each with its survey and the questions' labels (two queries)."""
    responses = list(db.session.scalars(
        db.select(SurveyResponse).join(Registration, Registration.id == SurveyResponse.registration_id)
        .where(where).order_by(SurveyResponse.id)
        .options(selectinload(SurveyResponse.survey).selectinload(Survey.questions),
                 selectinload(SurveyResponse.survey).selectinload(Survey.event),
                 selectinload(SurveyResponse.survey).selectinload(Survey.session))))
    return [{"survey": response.survey.title, "event": response.survey.event.name,
             "workshop": response.survey.session.title if response.survey.session else None,
             # as the registrant read them: the question's words, not its number
             "answers": [{"question": question.label, "answer": response.answers[str(question.id)]}
                         for question in response.survey.questions if str(question.id) in response.answers],
             "answered_at": response.updated_at.isoformat()}
            for response in responses]


def export(user: User) -> list[dict]:
    """The answers of the registrations the account holds."""
    return _answered(Registration.user_id == user.id)


def export_registration(reg) -> list[dict]:
    """One registration's answers, for its own download behind the manage link (no account needed)."""
    return _answered(Registration.id == reg.id)


def forget_registration(reg) -> None:
    """An erased registration's answers go, and its invitations' e-mails keep no address (no commit)."""
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.registration_id == reg.id)
                       .execution_options(synchronize_session=False))
    mails = db.select(SurveyInvitation.outbound_email_id).where(SurveyInvitation.registration_id == reg.id,
                                                                SurveyInvitation.outbound_email_id.is_not(None))
    db.session.execute(update(OutboundEmail).where(OutboundEmail.id.in_(mails))
                       .values(to=reg.email).execution_options(synchronize_session=False))
