"""Demo contests: 8 contests over the 2020 events, entries from the demo startups, the demo judges
(@giamkhao.vn), assignments, submitted scores, three contests published with awards. Idempotent:
a contest whose code exists in its event is left alone."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ..accounts.models import Role, User
from ..contests import assigning, entries, judging, publishing, setup
from ..contests.errors import AssignmentInfeasibleError
from ..contests.models import AWARD_ORDER, Assignment, Contest, Entry
from ..contests.results import contest_results
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
SUMMARIES = ["Nền tảng kết nối nông dân với bếp ăn tập thể, giảm 30% thất thoát sau thu hoạch.",
             "Ứng dụng học tiếng Anh cho học sinh tiểu học vùng sâu, vùng xa.",
             "Hệ thống cảm biến IoT đo độ mặn cho ruộng lúa ven biển.",
             "Giải pháp thanh toán không tiền mặt cho chợ truyền thống.",
             "Mô hình AI nhận diện bệnh trên lá sầu riêng từ ảnh điện thoại.",
             "Sàn giao dịch đồ cũ cho sinh viên với giao hàng bằng xe đạp."]


def _now_before(deadline: datetime, days: int) -> datetime:
    return deadline - timedelta(days=days)


def load_contests(organizer: User, *, seed: int = 2020) -> int:
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
        setup.add_judges(contest, [j.email for j in panel], actor=organizer)
        for i in range(rng.randrange(8, 13)):
            leader = startups[used % len(startups)]
            used += 1
            company = (leader.organization or "").removeprefix("Công ty CP ")
            entries.submit_entry(contest, {
                "title": f"{company} – {rng.choice(SUMMARIES).split(',')[0].rstrip('.')}",
                "summary": rng.choice(SUMMARIES), "organization": leader.organization or "",
                "team": [], "links": [f"https://demo.startup{used:03d}.vn"],
            }, user=leader, now=_now_before(deadline, 10 + i))
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
    return added

