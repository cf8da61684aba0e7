"""Print on demand at the desk ("In thẻ") with its print log, and the organizers' bulk badge page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.badges import services as badges
from eventhub.checkin.models import BadgePrint
from eventhub.jobs.models import Job, JobState
from tests.factories import login, make_type, make_user, open_event, register
from tests.support.pdf import badge_texts, pdf_pages

from .helpers import NFC_NAME

MM = 72 / 25.4


def _print_url(event, reg, **query) -> str:
    tail = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/events/{event.slug}/registrations/{reg.id}/badge.pdf" + (f"?{tail}" if tail else "")


def _prints(db) -> list[BadgePrint]:
    return db.session.scalars(db.select(BadgePrint).order_by(BadgePrint.id)).all()


def _assert_badge(response, layout="a6") -> None:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert NFC_NAME in badge_texts(response.data, layout)[0]


# --- print on demand -------------------------------------------------------------------------------

def test_the_first_print_is_logged_and_served(client, db, event, confirmed, staff):
    reg, _token = confirmed
    login(client, staff)
    posted = client.post(_print_url(event, reg))
    assert posted.status_code == 303
    assert posted.headers["Location"] == _print_url(event, reg, layout="a6")
    [entry] = _prints(db)
    assert (entry.registration_id, entry.printed_by_id, entry.layout) == (reg.id, staff.id, "a6")
    assert entry.job_id is None
    assert entry.printed_at is not None
    _assert_badge(client.get(posted.headers["Location"]))
    assert len(_prints(db)) == 1  # following the redirect (or reloading the viewer) logs nothing more


def test_opening_a_badge_records_nothing(client, db, event, confirmed, staff, organizer):
    """13.8: a GET (a link, a prefetch, an <img> on another site) must not log a print in the viewer's
    name; before the fix every GET wrote a BadgePrint."""
    reg, _token = confirmed
    login(client, staff)
    for query in ({}, {"layout": "a4-4up"}, {"confirm": "1"}):
        _assert_badge(client.get(_print_url(event, reg, **query)), query.get("layout", "a6"))
    assert _prints(db) == []
    badges.record_print(reg, actor=organizer, layout="a6")
    _assert_badge(client.get(_print_url(event, reg)))  # printed before: viewing it still just shows it
    assert len(_prints(db)) == 1


def test_printing_needs_the_csrf_token(app, db, event, confirmed, staff):
    """With CSRF on (as in production), a cross-site form posting to the print URL is refused."""
    reg, _token = confirmed
    client = app.test_client()
    login(client, staff)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(_print_url(event, reg)).status_code == 400
        assert _prints(db) == []
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_second_print_asks_first(client, db, event, confirmed, staff, organizer):
    reg, _token = confirmed
    printed_at = datetime(2026, 12, 14, 1, 42, tzinfo=UTC)  # 08:42 in Ho Chi Minh City
    badges.record_print(reg, actor=organizer, layout="a6", now=printed_at)
    login(client, staff)

    page = client.post(_print_url(event, reg) + "?lang=en")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "already printed at 08:42 on 14/12/2026 by" in text and organizer.full_name in text
    assert "Print again" in text and 'name="confirm" value="1"' in text
    assert len(_prints(db)) == 1  # asking prints nothing

    posted = client.post(_print_url(event, reg), data={"confirm": "1", "layout": "a6"})
    assert posted.status_code == 303
    _assert_badge(client.get(posted.headers["Location"]))
    entries = _prints(db)
    assert len(entries) == 2 and entries[-1].printed_by_id == staff.id


def test_the_question_lists_every_earlier_print(client, db, event, confirmed, staff, organizer):
    reg, _token = confirmed
    badges.record_print(reg, actor=organizer, layout="a4-4up", now=datetime(2026, 12, 13, 10, 0, tzinfo=UTC))
    badges.record_print(reg, actor=staff, layout="a6", now=datetime(2026, 12, 14, 2, 5, tzinfo=UTC))
    login(client, staff)
    text = client.post(_print_url(event, reg) + "?lang=en").get_data(as_text=True)
    assert "already printed at 09:05 on 14/12/2026 by" in text  # the latest first
    assert "13/12/2026 17:00" in text and "14/12/2026 09:05" in text


def test_after_a_bulk_print_the_desk_is_asked_too(client, db, event, confirmed, organizer, staff):
    reg, _token = confirmed
    login(client, organizer)
    response = client.post(f"/events/{event.slug}/badges", data={"layout": "a4-4up", "type": "",
                                                                   "status": "confirmed"})
    assert response.status_code == 302
    client.post("/logout")
    login(client, staff)
    text = client.post(_print_url(event, reg) + "?lang=en").get_data(as_text=True)
    assert "in all the badges that" in text and organizer.full_name in text


def test_the_layout_is_chosen_and_logged(client, db, event, confirmed, staff):
    reg, _token = confirmed
    login(client, staff)
    posted = client.post(_print_url(event, reg), data={"layout": "a4-4up"})
    assert posted.headers["Location"] == _print_url(event, reg, layout="a4-4up")
    response = client.get(posted.headers["Location"])
    _assert_badge(response, "a4-4up")
    page = pdf_pages(response.data)[0]
    assert (page["width"], page["height"]) == pytest.approx((210 * MM, 297 * MM), abs=0.5)
    assert _prints(db)[0].layout == "a4-4up"
    assert client.get(_print_url(event, reg, layout="a5")).status_code == 404
    assert client.post(_print_url(event, reg), data={"layout": "a5"}).status_code == 404
    assert len(_prints(db)) == 1


def test_who_may_print_at_the_desk(client, db, event, visitor_type, confirmed, organizer):
    reg, _token = confirmed
    url = _print_url(event, reg)
    assert client.get(url).status_code == 302  # to the sign-in page
    assert client.post(url).status_code == 302
    for user in (make_user("participant"), make_user("judge")):
        login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        client.post("/logout")
    elsewhere = make_user("participant")
    grant_event_role(elsewhere, open_event(), "staff")
    login(client, elsewhere)
    assert client.get(url).status_code == 403
    client.post("/logout")
    gate = make_user("participant")
    grant_event_role(gate, event, "staff")
    login(client, gate)
    _assert_badge(client.get(url))
    assert client.post(url).status_code == 303
    client.post("/logout")
    login(client, organizer)
    assert client.post(url, data={"confirm": "1"}).status_code == 303
    assert len(_prints(db)) == 2


def test_no_badge_without_a_ticket_nor_through_another_event(client, db, event, organizer):
    pending, _token = register(event, make_type(event, requires_approval=True), notify=False)
    other = open_event()
    stranger, _token = register(other, make_type(other), notify=False)
    login(client, organizer)
    refused = client.get(_print_url(event, pending))
    assert refused.status_code == 409 and refused.mimetype == "text/html"
    assert client.post(_print_url(event, pending)).status_code == 409
    assert client.get(_print_url(event, stranger)).status_code == 404
    assert client.get(f"/events/{event.slug}/registrations/999999/badge.pdf").status_code == 404
    assert client.get(f"/events/{event.slug}/registrations/{2**40}/badge.pdf").status_code == 404
    assert _prints(db) == []


# --- the organizers' bulk badge page ---------------------------------------------------------------

def test_the_manage_page_links_to_badges(client, event, organizer):
    login(client, organizer)
    page = client.get(f"/events/{event.slug}/manage").get_data(as_text=True)
    assert f'href="/events/{event.slug}/badges"' in page


def test_the_bulk_page_starts_the_job_and_shows_its_progress(client, db, event, visitor_type, investor_type,
                                                               confirmed, organizer):
    register(event, investor_type, full_name="Lê Thị Đầu Tư", notify=False)
    login(client, organizer)
    page = client.get(f"/events/{event.slug}/badges?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'name="layout"' in text and 'value="investor"' in text and 'name="status"' in text
    response = client.post(f"/events/{event.slug}/badges",
                           data={"layout": "a6", "type": "investor", "status": "confirmed"})
    assert response.status_code == 302
    job = db.session.scalars(db.select(Job)).one()
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert (job.kind, job.state, job.total, job.created_by_id) == ("badges", JobState.done, 1, organizer.id)
    assert job.params == {"event_id": event.id, "layout": "a6", "type": "investor", "status": "confirmed"}
    progress = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="progress' in progress
    result = client.get(f"/jobs/{job.id}/result")
    assert result.mimetype == "application/pdf"
    assert "Lê Thị Đầu Tư" in badge_texts(result.data, "a6")[0]


def test_the_bulk_page_refuses_what_would_print_nothing(client, db, event, visitor_type, organizer):
    login(client, organizer)
    for data in ({"layout": "a6", "type": "", "status": "confirmed"},  # nobody registered yet
                 {"layout": "a6", "type": "", "status": "waitlisted"}):
        response = client.post(f"/events/{event.slug}/badges?lang=en", data=data)
        assert response.status_code == 200
        assert "there is no badge to print" in response.get_data(as_text=True)
    for data in ({"layout": "a5", "type": "", "status": "confirmed"},
                 {"layout": "a6", "type": "nope", "status": "confirmed"},
                 {"layout": "a6", "type": "", "status": "checked_in"}):
        response = client.post(f"/events/{event.slug}/badges?lang=en", data=data)
        assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Job)).all() == []


def test_only_organizers_see_the_bulk_page(client, event, staff):
    login(client, staff)
    assert client.get(f"/events/{event.slug}/badges").status_code == 403
    assert client.post(f"/events/{event.slug}/badges", data={"layout": "a6"}).status_code == 403
