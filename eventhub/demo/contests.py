"""Demo contests: 8 contests over the 2020 events, entries from the demo startups, the demo judges
(@giamkhao.vn), assignments, submitted scores, three contests published with awards; and the 2026
edition's pitch contest, open for judging, its entries assigned and waiting for the demo judge.
Idempotent: a contest whose code exists in its event is left alone."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ..accounts.models import Role, User
from ..contests import assigning, entries, judging, publishing, setup
from ..contests.errors import AssignmentInfeasibleError
from ..contests.models import AWARD_ORDER, Assignment, Contest, Entry
from ..contests.results import contest_results
from ..dbtypes import utcnow
from ..events.models import Event
from ..extensions import db

PITCH = [{"key": "team", "name": "Đội ngũ", "weight": 3, "max_score": 10},
         {"key": "market", "name": "Thị trường và mô hình kinh doanh", "weight": 3, "max_score": 10},
         {"key": "product", "name": "Sản phẩm và công nghệ", "weight": 2, "max_score": 10},
         {"key": "pitch", "name": "Kỹ năng thuyết trình", "weight": 1, "max_score": 5}]
INNOVATION = [{"key": "novelty", "name": "Tính mới và sáng tạo", "weight": 4, "max_score": 10},
              {"key": "impact", "name": "Tác động xã hội", "weight": 3, "max_score": 10},
              {"key": "feasibility", "name": "Tính khả thi", "weight": 3, "max_score": 10}]
AI = [{"key": "model", "name": "Chất lượng mô hình", "weight": 4, "max_score": 20},
      {"key": "data", "name": "Dữ liệu và đạo đức AI", "weight": 2, "max_score": 10},
      {"key": "application", "name": "Khả năng ứng dụng", "weight": 3, "max_score": 10}]

# (event slug, code, name, rubric, blind, published)
CONTESTS = [
    ("startup-week-2020", "startup-pitch", "Cuộc thi Gọi vốn Khởi nghiệp – Startup Pitch 2020", PITCH,
     False, True),
    ("startup-week-2020", "innovation", "Giải thưởng Đổi mới sáng tạo TP.HCM 2020", INNOVATION, True, True),
    ("startup-week-2020", "smart-city", "Ý tưởng Đô thị thông minh", INNOVATION, True, False),
    ("startup-week-2020", "student-startup", "Sinh viên Khởi nghiệp 2020", PITCH, False, False),
    ("regional-startup-day-2020", "mekong-agritech", "Khởi nghiệp Nông nghiệp Đồng bằng sông Cửu Long",
     INNOVATION, False, False),
    ("regional-startup-day-2020", "women-startup", "Phụ nữ Khởi nghiệp Sáng tạo", PITCH, True, False),
    ("ai-day-2020", "ai-challenge", "AI Challenge 2020", AI, True, True),
    ("ai-day-2020", "ai-for-health", "AI cho Y tế cộng đồng", AI, False, False),
]
# An entry's project by the suffix of its startup's name: (title, summary) – the title names what the
# summary describes, and both fit the company ("… Farm" farms, "… Pay" takes payments).
PROJECTS = {
    "AI": ("Nhận diện bệnh lá sầu riêng bằng AI",
           "Mô hình AI nhận diện bệnh trên lá sầu riêng từ ảnh chụp bằng điện thoại, gợi ý cách xử lý."),
    "Tech": ("Cổng phản ánh hiện trường đô thị",
             "Ứng dụng để người dân gửi ảnh ổ gà, đèn hỏng, ngập nước; phường nhận và xử lý trong ngày."),
    "Labs": ("Trợ lý ảo tiếng Việt cho tổng đài",
             "Nhận dạng giọng nói tiếng Việt ba miền và trợ lý ảo trả lời khách hàng qua tổng đài."),
    "Data": ("Dự báo nhu cầu cho cửa hàng tiện lợi",
             "Phân tích dữ liệu bán hàng để dự báo nhu cầu, giảm 20% hàng tồn cho chuỗi cửa hàng tiện lợi."),
    "Farm": ("Kết nối nông dân với bếp ăn tập thể",
             "Nền tảng kết nối nông dân với bếp ăn tập thể, giảm 30% thất thoát sau thu hoạch."),
    "Edu": ("Học tiếng Anh cho học sinh vùng sâu",
            "Ứng dụng học tiếng Anh cho học sinh tiểu học vùng sâu, vùng xa, dùng được khi không có mạng."),
    "Health": ("Hồ sơ sức khỏe điện tử cho phòng khám tư",
               "Đặt lịch khám và hồ sơ sức khỏe điện tử dùng chung cho các phòng khám tư nhỏ."),
    "Go": ("Giao hàng chặng cuối bằng xe điện",
           "Giao hàng chặng cuối trong nội thành bằng xe máy điện, đặt đơn và theo dõi qua ứng dụng."),
    "Pay": ("Thanh toán không tiền mặt cho chợ truyền thống",
            "Giải pháp thanh toán QR không tiền mặt cho tiểu thương ở chợ truyền thống."),
    "Green": ("Trạm thu gom rác tái chế thông minh",
              "Thu gom, phân loại rác tái chế bằng ứng dụng và trạm thông minh đặt tại chung cư."),
}

# The 2026 edition's contest, open for judging: its entries wait for the demo judge's scores.
OPEN_CONTEST = ("startup-week-2026", "startup-pitch-2026",
                "Cuộc thi Gọi vốn Khởi nghiệp – Startup Pitch 2026", PITCH)
OPEN_ENTRIES = 10


def _now_before(deadline: datetime, days: int) -> datetime:
    return deadline - timedelta(days=days)


def _submit(contest: Contest, leader: User, number: int, *, now: datetime) -> None:
    company = (leader.organization or "").removeprefix("Công ty CP ")
    title, summary = PROJECTS.get(company.rsplit(" ", 1)[-1], PROJECTS["Tech"])
    entries.submit_entry(contest, {
        "title": f"{company} – {title}", "summary": summary, "organization": leader.organization or "",
        "team": [], "links": [f"https://demo.startup{number:03d}.vn"],
    }, user=leader, now=now)


def _load_open_contest(organizer: User, judges: list[User], startups: list[User], *, now: datetime) -> int:
    """The 2026 edition's pitch contest: submissions closed, judging open, nobody has scored yet.

    Its dates follow the event, moved only as far as the demo needs: submissions closed a week before the
    event, or on the eve of loading if that is earlier; judging closes when the event ends, or for a demo
    loaded after the event, two weeks after loading – so the demo judge always finds sheets to submit.
    """
    slug, code, name, rubric = OPEN_CONTEST
    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    if event is None or db.session.scalar(db.select(Contest.id).filter_by(event_id=event.id, code=code)):
        return 0
    yesterday = (now.astimezone(event.tz) - timedelta(days=1)).replace(hour=17, minute=0, second=0,
                                                                      microsecond=0)
    submission_deadline = min(event.starts_at - timedelta(days=7), yesterday)
    judging_deadline = event.ends_at if event.ends_at > now + timedelta(days=1) else now + timedelta(days=14)
    contest = setup.create_contest(event, {
        "code": code, "name": name, "criteria": rubric, "judges_per_entry": 3, "blind": False,
        "scoring": "zscore", "submission_deadline": submission_deadline,
        "judging_deadline": judging_deadline,
        "description": f"{name}: dành cho các doanh nghiệp khởi nghiệp và nhóm sáng lập tại TP.HCM.",
        "rules": "Mỗi đội gửi một bài dự thi kèm bài thuyết trình PDF trước hạn chót.",
    }, actor=organizer)
    demo_judge, others = judges[0], judges[1:]  # the first judge is the one `flask demo` prints
    setup.add_judges(contest, [demo_judge.email, *(j.email for j in others[::5][:4])], actor=organizer)
    for i, leader in enumerate(startups[-OPEN_ENTRIES:]):
        _submit(contest, leader, len(startups) - OPEN_ENTRIES + i + 1,
                now=submission_deadline - timedelta(days=2 + i, hours=3 * i))
    assigning.run_assignment(contest, actor=organizer)
    return 1


def load_contests(organizer: User, *, seed: int = 2020, now: datetime | None = None) -> int:
    """Returns the number of contests added."""
    rng = random.Random(seed)
    judges = list(db.session.scalars(db.select(User).where(User.email.like("%@giamkhao.vn"))
                                     .order_by(User.id)))
    startups = list(db.session.scalars(db.select(User).where(User.role == Role.participant,
                                                             User.email.like("%@startup%.vn"))
                                       .order_by(User.id)))
    if len(judges) < 5 or len(startups) < 10:
        return 0
    added = 0
    used = 0
    for slug, code, name, rubric, blind, published in CONTESTS:
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        if event is None or db.session.scalar(db.select(Contest.id).filter_by(event_id=event.id, code=code)):
            continue
        deadline = event.starts_at - timedelta(days=7)
        contest = setup.create_contest(event, {
            "code": code, "name": name, "criteria": rubric, "judges_per_entry": 3, "blind": blind,
            "scoring": "zscore", "submission_deadline": deadline, "judging_deadline": event.ends_at,
            "description": f"{name}: dành cho các doanh nghiệp khởi nghiệp và nhóm sáng lập tại TP.HCM.",
            "rules": "Mỗi đội gửi một bài dự thi kèm bài thuyết trình PDF trước hạn chót.",
            "peoples_choice": code == "startup-pitch",
            "vote_closes_at": event.ends_at if code == "startup-pitch" else None,
        }, actor=organizer)
        panel = rng.sample(judges, min(len(judges), 5))
        if code == "startup-pitch" and judges[0] not in panel:
            panel[0] = judges[0]  # the demo judge has judged in 2020 too: their closed sheets are there
        setup.add_judges(contest, [j.email for j in panel], actor=organizer)
        for i in range(rng.randrange(8, 13)):
            leader = startups[used % len(startups)]
            used += 1
            _submit(contest, leader, used, now=_now_before(deadline, 10 + i))
        try:
            assigning.run_assignment(contest, actor=organizer)
        except AssignmentInfeasibleError:
            added += 1
            continue
        judged_at = event.starts_at
        pairs = db.session.scalars(db.select(Assignment).join(Assignment.entry)
                                   .where(Entry.contest_id == contest.id).order_by(Assignment.id)).all()
        for assignment in pairs:
            strict = (assignment.user_id % 3) - 1  # some judges are stricter than others
            values = {}
            for c in rubric:
                raw = c["max_score"] * (0.55 + 0.1 * strict) + rng.uniform(-2, 2.5)
                values[c["key"]] = max(0.0, min(float(c["max_score"]), round(raw, 1)))
            judging.save_scores(assignment.entry, assignment.user, values, submit=True,
                                comment=rng.choice(["Ý tưởng tốt, cần làm rõ mô hình doanh thu.",
                                                    "Đội ngũ mạnh, sản phẩm đã có khách hàng.",
                                                    "Cần thêm số liệu thị trường.", ""]),
                                now=judged_at)
        if published:
            ranked = [r for r in contest_results(contest).results if r.rank is not None]
            for level, result in zip(AWARD_ORDER, ranked, strict=False):
                entry = db.session.get(Entry, result.entry_id)
                publishing.set_award(entry, level.value, actor=organizer)
            publishing.publish(contest, actor=organizer, now=event.ends_at)
        added += 1
    return added + _load_open_contest(organizer, judges, startups, now=now or utcnow())

