"""Demo surveys (issue 19): after the Startup Week 2020 – the whole event, and its first workshop – and after
the Startup Week 2021 when the demo has it. Each was sent the day after, answered by about two in three of
those invited over the next fortnight, and is closed now.

The survey and its questions go through the service (validated as an organizer's would be); the invitations
are chosen by the service's own query (who came, not unsubscribed) and, like the demo's 2020 message, are
recorded as they stand after delivery: the demo e-mails no one. The answers are drawn so that ratings lean
to 4–5 and the NPS lands around +40. The workshop's door scans, which the 2020 attendance does not make,
are added for those who booked it and came that day. Idempotent: a survey of the same title is left alone.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert

from ..checkin.days import on_event_days
from ..checkin.models import CheckIn, SessionCheckIn
from ..events.models import Event
from ..extensions import db
from ..registration import catalog
from ..registration.models import SessionChoice
from ..surveys import services
from ..surveys.models import Survey, SurveyInvitation, SurveyQuestionKind, SurveyResponse, SurveyState

ANSWERED = 0.65
EVENT_SURVEY = {
    "title": "Cảm nhận của bạn về Tuần lễ",
    "questions": [
        {"kind": "rating", "label": "Bạn đánh giá chung về Tuần lễ thế nào?", "required": True},
        {"kind": "nps", "label": "Bạn có sẵn lòng giới thiệu Tuần lễ cho bạn bè, đồng nghiệp không?",
         "required": True},
        {"kind": "choice", "label": "Hoạt động bạn thấy hữu ích nhất",
         "choices": ["Triển lãm gian hàng", "Hội thảo chuyên đề", "Kết nối đầu tư", "Cuộc thi khởi nghiệp"]},
        {"kind": "rating", "label": "Công tác tổ chức, đón tiếp"},
        {"kind": "text", "label": "Điều gì chúng tôi nên làm tốt hơn vào lần sau?"},
    ],
}
WORKSHOP_SURVEY = {
    "questions": [
        {"kind": "rating", "label": "Nội dung hội thảo hữu ích với bạn ở mức nào?", "required": True},
        {"kind": "rating", "label": "Diễn giả trình bày rõ ràng, dễ hiểu?"},
        {"kind": "nps", "label": "Bạn có giới thiệu hội thảo này cho người quen không?", "required": True},
        {"kind": "text", "label": "Chủ đề bạn muốn nghe ở hội thảo tiếp theo"},
    ],
}
TEXTS = [
    "Khu vực gửi xe hơi xa, nên có thêm biển chỉ dẫn từ cổng vào.",
    "Nội dung rất thiết thực, mong có thêm thời gian hỏi đáp với diễn giả.",
    "Âm thanh ở sảnh chính đôi lúc bị vọng, khó nghe phần trình bày.",
    "Ban tổ chức nhiệt tình, đăng ký và check-in nhanh gọn bằng mã QR.",
    "Nên có bản đồ gian hàng in sẵn hoặc trên điện thoại để dễ tìm.",
    "Tôi đã gặp được hai quỹ đầu tư phù hợp, rất cảm ơn chương trình kết nối.",
    "Mong năm sau có thêm phiên chuyên sâu về gọi vốn vòng hạt giống.",
    "Khu ăn uống hơi chật vào giờ trưa, nên bố trí thêm bàn ghế.",
    "Lịch các phiên thảo luận nên gửi trước qua e-mail để chủ động sắp xếp.",
    "Không khí sôi động, nhiều startup trẻ có sản phẩm rất ấn tượng.",
    "Nên mở rộng thêm các hoạt động dành cho sinh viên.",
    "Phòng hội thảo hơi lạnh, mong điều chỉnh nhiệt độ.",
    "Muốn được nghe thêm về thương mại hóa kết quả nghiên cứu.",
    "Chủ đề chuyển đổi số cho doanh nghiệp nhỏ và vừa.",
    "Kinh nghiệm xây dựng đội ngũ và giữ chân nhân sự cho startup.",
]


def _rating(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 14, 42, 38])[0]


def _nps(rng: random.Random) -> int:
    # about 55 % promoters, 30 % passives, 15 % detractors: NPS ≈ +40
    band = rng.choices(["promoter", "passive", "detractor"], weights=[55, 30, 15])[0]
    return {"promoter": rng.choice([9, 10, 10]), "passive": rng.choice([7, 8, 8]),
            "detractor": rng.choice([3, 5, 6, 6])}[band]


def _answers(survey: Survey, rng: random.Random) -> dict:
    answers = {}
    for question in survey.questions:
        if not question.required and rng.random() < 0.15:
            continue
        if question.kind == SurveyQuestionKind.rating:
            answers[str(question.id)] = _rating(rng)
        elif question.kind == SurveyQuestionKind.nps:
            answers[str(question.id)] = _nps(rng)
        elif question.kind == SurveyQuestionKind.choice:
            weights = [4, 3, 2, 2][:len(question.choices)]
            answers[str(question.id)] = rng.choices(question.choices, weights=weights)[0]
        elif rng.random() < 0.4:
            answers[str(question.id)] = rng.choice(TEXTS)
    return answers


def _door_scans(event: Event, session, rng: random.Random) -> None:
    """Who booked the workshop and came on its day was scanned at its door (85 %), unless recorded."""
    if db.session.scalar(db.select(SessionCheckIn.id).filter_by(session_id=session.id).limit(1)):
        return
    day = session.starts_at.astimezone(event.tz).date()
    came = db.session.scalars(
        db.select(SessionChoice.registration_id)
        .join(CheckIn, CheckIn.registration_id == SessionChoice.registration_id)
        .where(SessionChoice.session_id == session.id, SessionChoice.holding.is_(True), CheckIn.day == day,
               CheckIn.undone_at.is_(None), on_event_days(event))
        .distinct().order_by(SessionChoice.registration_id))
    rows = [{"session_id": session.id, "registration_id": reg_id,
             "checked_in_at": session.starts_at + timedelta(minutes=rng.randint(-15, 20))}
            for reg_id in came if rng.random() < 0.85]
    if rows:
        db.session.execute(insert(SessionCheckIn), rows)
        db.session.flush()


def _survey(event: Event, organizer, spec: dict, rng: random.Random, session=None) -> int:
    """Makes, 'sends' and answers one survey; returns how many answered (0 when it was there already)."""
    if db.session.scalar(db.select(Survey.id).filter_by(event_id=event.id, title=spec["title"])):
        return 0
    survey = services.create_survey(event, title=spec["title"], questions=spec["questions"],
                                    session_id=session.id if session else None, actor=organizer)
    sent_at = (session.ends_at if session else event.ends_at) + timedelta(hours=18)
    invited = [reg_id for reg_id, _email in db.session.execute(services.invitees(survey))]
    if invited:
        db.session.execute(insert(SurveyInvitation), [
            {"survey_id": survey.id, "registration_id": reg_id, "invited_at": sent_at} for reg_id in invited])
    responses = []
    for reg_id in invited:
        if rng.random() < ANSWERED:
            at = sent_at + timedelta(hours=int(abs(rng.gauss(20, 40))) % (14 * 24), minutes=rng.randrange(60))
            responses.append({"survey_id": survey.id, "registration_id": reg_id,
                              "answers": _answers(survey, rng), "submitted_at": at, "updated_at": at})
    if responses:
        db.session.execute(insert(SurveyResponse), responses)
    survey.created_at = sent_at - timedelta(hours=2)
    survey.state, survey.sent_at = SurveyState.closed, sent_at
    survey.closes_at = survey.closed_at = sent_at + timedelta(days=14)
    db.session.commit()
    return len(responses)


def load_surveys(organizer, *, slugs: tuple[str, ...] = ("startup-week-2020", "startup-week-2021")) -> str:
    rng = random.Random(19)
    answered = []
    for slug in slugs:
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        if event is None:
            continue  # the 2021 edition comes with its own part of the demo; without it, nothing to ask
        answered.append(_survey(event, organizer, EVENT_SURVEY, rng))
        sessions = catalog.sessions_of(event)
        if sessions:
            workshop = sessions[0]
            _door_scans(event, workshop, rng)
            spec = {**WORKSHOP_SURVEY, "title": f"Cảm nhận về hội thảo “{workshop.title}”"}
            answered.append(_survey(event, organizer, spec, rng, session=workshop))
    return f"{len(answered)} surveys, {sum(answered)} answers added"
