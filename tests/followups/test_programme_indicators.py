"""A programme may set targets for the follow-ups' figures; its actuals are the series' values (the
startups counted once over the year, not summed over its events)."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventhub.errors import ValidationError
from eventhub.programmes import services
from tests.factories import HCMC, make_event
from tests.followups.helpers import answered, held_meeting
from tests.reports.factories import make_profile


def test_targets_for_the_follow_up_figures_read_their_actuals(db):
    events = [make_event(starts_at=datetime(2026, month, 1, 8, tzinfo=HCMC),
                         ends_at=datetime(2026, month, 1, 17, tzinfo=HCMC)) for month in (5, 10)]
    first = held_meeting(events[0])
    answered(first, side="investor", days=90, investment=True, amount=2_000_000_000)
    again = held_meeting(events[1], startup=make_profile(events[1], "startup"))
    answered(again, side="startup", pilot=True)
    again.startup_profile_id = first.startup_profile_id  # the same startup profile met twice in the year
    db.session.commit()
    programme = services.save({
        "code": "DEAN-FU", "name": "Đề án hỗ trợ hệ sinh thái KN–ĐMST", "start_year": 2026, "end_year": 2026,
        "targets": [{"indicator": "investment_reported", "year": 2026, "target": 1_000_000_000},
                    {"indicator": "startups_with_pilot_or_investment", "year": 2026, "target": 5}]})
    report = services.report(programme)
    assert report.indicators == ["investment_reported", "startups_with_pilot_or_investment"]
    assert report.cells["investment_reported", 2026].actual == 2_000_000_000
    assert report.cells["startups_with_pilot_or_investment", 2026].actual == 1  # once, though at two events


def test_an_unknown_indicator_is_still_refused(db):
    with pytest.raises(ValidationError):
        services.save({"code": "DEAN-X", "name": "Đề án", "start_year": 2026, "end_year": 2026,
                       "targets": [{"indicator": "investment_promised", "year": 2026, "target": 1}]})
