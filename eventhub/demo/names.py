"""Vietnamese full names, family – middle – given, as people really carry them.

(Faker's vi_VN names come given-name first with titles such as "Cô Hạnh Trần", which would make
the demo's Vietnamese ordering look wrong.)
"""

from __future__ import annotations

import random

FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2 + [
    "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương",
    "Đinh", "Lâm", "Mai", "Tô", "Châu"]
MIDDLE = {
    "m": ["Văn", "Minh", "Hữu", "Đức", "Quốc", "Thanh", "Hoàng", "Gia", "Công", "Tấn", "Anh", ""],
    "f": ["Thị", "Ngọc", "Thu", "Thanh", "Mai", "Kim", "Bảo", "Thị Thu", "Thị Ngọc", "Phương", ""],
}
GIVEN = {
    "m": ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khoa", "Khánh", "Long", "Nam",
          "Phúc", "Quân", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Bảo", "Duy", "Lộc"],
    "f": ["Anh", "Ánh", "Chi", "Dung", "Duyên", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh",
          "Mai", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Trang", "Trúc", "Uyên", "Vy", "Yến"],
}


def vietnamese_name(rng: random.Random) -> str:
    sex = rng.choice("mf")
    parts = [rng.choice(FAMILY), rng.choice(MIDDLE[sex]), rng.choice(GIVEN[sex])]
    return " ".join(part for part in parts if part)
