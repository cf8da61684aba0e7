"""Organizations' histories tell what came of their meetings and awards, in words, for either side."""

from __future__ import annotations

from eventhub import hooks
from eventhub.extensions import db as _db
from eventhub.organizations.matching import fold_name
from eventhub.organizations.models import Organization
from tests.factories import make_event
from tests.followups.helpers import answered, awarded_entry, held_meeting


def _org(name: str) -> Organization:
    org = Organization(name=name, name_key=fold_name(name), search_text=fold_name(name))
    _db.session.add(org)
    _db.session.commit()
    return org


def test_a_reported_pilot_reads_on_both_sides_history(app, db):
    event = make_event()
    fund, startup = _org("Quỹ Đầu tư Mekong Việt"), _org("CTCP Sao Khuê")
    meeting = held_meeting(event)
    meeting.investor.organization_id, meeting.startup.organization_id = fund.id, startup.id
    _db.session.commit()
    answered(meeting, side="startup", days=90, pilot=True)
    answered(meeting, side="investor", days=30)  # "nothing yet": no history line
    entry = awarded_entry(event, members=1, pending=0)
    entry.organization_id = startup.id
    _db.session.commit()
    answered(entry=entry, member=entry.members[0], side="team", investment=True, amount=10**9)

    with app.test_request_context():  # the other features' items carry their pages' URLs
        startup_items = hooks.organization_history([startup.id])
        fund_items = hooks.organization_history([fund.id])
    texts = {item.text for item in startup_items if item.kind == "outcome"}
    assert texts == {f"Thí điểm được báo cáo 90 ngày sau buổi gặp với {meeting.investor.organization}",
                     f"Đầu tư được báo cáo 30 ngày sau khi “{entry.title}” đoạt giải"}
    fund_texts = [item.text for item in fund_items if item.kind == "outcome"]
    assert fund_texts == [f"Thí điểm được báo cáo 90 ngày sau buổi gặp với {meeting.startup.organization}"]


def test_both_sides_answering_the_same_question_read_as_one_line_saying_how_far_it_went(app, db):
    event = make_event()
    fund, startup = _org("Quỹ Đầu tư Mekong Việt"), _org("CTCP Sao Khuê")
    meeting = held_meeting(event)
    meeting.investor.organization_id, meeting.startup.organization_id = fund.id, startup.id
    _db.session.commit()
    answered(meeting, side="startup", days=30, follow_up_meeting=True)
    answered(meeting, side="investor", days=30, follow_up_meeting=True, pilot=True)

    with app.test_request_context():
        texts = [item.text for item in hooks.organization_history([startup.id]) if item.kind == "outcome"]
    assert texts == [f"Thí điểm được báo cáo 30 ngày sau buổi gặp với {meeting.investor.organization}"]
