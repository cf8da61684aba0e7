"""No input a client can send to the booth and matchmaking API gives a 500 (api.md "Conventions"):
every field of every write, replaced by values of the wrong type, huge, empty, or with NUL bytes."""

from __future__ import annotations

import json

from eventhub.matchmaking.models import Meeting
from tests.booths.factories import apply, hall_event, startup
from tests.factories import make_user, token_headers
from tests.matchmaking.factories import accepted, investor, make_slots
from tests.matchmaking.factories import startup as match_startup

BAD = [None, True, False, 0, -1, 10**30, -(10**30), 1.5, 1e308, "", "x", "\x00", "a\x00b", [], [None], [1],
       ["x"], {}, {"a": 1}, "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", [[]], "A" * 10000,
       [10**30], [-5], ["\x00"], [{"x": 1}], "NaN", "2026-12-14T09:00:00"]
EXHIBITOR = {"organization": "X", "sector": "ai", "size": "standard", "preferences": [], "avoid": []}
INVESTOR = {"kind": "investor", "organization": "Q", "sectors": ["ai"], "stages": ["seed"], "ticket_min": 1,
            "ticket_max": 2, "currency": "VND", "contactable": True}
STARTUP = {"kind": "startup", "organization": "S", "sector": "ai", "stage": "seed", "seeking": "x",
           "amount": 5, "currency": "VND", "contactable": True}
SLOT = {"starts_at": "2026-12-14T09:00:00+07:00", "ends_at": "2026-12-14T10:00:00+07:00"}


class Probe:
    def __init__(self, client):
        self.client, self.crashes = client, []

    def __call__(self, method, url, body=None, headers=None):
        response = self.client.open(url, method=method, json=body, headers=headers)
        if response.status_code >= 500:
            self.crashes.append((method, url, json.dumps(body, default=str)[:200], response.status_code))
        return response


def test_booth_writes_never_answer_500(client, db):
    probe, event = Probe(client), hall_event()
    org, founder = token_headers(make_user("organizer")), token_headers(startup())
    url = f"/api/v1/events/{event.slug}"
    placed = apply(event)
    for bad in BAD:
        for key in [*EXHIBITOR, "days", "stage", "product"]:
            probe("POST", f"{url}/exhibitors", {**EXHIBITOR, key: bad}, founder)
        probe("POST", f"{url}/exhibitors", bad, founder)
        probe("PUT", f"{url}/floorplan", bad, org)
        probe("POST", f"{url}/booths/assign", bad, org)
        probe("POST", f"{url}/booths/assign", {"time_limit": bad}, org)
        probe("PUT", f"{url}/booths/A1", bad, org)
        probe("PUT", f"{url}/booths/A1", {"exhibitor_id": bad, "locked": True}, org)
        probe("PUT", f"{url}/booths/A1", {"exhibitor_id": placed.id, "locked": bad}, org)
        for key in ("code", "name", "sector", "x", "y", "w", "h"):
            zone = {"code": "A", "name": "n", key: bad}
            probe("PUT", f"{url}/floorplan", {"zones": [zone], "booths": []}, org)
        for key in ("code", "zone", "x", "y", "w", "h", "size", "price_tier"):
            booth = {"code": "A1", "zone": "A", "x": 0, "y": 0, "w": 1, "h": 1, "size": "s", key: bad}
            probe("PUT", f"{url}/floorplan", {"zones": [{"code": "A", "name": "n"}], "booths": [booth]}, org)
    for query in ("?day=x", "?day=9999-12-31", "?page=0", "?page=99999999999", "?per_page=100000",
                  "?day=%00"):
        probe("GET", f"{url}/booths{query}")
    for code in ("%00", "A" * 300, "..", "a%20b"):
        probe("PUT", f"{url}/booths/{code}", {"exhibitor_id": placed.id}, org)
    assert probe.crashes == []


def test_matchmaking_writes_never_answer_500(client, db):
    probe, event = Probe(client), hall_event()
    org = token_headers(make_user("organizer"))
    url = f"/api/v1/events/{event.slug}"
    fund, ai = investor(event), match_startup(event)
    for base, headers in ((INVESTOR, token_headers(fund.user)), (STARTUP, token_headers(ai.user))):
        for key in [*base, "investor_type", "countries", "thesis", "traction", "deck_url"]:
            for bad in BAD:
                probe("PUT", f"{url}/profiles/me", {**base, key: bad}, headers)
    fund, ai = investor(event), match_startup(event)
    headers = token_headers(fund.user)
    for bad in BAD:
        probe("PUT", f"{url}/profiles/me", bad, headers)
        probe("POST", f"{url}/meeting-requests", {"to_profile_id": bad}, headers)
        probe("POST", f"{url}/meeting-requests", {"to_profile_id": ai.id + 100, "message": bad}, headers)
        probe("PUT", f"{url}/meeting-slots", {"slots": bad, "tables": 1}, org)
        probe("PUT", f"{url}/meeting-slots", {"slots": [SLOT], "tables": bad}, org)
        probe("PUT", f"{url}/meeting-slots", {"slots": [{**SLOT, "starts_at": bad}], "tables": 1}, org)
        probe("PUT", f"{url}/meeting-slots", {"slots": [{**SLOT, "ends_at": bad}], "tables": 1}, org)
        probe("PUT", f"{url}/meeting-slots", bad, org)
        probe("POST", f"{url}/meetings/schedule", bad, org)
    request = accepted(ai, fund)
    make_slots(event, count=2, tables=1)
    assert probe("POST", f"{url}/meetings/schedule", None, org).status_code == 200
    meeting = db.session.scalar(db.select(Meeting))
    for bad in BAD:
        probe("POST", f"/api/v1/meetings/{meeting.id}/outcome", {"held": bad}, headers)
        probe("POST", f"/api/v1/meetings/{meeting.id}/outcome", {"held": True, "stage": bad}, headers)
        probe("POST", f"/api/v1/meetings/{meeting.id}/outcome", {"held": True, "note": bad}, headers)
        probe("POST", f"/api/v1/meetings/{meeting.id}/outcome", bad, headers)
    for path in ("/api/v1/meeting-requests/99999999999/accept", "/api/v1/meetings/0/outcome",
                 f"/api/v1/meeting-requests/{request.id}/accept"):
        probe("POST", path, None, headers)
    for query in ("?page=0", "?per_page=0", "?page=abc"):
        for tail in ("recommendations", "meetings/mine"):
            probe("GET", f"{url}/{tail}{query}", None, headers)
    assert probe.crashes == []


def test_the_named_bad_values_are_422(client, db):
    event = hall_event()
    url = f"/api/v1/events/{event.slug}"
    org, headers = token_headers(make_user("organizer")), token_headers(make_user("investor"))
    refused = [
        ("PUT", "/profiles/me", {**INVESTOR, "ticket_min": 5, "ticket_max": 2}, headers, "ticket_max"),
        ("PUT", "/profiles/me", {**INVESTOR, "currency": "EUR"}, headers, "currency"),
        ("PUT", "/profiles/me", {**INVESTOR, "ticket_max": 10**16}, headers, "ticket_max"),
        ("PUT", "/meeting-slots", {"slots": [{**SLOT, "ends_at": "2026-12-14T08:00:00+07:00"}], "tables": 1},
         org, "slots.0.ends_at"),
        ("PUT", "/meeting-slots", {"slots": [SLOT], "tables": 0}, org, "tables"),
        ("PUT", "/meeting-slots", {"slots": [SLOT, SLOT], "tables": 1}, org, "slots"),
        ("PUT", "/floorplan", {"zones": [{"code": "A", "name": "n"}, {"code": "a", "name": "m"}],
                               "booths": []}, org, "zones.1.code"),
        ("PUT", "/floorplan", {"zones": [{"code": "A", "name": "n"}], "booths": [
            {"code": "B1", "zone": "A", "x": 0, "y": 0, "w": 0, "h": 1, "size": "s"}]}, org, "booths.0.w"),
    ]
    for method, tail, body, who, field in refused:
        response = client.open(f"{url}{tail}", method=method, json=body, headers=who)
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], (
            tail, body, response.get_json())
