"""The shared access helpers (eventhub/access.py for pages, eventhub/api/access.py for the API): which
event or row a path names, and who may open it – 404 for nothing or another event's row, 403 for others."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask_login import login_user
from werkzeug.exceptions import Forbidden as HTTPForbidden
from werkzeug.exceptions import NotFound as HTTPNotFound

from eventhub import access, permissions
from eventhub.api import access as api_access
from eventhub.errors import NotFound
from eventhub.registration.models import Registration, RegistrationType
from tests.factories import make_type, make_user, open_event, register, token_headers


@pytest.fixture
def two_events(db):
    """Two events, each with a registration: the helpers must never hand out one event's row for the other."""
    organizer = make_user("organizer")
    first, second = open_event(actor=organizer), open_event(actor=organizer)
    regs = [register(event, make_type(event))[0] for event in (first, second)]
    return organizer, first, second, regs


@contextmanager
def signed_in(app, user):
    """A request of `user`, as a page's route sees it."""
    with app.test_request_context():
        login_user(user)
        yield


# --- pages -----------------------------------------------------------------------------------------

def test_managed_event_gives_the_event_to_its_organizer(app, two_events):
    organizer, first, _second, _regs = two_events
    with signed_in(app, organizer):
        assert access.managed_event(first.slug) is first


def test_managed_event_refuses_others_with_403(app, two_events):
    _organizer, first, _second, _regs = two_events
    with signed_in(app, make_user("participant")), pytest.raises(HTTPForbidden):
        access.managed_event(first.slug)


def test_managed_event_says_404_for_no_such_event_before_asking_who(app, db):
    with signed_in(app, make_user("participant")), pytest.raises(NotFound) as caught:
        access.managed_event("no-such-event")
    assert caught.value.status == 404 and caught.value.code == "event_not_found"


def test_managed_event_asks_the_predicate_it_is_given(app, two_events):
    _organizer, first, _second, _regs = two_events
    with signed_in(app, make_user("staff")):  # gate staff check people in, but do not manage the event
        assert access.managed_event(first.slug, permissions.can_check_in) is first
        with pytest.raises(HTTPForbidden):
            access.managed_event(first.slug)


def test_get_or_404_finds_a_row_of_the_event(app, two_events):
    _organizer, first, _second, regs = two_events
    with app.test_request_context():
        assert access.get_or_404(Registration, regs[0].id, event=first) is regs[0]
        assert access.get_or_404(RegistrationType, regs[0].registration_type_id) is regs[0].registration_type


def test_get_or_404_is_404_for_a_row_of_another_event(app, two_events):
    _organizer, first, _second, regs = two_events
    with app.test_request_context(), pytest.raises(HTTPNotFound):
        access.get_or_404(Registration, regs[1].id, event=first)


def test_get_or_404_is_404_for_no_row(app, db):
    with app.test_request_context(), pytest.raises(HTTPNotFound):
        access.get_or_404(Registration, 2**31 - 1)


def test_pages_answer_404_for_a_registration_of_another_event(client, two_events):
    organizer, first, _second, regs = two_events
    client.post("/login", data={"email": organizer.email, "password": "correct-horse-42"})
    assert client.get(f"/events/{first.slug}/registrations/{regs[0].id}").status_code == 200
    assert client.get(f"/events/{first.slug}/registrations/{regs[1].id}").status_code == 404


def test_pages_answer_403_to_a_non_organizer(client, two_events):
    _organizer, first, _second, regs = two_events
    participant = make_user("participant")
    client.post("/login", data={"email": participant.email, "password": "correct-horse-42"})
    assert client.get(f"/events/{first.slug}/registrations/{regs[0].id}").status_code == 403
    assert client.get("/events/no-such-event/registrations").status_code == 404


# --- the API -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", ["Not-A-Slug", "a" * 81, "x\x00y"])
def test_api_get_event_is_404_for_a_path_that_is_no_slug(app, db, slug):
    with app.test_request_context(), pytest.raises(NotFound) as caught:
        api_access.get_event(slug)
    assert caught.value.code == "event_not_found"


def test_api_get_or_404_names_its_code_and_checks_the_event(app, two_events):
    _organizer, first, _second, regs = two_events
    with app.test_request_context():
        assert api_access.get_or_404(Registration, regs[0].id, code="x_not_found", event=first) is regs[0]
        with pytest.raises(NotFound) as caught:
            api_access.get_or_404(Registration, regs[1].id, code="x_not_found", message="No.", event=first)
    assert (caught.value.code, caught.value.describe()) == ("x_not_found", "No.")


def test_api_managed_event_answers_401_then_404_then_403(client, two_events):
    _organizer, first, _second, _regs = two_events
    body = {"layout": "a6"}
    assert client.post(f"/api/v1/events/{first.slug}/badges", json=body).status_code == 401
    organizer_headers = token_headers(make_user("organizer"))
    missing = client.post("/api/v1/events/no-such-event/badges", json=body, headers=organizer_headers)
    assert missing.status_code == 404 and missing.json["error"]["code"] == "event_not_found"
    refused = client.post(f"/api/v1/events/{first.slug}/badges", json=body,
                          headers=token_headers(make_user("participant")))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"


def test_api_registration_in_path_asks_its_predicate(client, two_events):
    """The badge of a registration: gate staff may have it (can_check_in), a participant may not, and an
    organizer learns that an id names nothing."""
    _organizer, _first, _second, regs = two_events
    staff = client.get(f"/api/v1/registrations/{regs[0].id}/badge.pdf",
                       headers=token_headers(make_user("staff")))
    assert staff.status_code == 200 and staff.mimetype == "application/pdf"
    other = client.get(f"/api/v1/registrations/{regs[0].id}/badge.pdf",
                       headers=token_headers(make_user("participant")))
    assert other.status_code == 403 and other.json["error"]["code"] == "forbidden"
    missing = client.get("/api/v1/registrations/2147483647/badge.pdf",
                         headers=token_headers(make_user("organizer")))
    assert missing.status_code == 404 and missing.json["error"]["code"] == "registration_not_found"


def test_api_ids_past_the_column_range_are_404_by_the_url_converter(client, two_events):
    headers = token_headers(make_user("organizer"))
    response = client.get("/api/v1/registrations/2147483648/badge.pdf", headers=headers)
    assert response.status_code == 404
