"""Surveys after an event or a workshop (issue 19): make one, list them, send it, read the results (the
event's organizers), and answer it with the invitation's personal token (no account)."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from .. import permissions
from ..surveys import services
from ..surveys.models import Survey, SurveyQuestionKind, SurveyState
from ..surveys.results import as_json, survey_results
from .access import ORGANIZER, managed_event
from .auth import require, require_user
from .pagination import paginate_list
from .schemas import AsSent, PageArgsSchema, RequestSchema, list_of, refusals

blp = Blueprint("api_surveys", __name__, description="Surveys after an event or a workshop")
KINDS = [k.value for k in SurveyQuestionKind]


class SurveyQuestionInSchema(Schema):
    kind = fields.String(required=True, metadata={"enum": KINDS})
    label = fields.String(required=True, metadata={"description": "At most 500 characters."})
    choices = fields.List(fields.String(), metadata={"description": "choice: 2 to 20 different choices."})
    required = fields.Boolean(metadata={"description": "Default false."})


class SurveyCreateSchema(RequestSchema):
    # The service checks each value itself, with a message per field (questions.<n>.<field>).
    title = AsSent(fields.String(), required=True, metadata={"description": "At most 200 characters."})
    session_id = AsSent(fields.Integer(), load_default=None, allow_none=True, metadata={
        "description": "A workshop (session) of the event; absent: the whole event.", "nullable": True})
    questions = AsSent(fields.List(fields.Nested(SurveyQuestionInSchema)), required=True,
                       metadata={"description": "1 to 40 questions, in the order asked."})
    closes_at = fields.AwareDateTime(load_default=None, allow_none=True, metadata={
        "description": "ISO 8601 with offset; after it no answer is taken.", "nullable": True})


class SurveyQuestionSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"enum": KINDS})
    label = fields.String(required=True)
    choices = fields.List(fields.String(), required=True)
    required = fields.Boolean(required=True)


class SurveySchema(Schema):
    id = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"description": "The event's slug."})
    title = fields.String(required=True)
    session_id = fields.Integer(allow_none=True, required=True)
    state = fields.String(required=True, metadata={"enum": [s.value for s in SurveyState]})
    closes_at = fields.DateTime(format="iso", allow_none=True, required=True)
    sent_at = fields.DateTime(format="iso", allow_none=True, required=True)
    invited = fields.Integer(required=True)
    responses = fields.Integer(required=True)
    questions = fields.List(fields.Nested(SurveyQuestionSchema), required=True)


class SurveySentSchema(Schema):
    invited = fields.Integer(required=True,
                             metadata={"description": "How many were invited by this sending."})


class SurveyNpsSchema(Schema):
    score = fields.Float(allow_none=True, required=True, metadata={"description": "-100 to 100."})
    promoters = fields.Integer(required=True)
    passives = fields.Integer(required=True)
    detractors = fields.Integer(required=True)


class SurveyQuestionResultSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"enum": KINDS})
    label = fields.String(required=True)
    answers = fields.Integer(required=True)
    average = fields.Float(allow_none=True, metadata={"description": "rating and nps."})
    nps = fields.Nested(SurveyNpsSchema, metadata={"description": "nps only."})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "rating/nps: per value; choice: per choice."})
    texts = fields.List(fields.String(), metadata={"description": "text only."})


class SurveyResultsSchema(Schema):
    responses = fields.Integer(required=True)
    invited = fields.Integer(required=True)
    questions = fields.List(fields.Nested(SurveyQuestionResultSchema), required=True)
    by_type = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Float()), required=True,
        metadata={"description": "Registration type code → question id → average."})


# An answer is a number (rating, nps) or a text (a choice, a free text).
ANSWER = {"oneOf": [{"type": "integer"}, {"type": "string"}]}


class SurveyAnswersInSchema(RequestSchema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True, metadata=ANSWER),
                          required=True, metadata={
        "description": "Question id → an integer (rating 1–5, nps 0–10), a listed choice, or a text."})


class SurveyAnsweredSchema(Schema):
    survey_id = fields.Integer(required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(metadata=ANSWER), required=True)
    updated_at = fields.DateTime(format="iso", required=True)


def _item(survey: Survey, invited: int, responses: int) -> dict:
    return {"id": survey.id, "event": survey.event.slug, "title": survey.title,
            "session_id": survey.session_id,
            "state": services.shown_state(survey).value, "closes_at": survey.closes_at,
            "sent_at": survey.sent_at, "invited": invited, "responses": responses,
            "questions": [{"id": q.id, "kind": q.kind.value, "label": q.label, "choices": q.choices or [],
                           "required": q.required} for q in survey.questions]}


def _organizers_survey(survey_id: int) -> tuple[Survey, object]:
    """The survey and the token's user: 401 without a token, 404 for no such survey, 403 for who is not an
    organizer of its event."""
    require_user()
    survey = services.get_survey(survey_id)
    return survey, require(permissions.can_read_survey_answers, survey.event)


def _counted(survey: Survey) -> dict:
    results = survey_results(survey)
    return _item(survey, results.invited, results.responses)


@blp.post("/events/<slug>/surveys")
@managed_event
@blp.arguments(SurveyCreateSchema)
@blp.response(201, SurveySchema)
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def create_survey(body, event, user):
    """Makes a draft survey of the event, or of one of its workshops (`session_id`)."""
    survey = services.create_survey(event, actor=user, **body)
    return _item(survey, 0, 0)


@blp.get("/events/<slug>/surveys")
@managed_event
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, list_of(SurveySchema))
@refusals(blp, 401, 403, 404, 422)
@blp.doc(security=ORGANIZER)
def list_surveys(args, event, user):
    """The event's surveys, newest first, with how many were invited and answered."""
    items = [_item(s, invited, answered) for s, invited, answered in services.surveys_of(event)]
    return paginate_list(items, args["page"], args["per_page"])


@blp.get("/surveys/<int:survey_id>")
@blp.response(200, SurveySchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def get_survey(survey_id):
    """One survey and its questions."""
    return _counted(_organizers_survey(survey_id)[0])


@blp.post("/surveys/<int:survey_id>/send")
@blp.response(200, SurveySentSchema)
@refusals(blp, 401, 403, 404, 409)
@blp.doc(security=ORGANIZER)
def send_survey(survey_id):
    """Invites by e-mail those who came and were not invited yet; 409 `survey_closed` once closed."""
    survey, user = _organizers_survey(survey_id)
    return {"invited": services.send_survey(survey, actor=user)}


@blp.get("/surveys/<int:survey_id>/results")
@blp.response(200, SurveyResultsSchema)
@refusals(blp, 401, 403, 404)
@blp.doc(security=ORGANIZER)
def survey_results_api(survey_id):
    """Response rate, each question's figures (text answers included) and averages per registration type."""
    return as_json(survey_results(_organizers_survey(survey_id)[0]))


@blp.post("/surveys/answers/<token>")
@blp.arguments(SurveyAnswersInSchema)
@blp.response(200, SurveyAnsweredSchema)
@refusals(blp, 404, 409, 422)
@blp.doc(security=[])
def answer_survey(body, token):
    """Answers with the invitation's personal token; answering again replaces the answers. 422 names each
    question (its id) whose answer is missing or out of range; 409 `survey_closed`."""
    survey, reg = services.read_answer_token(token)
    response = services.submit_answers(survey, reg, body["answers"])
    return {"survey_id": survey.id, "answers": response.answers, "updated_at": response.updated_at}
