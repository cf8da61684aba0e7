"""Surveys: making one, sending it to those who came, taking answers, closing it. Each function commits once.

Who is invited: for an event's survey, the registrations with a check-in (not undone) on one of the event's
days – a test scan before the event is no attendance; for a workshop's, those scanned in at its door. Each
once: sending again invites only the newly checked in (the survey's row is locked first, and the unique key
would refuse a second invitation anyway). Addresses that unsubscribed from the organizers' messages are
left out. Answering twice updates the one response (a unique key, and a SAVEPOINT for the race)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import exists, func, update
from sqlalchemy.exc import IntegrityError

from .. import mail
from ..audit.services import record
from ..checkin.days import on_event_days
from ..checkin.models import CheckIn, SessionCheckIn
from ..dbtypes import utcnow
from ..errors import Conflict, NotFound, ValidationError
from ..events.models import Event
from ..extensions import db
from ..mail.outbox import ERASED_DOMAIN
from ..messaging.models import Unsubscribe
from ..registration.models import EventSession, Registration, RegistrationStatus
from .models import Survey, SurveyInvitation, SurveyQuestion, SurveyQuestionKind, SurveyResponse, SurveyState

INVITATION_KIND = "survey.invitation"
MAX_QUESTIONS = 40
MAX_CHOICES = 20
MAX_TITLE, MAX_LABEL, MAX_CHOICE, MAX_TEXT = 200, 500, 200, 2000
SCALES = {SurveyQuestionKind.rating: (1, 5), SurveyQuestionKind.nps: (0, 10)}


class SurveyNotFound(NotFound):
    code = "survey_not_found"
    default_message = _l("There is no such survey.")


class SurveyClosed(Conflict):
    code = "survey_closed"
    default_message = _l("This survey is closed: it takes no more answers.")


class SurveyInvalid(ValidationError):
    code = "validation_error"


# --- tokens: the personal link of the invitation --------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-answer")


def make_answer_token(survey_id: int, registration_id: int) -> str:
    return _serializer().dumps([survey_id, registration_id])


def read_answer_token(token: str) -> tuple[Survey, Registration]:
    """The survey and the invited registration a genuine token names; SurveyNotFound otherwise (a tampered
    token, a survey deleted, a registration never invited or erased)."""
    try:
        data = _serializer().loads(token or "")
    except BadSignature:
        raise SurveyNotFound() from None
    if not (isinstance(data, list) and len(data) == 2 and all(type(x) is int for x in data)):
        raise SurveyNotFound()
    survey_id, registration_id = data
    invited = db.session.scalar(db.select(SurveyInvitation.id).where(
        SurveyInvitation.survey_id == survey_id, SurveyInvitation.registration_id == registration_id))
    survey, reg = db.session.get(Survey, survey_id), db.session.get(Registration, registration_id)
    if invited is None or survey is None or reg is None or reg.email.endswith(ERASED_DOMAIN):
        raise SurveyNotFound()
    return survey, reg


# --- making a survey --------------------------------------------------------------------------------------

def _text(value: Any, limit: int) -> str | None:
    return value.strip() if isinstance(value, str) and 0 < len(value.strip()) <= limit else None


def _question(raw: Any, index: int, errors: dict[str, list[str]]) -> SurveyQuestion | None:
    key = f"questions.{index}"
    if not isinstance(raw, dict):
        errors[key] = [_("Each question needs a kind and a label.")]
        return None
    kind = raw.get("kind")
    if kind not in {k.value for k in SurveyQuestionKind}:
        errors[f"{key}.kind"] = [_("Choose one of the kinds of question.")]
    label = _text(raw.get("label"), MAX_LABEL)
    if label is None:
        errors[f"{key}.label"] = [_("Write the question (at most %(n)s characters).", n=MAX_LABEL)]
    required = raw.get("required", False)
    if not isinstance(required, bool):
        errors[f"{key}.required"] = [_("Say yes or no.")]
    choices: list[str] = []
    if kind == SurveyQuestionKind.choice:
        given = raw.get("choices")
        cleaned = [_text(c, MAX_CHOICE) for c in given] if isinstance(given, list) else [None]
        if (None in cleaned or not 2 <= len(cleaned) <= MAX_CHOICES
                or len(set(cleaned)) != len(cleaned)):
            errors[f"{key}.choices"] = [_("Give between 2 and %(n)s different choices.", n=MAX_CHOICES)]
        else:
            choices = cleaned
    if any(k.startswith(key) for k in errors):
        return None
    return SurveyQuestion(position=index, kind=SurveyQuestionKind(kind), label=label, choices=choices,
                          required=required)


def validate_survey(event: Event, *, title: Any, session_id: Any = None, questions: Any,
                    closes_at: datetime | None = None
                    ) -> tuple[str, EventSession | None, list[SurveyQuestion]]:
    errors: dict[str, list[str]] = {}
    clean_title = _text(title, MAX_TITLE)
    if clean_title is None:
        errors["title"] = [_("Give the survey a title (at most %(n)s characters).", n=MAX_TITLE)]
    session = None
    if session_id is not None:
        session = db.session.get(EventSession, session_id) if type(session_id) is int and \
            0 < session_id < 2**31 else None
        if session is None or session.event_id != event.id:
            errors["session_id"] = [_("Choose a workshop of this event.")]
    built: list[SurveyQuestion] = []
    if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
        errors["questions"] = [_("Ask between 1 and %(n)s questions.", n=MAX_QUESTIONS)]
    else:
        built = [q for i, raw in enumerate(questions) if (q := _question(raw, i, errors)) is not None]
    if closes_at is not None and closes_at <= utcnow():
        errors["closes_at"] = [_("The closing time must be in the future.")]
    if errors:
        raise SurveyInvalid(errors)
    return clean_title, session, built


def create_survey(event: Event, *, title: Any, questions: Any, session_id: Any = None,
                  closes_at: datetime | None = None, actor=None) -> Survey:
    """A draft survey with its questions in the order given. Commits."""
    clean_title, session, built = validate_survey(event, title=title, session_id=session_id,
                                                  questions=questions, closes_at=closes_at)
    survey = Survey(event_id=event.id, session_id=session.id if session else None, title=clean_title,
                    closes_at=closes_at, created_by_id=getattr(actor, "id", None), questions=built)
    db.session.add(survey)
    db.session.flush()
    record("survey.created", survey, actor=actor, event=event,
           changes={"title": clean_title, "questions": len(built)})
    db.session.commit()
    return survey


def get_survey(survey_id: int, *, event: Event | None = None) -> Survey:
    survey = db.session.get(Survey, survey_id) if 0 < survey_id < 2**31 else None
    if survey is None or (event is not None and survey.event_id != event.id):
        raise SurveyNotFound()
    return survey


def surveys_of(event: Event) -> list[tuple[Survey, int, int]]:
    """(survey, invited, responses) of the event's surveys, newest first: three queries."""
    surveys = list(db.session.scalars(db.select(Survey).where(Survey.event_id == event.id)
                                      .order_by(Survey.created_at.desc(), Survey.id.desc())))
    ids = [s.id for s in surveys]
    invited = _counts(SurveyInvitation, ids)
    answered = _counts(SurveyResponse, ids)
    return [(s, invited.get(s.id, 0), answered.get(s.id, 0)) for s in surveys]


def _counts(model, survey_ids: list[int]) -> dict[int, int]:
    if not survey_ids:
        return {}
    rows = db.session.execute(db.select(model.survey_id, func.count(model.id))
                              .where(model.survey_id.in_(survey_ids)).group_by(model.survey_id))
    return {survey_id: count for survey_id, count in rows}


# --- sending ------------------------------------------------------------------------------------------------

def _attended(survey: Survey):
    """SQL: the registration came – to the event on one of its days, or through the workshop's door."""
    if survey.session_id is not None:
        return exists().where(SessionCheckIn.session_id == survey.session_id,
                              SessionCheckIn.registration_id == Registration.id)
    return exists().where(CheckIn.registration_id == Registration.id, CheckIn.undone_at.is_(None),
                          on_event_days(survey.event))


def invitees(survey: Survey):
    """SQL: (id, e-mail) of the registrations to invite now: they came, are not invited yet, and their address
    has not unsubscribed."""
    return (db.select(Registration.id, Registration.email)
            .where(Registration.event_id == survey.event_id,
                   Registration.status != RegistrationStatus.cancelled,
                   ~Registration.email.endswith(ERASED_DOMAIN), _attended(survey),
                   ~exists().where(SurveyInvitation.survey_id == survey.id,
                                   SurveyInvitation.registration_id == Registration.id),
                   ~exists().where(Unsubscribe.email_normalized == Registration.email_normalized))
            .order_by(Registration.id))


def send_survey(survey: Survey, *, actor=None, now: datetime | None = None) -> int:
    """Invites everyone who came and was not invited yet, each with an e-mail; returns how many. Commits."""
    now = now or utcnow()
    if survey.state == SurveyState.closed or (survey.closes_at is not None and now >= survey.closes_at):
        raise SurveyClosed()
    survey_id = survey.id
    # The survey's row first: two organizers sending at once wait for each other (one statement that
    # takes the row's lock on PostgreSQL and the write lock on SQLite), so the second sees the first's.
    locked = db.session.execute(
        update(Survey).where(Survey.id == survey_id, Survey.state != SurveyState.closed)
        .values(state=SurveyState.sent, sent_at=func.coalesce(Survey.sent_at, now))
        .execution_options(synchronize_session=False))
    if locked.rowcount == 0:  # closed meanwhile
        db.session.rollback()
        raise SurveyClosed()
    rows = db.session.execute(invitees(survey)).all()
    invitations = [SurveyInvitation(survey_id=survey_id, registration_id=reg_id, invited_at=now)
                   for reg_id, _address in rows]
    db.session.add_all(invitations)
    db.session.flush()
    emails = [mail.queue(INVITATION_KIND, to=address, invitation_id=invitation.id)
              for invitation, (_reg_id, address) in zip(invitations, rows, strict=True)]
    db.session.flush()
    for invitation, email in zip(invitations, emails, strict=True):
        invitation.outbound_email_id = email.id
    record("survey.sent", survey, actor=actor, event=survey.event, changes={"invited": len(invitations)})
    db.session.commit()
    db.session.refresh(survey)
    return len(invitations)


def close_survey(survey: Survey, *, actor=None, now: datetime | None = None) -> Survey:
    """No more answers. Commits; closing a closed survey changes nothing."""
    if survey.state != SurveyState.closed:
        survey.state, survey.closed_at = SurveyState.closed, now or utcnow()
        record("survey.closed", survey, actor=actor, event=survey.event)
        db.session.commit()
    return survey


def is_closed(survey: Survey, now: datetime | None = None) -> bool:
    """Closed by hand, or its closing time has passed."""
    now = now or utcnow()
    return survey.state == SurveyState.closed or (survey.closes_at is not None and now >= survey.closes_at)


# --- answering --------------------------------------------------------------------------------------------

def _number(value: Any) -> int | None:
    if type(value) is int:
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit() and len(value) < 6:
        return int(value)
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_answers(survey: Survey, raw: dict) -> dict[str, Any]:
    """{question id (text): value} of the answers given, checked; SurveyInvalid with a message per question
    (its id as the field) otherwise. Keys of no question of the survey are left out."""
    errors: dict[str, list[str]] = {}
    answers: dict[str, Any] = {}
    for question in survey.questions:
        key = str(question.id)
        value = raw.get(key)
        if _blank(value):
            if question.required:
                errors[key] = [_("Please answer this question.")]
            continue
        if question.kind in SCALES:
            low, high = SCALES[question.kind]
            number = _number(value)
            if number is None or not low <= number <= high:
                errors[key] = [_("Choose a number from %(low)s to %(high)s.", low=low, high=high)]
            else:
                answers[key] = number
        elif question.kind == SurveyQuestionKind.choice:
            if value not in question.choices:
                errors[key] = [_("Choose one of the listed answers.")]
            else:
                answers[key] = value
        elif not isinstance(value, str) or len(value.strip()) > MAX_TEXT:
            errors[key] = [_("Write at most %(n)s characters.", n=MAX_TEXT)]
        else:
            answers[key] = value.strip()
    if errors:
        raise SurveyInvalid(errors)
    return answers


def response_of(survey_id: int, registration_id: int) -> SurveyResponse | None:
    return db.session.scalar(db.select(SurveyResponse).where(
        SurveyResponse.survey_id == survey_id, SurveyResponse.registration_id == registration_id))


def submit_answers(survey: Survey, reg: Registration, raw: dict, *, now: datetime | None = None
                   ) -> SurveyResponse:
    """Records the registration's answers, or replaces those it gave before. Commits."""
    now = now or utcnow()
    if is_closed(survey, now) or survey.state != SurveyState.sent:
        raise SurveyClosed()
    answers = validate_answers(survey, raw if isinstance(raw, dict) else {})
    survey_id, reg_id = survey.id, reg.id
    response = response_of(survey_id, reg_id)
    if response is None:
        try:
            with db.session.begin_nested():  # a double submit racing this one: its row wins, we update it
                response = SurveyResponse(survey_id=survey_id, registration_id=reg_id, answers=answers,
                                          submitted_at=now, updated_at=now)
                db.session.add(response)
        except IntegrityError:
            response = response_of(survey_id, reg_id)
    response.answers, response.updated_at = answers, now
    db.session.commit()
    return response


def awaiting(reg: Registration, *, now: datetime | None = None) -> list[tuple[Survey, bool]]:
    """The open surveys the registration was invited to, with whether it has answered: two queries."""
    now = now or utcnow()
    surveys = [s for s in db.session.scalars(
        db.select(Survey).join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(SurveyInvitation.registration_id == reg.id, Survey.state == SurveyState.sent)
        .order_by(Survey.id)) if not is_closed(s, now)]
    if not surveys:
        return []
    answered = set(db.session.scalars(db.select(SurveyResponse.survey_id).where(
        SurveyResponse.registration_id == reg.id, SurveyResponse.survey_id.in_([s.id for s in surveys]))))
    return [(s, s.id in answered) for s in surveys]


def workshops_of(event: Event) -> list[EventSession]:
    """The event's sessions a survey may be about, in time order."""
    return list(db.session.scalars(db.select(EventSession).where(EventSession.event_id == event.id)
                                   .order_by(EventSession.starts_at, EventSession.id)))


def shown_state(survey: Survey, now: datetime | None = None) -> SurveyState:
    """The state people see: a survey past its closing time is closed."""
    return SurveyState.closed if is_closed(survey, now) else survey.state
