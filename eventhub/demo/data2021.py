"""The 2021 edition's fixed facts: the event, who came back from 2020 and how they wrote their names.

Startups retype their company's name on every form, so the same startup comes back as "Công ty CP Sao
Việt AI", "CTCP Sao Việt AI" or "Sao Viet AI JSC"; most fold to one name key and are linked to their 2020
record, a few are mistyped or written together ("SaoViet Labs") and land on the duplicates page, as
they would in a real second year. Tax codes (mã số thuế) are valid ones made up for the demo.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")

EVENT = {
    "slug": "startup-week-2021", "kind": "startup_week",
    "name": "Tuần lễ Đổi mới sáng tạo và Khởi nghiệp TP.HCM 2021",
    "starts_at": datetime(2021, 12, 13, 8, 0, tzinfo=HCMC),
    "ends_at": datetime(2021, 12, 17, 17, 30, tzinfo=HCMC),
    "venue": "Trung tâm Hội chợ và Triển lãm Sài Gòn (SECC), 799 Nguyễn Văn Linh, Quận 7",
    "description": "Tuần lễ năm 2021, tổ chức trực tiếp sau giãn cách: triển lãm của 40 doanh nghiệp "
                   "khởi nghiệp (nhiều doanh nghiệp quay lại từ năm 2020), hội thảo chuyển đổi số và "
                   "kết nối đầu tư.",
}
MEETING_DAY = datetime(2021, 12, 15, tzinfo=HCMC).date()

# 2020 startups that exhibit again: (their company as in 2020, the name on the 2021 application, the tax
# code they gave in 2021 or None). The first 21 fold to the 2020 name; the last 4 do not.
RETURNING = [
    ("Sông Hàn Farm", "Công ty CP Sông Hàn Farm", None),
    ("Mekong Green", "CTCP Mekong Green", "0316383694"),
    ("Bình Minh Green", "Binh Minh Green JSC", None),
    ("Hạt Ngọc Pay", "Công ty Cổ phần Hạt Ngọc Pay", "0318506380"),
    ("Trường Sơn Farm", "Công ty CP Trường Sơn Farm", None),
    ("Thiên Long Health", "THIÊN LONG HEALTH", None),
    ("Trường Sơn Green", "Công ty CP Trường Sơn Green", None),
    ("Bình Minh Pay", "Bình Minh Pay JSC", "MST: 0318 506 694"),
    ("Cửu Long AI", "Công ty CP Cửu Long AI", None),
    ("Bình Minh Go", "Công ty TNHH Bình Minh Go", None),
    ("Mây Trắng Tech", "Công ty CP Mây Trắng Tech", None),
    ("Tre Xanh Health", "Tre Xanh Health Co., Ltd", None),
    ("Nắng Mới Tech", "Công ty CP Nắng Mới Tech", None),
    ("Hoa Sen Go", "Công ty CP Hoa Sen Go", None),
    ("Nắng Mới AI", "Nắng Mới AI", None),
    ("Đại Dương Health", "Công ty CP Đại Dương Health", None),
    ("Đại Dương Data", "CTCP Đại Dương Data", None),
    ("Lúa Vàng AI", "Công ty CP Lúa Vàng AI", None),
    ("Gạo Ngon Farm", "Gao Ngon Farm JSC", None),
    ("Mây Trắng Go", "Công ty CP Mây Trắng Go", None),
    ("Hạt Ngọc Data", "Công ty CP Hạt Ngọc Data", "0317359359"),
    # Not the same key: a swapped letter, a doubled one, words written together (one with its tax code).
    ("Hoa Sen Data", "Công ty CP Hoa Sne Data", None),
    ("Ánh Dương Edu", "Ánh Dươngg Edu", None),
    ("Sao Việt Labs", "SaoViet Labs", "0319018989"),
    ("Hạt Ngọc AI", "HatNgoc AI JSC", None),
]
LINKED_RETURNING = 21  # of RETURNING, the ones whose 2021 name folds to the 2020 one

# New in 2021: (company, founder, the name on the matchmaking profile when it is written otherwise).
NEW_STARTUPS = [
    ("CTCP Sao Khuê Tech", "Nguyễn Thị Minh Khuê", "Sao Khue Tech JSC"),
    ("Công ty CP Phương Nam Robotics", "Trần Quốc Phong", None),
    ("Công ty TNHH Đồng Xanh Farm", "Lê Văn Đồng", None),
    ("Công ty CP Bến Nghé Data", "Phạm Thanh Tùng", None),
    ("Công ty CP Cần Giờ Green", "Võ Thị Ngọc Hà", None),
    ("Công ty CP Hồng Bàng Health", "Đỗ Minh Trí", "Hong Bang Health JSC"),
    ("Công ty CP Gia Định Edu", "Huỳnh Bảo Ngọc", None),
    ("Công ty CP Thảo Điền Pay", "Ngô Gia Huy", None),
    ("Công ty TNHH Chợ Lớn Go", "Lý Tuấn Kiệt", None),
    ("Công ty CP Vàm Cỏ AI", "Đinh Thị Thu Trang", None),
    ("Công ty CP Tân Định Labs", "Bùi Anh Khoa", None),
    ("Công ty CP Củ Chi Farm", "Dương Văn Lợi", None),
    ("Công ty CP Bạch Đằng Tech", "Trương Mỹ Linh", None),
    ("Công ty CP Lạc Hồng AI", "Mai Quốc Việt", None),
    ("Công ty CP Thủ Thiêm Green", "Hồ Thị Kim Oanh", None),
]
NEW_TAX_CODES = {"CTCP Sao Khuê Tech": "0316812054", "Công ty CP Phương Nam Robotics": "0318981629"}

RETURNING_FUNDS = 7  # of the 2020 funds (every third, in the order of their domains)
NEW_FUNDS = [("Quỹ Đầu tư Sáng tạo Phương Nam", "Nguyễn Hoàng Long", "quyphuongnam.vn"),
             ("Lotus Ventures Vietnam", "Trần Ngọc Bích", "lotusventures.vn"),
             ("Sài Gòn Xanh Angels", "Phan Minh Đức", "saigonxanhangels.vn")]

VISITORS = 300  # at scale 1; a quarter of them came to Startup Week 2020 too
RETURNING_VISITORS = 0.25
WORKSHOP = ("Hội thảo: Khởi nghiệp sau đại dịch – chuyển đổi số và chuỗi cung ứng", "Hội trường A",
            datetime(2021, 12, 14, 9, 0, tzinfo=HCMC), datetime(2021, 12, 14, 11, 30, tzinfo=HCMC), 200,
            ["TS. Nguyễn Thị Thu Hà", "Ông Lê Quang Vinh"])
REQUESTS, ACCEPTED, DECLINED = 24, 18, 2
