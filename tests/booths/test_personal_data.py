"""The personal-data download holds my booth applications and their booths."""

from __future__ import annotations

from eventhub.booths import allocation
from tests.booths.factories import apply, hall_event, startup
from tests.factories import login


def test_my_data_download_holds_my_booth_applications(client, db):
    event = hall_event()
    founder = startup(full_name="Trần Thị Thu Hà")
    exhibitor = apply(event, founder, organization="Công ty CP Nông Sản Sạch Đồng Tháp", sector="agritech",
                      preferences=["B1", "B"], product="Máy sấy nông sản năng lượng mặt trời")
    allocation.assign_booths(event, time_limit=2)
    apply(event)  # somebody else's application stays out of it
    login(client, founder)
    data = client.get("/account/data.json").get_json()
    assert [a["id"] for a in data["booth_applications"]] == [exhibitor.id]
    mine = data["booth_applications"][0]
    assert mine["organization"] == "Công ty CP Nông Sản Sạch Đồng Tháp"
    assert mine["product"] == "Máy sấy nông sản năng lượng mặt trời"
    assert mine["event"] == event.slug and mine["status"] == "submitted"
    assert mine["preferences"] == ["B1", "B"] and mine["contact_email"] == founder.email
    assert mine["booths"] == [{"booth": "B1", "day": "2026-12-14"}]
