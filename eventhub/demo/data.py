"""The demo's fixed facts: the events of the 2020 series, organizers, startups and funds."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")

EVENTS = [
    {
        "slug": "startup-week-2020", "kind": "startup_week",
        "name": "Tuần lễ Đổi mới sáng tạo và Khởi nghiệp TP.HCM 2020",
        "starts_at": datetime(2020, 12, 14, 8, 0, tzinfo=HCMC),
        "ends_at": datetime(2020, 12, 18, 17, 30, tzinfo=HCMC),
        "venue": "Trung tâm Hội chợ và Triển lãm Sài Gòn (SECC), 799 Nguyễn Văn Linh, Quận 7",
        "description": "Chuỗi hoạt động khởi nghiệp – đổi mới sáng tạo của Thành phố: triển lãm "
                       "sản phẩm và công nghệ của 150 doanh nghiệp khởi nghiệp, 4 cuộc thi, "
                       "5 hội thảo và hội nghị về đổi mới sáng tạo, đô thị thông minh và gọi vốn, "
                       "kết nối đầu tư.",
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
        "description": "Phiên bản 2026 của Tuần lễ: đăng ký tham dự đang mở; các bài dự thi "
                       "Startup Pitch 2026 đang được ban giám khảo chấm.",
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

# Registration types per event: (code, name, capacity, waitlist, requires approval).
TYPES = [
    ("visitor", "Khách tham quan", None, False, False),
    ("startup", "Doanh nghiệp khởi nghiệp", 150, False, True),
    ("investor", "Nhà đầu tư, quỹ đầu tư", 30, False, True),
    ("press", "Báo chí", 40, False, True),
]
OPEN_TYPES = [  # the 2026 edition, registration open
    ("visitor", "Khách tham quan", 3000, True, False),
    ("startup", "Doanh nghiệp khởi nghiệp", 150, True, True),
    ("investor", "Nhà đầu tư, quỹ đầu tư", 30, False, True),
]
# Visitor attendances of the article, split over the three events of 2020.
VISITORS = {"startup-week-2020": 3000, "regional-startup-day-2020": 1200, "ai-day-2020": 800}

# The five workshops and conferences of Startup Week (innovation, smart city).
SESSIONS = [
    ("Hội thảo: Đổi mới sáng tạo mở trong doanh nghiệp", "Hội trường A", (14, 9, 0), (14, 11, 30), 300,
     ["TS. Nguyễn Văn Minh", "Bà Phan Thị Quý Trúc"]),
    ("Hội nghị: Đô thị thông minh TP.HCM – dữ liệu và dịch vụ công", "Hội trường B", (15, 9, 0), (15, 12, 0),
     250, ["PGS.TS. Lê Hoàng Anh"]),
    ("Hội thảo: Gọi vốn cho startup giai đoạn hạt giống", "Phòng 2.1", (16, 14, 0), (16, 16, 30), 120,
     ["Ông Trần Quốc Bảo"]),
    ("Hội thảo: Trí tuệ nhân tạo trong nông nghiệp đồng bằng sông Cửu Long", "Phòng 2.2", (17, 9, 0),
     (17, 11, 0), 120, ["TS. Võ Thị Hồng Nhung"]),
    ("Hội nghị: Hệ sinh thái khởi nghiệp vùng Đông Nam Bộ", "Hội trường A", (18, 13, 30), (18, 16, 30), 300,
     ["Ông Đặng Minh Tuấn", "Bà Huỳnh Ngọc Hân"]),
]
VISITOR_ORGANIZATIONS = [
    "Đại học Bách khoa TP.HCM", "Đại học Kinh tế TP.HCM", "Đại học Khoa học Tự nhiên",
    "Đại học FPT", "Công ty TNHH Phần mềm Sài Gòn", "Ngân hàng TMCP Á Châu", "Viettel TP.HCM",
    "Sinh viên", "Tự do", "Trường THPT Lê Hồng Phong",
]
