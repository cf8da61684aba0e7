"""Check-in before (or after) the event: still accepted (api.md: organizers test their scanners), but the
desk says so in amber, the API answer says so, and the figures keep such test scans apart."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from eventhub.checkin import routes, services
from eventhub.reports.figures import event_figures
from tests.checkin.helpers import MORNING
from tests.factories import HCMC, login, make_user, token_headers
from tests.support.api import describe

DESK = "/events/startup-week/checkin"
EIGHT_DAYS_EARLY = datetime(2026, 12, 6, 10, 15, tzinfo=HCMC)  # the event runs 14–18 December
DAY_AFTER = datetime(2026, 12, 19, 9, 0, tzinfo=HCMC)


@pytest.fixture
def clock(monkeypatch):
    """Sets the time the desk's pages and the API see (they take no `now`)."""
    def set_to(moment: datetime) -> datetime:
        monkeypatch.setattr(services, "utcnow", lambda: moment)
        monkeypatch.setattr(routes, "utcnow", lambda: moment)
        return moment

    return set_to


def test_a_scan_eight_days_early_is_accepted_as_a_test_scan(db, gate):
    checkin = services.check_in(gate["event"], gate["truc"].ticket_code, now=EIGHT_DAYS_EARLY)
    assert checkin.id and services.phase_of(checkin, gate["event"]) == "before_event"
    late = services.check_in(gate["event"], gate["dung"].ticket_code, now=DAY_AFTER)
    assert services.phase_of(late, gate["event"]) == "after_event"
    on_the_day = services.check_in(gate["event"], gate["truc"].ticket_code, now=MORNING)
    assert services.phase_of(on_the_day, gate["event"]) == "event_day"


def test_the_event_days_are_those_of_its_time_zone(db, gate):
    """23:30 on 13 December in Ho Chi Minh City is before the event; 00:10 on the 14th is its first day,
    although both are on 13 December in UTC; 23:50 on the 18th is its last day."""
    event = gate["event"]
    truc, dung = gate["truc"].ticket_code, gate["dung"].ticket_code
    early = services.check_in(event, truc, now=datetime(2026, 12, 13, 23, 30, tzinfo=HCMC))
    first = services.check_in(event, truc, now=datetime(2026, 12, 14, 0, 10, tzinfo=HCMC))
    last = services.check_in(event, dung, now=datetime(2026, 12, 18, 23, 50, tzinfo=HCMC))
    assert [services.phase_of(c, event) for c in (early, first, last)] == ["before_event", "event_day",
                                                                          "event_day"]


def test_stats_keep_test_scans_apart_from_the_event_days(db, gate):
    event = gate["event"]
    services.check_in(event, gate["truc"].ticket_code, gate="Bàn thử", now=EIGHT_DAYS_EARLY)
    services.check_in(event, gate["dung"].ticket_code, gate="Bàn thử", now=EIGHT_DAYS_EARLY)
    before = services.stats(event, now=EIGHT_DAYS_EARLY + timedelta(minutes=5))
    assert before["today_phase"] == "before_event"
    assert before["checked_in"] == 2  # api.md's figure: people with a check-in, on any day, as before
    assert before["checked_in_event_days"] == 0
    assert before["test_scans"] == {"before_event": 2, "after_event": 0}
    assert before["by_type"]["visitor"]["checked_in_event_days"] == 0

    services.check_in(event, gate["truc"].ticket_code, gate="Cổng A", now=MORNING)
    services.check_in(event, gate["dung"].ticket_code, now=DAY_AFTER)
    during = services.stats(event, now=MORNING + timedelta(minutes=5))
    assert during["today_phase"] == "event_day"
    assert during["checked_in"] == 2 and during["checked_in_event_days"] == 1
    assert during["test_scans"] == {"before_event": 2, "after_event": 1}
    assert during["by_type"]["visitor"] == {"confirmed": 2, "checked_in": 2, "checked_in_event_days": 1,
                                            "checked_in_today": 1}
    assert services.stats(event, now=DAY_AFTER)["today_phase"] == "after_event"


def test_an_undone_test_scan_is_no_longer_counted(db, gate):
    event = gate["event"]
    checkin = services.check_in(event, gate["truc"].ticket_code, now=EIGHT_DAYS_EARLY)
    services.undo_check_in(checkin, actor=make_user("organizer"), now=EIGHT_DAYS_EARLY)
    assert services.stats(event, now=MORNING)["test_scans"] == {"before_event": 0, "after_event": 0}


def test_the_summary_report_does_not_count_test_scans(db, gate):
    event = gate["event"]
    services.check_in(event, gate["truc"].ticket_code, now=EIGHT_DAYS_EARLY)
    services.check_in(event, gate["dung"].ticket_code, now=EIGHT_DAYS_EARLY)
    services.check_in(event, gate["truc"].ticket_code, now=MORNING)
    services.check_in(event, gate["truc"].ticket_code, now=MORNING + timedelta(days=1))
    services.check_in(event, gate["dung"].ticket_code, now=DAY_AFTER)
    figures = event_figures(event.id)
    assert figures["checked_in"] == 1  # Trúc; Dũng was only scanned before and after the event
    assert figures["visitor_attendances"] == 2  # Trúc on the 14th and the 15th


def test_the_report_follows_the_event_when_its_dates_move(db, gate):
    """Nothing is stored per check-in: moving the event (here a week earlier) moves which scans count."""
    from eventhub.extensions import db as sqla

    event = gate["event"]
    services.check_in(event, gate["truc"].ticket_code, now=EIGHT_DAYS_EARLY)
    assert event_figures(event.id)["checked_in"] == 0
    event.starts_at -= timedelta(days=8)
    event.ends_at -= timedelta(days=8)
    sqla.session.commit()
    assert event_figures(event.id)["checked_in"] == 1


def test_the_api_answer_says_a_test_scan(client, db, gate, clock):
    headers = token_headers(make_user("staff"))
    checkins = "/api/v1/events/startup-week/checkins"
    clock(EIGHT_DAYS_EARLY)
    early = client.post(checkins, json={"ticket_code": gate["truc"].ticket_code}, headers=headers)
    assert early.status_code == 201, describe(early)
    assert early.get_json()["result"] == "ok"
    assert (early.get_json()["event_phase"], early.get_json()["test_scan"]) == ("before_event", True)
    stats = client.get("/api/v1/events/startup-week/stats", headers=headers).get_json()
    assert stats["today_phase"] == "before_event" and stats["test_scans"]["before_event"] == 1
    assert stats["checked_in"] == 1 and stats["checked_in_event_days"] == 0
    clock(MORNING)
    on_the_day = client.post(checkins, json={"ticket_code": gate["truc"].ticket_code}, headers=headers)
    assert (on_the_day.get_json()["event_phase"], on_the_day.get_json()["test_scan"]) == ("event_day", False)
    clock(DAY_AFTER)
    after = client.post(checkins, json={"ticket_code": gate["truc"].ticket_code}, headers=headers)
    assert (after.get_json()["event_phase"], after.get_json()["test_scan"]) == ("after_event", True)


def test_the_new_fields_are_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert {"event_phase", "test_scan"} <= set(spec["CheckInResult"]["properties"])
    assert {"checked_in_event_days", "test_scans", "today_phase"} <= set(spec["Stats"]["properties"])


def _result(html: str) -> str:
    start = html.index('<div id="checkin-result"')
    return html[start:html.index("</div>", start)]


def test_the_desk_says_in_amber_that_the_event_has_not_started(client, db, gate, clock):
    login(client, make_user("staff"))  # Vietnamese, the default
    clock(EIGHT_DAYS_EARLY)
    response = client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    assert response.status_code == 200
    result = _result(response.get_data(as_text=True))
    assert 'class="checkin-result checkin-test" data-result="ok" data-phase="before_event"' in result
    assert "Sự kiện chưa bắt đầu" in result and "không tính vào số liệu của sự kiện" in result
    assert "Nguyễn Thị Quý Trúc" in result and "checkin-ok" not in result


def test_the_desk_says_after_the_event_and_green_on_its_days(client, db, gate, clock):
    login(client, make_user("staff"))
    client.get("/?lang=en")
    clock(DAY_AFTER)
    result = _result(client.post(DESK, data={"ticket_code": gate["truc"].ticket_code}).get_data(as_text=True))
    assert 'data-phase="after_event"' in result and "The event is over" in result
    clock(MORNING)
    result = _result(client.post(DESK, data={"ticket_code": gate["truc"].ticket_code}).get_data(as_text=True))
    assert 'class="checkin-result checkin-ok" data-result="ok"' in result and "data-phase" not in result


def test_the_live_numbers_page_shows_test_scans_apart(client, db, gate, clock):
    login(client, make_user("staff"))
    clock(EIGHT_DAYS_EARLY)
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    client.post(DESK, data={"ticket_code": gate["dung"].ticket_code})
    html = client.get(f"{DESK}/stats").get_data(as_text=True)
    assert 'data-today-phase="before_event"' in html and "Sự kiện chưa bắt đầu" in html
    assert 'data-figure="checked_in_event_days">0<' in html
    assert 'data-figure="checked_in_today">2<' in html  # today's scans, shown as today's test scans
    note = html[html.index('data-figure="test_scans"'):]
    assert "2 lượt trước sự kiện, 0 lượt sau sự kiện" in note[:400]


def test_the_live_numbers_page_calls_todays_figure_test_scans_outside_the_event_days(client, db, gate, clock):
    """Before the event the first figure counts test scans: its label said "Check-in hôm nay" beside a
    note that today's scans are not counted, which read as a contradiction."""
    login(client, make_user("staff"))
    clock(EIGHT_DAYS_EARLY)
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    html = client.get(f"{DESK}/stats").get_data(as_text=True)
    figure = html[html.index('data-figure="checked_in_today"'):][:200]
    assert "Lượt quét thử hôm nay" in figure and "Check-in hôm nay" not in figure
    clock(MORNING + timedelta(minutes=5))
    during = client.get(f"{DESK}/stats").get_data(as_text=True)
    assert "Check-in hôm nay" in during[during.index('data-figure="checked_in_today"'):][:200]


def test_a_second_test_scan_of_a_ticket_is_amber_and_says_already_scanned_today(client, db, gate, clock):
    """Trying a scanner twice on one ticket before the event is no gate incident: the desk refused it red
    ("already checked in"), as if someone were sneaking in. Still refused (409, as api.md says for the
    API), but in amber, saying it is a test scan already scanned today."""
    login(client, make_user("staff"))
    clock(EIGHT_DAYS_EARLY)
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    again = client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    assert again.status_code == 409
    result = _result(again.get_data(as_text=True))
    assert 'class="checkin-result checkin-test" data-result="already_checked_in" data-phase="before_event"' \
        in result
    assert "Sự kiện chưa bắt đầu" in result and "Quét thử: vé này đã được quét hôm nay." in result
    assert "Nguyễn Thị Quý Trúc" in result and "checkin-refused" not in result
    clock(DAY_AFTER)
    client.post(DESK, data={"ticket_code": gate["dung"].ticket_code})
    after = _result(client.post(DESK, data={"ticket_code": gate["dung"].ticket_code}).get_data(as_text=True))
    assert 'data-result="already_checked_in" data-phase="after_event"' in after and "checkin-test" in after


def test_a_second_scan_on_an_event_day_stays_red(client, db, gate, clock):
    login(client, make_user("staff"))
    clock(MORNING)
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    again = client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    result = _result(again.get_data(as_text=True))
    assert again.status_code == 409
    assert 'class="checkin-result checkin-refused" data-result="already_checked_in"' in result
    assert "checkin-test" not in result and "data-phase" not in result


def test_the_api_still_refuses_a_second_test_scan_as_already_checked_in(client, db, gate, clock):
    headers = token_headers(make_user("staff"))
    checkins = "/api/v1/events/startup-week/checkins"
    clock(EIGHT_DAYS_EARLY)
    scan = {"ticket_code": gate["truc"].ticket_code}
    assert client.post(checkins, json=scan, headers=headers).status_code == 201
    again = client.post(checkins, json=scan, headers=headers)
    assert again.status_code == 409, describe(again)
    assert again.get_json()["error"]["code"] == "already_checked_in"
    assert "test_scan" not in again.get_json()["error"]  # api.md's answer for this code, unchanged


def _recent(html: str) -> str:
    start = html.index('id="checkin-recent"')
    return html[start:html.index("</section>", start)]


def test_the_recent_check_ins_mark_test_scans_in_words(client, db, gate, clock):
    login(client, make_user("staff"))
    clock(EIGHT_DAYS_EARLY)
    client.post(DESK, data={"ticket_code": gate["dung"].ticket_code})
    clock(MORNING)
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    recent = _recent(client.get(DESK).get_data(as_text=True))
    rows = recent.split("<li")[1:]
    truc, dung = (next(r for r in rows if name in r) for name in ("Nguyễn Thị Quý Trúc", "Lê Văn Dũng"))
    assert "quét thử" not in truc.lower() and "data-phase" not in truc
    assert 'data-phase="before_event"' in dung and "Quét thử, trước sự kiện" in dung
    client.get("/?lang=en")
    clock(DAY_AFTER)
    client.post(DESK, data={"ticket_code": gate["truc"].ticket_code})
    recent = _recent(client.get(DESK).get_data(as_text=True))
    assert "test scan, after the event" in recent and "test scan, before the event" in recent
