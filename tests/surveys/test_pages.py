"""The organizers' pages (make, send, read, export) and the respondent's phone page behind the link."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import func

from eventhub.accounts import services as accounts
from eventhub.extensions import db as _db
from eventhub.registration import services as registration
from eventhub.surveys import services
from eventhub.surveys.models import Survey, SurveyResponse
from tests.factories import login, make_user

from .helpers import answers_for, event_survey, survey_world


def _answer_link(survey, reg) -> str:
    return f"/surveys/r/{services.make_answer_token(survey.id, reg.id)}"


def test_an_organizer_makes_a_survey_on_the_form_with_errors_beside_the_rows(db, client):
    world = survey_world()
    login(client, world.organizer)
    page = client.post(f"/events/{world.event.slug}/surveys/new", data={
        "title": "Khảo sát sau hội thảo", "session_id": str(world.session.id),
        "kind-0": "rating", "label-0": "Diễn giả trình bày thế nào?", "required-0": "y",
        "kind-2": "choice", "label-2": "Buổi nào hay nhất?", "choices-2": "Sáng"})
    assert page.status_code == 422
    assert "Hãy đưa ra từ 2 đến 20 phương án khác nhau." in page.text
    assert 'id="choices-2-error"' in page.text and "Diễn giả trình bày thế nào?" in page.text  # kept
    page = client.post(f"/events/{world.event.slug}/surveys/new", data={
        "title": "Khảo sát sau hội thảo", "session_id": str(world.session.id),
        "kind-0": "rating", "label-0": "Diễn giả trình bày thế nào?", "required-0": "y",
        "kind-2": "choice", "label-2": "Buổi nào hay nhất?", "choices-2": "Sáng\nChiều\n"})
    assert page.status_code == 302
    survey = _db.session.scalar(_db.select(Survey))
    assert survey.session_id == world.session.id
    assert [(q.kind.value, q.required, q.choices) for q in survey.questions] == [
        ("rating", True, []), ("choice", False, ["Sáng", "Chiều"])]
    sent = client.post(f"/events/{world.event.slug}/surveys/{survey.id}/send", follow_redirects=True)
    assert "Đã gửi khảo sát cho thêm 1 người." in sent.text
    client.post(f"/events/{world.event.slug}/surveys/{survey.id}/close")
    audit = client.get(f"/events/{world.event.slug}/audit").text
    for verb in ("đã tạo", "đã gửi", "đã đóng"):
        assert f"Ban Tổ Chức {verb} khảo sát “Khảo sát sau hội thảo”" in audit


def test_the_results_page_shows_rate_averages_nps_and_texts_with_labels(db, client):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    services.submit_answers(survey, world.regs["truc"], answers_for(survey, rating=5, nps=10))
    services.submit_answers(survey, world.regs["hoa"],
                            answers_for(survey, rating=4, nps=3, text="Âm thanh hơi nhỏ"))
    login(client, world.organizer)
    page = client.get(f"/events/{world.event.slug}/surveys/{survey.id}")
    assert page.status_code == 200
    assert "2 người trả lời trên 3 người được mời" in page.text
    assert "4,5" in page.text  # the rating's average, as Vietnamese write it
    assert "+0" in page.text and "người ủng hộ (9–10): 1" in page.text
    assert "Âm thanh hơi nhỏ" in page.text and "Khách tham quan" in page.text and "Báo chí" in page.text
    assert "<svg" in page.text and "Đang nhận trả lời" in page.text
    assert ">nps<" not in page.text and ">rating<" not in page.text


def test_the_export_is_a_workbook_with_labels(db, client):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    services.submit_answers(survey, world.regs["truc"], answers_for(survey))
    login(client, world.organizer)
    response = client.get(f"/events/{world.event.slug}/surveys/{survey.id}/results.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    summary = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert any(row[:2] == ["Chất lượng các phiên thảo luận", "Chấm điểm (1–5)"] for row in summary)
    rows = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert rows[1][:2] == ["Nguyễn Thị Quý Trúc", "Khách tham quan"]
    assert "Rất bổ ích, cảm ơn ban tổ chức!" in rows[1]


@pytest.mark.parametrize("who", ["staff", "judge", "participant", "event_staff"])
def test_only_organizers_read_the_answers(db, client, who):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    services.submit_answers(survey, world.regs["truc"], answers_for(survey, text="Bí mật của Trúc"))
    user = make_user("staff" if who == "event_staff" else who)
    if who == "event_staff":
        accounts.grant_event_role(user, world.event, "staff")
    login(client, user)
    base = f"/events/{world.event.slug}/surveys"
    for url in (base, f"{base}/{survey.id}", f"{base}/{survey.id}/results.xlsx"):
        page = client.get(url)
        assert page.status_code == 403 and "Bí mật của Trúc" not in page.text
    assert client.post(f"{base}/{survey.id}/send").status_code == 403


def test_the_respondent_answers_on_the_phone_page_and_again_to_change(db, client):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    link = _answer_link(survey, world.regs["truc"])
    page = client.get(link)
    assert page.status_code == 200
    assert "Chỉ ban tổ chức sự kiện" in page.text or "chỉ ban tổ chức sự kiện" in page.text  # Decree 13 note
    rating, nps, choice, text = (f"q{q.id}" for q in survey.questions)
    refused = client.post(link, data={rating: "7", nps: "", choice: "Tivi"})
    assert refused.status_code == 422
    assert refused.text.count("invalid-feedback") == 3
    assert "Hãy chọn một số từ 1 đến 5." in refused.text and "Vui lòng trả lời câu hỏi này." in refused.text
    assert _db.session.scalar(_db.select(func.count(SurveyResponse.id))) == 0
    done = client.post(link, data={rating: "4", nps: "9", choice: "Bạn bè", text: "Tuyệt vời"})
    assert done.status_code == 200 and "đã được ghi nhận" in done.text
    again = client.get(link)
    assert "Bạn đã trả lời rồi" in again.text and 'value="4" autocomplete="off" checked' in again.text
    client.post(link, data={rating: "2", nps: "9"})
    response = _db.session.scalar(_db.select(SurveyResponse))
    _db.session.refresh(response)
    assert response.answers == {rating[1:]: 2, nps[1:]: 9}
    assert _db.session.scalar(_db.select(func.count(SurveyResponse.id))) == 1


def test_a_tampered_link_is_a_404_page_and_a_closed_survey_says_so(db, client):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    link = _answer_link(survey, world.regs["truc"])
    assert client.get(link[:-3] + "abc").status_code == 404
    assert client.get(_answer_link(survey, world.regs["tam"])).status_code == 404  # never invited
    services.close_survey(survey)
    closed = client.get(link)
    assert closed.status_code == 410 and "Khảo sát này đã đóng" in closed.text


def test_the_registration_page_invites_to_an_open_survey(db, client):
    world = survey_world()
    survey = event_survey(world)
    manage = f"/r/{registration.manage_token(world.regs['truc'])}"
    assert "Cho chúng tôi biết cảm nhận của bạn" not in client.get(manage).text
    services.send_survey(survey)
    page = client.get(manage)
    assert "Cho chúng tôi biết cảm nhận của bạn" in page.text
    link = re.search(r'href="(/surveys/r/[^"]+)"', page.text).group(1)
    assert client.get(link).status_code == 200
    services.close_survey(survey)
    assert "Cho chúng tôi biết cảm nhận của bạn" not in client.get(manage).text


def test_the_event_menu_and_cockpit_show_surveys_to_organizers(db, client):
    world = survey_world()
    survey = event_survey(world)
    services.send_survey(survey)
    services.submit_answers(survey, world.regs["truc"], answers_for(survey))
    login(client, world.organizer)
    page = client.get(f"/events/{world.event.slug}/manage")
    assert f"/events/{world.event.slug}/surveys" in page.text
    assert "Trả lời khảo sát “Cảm nhận của bạn về Tuần lễ”" in page.text
