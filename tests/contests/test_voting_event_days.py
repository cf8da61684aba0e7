"""People's choice: only visitors checked in on one of the event's days vote. A scan before or after them is
a scanner test (eventhub.checkin.days); counting it let anyone whose ticket was tried out a week early
vote from home."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventhub.checkin import services as checkin
from eventhub.contests import voting
from eventhub.errors import EventHubError
from tests.contests.factories import make_contest, make_entry
from tests.factories import HCMC, make_type, open_event, register

WEEK_EARLY = datetime(2026, 12, 6, 10, 15, tzinfo=HCMC)  # open_event runs on 14 December
ON_THE_DAY = datetime(2026, 12, 14, 9, 0, tzinfo=HCMC)
DAY_AFTER = datetime(2026, 12, 15, 9, 0, tzinfo=HCMC)


@pytest.fixture
def ballot(db):
    event = open_event()
    contest = make_contest(event, submission_deadline=None, peoples_choice=True,
                           vote_closes_at="2099-01-01T00:00:00+07:00")
    entry = make_entry(contest)
    reg, token = register(event, make_type(event))
    return {"event": event, "contest": contest, "entry": entry, "reg": reg, "token": token}


@pytest.mark.parametrize("when", [WEEK_EARLY, DAY_AFTER], ids=["before", "after"])
def test_a_test_scan_does_not_let_a_visitor_vote(ballot, when):
    checkin.check_in(ballot["event"], ballot["reg"].ticket_code, now=when)
    assert not voting.is_checked_in(ballot["reg"])
    with pytest.raises(EventHubError) as info:
        voting.cast_vote(ballot["contest"], ballot["reg"], ballot["entry"].id, now=ON_THE_DAY)
    assert info.value.code == "not_checked_in"


def test_a_check_in_on_the_day_after_a_test_scan_lets_them_vote(ballot):
    checkin.check_in(ballot["event"], ballot["reg"].ticket_code, now=WEEK_EARLY)
    checkin.check_in(ballot["event"], ballot["reg"].ticket_code, now=ON_THE_DAY)
    vote = voting.cast_vote(ballot["contest"], ballot["reg"], ballot["entry"].id, now=ON_THE_DAY)
    assert vote.id and vote.entry_id == ballot["entry"].id


def test_the_vote_page_asks_for_a_check_in_after_a_test_scan(client, ballot):
    checkin.check_in(ballot["event"], ballot["reg"].ticket_code, now=WEEK_EARLY)
    page = client.get(f"/r/{ballot['token']}/vote?lang=en").get_data(as_text=True)
    assert "You can vote once you are checked in at the event." in page
    client.post(f"/r/{ballot['token']}/vote",
                data={"contest_id": ballot["contest"].id, "entry_id": ballot["entry"].id})
    assert voting.vote_of(ballot["contest"], ballot["reg"]) is None
