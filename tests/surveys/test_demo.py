"""The demo's surveys: the Startup Week 2020 (the event and a workshop) and 2021, sent to who came, about two
in three answered, an NPS a real event gets; a second run adds nothing."""

from __future__ import annotations

from eventhub.demo.surveys import load_surveys
from eventhub.events.models import Event
from eventhub.surveys.models import Survey, SurveyState
from eventhub.surveys.results import survey_results


def test_the_demo_surveys_read_like_real_ones(db, demo):
    surveys = list(db.session.scalars(db.select(Survey).join(Event).order_by(Survey.id)))
    assert {(s.event.slug, s.session_id is not None) for s in surveys} == {
        ("startup-week-2020", False), ("startup-week-2020", True),
        ("startup-week-2021", False), ("startup-week-2021", True)}
    for survey in surveys:
        results = survey_results(survey)
        assert survey.state == SurveyState.closed and results.invited > 0
        if results.invited >= 20:  # the tests' demo is a hundredth of the real one: a workshop has a few
            assert 0.4 <= results.rate <= 0.9, (survey.title, results.rate)
    event_survey = next(s for s in surveys if s.event.slug == "startup-week-2020" and s.session_id is None)
    results = survey_results(event_survey)
    (nps,) = [q.nps for q in results.questions if q.nps]
    assert 0 < nps.score <= 80  # about +40 at full scale; a hundredth of it draws from a few dozen
    texts = [t for q in results.questions for t in q.texts]
    assert texts and any("ổ" in t or "ệ" in t for t in texts)  # Vietnamese, with its diacritics
    assert load_surveys(None) == "4 surveys, 0 answers added"  # idempotent
