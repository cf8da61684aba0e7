"""Demo booths: the Startup Week 2020 hall (6 sector zones, 180 booths) and its 150 exhibitors, placed.

Idempotent: the plan is drawn only when the event has no booths, a startup applies only once, and the
optimizer runs only while nothing is placed.
"""

from __future__ import annotations

import random

from ..accounts.models import Role, User
from ..booths import allocation, services
from ..booths.days import event_days
from ..booths.layout import hall
from ..booths.models import Exhibitor, ExhibitorStatus
from ..events.models import Event
from ..extensions import db

SLUG = "startup-week-2020"
ZONES = [
    {"code": "AI", "name": "Trí tuệ nhân tạo", "sector": "ai"},
    {"code": "AG", "name": "Nông nghiệp công nghệ cao", "sector": "agritech"},
    {"code": "FI", "name": "Tài chính số", "sector": "fintech"},
    {"code": "ED", "name": "Giáo dục – EdTech", "sector": "edtech"},
    {"code": "HE", "name": "Y tế – Chăm sóc sức khỏe", "sector": "healthtech"},
    {"code": "GR", "name": "Công nghệ xanh – Đô thị thông minh", "sector": "greentech"},
]
SECTOR_BY_SUFFIX = {"AI": "ai", "Farm": "agritech", "Pay": "fintech", "Edu": "edtech", "Health": "healthtech",
                    "Green": "greentech"}
PRODUCTS = {
    "ai": "Nền tảng nhận dạng tiếng Việt và trợ lý ảo cho doanh nghiệp.",
    "agritech": "Cảm biến độ mặn và ứng dụng dự báo mùa vụ cho nông dân Đồng bằng sông Cửu Long.",
    "fintech": "Ví điện tử và thanh toán QR cho hộ kinh doanh nhỏ.",
    "edtech": "Lớp học trực tuyến tương tác cho học sinh vùng sâu, vùng xa.",
    "healthtech": "Đặt lịch khám và hồ sơ sức khỏe điện tử cho phòng khám tư.",
    "greentech": "Thu gom, phân loại rác tái chế bằng ứng dụng và trạm thông minh.",
}


def load_booths(organizer, *, time_limit: float = 10.0) -> str:
    event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
    if event is None:
        return "no event"
    rng = random.Random(2026)
    if not services.booths_of(event):
        services.replace_floorplan(event, hall(ZONES), actor=organizer)
    startups = list(db.session.scalars(db.select(User).where(
        User.role == Role.participant, User.email.like("%@startup%.vn")).order_by(User.email)))[:150]
    applied = set(db.session.scalars(db.select(Exhibitor.user_id).filter_by(event_id=event.id)))
    sizes = ["standard"] * 100 + ["small"] * 28 + ["large"] * 22
    rng.shuffle(sizes)
    days = [d.isoformat() for d in event_days(event)]
    made = []
    for index, user in enumerate(startups):
        suffix = (user.organization or "").rsplit(" ", 1)[-1]
        sector = SECTOR_BY_SUFFIX.get(suffix) or rng.choice(list(PRODUCTS))
        zone = next(z["code"] for z in ZONES if z["sector"] == sector)
        preferences = [zone] if rng.random() < 0.7 else [f"{zone}{rng.randrange(1, 10):02d}", zone]
        chosen = sorted(rng.sample(days, 2)) if rng.random() < 0.15 else []
        if user.id in applied:
            continue
        rival = made[-1] if made and index % 2 and index < 80 and made[-1].sector == sector else None
        made.append(services.apply(
            event, user, organization=user.organization or user.full_name, sector=sector,
            size=sizes[index % len(sizes)], stage=rng.choice(["idea", "pre_seed", "seed", "series_a"]),
            product=PRODUCTS[sector], preferences=preferences, days=chosen,
            avoid=[rival.id] if rival else [], notify=False))
    for exhibitor in db.session.scalars(db.select(Exhibitor).filter_by(
            event_id=event.id, status=ExhibitorStatus.submitted)).all():
        services.review(exhibitor, "approve", actor=organizer, notify=False)
    if not services.has_placements(event):
        solution = allocation.assign_booths(event, actor=organizer, time_limit=time_limit)
        return f"{solution.placed} placed ({'optimal' if solution.optimal else f'gap {solution.gap:.2%}'})"
    return "already placed"
