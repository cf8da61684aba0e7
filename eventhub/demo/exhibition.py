"""The 2026 edition's exhibition floor: a smaller hall (AI, fintech and agritech zones, 16 booths each) and
the startups of those sectors as its exhibitors, approved and placed – the floor the demo's pairwise
judges walk (demo/floor_judging.py).

Idempotent as demo/booths.py: the plan is drawn only when the event has no booths, a startup applies only
once, and the optimizer runs only while nothing is placed.
"""

from __future__ import annotations

import random

from ..accounts.models import Role, User
from ..booths import allocation, services
from ..booths.layout import hall
from ..booths.models import Exhibitor, ExhibitorStatus
from ..events.models import Event
from ..extensions import db

SLUG = "startup-week-2026"
ZONES = [
    {"code": "AI", "name": "Trí tuệ nhân tạo", "sector": "ai"},
    {"code": "FI", "name": "Tài chính số", "sector": "fintech"},
    {"code": "AG", "name": "Nông nghiệp công nghệ cao", "sector": "agritech"},
]
SECTOR_BY_SUFFIX = {"AI": "ai", "Pay": "fintech", "Farm": "agritech"}
BOOTHS_PER_ZONE = 16
# What each startup shows at its booth, by sector: varied, so that a judge's two booths differ.
PRODUCTS = {
    "ai": ["Trợ lý ảo tiếng Việt cho tổng đài chăm sóc khách hàng",
           "Camera AI đếm lượt khách và đo thời gian chờ tại quầy",
           "Nhận diện bệnh lá sầu riêng từ ảnh chụp điện thoại",
           "Chấm bài tự luận tiếng Việt cho giáo viên THPT",
           "Đọc hóa đơn, chứng từ kế toán bằng AI",
           "Dự báo tắc đường từ camera giao thông TP.HCM",
           "Phát hiện gian lận bảo hiểm y tế bằng học máy",
           "Chatbot tư vấn thủ tục hành chính công"],
    "fintech": ["Thanh toán QR cho tiểu thương chợ truyền thống",
                "Ví điện tử cho hộ kinh doanh nhỏ",
                "Chấm điểm tín dụng vi mô từ dữ liệu bán hàng",
                "Sổ bán hàng và hóa đơn điện tử trên điện thoại",
                "Cho vay chuỗi cung ứng cho nhà phân phối"],
    "agritech": ["Cảm biến độ mặn và cảnh báo xâm nhập mặn",
                 "Truy xuất nguồn gốc lúa gạo bằng mã QR",
                 "Dự báo mùa vụ cho nông dân Đồng bằng sông Cửu Long",
                 "Tưới nhỏ giọt tự động cho vườn sầu riêng",
                 "Sàn kết nối hợp tác xã với bếp ăn tập thể"],
}


def sector_startups() -> list[tuple[User, str]]:
    """(account, sector) of the demo startups in the hall's sectors, in e-mail order (as demo/booths.py)."""
    startups = db.session.scalars(db.select(User).where(
        User.role == Role.participant, User.email.like("%@startup%.vn")).order_by(User.email)).all()
    found = []
    for user in startups[:150]:
        sector = SECTOR_BY_SUFFIX.get((user.organization or "").rsplit(" ", 1)[-1])
        if sector:
            found.append((user, sector))
    return found


def product_of(sector: str, index: int) -> str:
    return PRODUCTS[sector][index % len(PRODUCTS[sector])]


def load_exhibition(organizer) -> str:
    """Draws the 2026 hall, applies and approves its exhibitors and places them; a summary line."""
    event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
    if event is None:
        return "no event"
    rng = random.Random(2027)
    if not services.booths_of(event):
        services.replace_floorplan(event, hall(ZONES, booths_per_zone=BOOTHS_PER_ZONE, mix={"standard": 1}),
                                   actor=organizer)
    applied = set(db.session.scalars(db.select(Exhibitor.user_id).filter_by(event_id=event.id)))
    for index, (user, sector) in enumerate(sector_startups()):
        if user.id in applied:
            continue
        zone = next(z["code"] for z in ZONES if z["sector"] == sector)
        services.apply(event, user, organization=user.organization or user.full_name, sector=sector,
                       size="standard", stage=rng.choice(["pre_seed", "seed", "series_a"]),
                       product=product_of(sector, index), preferences=[zone], days=[], avoid=[],
                       notify=False)
    for exhibitor in db.session.scalars(db.select(Exhibitor).filter_by(
            event_id=event.id, status=ExhibitorStatus.submitted)).all():
        services.review(exhibitor, "approve", actor=organizer, notify=False)
    if not services.has_placements(event):
        solution = allocation.assign_booths(event, actor=organizer, time_limit=5.0)
        return f"{solution.placed} placed"
    return "already placed"
