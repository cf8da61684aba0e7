"""The surveys' API: make, list, read, send, results (organizers only) and answering with the token."""

from __future__ import annotations

import pytest

from eventhub.accounts import services as accounts
from eventhub.accounts.models import EventRoleKind
from eventhub.surveys import services
from tests.factories import make_user, open_event, token_headers

from .helpers import QUESTIONS, answers_for, event_survey, survey_world


def test_an_organizer_makes_lists_reads_and_sends_a_survey(db, client):
    world = survey_world()
    headers = token_headers(world.organizer)
    made = client.post(f"/api/v1/events/{world.event.slug}/surveys", headers=headers,
                       json={"title": "Cảm nhận về hội thảo", "session_id": world.session.id,
                             "questions": QUESTIONS})
    assert made.status_code == 201, made.json
    body = made.json
    assert body["state"] == "draft" and body["session_id"] == world.session.id
    assert body["event"] == world.event.slug
    assert [q["kind"] for q in body["questions"]] == ["rating", "nps", "choice", "text"]
    assert body["questions"][2]["choices"] == ["Facebook", "Báo chí", "Bạn bè"]
    listed = client.get(f"/api/v1/events/{world.event.slug}/surveys", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    sent = client.post(f"/api/v1/surveys/{body['id']}/send", headers=headers)
    assert sent.status_code == 200 and sent.json == {"invited": 1}
    read = client.get(f"/api/v1/surveys/{body['id']}", headers=headers).json
    assert (read["state"], read["invited"], read["responses"]) == ("sent", 1, 0)


def test_making_a_survey_answers_422_with_fields(db, client):
    world = survey_world()
    refused = client.post(f"/api/v1/events/{world.event.slug}/surveys",
                          headers=token_headers(world.organizer),
                          json={"title": "", "session_id": "x", "questions": [{"kind": "nps", "label": 3}]})
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "validation_error"
    assert set(refused.json["error"]["fields"]) == {"title", "session_id", "questions.0.label"}


def test_results_have_the_shape_of_the_api(db, client):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    services.submit_answers(survey, world.regs["truc"], answers_for(survey, rating=5, nps=10))
    services.submit_answers(survey, world.regs["hoa"],
                            answers_for(survey, rating=2, nps=5, choice="Facebook"))
    results = client.get(f"/api/v1/surveys/{survey.id}/results", headers=token_headers(world.organizer))
    assert results.status_code == 200
    body = results.json
    rating_q, nps_q, choice_q, text_q = (q.id for q in survey.questions)
    assert (body["responses"], body["invited"]) == (2, 3)
    rating, nps, choice, text = body["questions"]
    assert rating["id"] == rating_q and rating["average"] == 3.5 and rating["counts"]["5"] == 1
    assert nps["nps"] == {"score": 0.0, "promoters": 1, "passives": 0, "detractors": 1}
    assert choice["counts"] == {"Facebook": 1, "Báo chí": 0, "Bạn bè": 1}
    assert text["texts"] == ["Rất bổ ích, cảm ơn ban tổ chức!"] * 2
    assert body["by_type"] == {"visitor": {str(rating_q): 5.0, str(nps_q): 10.0},
                               "press": {str(rating_q): 2.0, str(nps_q): 5.0}}
    assert "texts" not in rating and "average" not in choice and str(choice_q) and str(text_q)


@pytest.mark.parametrize("role", ["staff", "judge", "participant"])
def test_others_get_403_and_no_answers(db, client, role):
    world = survey_world()
    survey = event_survey(world)
    headers = token_headers(make_user(role))
    for method, url in (("get", f"/api/v1/surveys/{survey.id}/results"),
                        ("get", f"/api/v1/surveys/{survey.id}"),
                        ("post", f"/api/v1/surveys/{survey.id}/send"),
                        ("get", f"/api/v1/events/{world.event.slug}/surveys")):
        assert getattr(client, method)(url, headers=headers).status_code == 403
    assert client.get(f"/api/v1/surveys/{survey.id}/results").status_code == 401
    unknown = client.get("/api/v1/surveys/999999/results", headers=token_headers(world.organizer))
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "survey_not_found"


def test_answering_with_the_token(db, client):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    url = f"/api/v1/surveys/answers/{services.make_answer_token(survey.id, world.regs['dung'].id)}"
    rating_q, nps_q, choice_q, _text_q = (str(q.id) for q in survey.questions)
    refused = client.post(url, json={"answers": {rating_q: 9, nps_q: 11, choice_q: "TV"}})
    assert refused.status_code == 422
    assert set(refused.json["error"]["fields"]) == {rating_q, nps_q, choice_q}
    assert client.post(url, json={"answers": {rating_q: 4, nps_q: 8}}).status_code == 200
    again = client.post(url, json={"answers": {rating_q: 5, nps_q: 8, choice_q: "Báo chí"}})
    assert again.status_code == 200 and again.json["answers"] == {rating_q: 5, nps_q: 8, choice_q: "Báo chí"}
    assert services.response_of(survey.id, world.regs["dung"].id).answers[rating_q] == 5
    assert client.post(url[:-4] + "abcd", json={"answers": {}}).status_code == 404
    assert client.post(url, json={"answers": "nope"}).status_code == 422
    services.close_survey(survey)
    closed = client.post(url, json={"answers": {rating_q: 5, nps_q: 8}})
    assert closed.status_code == 409 and closed.json["error"]["code"] == "survey_closed"


def test_an_organizer_of_another_event_gets_403_and_only_unknown_ids_404(db, client):
    """The house rule of the API (api/contest_access.py): 401 without a token, 404 for an id that exists
    nowhere, 403 for a survey of an event the caller may not manage – whoever calls, before any body."""
    world = survey_world()
    survey = event_survey(world)
    other_event = open_event(name="Hội chợ khác")
    partner = make_user("participant")
    accounts.grant_event_role(partner, other_event, EventRoleKind.organizer)  # organizes another event
    own = services.create_survey(other_event, title="Khảo sát riêng", questions=[{"kind": "text",
                                                                                 "label": "Góp ý"}])
    headers = token_headers(partner)
    for path in (f"/api/v1/surveys/{survey.id}", f"/api/v1/surveys/{survey.id}/results"):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert client.post(f"/api/v1/surveys/{survey.id}/send", headers=headers).status_code == 403
    unknown = client.get(f"/api/v1/surveys/{survey.id + own.id + 1000}", headers=headers)
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "survey_not_found"
    assert client.get(f"/api/v1/surveys/{own.id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/surveys/{survey.id}").status_code == 401
