"""Decree 13: a registrant without an account answers through their registration, and the registration's
own download (its manage link) shows those answers, in the questions' words; an account's download shows
its registrations' answers the same way."""

from __future__ import annotations

from eventhub.accounts import services as accounts
from eventhub.extensions import db as _db
from eventhub.registration import services as registration
from eventhub.surveys import services
from tests.factories import make_user

from .helpers import answers_for, event_survey, survey_world


def test_the_manage_link_download_shows_the_registration_s_answers(db, client):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    dung, truc = world.regs["dung"], world.regs["truc"]
    services.submit_answers(survey, dung, answers_for(survey, rating=5, nps=10, text="Rất tuyệt vời"))
    services.submit_answers(survey, truc, answers_for(survey, text="Của người khác"))

    data = client.get(f"/r/{registration.manage_token(dung)}/data.json").get_json()
    assert data["survey_answers"] == [{
        "survey": "Cảm nhận của bạn về Tuần lễ", "event": world.event.name, "workshop": None,
        "answers": [{"question": "Chất lượng các phiên thảo luận", "answer": 5},
                    {"question": "Bạn có giới thiệu sự kiện cho bạn bè không?", "answer": 10},
                    {"question": "Bạn biết đến sự kiện qua đâu?", "answer": "Bạn bè"},
                    {"question": "Góp ý cho lần sau", "answer": "Rất tuyệt vời"}],
        "answered_at": data["survey_answers"][0]["answered_at"]}]
    hoa = client.get(f"/r/{registration.manage_token(world.regs['hoa'])}/data.json").get_json()
    assert hoa["survey_answers"] == []  # invited, not answered

    # an account holding the registration sees the same answers, in its registrations and in its section
    person = make_user("participant")
    dung.user_id = person.id
    _db.session.commit()
    exported = accounts.export_user_data(person)
    assert exported["survey_answers"] == data["survey_answers"]
    assert exported["registrations"][0]["survey_answers"] == data["survey_answers"]
