"""Sending to those who came (each once), taking answers (one response, updated), closing, erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func

from eventhub.checkin import services as checkin
from eventhub.dbtypes import utcnow
from eventhub.extensions import db as _db
from eventhub.messaging.unsubscribes import unsubscribe
from eventhub.registration import services as registration
from eventhub.surveys import services
from eventhub.surveys.models import SurveyInvitation, SurveyResponse, SurveyState
from eventhub.surveys.results import survey_results
from tests.factories import make_session, open_event
from tests.support.personal_data import traces

from .helpers import answers_for, event_survey, survey_world


def _invited(survey) -> set[str]:
    return {inv.registration.email for inv in _db.session.scalars(
        _db.select(SurveyInvitation).where(SurveyInvitation.survey_id == survey.id))}


def test_sending_invites_only_those_checked_in_on_the_event_days_and_each_once(db):
    world = survey_world()
    survey = event_survey(world)
    assert services.send_survey(survey) == 3
    assert _invited(survey) == {"truc@example.vn", "dung@example.vn", "hoa@baochi.vn"}  # not the test scan
    assert survey.state == SurveyState.sent
    assert services.send_survey(survey) == 0  # nobody new
    checkin.check_in(world.event, world.regs["tam"].ticket_code,
                     now=world.event.starts_at + timedelta(hours=2))
    assert services.send_survey(survey) == 1  # only the newly checked in
    assert len(_invited(survey)) == 4


def test_an_undone_check_in_is_no_attendance(db):
    world = survey_world()
    entry = _db.session.scalar(_db.select(checkin.CheckIn).where(
        checkin.CheckIn.registration_id == world.regs["hoa"].id))
    entry.undone_at = utcnow()
    _db.session.commit()
    survey = event_survey(world)
    services.send_survey(survey)
    assert "hoa@baochi.vn" not in _invited(survey)


def test_a_workshop_survey_goes_to_those_scanned_at_its_door(db):
    world = survey_world()
    survey = event_survey(world, session_id=world.session.id, title="Hội thảo gọi vốn")
    assert services.send_survey(survey) == 1
    assert _invited(survey) == {"dung@example.vn"}


def test_unsubscribed_addresses_are_skipped(db):
    world = survey_world()
    unsubscribe("TRUC@example.vn")
    survey = event_survey(world)
    assert services.send_survey(survey) == 2
    assert "truc@example.vn" not in _invited(survey)


def test_a_closed_survey_is_not_sent_and_takes_no_answer(db):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    services.close_survey(survey)
    with pytest.raises(services.SurveyClosed):
        services.send_survey(survey)
    with pytest.raises(services.SurveyClosed):
        services.submit_answers(survey, world.regs["truc"], answers_for(survey))


def test_answering_twice_updates_the_one_response(db):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    reg = world.regs["truc"]
    first = services.submit_answers(survey, reg, answers_for(survey, rating=2))
    second = services.submit_answers(survey, reg, answers_for(survey, rating=5, text="Đã sửa"))
    assert first.id == second.id
    assert _db.session.scalar(_db.select(func.count(SurveyResponse.id))) == 1
    rating_q = survey.questions[0]
    assert second.answers[str(rating_q.id)] == 5 and second.answers[str(survey.questions[3].id)] == "Đã sửa"


@pytest.mark.parametrize(("index", "value"), [(0, 0), (0, 6), (0, "năm"), (1, 11), (1, -1), (2, "Tivi")])
def test_out_of_range_answers_are_field_errors(db, index, value):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    answers = answers_for(survey)
    answers[str(survey.questions[index].id)] = value
    with pytest.raises(services.SurveyInvalid) as refused:
        services.submit_answers(survey, world.regs["truc"], answers)
    assert set(refused.value.fields) == {str(survey.questions[index].id)}
    assert _db.session.scalar(_db.select(func.count(SurveyResponse.id))) == 0


def test_required_questions_must_be_answered_and_others_may_be_left(db):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    rating_q, nps_q, choice_q, _text_q = survey.questions
    with pytest.raises(services.SurveyInvalid) as refused:
        services.submit_answers(survey, world.regs["truc"], {str(choice_q.id): "Facebook"})
    assert set(refused.value.fields) == {str(rating_q.id), str(nps_q.id)}
    response = services.submit_answers(survey, world.regs["truc"], {str(rating_q.id): "3", str(nps_q.id): 0})
    assert response.answers == {str(rating_q.id): 3, str(nps_q.id): 0}


def test_a_survey_past_its_closing_time_is_closed(db):
    world = survey_world()
    survey = event_survey(world, closes_at=utcnow() + timedelta(hours=1))
    services.send_survey(survey)
    with pytest.raises(services.SurveyClosed):
        services.submit_answers(survey, world.regs["truc"], answers_for(survey),
                                now=utcnow() + timedelta(hours=2))


def test_the_token_names_survey_and_registration_and_refuses_tampering(db):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    token = services.make_answer_token(survey.id, world.regs["truc"].id)
    assert services.read_answer_token(token) == (survey, world.regs["truc"])
    for bad in (token[:-2] + "xx", "", "abc", services.make_answer_token(survey.id, world.regs["tam"].id)):
        with pytest.raises(services.SurveyNotFound):
            services.read_answer_token(bad)  # tampered, or naming someone never invited


def test_results_by_hand(db):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    services.submit_answers(survey, world.regs["truc"],
                            answers_for(survey, rating=5, nps=10, choice="Facebook"))
    services.submit_answers(survey, world.regs["dung"], answers_for(survey, rating=3, nps=6, text=""))
    results = survey_results(survey)
    assert (results.responses, results.invited) == (2, 3) and results.rate == pytest.approx(2 / 3)
    rating, nps, choice, text = results.questions
    assert rating.average == 4.0 and rating.distribution == {1: 0, 2: 0, 3: 1, 4: 0, 5: 1}
    assert nps.nps.score == 0.0 and (nps.nps.promoters, nps.nps.detractors) == (1, 1)
    assert choice.counts == {"Facebook": 1, "Báo chí": 0, "Bạn bè": 1}
    assert text.texts == ["Rất bổ ích, cảm ơn ban tổ chức!"]
    assert results.by_type == {"visitor": {rating.question.id: 4.0, nps.question.id: 8.0}}


def test_erasing_a_registration_deletes_its_answers(db):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    reg = world.regs["truc"]
    services.submit_answers(survey, reg, answers_for(survey))
    registration.erase_personal_data(reg)
    assert _db.session.scalar(_db.select(func.count(SurveyResponse.id))) == 0
    assert survey_results(survey).responses == 0
    # nothing of her is left: not the answers, not the address of the invitation's e-mail
    assert traces(("truc@example.vn", "Nguyễn Thị Quý Trúc", "Rất bổ ích")) == []


def test_making_a_survey_checks_every_field(db):
    world = survey_world()
    other = make_session(open_event(name="Sự kiện khác"))  # a workshop of another event
    with pytest.raises(services.SurveyInvalid) as refused:
        services.create_survey(world.event, title=" ", session_id=other.id, questions=[
            {"kind": "stars", "label": "A"}, {"kind": "choice", "label": "B", "choices": ["x"]},
            {"kind": "text", "label": ""}])
    assert set(refused.value.fields) == {"title", "session_id", "questions.0.kind", "questions.1.choices",
                                         "questions.2.label"}
    with pytest.raises(services.SurveyInvalid) as refused:
        services.create_survey(world.event, title="T", questions=[])
    assert set(refused.value.fields) == {"questions"}
