"""Decree 13: a person's follow-up answers are in their data download, in words, and erasing their account
deletes them – the other side's answers (and what they count in the report) stay."""

from __future__ import annotations

from eventhub.accounts import services as accounts
from eventhub.extensions import db as _db
from eventhub.followups import figures
from eventhub.followups.models import OutcomeFollowUp
from tests.factories import PASSWORD, make_event
from tests.followups.helpers import answered, awarded_entry, held_meeting


def test_the_download_lists_the_person_s_answers_and_erasure_deletes_them(db, app):
    event = make_event(name="Ngày hội Khởi nghiệp Huế")
    meeting = held_meeting(event)
    answered(meeting, side="startup", days=90, pilot=True, investment=True, amount=3_000_000_000)
    kept = answered(meeting, side="investor", days=90, investment=True, amount=2_000_000_000)
    entry = awarded_entry(event, members=2, pending=0)
    mine, theirs = entry.members
    answered(entry=entry, member=mine, side="team", pilot=True)
    answered(entry=entry, member=theirs, side="team")
    founder = meeting.startup.user
    mine.user_id = founder.id  # the startup's founder is also on the awarded team
    _db.session.commit()

    with app.test_request_context():
        exported = accounts.export_user_data(founder)["followups"]
    assert [(row["subject"], row["side"], row["days"]) for row in exported] == [
        ("meeting", "startup", 90), ("award", "team", 30)]
    assert exported[0]["answers"] == ["pilot", "investment"] and exported[0]["amount"] == 3_000_000_000
    assert meeting.startup.organization in exported[0]["about"] and entry.title in exported[1]["about"]
    assert exported[0]["answers_text"] == "Một dự án thí điểm, Một khoản đầu tư"
    with app.test_request_context():
        assert accounts.export_user_data(meeting.investor.user)["followups"][0]["side"] == "investor"

    accounts.erase_user(founder, PASSWORD)

    left = {(row.side.value, row.member_id) for row in _db.session.scalars(_db.select(OutcomeFollowUp))}
    assert left == {("investor", None), ("team", theirs.id)}
    assert _db.session.get(OutcomeFollowUp, kept.id).amount == 2_000_000_000
    with app.test_request_context():
        assert accounts.export_user_data(founder)["followups"] == []
    # the investment the investor reported still counts once; the founder's pilot claims are gone
    assert figures.load([event.id])[event.id] == {"investment_reported": 2_000_000_000,
                                                  "startups_with_pilot_or_investment": 1}
