"""A survey's results for its organizers: read in three queries, worked out by the pure `stats`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func

from ..extensions import db
from ..registration.models import Registration, RegistrationType
from . import stats
from .models import Survey, SurveyInvitation, SurveyQuestion, SurveyQuestionKind, SurveyResponse
from .services import SCALES

SCALE_RANGES = {kind: range(low, high + 1) for kind, (low, high) in SCALES.items()}


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answers: int = 0
    average: float | None = None
    distribution: dict[int, int] = field(default_factory=dict)  # rating and nps
    nps: stats.Nps | None = None
    counts: dict[str, int] = field(default_factory=dict)  # choice
    texts: list[str] = field(default_factory=list)  # text

    @property
    def peak(self) -> int:
        """The largest bar, for drawing the distribution to scale."""
        return max([*self.distribution.values(), *self.counts.values(), 1])


@dataclass
class ResponseRow:
    full_name: str
    type_name: str
    submitted_at: datetime
    answers: dict[str, Any]


@dataclass
class SurveyResults:
    survey: Survey
    invited: int
    responses: int
    questions: list[QuestionResult]
    by_type: dict[str, dict[int, float]]  # type code → question id → average (rating and nps)
    type_names: dict[str, str]
    rows: list[ResponseRow]

    @property
    def rate(self) -> float | None:
        return stats.response_rate(self.responses, self.invited)


def _result(question: SurveyQuestion, values: list[Any]) -> QuestionResult:
    result = QuestionResult(question, answers=len(values))
    if question.kind in SCALE_RANGES:
        result.average = stats.average(values)
        result.distribution = stats.distribution(values, SCALE_RANGES[question.kind])
        if question.kind == SurveyQuestionKind.nps:
            result.nps = stats.nps(values)
    elif question.kind == SurveyQuestionKind.choice:
        result.counts = stats.choice_counts(values, question.choices)
    else:
        result.texts = list(values)
    return result


def survey_results(survey: Survey) -> SurveyResults:
    invited = db.session.scalar(db.select(func.count(SurveyInvitation.id))
                                .where(SurveyInvitation.survey_id == survey.id)) or 0
    rows = db.session.execute(
        db.select(SurveyResponse.answers, SurveyResponse.updated_at, Registration.full_name,
                  RegistrationType.code, RegistrationType.name)
        .join(Registration, Registration.id == SurveyResponse.registration_id)
        .join(RegistrationType, RegistrationType.id == Registration.registration_type_id)
        .where(SurveyResponse.survey_id == survey.id).order_by(SurveyResponse.id)).all()
    questions = survey.questions
    values: dict[int, list[Any]] = {q.id: [] for q in questions}
    scaled: list[tuple[str, int, float]] = []
    type_names: dict[str, str] = {}
    for answers, _at, _name, type_code, type_name in rows:
        type_names[type_code] = type_name
        for question in questions:
            value = (answers or {}).get(str(question.id))
            if value is None or (question.kind == SurveyQuestionKind.choice
                                 and value not in question.choices):
                continue  # a choice the organizers have since removed is not counted
            values[question.id].append(value)
            if question.kind in SCALE_RANGES:
                scaled.append((type_code, question.id, value))
    return SurveyResults(
        survey, invited, len(rows), [_result(q, values[q.id]) for q in questions],
        stats.averages_by_group(scaled), type_names,
        [ResponseRow(name, type_name, at, answers or {}) for answers, at, name, _code, type_name in rows])


def as_json(results: SurveyResults) -> dict:
    """The API's shape (api.md): codes, numbers, the texts."""
    questions = []
    for result in results.questions:
        item: dict[str, Any] = {"id": result.question.id, "kind": result.question.kind.value,
                                "label": result.question.label, "answers": result.answers}
        if result.question.kind in SCALE_RANGES:
            item["average"] = result.average
            item["counts"] = {str(k): v for k, v in result.distribution.items()}
        if result.nps is not None:
            item["nps"] = {"score": result.nps.score, "promoters": result.nps.promoters,
                           "passives": result.nps.passives, "detractors": result.nps.detractors}
        if result.question.kind == SurveyQuestionKind.choice:
            item["counts"] = dict(result.counts)
        if result.question.kind == SurveyQuestionKind.text:
            item["texts"] = list(result.texts)
        questions.append(item)
    return {"responses": results.responses, "invited": results.invited, "questions": questions,
            "by_type": {code: {str(qid): avg for qid, avg in by_question.items()}
                        for code, by_question in results.by_type.items()}}
