"""The personal-data download holds my matchmaking profile, requests and meetings."""

from __future__ import annotations

from eventhub.extensions import db as _db
from eventhub.matchmaking import outcomes, scheduling
from eventhub.matchmaking.models import Meeting
from tests.factories import login
from tests.matchmaking.factories import accepted, investor, make_slots


def test_my_data_download_holds_my_matchmaking_profile_requests_and_meetings(client, match):
    event, fund, ai = match["event"], match["fund"], match["ai"]
    make_slots(event, count=1, tables=1)
    accepted(ai, fund, message="Chúng tôi muốn giới thiệu sản phẩm nhận diện giọng nói tiếng Việt")
    scheduling.run_scheduler(event, time_limit=2)
    meeting = _db.session.scalar(_db.select(Meeting))
    outcomes.record_outcome(meeting, ai, held=True, note="Anh Quỹ hẹn gặp lại tuần sau")
    outcomes.record_outcome(meeting, fund, held=True, note="Ghi chú riêng của quỹ")
    other = investor(event, organization="Quỹ khác")
    login(client, ai.user)
    data = client.get("/account/data.json").get_json()
    [profile] = data["matchmaking_profiles"]
    assert profile["id"] == ai.id and profile["kind"] == "startup" and profile["event"] == event.slug
    assert profile["organization"] == "Công ty CP Trí Tuệ Sài Gòn" and profile["amount"] == 5_000_000_000
    [sent] = profile["meeting_requests"]
    assert sent["direction"] == "sent" and sent["with"] == "Quỹ Đầu tư Mekong Việt"
    assert sent["message"].endswith("giọng nói tiếng Việt") and sent["status"] == "accepted"
    [met] = profile["meetings"]
    assert met["note"] == "Anh Quỹ hẹn gặp lại tuần sau" and met["held"] is True and met["table"] == 1
    assert "Ghi chú riêng của quỹ" not in str(data)  # the other side's note is theirs
    assert other.organization not in str(data)
