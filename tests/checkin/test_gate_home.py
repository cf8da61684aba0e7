"""The staff menu's "Check-in desk" (/checkin): on the event's own day, in its time zone, it leads straight to
the desk – also before the doors open and after the last session – and otherwise offers the choice."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.checkin import gates, routes
from tests.factories import HCMC, login, make_event, make_user

BERLIN = ZoneInfo("Europe/Berlin")


def _staff_of(event):
    person = make_user()
    grant_event_role(person, event, "staff")
    return person


@pytest.mark.parametrize(("moment", "desk"), [
    (datetime(2026, 12, 14, 7, 30, tzinfo=HCMC), True),  # half an hour before an 08:00 start
    (datetime(2026, 12, 14, 19, 0, tzinfo=HCMC), True),  # after the 17:00 end, the same day
    (datetime(2026, 12, 13, 23, 30, tzinfo=HCMC), False),  # the evening before
])
def test_the_desk_opens_on_the_events_day_not_its_hours(client, db, monkeypatch, moment, desk):
    event = make_event(starts_at=datetime(2026, 12, 14, 8, 0, tzinfo=HCMC),
                       ends_at=datetime(2026, 12, 14, 17, 0, tzinfo=HCMC))
    login(client, _staff_of(event))
    monkeypatch.setattr(routes, "utcnow", lambda: moment)
    response = client.get("/checkin?lang=en")
    if desk:
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/events/{event.slug}/checkin")
    else:
        assert response.status_code == 200 and event.name in response.get_data(as_text=True)


def test_the_day_is_the_events_own_in_its_time_zone(db):
    event = make_event(starts_at=datetime(2026, 12, 14, 9, 0, tzinfo=BERLIN),
                       ends_at=datetime(2026, 12, 14, 18, 0, tzinfo=BERLIN), timezone="Europe/Berlin")
    # 05:00 on the 14th in Ho Chi Minh City is still the 13th in Berlin; 07:00 there is the 14th
    assert gates.under_way([event], datetime(2026, 12, 14, 5, 0, tzinfo=HCMC)) == []
    assert gates.under_way([event], datetime(2026, 12, 14, 7, 0, tzinfo=BERLIN)) == [event]
    assert gates.under_way([event], datetime(2026, 12, 15, 0, 30, tzinfo=BERLIN)) == []
