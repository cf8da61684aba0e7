"""A small event for messaging tests: registrants of two types (one checked in), an approved and a
submitted exhibitor with a booth, a judge, an investor and a startup with a meeting between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from eventhub.extensions import db
from tests.factories import HCMC, make_type, make_user, open_event, register

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=HCMC)  # before the event (14/12/2026)


@dataclass
class MessagingWorld:
    event: object
    organizer: object
    visitor_type: object
    press_type: object
    regs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    exhibitor: object = None


def registrants_world() -> MessagingWorld:
    organizer = make_user("organizer", email="btc@sokhcn.vn", full_name="Ban Tổ Chức")
    event = open_event(actor=organizer, name="Tuần lễ Đổi mới sáng tạo",
                       venue="Nhà Văn hóa Thanh niên, Quận 1")
    visitor = make_type(event, code="visitor", name="Khách tham quan")
    press = make_type(event, code="press", name="Báo chí")
    world = MessagingWorld(event, organizer, visitor, press)
    world.regs["truc"], _ = register(event, visitor, full_name="Nguyễn Thị Quý Trúc", email="truc@example.vn",
                                     notify=False)
    world.regs["dung"], _ = register(event, visitor, full_name="Lê Văn Dũng", email="dung@example.vn",
                                     locale="en", notify=False)
    world.regs["hoa"], _ = register(event, press, full_name="Trần Thị Hoa", email="hoa@baochi.vn",
                                    notify=False)
    return world


def check_in(world: MessagingWorld, key: str) -> None:
    from eventhub.checkin import services as checkin

    checkin.check_in(world.event, world.regs[key].ticket_code, now=world.event.starts_at + timedelta(hours=1))


def add_exhibitors(world: MessagingWorld) -> None:
    from eventhub.booths import allocation, services
    from eventhub.booths.models import Booth

    services.replace_floorplan(world.event, {
        "zones": [{"code": "A", "name": "Trí tuệ nhân tạo", "sector": "ai"}],
        "booths": [{"code": "A1", "zone": "A", "x": 0, "y": 0, "w": 3, "h": 3, "size": "standard"}]})
    founder = make_user("participant", email="founder@saoviet.vn", full_name="Trần Sáng Lập")
    other = make_user("participant", email="other@startup.vn", full_name="Phạm Chờ Duyệt")
    exhibitor = services.apply(world.event, founder, organization="Công ty CP Sao Việt", sector="ai",
                               size="standard", preferences=[], product="AI", notify=False,
                               contact_email="LienHe@SaoViet.vn")
    services.apply(world.event, other, organization="Công ty Chờ", sector="ai", size="standard",
                   preferences=[], product="IoT", notify=False)  # submitted only: not an exhibitor yet
    services.review(exhibitor, "approve", notify=False)
    booth = db.session.scalar(db.select(Booth).where(Booth.code == "A1", Booth.event_id == world.event.id))
    allocation.place(world.event, booth, exhibitor)
    world.exhibitor = exhibitor
    world.users["founder"] = founder


def add_judge(world: MessagingWorld) -> None:
    from eventhub.contests import setup

    contest = setup.create_contest(world.event, {
        "code": "pitch", "name": "Cuộc thi Khởi nghiệp", "judges_per_entry": 1, "blind": False,
        "scoring": "zscore", "submission_deadline": datetime(2026, 12, 10, 17, 0, tzinfo=HCMC),
        "criteria": [{"key": "team", "name": "Đội ngũ", "weight": 1, "max_score": 10}]})
    judge = make_user("judge", email="giamkhao@example.vn", full_name="GS. Võ Minh Khoa")
    setup.add_judges(contest, [judge.email])
    world.users["judge"] = judge


def add_matchmaking(world: MessagingWorld) -> None:
    from eventhub.matchmaking import profiles, requesting, scheduling, slots

    investor = make_user("investor", email="quy@mekong.vn", full_name="Đỗ Đầu Tư")
    founder = make_user("participant", email="sang@startup.vn", full_name="Lê Thị Sáng", locale="en")
    fund = profiles.save_profile(world.event, investor, {
        "kind": "investor", "organization": "Quỹ Mekong Việt", "sectors": ["ai"], "stages": ["seed"],
        "ticket_min": 1_000_000_000, "ticket_max": 10_000_000_000, "currency": "VND", "contactable": True,
        "countries": ["VN"]})
    startup = profiles.save_profile(world.event, founder, {
        "kind": "startup", "organization": "Công ty CP Đổi Mới", "sector": "ai", "stage": "seed",
        "seeking": "Vốn", "amount": 5_000_000_000, "currency": "VND", "contactable": True})
    day = datetime(2026, 12, 14, 9, 0, tzinfo=HCMC)
    slots.set_slots(world.event, [{"starts_at": day, "ends_at": day + timedelta(minutes=20)}], 2)
    request = requesting.send_request(fund, startup, "Xin chào", notify=False)
    requesting.accept(request, startup, notify=False)
    scheduling.run_scheduler(world.event, time_limit=2, notify=False)
    world.users.update(investor=investor, startup=founder)
