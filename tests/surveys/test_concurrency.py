"""Two submissions of the same person at once (a double tap, two tabs) give one response, never a 500; two
organizers sending at once invite each person once."""

from __future__ import annotations

from sqlalchemy import func

from eventhub.extensions import db as _db
from eventhub.registration.models import Registration
from eventhub.surveys import services
from eventhub.surveys.models import Survey, SurveyInvitation, SurveyResponse
from tests.support.racing import race

from .helpers import answers_for, event_survey, survey_world


def test_a_double_submit_gives_one_response(app, db):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    survey_id, reg_id = survey.id, world.regs["truc"].id

    def submit(rating):
        def job():
            found = _db.session.get(Survey, survey_id)
            return services.submit_answers(found, _db.session.get(Registration, reg_id),
                                           answers_for(found, rating=rating)).id
        return job

    for _round in range(3):
        outcomes = race(app, [submit(rating) for rating in (1, 2, 3, 4)])
        assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
        assert len(set(outcomes)) == 1
    assert _db.session.scalar(_db.select(func.count(SurveyResponse.id))) == 1


def test_two_sendings_at_once_invite_each_person_once(app, db):
    world = survey_world()
    survey_id = event_survey(world).id

    def send():
        return services.send_survey(_db.session.get(Survey, survey_id))

    outcomes = race(app, [send, send])
    assert sorted(outcomes) == [0, 3], outcomes
    assert _db.session.scalar(_db.select(func.count(SurveyInvitation.id))) == 3
