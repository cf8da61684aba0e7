"""An event with an investor, two startups and an organizer, as the matchmaking tests use them."""

from __future__ import annotations

import pytest

from tests.factories import make_event, make_user
from tests.matchmaking.factories import investor, startup


@pytest.fixture
def match(db):
    event = make_event(slug="startup-week", name="Tuần lễ Khởi nghiệp – Đổi mới sáng tạo",
                       kind="startup_week")
    organizer = make_user("organizer", email="truc@sokhcn.vn", full_name="Phan Thị Quý Trúc")
    fund = investor(event, organization="Quỹ Đầu tư Mekong Việt")
    ai = startup(event, organization="Công ty CP Trí Tuệ Sài Gòn")
    farm = startup(event, organization="Nông Nghiệp Số Đồng Tháp", sector="agritech", stage="idea",
                   amount=300_000_000)
    return {"event": event, "organizer": organizer, "fund": fund, "ai": ai, "farm": farm}


