"""/api/v1/events: listing, creating, reading and changing events, as api.md promises them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from eventhub.accounts.services import grant_event_role
from eventhub.audit.models import AuditEntry
from eventhub.events.models import Event
from tests.factories import make_event, make_user, token_headers
from tests.support.api import EVENT_KEYS, assert_error, assert_event, assert_field_errors, parse_time

EVENTS = "/api/v1/events"


def _body(**overrides) -> dict:
    body = {"slug": "ai-day-2026", "name": "AI Day 2026", "kind": "ai_day",
            "starts_at": "2026-12-14T08:00:00+07:00", "ends_at": "2026-12-14T17:00:00+07:00",
            "venue": "Saigon Innovation Hub"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def _events(db) -> list[Event]:
    return db.session.scalars(db.select(Event)).all()


def _audit(db, action: str) -> list[AuditEntry]:
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


# --- GET /events ---------------------------------------------------------------------------------

def test_the_list_of_no_events_is_an_empty_envelope(client, db):
    response = client.get(EVENTS)
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "page": 1, "per_page": 50, "total": 0}


def test_the_list_holds_every_event_with_the_fields_of_api_md(client, db):
    make_event(slug="ai-day", kind="ai_day")
    make_event(slug="startup-week", kind="startup_week", registration_open=True)
    response = client.get(EVENTS)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert (body["page"], body["per_page"], body["total"]) == (1, 50, 2)
    items = {item["slug"]: assert_event(item) for item in body["items"]}
    assert set(items) == {"ai-day", "startup-week"}
    assert items["startup-week"]["registration_open"] is True
    assert items["ai-day"]["kind"] == "ai_day"
    assert items["ai-day"]["starts_at"] == "2026-12-14T08:00:00+07:00"


def test_pages_split_the_list_without_losing_or_repeating_events(client, db):
    for n in range(5):
        make_event(slug=f"e{n}")
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"{EVENTS}?page={page}&per_page=2").get_json()
        assert (body["page"], body["per_page"], body["total"]) == (page, 2, 5)
        assert len(body["items"]) == (2 if page < 3 else 1)
        seen += [item["slug"] for item in body["items"]]
    assert sorted(seen) == [f"e{n}" for n in range(5)]
    beyond = client.get(f"{EVENTS}?page=9&per_page=2").get_json()
    assert beyond["items"] == [] and beyond["total"] == 5


def test_per_page_may_be_500(client, db):
    make_event()
    body = client.get(f"{EVENTS}?per_page=500").get_json()
    assert body["per_page"] == 500 and body["total"] == 1 and len(body["items"]) == 1


@pytest.mark.parametrize("query, field", [
    ("per_page=501", "per_page"), ("per_page=0", "per_page"), ("per_page=-1", "per_page"),
    ("per_page=many", "per_page"), ("per_page=2.5", "per_page"), ("per_page=", "per_page"),
    ("page=0", "page"), ("page=-3", "page"), ("page=two", "page"), ("page=1e3", "page"),
])
def test_bad_paging_values_are_422_naming_the_field(client, db, query, field):
    assert_field_errors(client.get(f"{EVENTS}?{query}"), field)


# --- POST /events --------------------------------------------------------------------------------

def test_an_organizer_creates_an_event(client, db, organizer, organizer_headers):
    response = client.post(EVENTS, json=_body(), headers=organizer_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    event = assert_event(response.get_json())
    assert {k: event[k] for k in EVENT_KEYS} == {
        "slug": "ai-day-2026", "name": "AI Day 2026", "kind": "ai_day",
        "starts_at": "2026-12-14T08:00:00+07:00", "ends_at": "2026-12-14T17:00:00+07:00",
        "venue": "Saigon Innovation Hub", "registration_open": False}
    stored = _events(db)
    assert [e.slug for e in stored] == ["ai-day-2026"]
    assert stored[0].created_by_id == organizer.id


def test_times_are_answered_in_the_events_time_zone_with_its_offset(client, db, organizer_headers):
    body = _body(starts_at="2026-12-14T01:00:00Z", ends_at="2026-12-14T10:00:00+00:00")
    event = client.post(EVENTS, json=body, headers=organizer_headers).get_json()
    assert event["starts_at"] == "2026-12-14T08:00:00+07:00"
    assert event["ends_at"] == "2026-12-14T17:00:00+07:00"
    again = client.get(f"{EVENTS}/ai-day-2026").get_json()
    assert (again["starts_at"], again["ends_at"]) == (event["starts_at"], event["ends_at"])


def test_a_time_without_offset_is_read_in_ho_chi_minh_city(client, db, organizer_headers):
    body = _body(starts_at="2026-12-14T08:00:00", ends_at="2026-12-14T17:30")
    response = client.post(EVENTS, json=body, headers=organizer_headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    event = response.get_json()
    assert event["starts_at"] == "2026-12-14T08:00:00+07:00"
    assert event["ends_at"] == "2026-12-14T17:30:00+07:00"
    assert _events(db)[0].starts_at == datetime(2026, 12, 14, 1, 0, tzinfo=UTC)


def test_an_event_may_carry_another_time_zone(client, db, organizer_headers):
    body = _body(timezone="Asia/Tokyo", starts_at="2026-12-14T08:00:00", ends_at="2026-12-14T09:00:00")
    event = client.post(EVENTS, json=body, headers=organizer_headers).get_json()
    assert event["starts_at"] == "2026-12-14T08:00:00+09:00"


def test_a_participant_may_not_create_events(client, db, participant_headers):
    assert_error(client.post(EVENTS, json=_body(), headers=participant_headers), 403)
    assert _events(db) == []


@pytest.mark.parametrize("body", [_body(), {}, {"slug": "Not A Slug"}, []])
def test_creating_without_a_token_is_401_whatever_the_body(client, db, body):
    assert_error(client.post(EVENTS, json=body), 401)
    assert _events(db) == []


def test_a_taken_slug_is_409_slug_taken(client, db, organizer_headers):
    make_event(slug="ai-day-2026", name="The first one")
    response = client.post(EVENTS, json=_body(), headers=organizer_headers)
    assert_error(response, 409, "slug_taken")
    assert [e.name for e in _events(db)] == ["The first one"]


def test_a_slug_taken_but_for_a_trailing_newline_is_refused(client, db, organizer_headers):
    make_event(slug="ai-day-2026")
    response = client.post(EVENTS, json=_body(slug="ai-day-2026\n"), headers=organizer_headers)
    assert response.status_code in (409, 422)
    assert_error(response)
    assert len(_events(db)) == 1


def test_ending_before_starting_is_422_on_ends_at(client, db, organizer_headers):
    body = _body(starts_at="2026-12-14T17:00:00+07:00", ends_at="2026-12-14T08:00:00+07:00")
    assert_field_errors(client.post(EVENTS, json=body, headers=organizer_headers), "ends_at")
    assert _events(db) == []


@pytest.mark.parametrize("overrides, field", [
    ({"slug": "AI-Day"}, "slug"), ({"slug": "ai day"}, "slug"), ({"slug": "ai_day"}, "slug"),
    ({"slug": "-ai"}, "slug"), ({"slug": ""}, "slug"), ({"slug": "a" * 81}, "slug"),
    ({"slug": "ngày-hội"}, "slug"), ({"slug": "new"}, "slug"), ({"slug": 42}, "slug"),
    ({"slug": ...}, "slug"),
    ({"kind": "festival"}, "kind"), ({"kind": None}, "kind"), ({"kind": ...}, "kind"),
    ({"name": ""}, "name"), ({"name": "   "}, "name"), ({"name": "x" * 201}, "name"), ({"name": ...}, "name"),
    ({"starts_at": "tomorrow"}, "starts_at"), ({"starts_at": "14/12/2026 08:00"}, "starts_at"),
    ({"starts_at": 1765674000}, "starts_at"), ({"ends_at": ...}, "ends_at"),
    ({"venue": "v" * 301}, "venue"), ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"registration_open": "perhaps"}, "registration_open"),
])
def test_invalid_fields_are_422_naming_them(client, db, organizer_headers, overrides, field):
    response = client.post(EVENTS, json=_body(**overrides), headers=organizer_headers)
    assert_field_errors(response, field)
    assert _events(db) == []


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "0001-01-01T05:00:00+23:00",
                                   "9999-12-31T23:59:59", "9999-12-31T20:00:00+00:00"])
def test_times_at_the_ends_of_the_calendar_are_refused_not_a_crash(client, db, organizer_headers, value):
    for body in (_body(starts_at=value, ends_at="9999-12-31T23:59:59+07:00"),
                 _body(starts_at="0001-01-02T00:00:00+07:00", ends_at=value)):
        response = client.post(EVENTS, json=body, headers=organizer_headers)
        assert_field_errors(response)
    assert _events(db) == []


@pytest.mark.parametrize("starts_at", ["1900-06-01T08:00:00", "1971-06-01T08:00:00+07:00"])
@pytest.mark.parametrize("timezone", [None, "Africa/Monrovia"])
def test_an_old_date_is_refused_or_answered_with_an_iso_offset(client, db, organizer_headers, starts_at,
                                                                timezone):
    # Before 1906 Ho Chi Minh City kept +07:06:30, Monrovia -00:44:30 until 1972: no ISO 8601 offsets.
    body = _body(starts_at=starts_at, ends_at="2026-12-14T17:00:00+07:00", timezone=timezone)
    response = client.post(EVENTS, json=body, headers=organizer_headers)
    if response.status_code == 201:
        assert_event(response.get_json())
        assert_event(client.get(f"{EVENTS}/ai-day-2026").get_json())
    else:
        assert_field_errors(response, "starts_at")


@pytest.mark.parametrize("field", ["name", "venue", "description"])
@pytest.mark.parametrize("bad", ["nul \x00 byte", "lone \ud800 surrogate"])
def test_text_that_cannot_be_stored_is_422_not_a_crash(client, db, organizer_headers, field, bad):
    response = client.post(EVENTS, json=_body(**{field: bad}), headers=organizer_headers)
    assert_field_errors(response, field)
    assert _events(db) == []


def test_unknown_fields_are_ignored(client, db, organizer_headers):
    response = client.post(EVENTS, json=_body(colour="green", id=999), headers=organizer_headers)
    assert response.status_code == 201
    assert response.get_json()["slug"] == "ai-day-2026"


# --- unreadable bodies ---------------------------------------------------------------------------

@pytest.mark.parametrize("data", ['{"slug": "x",', "{'slug': 'x'}", "nul", "\xff\xfe", "[1, 2",
                                  '{"a": 1} trailing'])
def test_malformed_json_is_400(client, db, organizer_headers, data):
    response = client.post(EVENTS, data=data, content_type="application/json", headers=organizer_headers)
    assert_error(response, 400)


def test_invalid_utf8_is_400(client, db, organizer_headers):
    response = client.post(EVENTS, data=b'{"name": "\xff\xfe"}', content_type="application/json",
                           headers=organizer_headers)
    assert_error(response, 400)


@pytest.mark.parametrize("data", ["[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000])
def test_json_nested_too_deep_is_400_not_a_crash(client, db, organizer_headers, data):
    response = client.post(EVENTS, data=data, content_type="application/json", headers=organizer_headers)
    assert_error(response, 400)


def test_a_number_too_long_to_read_is_400_not_a_crash(client, db, organizer_headers):
    data = '{"slug": "x", "venue": ' + "9" * 10_000 + "}"
    response = client.post(EVENTS, data=data, content_type="application/json", headers=organizer_headers)
    assert_error(response, 400)


@pytest.mark.parametrize("body", [[], [_body()], "ai-day-2026", 42, None, True])
def test_a_body_that_is_not_an_object_is_4xx(client, db, organizer_headers, body):
    response = client.post(EVENTS, json=body, headers=organizer_headers)
    assert 400 <= response.status_code < 500
    assert_error(response)
    assert _events(db) == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_a_body_that_is_not_json_is_4xx(client, db, organizer_headers, content_type):
    import json

    response = client.post(EVENTS, data=json.dumps(_body()), content_type=content_type,
                           headers=organizer_headers)
    assert 400 <= response.status_code < 500
    assert_error(response)
    assert _events(db) == []


def test_a_method_the_route_does_not_have_is_405_in_the_error_shape(client, db, organizer_headers):
    assert_error(client.put(EVENTS, json=_body(), headers=organizer_headers), 405)
    assert_error(client.delete(f"{EVENTS}/whatever", headers=organizer_headers), 405)


# --- GET /events/{slug} --------------------------------------------------------------------------

def test_anyone_reads_an_event(client, db):
    make_event(slug="ai-day", name="AI Day", venue="Hội trường A")
    response = client.get(f"{EVENTS}/ai-day")
    assert response.status_code == 200
    event = assert_event(response.get_json())
    assert (event["slug"], event["name"], event["venue"]) == ("ai-day", "AI Day", "Hội trường A")


@pytest.mark.parametrize("slug", ["no-such-event", "AI-DAY", "%E2%9C%93", "a" * 500])
def test_an_unknown_event_is_404(client, db, slug):
    make_event(slug="ai-day")
    assert_error(client.get(f"{EVENTS}/{slug}"), 404)


def test_a_nul_in_the_path_is_unreadable_input(client, db):
    make_event(slug="ai-day")
    assert_error(client.get(f"{EVENTS}/ai%00day"), 400)


# --- PATCH /events/{slug} ------------------------------------------------------------------------

def test_an_organizer_changes_fields_and_gets_the_event_as_it_now_is(client, db, organizer_headers):
    make_event(slug="ai-day", name="AI Day", venue="Old venue")
    response = client.patch(f"{EVENTS}/ai-day", json={"name": "  AI   Day 2026 ", "registration_open": True},
                            headers=organizer_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    event = assert_event(response.get_json())
    assert (event["name"], event["registration_open"], event["venue"]) == ("AI Day 2026", True, "Old venue")
    assert client.get(f"{EVENTS}/ai-day").get_json()["registration_open"] is True

    closed = client.patch(f"{EVENTS}/ai-day", json={"registration_open": False}, headers=organizer_headers)
    assert closed.status_code == 200 and closed.get_json()["registration_open"] is False
    assert _events(db)[0].registration_open is False


@pytest.mark.parametrize("changes", [
    {"slug": "ai-day-renamed"}, {"kind": "other"}, {"venue": "Hội trường B"},
    {"starts_at": "2026-12-14T09:00:00+07:00", "ends_at": "2026-12-15T17:00:00+07:00"},
    {"description": "Hai ngày"},
])
def test_any_field_can_be_patched(client, db, organizer_headers, changes):
    make_event(slug="ai-day")
    response = client.patch(f"{EVENTS}/ai-day", json=changes, headers=organizer_headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    event = response.get_json()
    for key, value in changes.items():
        assert event[key] == value
    slug = changes.get("slug", "ai-day")
    assert client.get(f"{EVENTS}/{slug}").get_json() == event


def test_a_patched_naive_time_is_read_in_the_events_time_zone(client, db, organizer_headers):
    make_event(slug="ai-day")
    response = client.patch(f"{EVENTS}/ai-day", json={"starts_at": "2026-12-14T07:00:00"},
                            headers=organizer_headers)
    assert response.get_json()["starts_at"] == "2026-12-14T07:00:00+07:00"


def test_changing_the_time_zone_keeps_the_instants(client, db, organizer_headers):
    make_event(slug="ai-day")  # 08:00–17:00 in Ho Chi Minh City
    event = client.patch(f"{EVENTS}/ai-day", json={"timezone": "Asia/Tokyo"},
                         headers=organizer_headers).get_json()
    assert event["starts_at"] == "2026-12-14T10:00:00+09:00"
    assert parse_time(event["starts_at"]) == datetime(2026, 12, 14, 1, tzinfo=UTC)


def test_patching_the_start_past_the_end_is_422_on_ends_at(client, db, organizer_headers):
    make_event(slug="ai-day")  # ends 17:00
    response = client.patch(f"{EVENTS}/ai-day", json={"starts_at": "2026-12-14T18:00:00+07:00"},
                            headers=organizer_headers)
    assert_field_errors(response, "ends_at")
    assert _events(db)[0].starts_at == datetime(2026, 12, 14, 1, tzinfo=UTC)


@pytest.mark.parametrize("changes, field", [
    ({"slug": "Bad Slug"}, "slug"), ({"kind": "gala"}, "kind"), ({"name": ""}, "name"),
    ({"registration_open": "soon"}, "registration_open"), ({"starts_at": None}, "starts_at"),
    ({"timezone": "Nowhere/City"}, "timezone"), ({"name": "a\x00b"}, "name"),
])
def test_patching_invalid_values_is_422(client, db, organizer_headers, changes, field):
    make_event(slug="ai-day", name="AI Day")
    assert_field_errors(client.patch(f"{EVENTS}/ai-day", json=changes, headers=organizer_headers), field)
    assert _events(db)[0].name == "AI Day"


def test_patching_to_a_taken_slug_is_409(client, db, organizer_headers):
    make_event(slug="ai-day")
    make_event(slug="startup-week")
    response = client.patch(f"{EVENTS}/ai-day", json={"slug": "startup-week"}, headers=organizer_headers)
    assert_error(response, 409, "slug_taken")
    assert sorted(e.slug for e in _events(db)) == ["ai-day", "startup-week"]


def test_patching_an_unknown_event_is_404(client, db, organizer_headers):
    assert_error(client.patch(f"{EVENTS}/no-such-event", json={"name": "x"}, headers=organizer_headers), 404)


def test_patching_needs_a_token_and_the_right_to_manage(client, db, participant_headers):
    make_event(slug="ai-day", name="AI Day")
    assert_error(client.patch(f"{EVENTS}/ai-day", json={"name": "Mine"}), 401)
    assert_error(client.patch(f"{EVENTS}/ai-day", json={"name": "Mine"}, headers=participant_headers), 403)
    assert_error(client.patch(f"{EVENTS}/ai-day", json={"name": 5}), 401)
    assert _events(db)[0].name == "AI Day"


@pytest.mark.parametrize("role", ["judge", "investor", "staff"])
def test_other_global_roles_may_not_patch(client, db, role):
    make_event(slug="ai-day")
    response = client.patch(f"{EVENTS}/ai-day", json={"name": "x"}, headers=token_headers(make_user(role)))
    assert_error(response, 403)


def test_an_organizer_of_one_event_manages_that_event_only(client, db):
    own = make_event(slug="regional-day-can-tho", name="Can Tho")
    make_event(slug="ai-day", name="AI Day")
    partner = make_user("participant")
    grant_event_role(partner, own, "organizer")
    headers = token_headers(partner)

    response = client.patch(f"{EVENTS}/regional-day-can-tho", json={"registration_open": True},
                            headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["registration_open"] is True

    assert_error(client.patch(f"{EVENTS}/ai-day", json={"registration_open": True}, headers=headers), 403)
    assert db.session.scalar(db.select(Event.registration_open).where(Event.slug == "ai-day")) is False
    # Organizing one event does not make one an organizer of the series.
    assert_error(client.post(EVENTS, json=_body(), headers=headers), 403)


def test_event_staff_may_not_patch(client, db):
    event = make_event(slug="ai-day")
    staff = make_user("participant")
    grant_event_role(staff, event, "staff")
    assert_error(client.patch(f"{EVENTS}/ai-day", json={"name": "x"}, headers=token_headers(staff)), 403)


def test_patch_bodies_that_are_not_objects_are_4xx(client, db, organizer_headers):
    make_event(slug="ai-day")
    for kwargs in ({"json": []}, {"json": "x"}, {"data": "{", "content_type": "application/json"}):
        response = client.patch(f"{EVENTS}/ai-day", headers=organizer_headers, **kwargs)
        assert 400 <= response.status_code < 500
        assert_error(response)


# --- audit ---------------------------------------------------------------------------------------

def test_creating_an_event_is_audited(client, db, organizer, organizer_headers):
    event_id = client.post(EVENTS, json=_body(), headers=organizer_headers).get_json()["id"]
    entries = _audit(db, "event.created")
    assert len(entries) == 1
    assert (entries[0].event_id, entries[0].actor_id) == (event_id, organizer.id)
    assert entries[0].changes["slug"] == "ai-day-2026"


def test_patching_an_event_is_audited_with_what_changed(client, db, organizer, organizer_headers):
    event = make_event(slug="ai-day", name="AI Day")
    client.patch(f"{EVENTS}/ai-day", json={"name": "AI Day 2026", "registration_open": True},
                 headers=organizer_headers)
    entries = _audit(db, "event.updated")
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.event_id, entry.actor_id) == (event.id, organizer.id)
    assert entry.changes["name"] == ["AI Day", "AI Day 2026"]
    assert entry.changes["registration_open"] == [False, True]
    assert "venue" not in entry.changes


def test_refused_writes_leave_no_audit_entry(client, db, organizer_headers, participant_headers):
    make_event(slug="ai-day")
    client.post(EVENTS, json=_body(slug="ai-day"), headers=organizer_headers)  # 409
    client.post(EVENTS, json=_body(slug="x"), headers=participant_headers)  # 403
    client.patch(f"{EVENTS}/ai-day", json={"name": "x"}, headers=participant_headers)  # 403
    client.patch(f"{EVENTS}/ai-day", json={"kind": "gala"}, headers=organizer_headers)  # 422
    assert len(_audit(db, "event.created")) == 1  # make_event's own
    assert _audit(db, "event.updated") == []
