"""Session calendars keep their UIDs whichever address they are fetched through (issue 14.5).

A calendar subscribed once through the LAN address and once through the public name must see the same
entries, not every session twice: the UID is built on BASE_URL's host and the session's id, never on the
request's Host header.
"""

from datetime import timedelta

import pytest
from icalendar import Calendar

from eventhub.matchmaking.ical import meeting_uid
from eventhub.urls import calendar_uid
from tests.factories import make_session, make_type, open_event, register

HOSTS = ("127.0.0.1:5000", "eventhub.hcmc.example.vn")


def _uids(client, path: str, host: str) -> list[str]:
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 200, response.status_code
    return [str(item["UID"]) for item in Calendar.from_ical(response.data).walk("VEVENT")]


@pytest.fixture
def agenda(app, db):
    event = open_event()
    first = make_session(event, title="Khai mạc")
    second = make_session(event, title="Đô thị thông minh",
                          starts_at=first.starts_at + timedelta(hours=3),
                          ends_at=first.ends_at + timedelta(hours=3))
    previous = app.config["BASE_URL"]
    app.config["BASE_URL"] = "https://khoinghiep.hcmc.vn/eventhub"
    yield event, [first, second]
    app.config["BASE_URL"] = previous


@pytest.mark.parametrize("path", ["/events/{slug}/agenda.ics", "/api/v1/events/{slug}/sessions.ics"])
def test_the_agenda_has_the_same_uids_through_two_host_headers(client, agenda, path):
    event, sessions = agenda
    url = path.format(slug=event.slug)
    through_lan, through_name = (_uids(client, url, host) for host in HOSTS)
    assert through_lan == through_name
    assert through_lan == [f"session-{s.id}@khoinghiep.hcmc.vn" for s in sessions]
    assert not any(host.split(":")[0] in uid for uid in through_lan for host in HOSTS)


def test_my_sessions_calendar_has_the_agenda_uids_whatever_the_host(client, agenda):
    event, sessions = agenda
    _reg, token = register(event, make_type(event), session_ids=[sessions[1].id])
    through_lan, through_name = (_uids(client, f"/r/{token}/sessions.ics", host) for host in HOSTS)
    agenda_uids = _uids(client, f"/events/{event.slug}/agenda.ics", HOSTS[0])
    assert through_lan == through_name == [agenda_uids[1]]


def test_meetings_and_sessions_share_one_uid_helper(app, agenda):
    class Meeting:  # the helper needs only the id
        id = 7

    assert meeting_uid(Meeting) == calendar_uid("meeting", 7) == "meeting-7@khoinghiep.hcmc.vn"
