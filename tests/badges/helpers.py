"""What the badge tests share: names that test the layout (precomposed; one that must shrink and wrap)."""

from __future__ import annotations

NFC_NAME = "Nguyễn Thị Quý Trúc"
# 19 words, 93 characters: a name that must shrink and wrap to stay on its badge.
LONG_NAME = ("Công Tằng Tôn Nữ Thị Hoàng Yến Phương Thảo Nguyễn Ngọc Bảo Châu Trần Lê Khánh Huyền "
             "Đặng Thùy Dương")
