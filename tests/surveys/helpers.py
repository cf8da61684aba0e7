"""A small event for survey tests: four registrants (one in English), three checked in on the event's day
(one of them also at a workshop's door), one scanned only as a test before the event, and a survey of
each kind of question."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from eventhub.checkin import services as checkin
from eventhub.surveys import services
from tests.factories import make_session, make_type, make_user, open_event, register

QUESTIONS = [
    {"kind": "rating", "label": "Chất lượng các phiên thảo luận", "required": True},
    {"kind": "nps", "label": "Bạn có giới thiệu sự kiện cho bạn bè không?", "required": True},
    {"kind": "choice", "label": "Bạn biết đến sự kiện qua đâu?",
     "choices": ["Facebook", "Báo chí", "Bạn bè"]},
    {"kind": "text", "label": "Góp ý cho lần sau"},
]


@dataclass
class SurveyWorld:
    event: object
    organizer: object
    session: object
    visitor: object
    press: object
    regs: dict = field(default_factory=dict)


def survey_world() -> SurveyWorld:
    organizer = make_user("organizer", email="btc@sokhcn.vn", full_name="Ban Tổ Chức")
    event = open_event(actor=organizer, name="Tuần lễ Khởi nghiệp Đổi mới sáng tạo")
    visitor = make_type(event, code="visitor", name="Khách tham quan")
    press = make_type(event, code="press", name="Báo chí")
    session = make_session(event, title="Hội thảo Gọi vốn cho khởi nghiệp")
    world = SurveyWorld(event, organizer, session, visitor, press)
    people = [("truc", "Nguyễn Thị Quý Trúc", "truc@example.vn", visitor, "vi"),
              ("dung", "Lê Văn Dũng", "dung@example.vn", visitor, "en"),
              ("hoa", "Trần Thị Hoa", "hoa@baochi.vn", press, "vi"),
              ("tam", "Phạm Văn Tâm", "tam@example.vn", visitor, "vi")]
    for key, name, email, rtype, locale in people:
        world.regs[key], _token = register(event, rtype, full_name=name, email=email, locale=locale,
                                           notify=False)
    on_the_day = event.starts_at + timedelta(hours=1)
    for key in ("truc", "dung", "hoa"):
        checkin.check_in(event, world.regs[key].ticket_code, now=on_the_day)
    # a scanner tried a week before: a test scan, no attendance
    checkin.check_in(event, world.regs["tam"].ticket_code, now=event.starts_at - timedelta(days=7))
    checkin.check_in_session(event, session, world.regs["dung"].ticket_code, now=session.starts_at)
    return world


def event_survey(world: SurveyWorld, **overrides):
    values = {"title": "Cảm nhận của bạn về Tuần lễ", "questions": QUESTIONS}
    values.update(overrides)
    return services.create_survey(world.event, actor=world.organizer, **values)


def answers_for(survey, rating=4, nps=9, choice="Bạn bè", text="Rất bổ ích, cảm ơn ban tổ chức!") -> dict:
    rating_q, nps_q, choice_q, text_q = survey.questions
    return {str(rating_q.id): rating, str(nps_q.id): nps, str(choice_q.id): choice, str(text_q.id): text}
