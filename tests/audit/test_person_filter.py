"""The audit page's person filter lists the event's team who acted, not every registrant who did: a big
event's registrants would put thousands of names in the <select> (issue 16 review)."""

from __future__ import annotations

import re

from eventhub.accounts.services import grant_event_role
from eventhub.audit.services import actors_of, record
from eventhub.extensions import db as _db
from tests.factories import login, make_user, open_event


def _acts(user, event, times: int = 1) -> None:
    for _n in range(times):
        record("event.updated", event, actor=user, event=event)
    _db.session.commit()


def test_the_filter_lists_the_team_who_acted_and_no_registrant(client, db):
    organizer = make_user("organizer", full_name="Phạm Thị Quỳnh Trúc")
    event = open_event(actor=organizer)
    partner = make_user("participant", full_name="Lê Văn Đối Tác")  # organizes this event only
    grant_event_role(partner, event, "staff")
    judge = make_user("judge", full_name="Hoàng Thị Mai")
    idle = make_user("staff", full_name="Trần Văn Nghỉ")  # on the team, but did nothing here
    registrants = [make_user("participant", full_name=f"Nguyễn Văn Khách {n}") for n in range(12)]
    for user in (organizer, partner, judge, *registrants):
        _acts(user, event)
    listed = actors_of(event)
    assert sorted(name for _id, name in listed) == sorted(
        ["Phạm Thị Quỳnh Trúc", "Lê Văn Đối Tác", "Hoàng Thị Mai"])
    assert idle.id not in {user_id for user_id, _name in listed}

    login(client, organizer)
    html = client.get(f"/events/{event.slug}/audit?lang=vi").get_data(as_text=True)
    select = re.search(r'<select[^>]*id="audit-person".*?</select>', html, re.S).group(0)
    assert len(re.findall(r'<option value="\d+"', select)) == 3
    assert "Khách" not in select
    # A registrant's own actions can still be filtered by the id in the address.
    mine = client.get(f"/events/{event.slug}/audit?lang=vi&person={registrants[0].id}")
    assert mine.status_code == 200 and "Nguyễn Văn Khách 0" in mine.get_data(as_text=True)


def test_past_the_cap_the_most_active_are_kept(db):
    organizer = make_user("organizer")
    event = open_event(actor=organizer)
    staff = [make_user("staff") for _n in range(5)]
    for times, user in enumerate(staff, start=10):  # more than the organizer's few
        _acts(user, event, times)
    kept = actors_of(event, limit=3)
    assert len(kept) == 3
    assert {user_id for user_id, _name in kept} == {staff[4].id, staff[3].id, staff[2].id}
