"""Surveys' states and question kinds in words (codes stay in the API and the database)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import SurveyQuestionKind, SurveyState

STATE_LABELS = {
    SurveyState.draft: _l("Draft"),
    SurveyState.sent: _l("Open for answers"),
    SurveyState.closed: _l("Closed"),
}
STATE_TONES = {SurveyState.draft: "secondary", SurveyState.sent: "success", SurveyState.closed: "dark"}

KIND_LABELS = {
    SurveyQuestionKind.rating: _l("Rating (1–5)"),
    SurveyQuestionKind.nps: _l("Likelihood to recommend (0–10)"),
    SurveyQuestionKind.choice: _l("One of several choices"),
    SurveyQuestionKind.text: _l("Free text"),
}


def state_label(state: SurveyState) -> str:
    return str(STATE_LABELS[state])


def kind_label(kind: SurveyQuestionKind) -> str:
    return str(KIND_LABELS[kind])


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.value, str(label)) for kind, label in KIND_LABELS.items()]
