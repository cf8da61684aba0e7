"""Demo data: the 2020 series of domain.md, with realistic Vietnamese people and startups.

Idempotent: people are found by e-mail and events by slug, so a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from faker import Faker

from .accounts.models import Role, User
from .accounts.passwords import hash_password
from .dbtypes import utcnow
from .events.models import Event
from .events.services import create_event
from .extensions import db
from .vietnamese import fold

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")

EVENTS = [
    {
        "slug": "startup-week-2020", "kind": "startup_week",
        "name": "Tuần lễ Đổi mới sáng tạo và Khởi nghiệp TP.HCM 2020",
        "starts_at": datetime(2020, 12, 14, 8, 0, tzinfo=HCMC),
        "ends_at": datetime(2020, 12, 18, 17, 30, tzinfo=HCMC),
        "venue": "Trung tâm Hội chợ và Triển lãm Sài Gòn (SECC), 799 Nguyễn Văn Linh, Quận 7",
        "description": "Chuỗi hoạt động khởi nghiệp – đổi mới sáng tạo của Thành phố: triển lãm "
                       "sản phẩm và công nghệ của 150 doanh nghiệp khởi nghiệp, 8 cuộc thi, "
                       "5 hội thảo về đổi mới sáng tạo và đô thị thông minh, kết nối đầu tư.",
    },
    {
        "slug": "regional-startup-day-2020", "kind": "regional_day",
        "name": "Ngày hội Khởi nghiệp vùng 2020",
        "starts_at": datetime(2020, 11, 28, 8, 0, tzinfo=HCMC),
        "ends_at": datetime(2020, 11, 28, 17, 0, tzinfo=HCMC),
        "venue": "Nhà Văn hóa Thanh niên, 4 Phạm Ngọc Thạch, Quận 1",
        "description": "Ngày hội kết nối các hệ sinh thái khởi nghiệp của vùng Đông Nam Bộ và "
                       "Đồng bằng sông Cửu Long.",
    },
    {
        "slug": "ai-day-2020", "kind": "ai_day",
        "name": "Ngày hội Trí tuệ nhân tạo Việt Nam 2020",
        "starts_at": datetime(2020, 12, 5, 8, 30, tzinfo=HCMC),
        "ends_at": datetime(2020, 12, 6, 17, 0, tzinfo=HCMC),
        "venue": "Trung tâm Hội nghị White Palace, 194 Hoàng Văn Thụ, Quận Phú Nhuận",
        "description": "Vietnam AI Day: hội thảo, cuộc thi AI Challenge và triển lãm các giải "
                       "pháp trí tuệ nhân tạo.",
    },
    {
        "slug": "startup-week-2026", "kind": "startup_week",
        "name": "Tuần lễ Đổi mới sáng tạo và Khởi nghiệp TP.HCM 2026",
        "starts_at": datetime(2026, 12, 14, 8, 0, tzinfo=HCMC),
        "ends_at": datetime(2026, 12, 18, 17, 30, tzinfo=HCMC),
        "venue": "Trung tâm Hội chợ và Triển lãm Sài Gòn (SECC), 799 Nguyễn Văn Linh, Quận 7",
        "description": "Phiên bản 2026 của Tuần lễ: đăng ký tham dự đang mở.",
        "registration_open": True,
    },
]

ORGANIZERS = [
    ("Phan Thị Quý Trúc", "truc.ptq@eventhub.demo"),
    ("Lê Minh Khoa", "khoa.lm@eventhub.demo"),
]
STAFF = [("Trần Thanh Tâm", "tam.tt@eventhub.demo"), ("Vũ Ngọc Hân", "han.vn@eventhub.demo")]

STARTUP_WORDS = ["Sao Việt", "Mekong", "Lúa Vàng", "Sen Hồng", "Bình Minh", "Phù Sa", "Trường Sơn",
                 "Cửu Long", "Hoa Sen", "Đại Dương", "Ánh Dương", "Tre Xanh", "Sông Hàn",
                 "Rồng Việt", "Hải Đăng", "Mây Trắng", "Hạt Ngọc", "Thiên Long", "Gạo Ngon",
                 "Nắng Mới"]
STARTUP_SUFFIXES = ["AI", "Tech", "Labs", "Data", "Farm", "Edu", "Health", "Go", "Pay", "Green"]
FUNDS = ["Quỹ Đầu tư Khởi nghiệp Sáng tạo TP.HCM", "VinaCapital Ventures", "Do Ventures",
         "ThinkZone Ventures", "Quỹ Đổi mới Sáng tạo Mekong", "Touchstone Partners",
         "Nextrans Vietnam", "Genesia Ventures", "Quỹ Hỗ trợ Khởi nghiệp BK-Fund",
         "Ấn Độ Dương Capital", "Sài Gòn Angel Network", "Jungle Ventures", "Quỹ Sáng tạo Phú Mỹ",
         "Openspace Ventures", "Quỹ Đầu tư Hạt giống Việt", "Mưa Xuân Capital", "500 Startups SEA",
         "Quỹ Khởi nghiệp Đồng Nai", "Vietnam Silicon Valley", "Quỹ Tăng tốc Cần Thơ",
         "Antler Vietnam", "Quỹ Đầu tư Bình Dương Sáng tạo", "Cocoon Capital",
         "Quỹ Công nghệ Sông Hồng", "Saigon Innovation Hub Angels"]


def _person_email(full_name: str, domain: str, taken: set[str]) -> str:
    family, *rest = fold(full_name).split()
    base = f"{rest[-1] if rest else family}.{family}"
    email, n = f"{base}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{domain}"
    taken.add(email)
    return email


def _ensure_user(email: str, name: str, role: Role, password_hash: str, **extra) -> bool:
    if db.session.scalar(db.select(User.id).where(User.email == email)):
        return False
    db.session.add(User(email=email, full_name=name, role=role, password_hash=password_hash,
                        consent_at=utcnow(), consent_version="demo", **extra))
    return True


def load_demo(password: str = "demo1234") -> list[str]:
    """Loads the series; returns a summary of what was added."""
    rng = random.Random(2020)
    fake = Faker("vi_VN")
    fake.seed_instance(2020)
    password_hash = hash_password(password)  # one hash for all: hashing is slow on purpose
    added = {"events": 0, "users": 0}
    taken: set[str] = set()

    for name, email in ORGANIZERS:
        added["users"] += _ensure_user(email, name, Role.organizer, password_hash,
                                       organization="Sở Khoa học và Công nghệ TP.HCM")
        taken.add(email)
    for name, email in STAFF:
        added["users"] += _ensure_user(email, name, Role.staff, password_hash)
        taken.add(email)
    db.session.commit()

    organizer = db.session.scalar(db.select(User).where(User.email == ORGANIZERS[0][1]))
    for spec in EVENTS:
        if db.session.scalar(db.select(Event.id).where(Event.slug == spec["slug"])) is None:
            create_event(actor=organizer, **spec)
            added["events"] += 1

    startups = [f"{word} {suffix}" for word in STARTUP_WORDS for suffix in STARTUP_SUFFIXES]
    rng.shuffle(startups)
    for index, company in enumerate(startups[:150]):
        name = fake.name()
        email = _person_email(name, f"startup{index + 1:03d}.vn", taken)
        added["users"] += _ensure_user(email, name, Role.participant, password_hash,
                                       organization=f"Công ty CP {company}",
                                       phone=f"+8490{rng.randrange(1_000_000, 9_999_999)}")
    for index, fund in enumerate(FUNDS):
        name = fake.name()
        email = _person_email(name, f"fund{index + 1:02d}.vn", taken)
        added["users"] += _ensure_user(email, name, Role.investor, password_hash,
                                       organization=fund)
    for _ in range(24):  # 8 contests, 3 judges each
        name = fake.name()
        email = _person_email(name, "giamkhao.vn", taken)
        added["users"] += _ensure_user(email, name, Role.judge, password_hash,
                                       organization=rng.choice(["Đại học Quốc gia TP.HCM",
                                                                "Đại học Bách khoa TP.HCM",
                                                                "Hiệp hội Doanh nghiệp TP.HCM",
                                                                "Viện Công nghệ Sài Gòn"]))
    db.session.commit()
    return [
        f"Events added: {added['events']} (of {len(EVENTS)}).",
        f"Accounts added: {added['users']}.",
        f"Every demo account's password: {password}",
        f"Organizer: {ORGANIZERS[0][1]}; check-in staff: {STAFF[0][1]}",
    ]

