"""The booths part of api.md: floor plan, applications, the optimizer, placements, the public list."""

from __future__ import annotations

import copy

import pytest

from eventhub.booths.models import Booth, BoothPlacement, Zone
from tests.booths.factories import PLAN, apply, hall_event, startup
from tests.factories import make_user, token_headers
from tests.support.api import assert_error, assert_field_errors, assert_list


def _url(event, tail=""):
    return f"/api/v1/events/{event.slug}{tail}"


# --- floor plan ----------------------------------------------------------------------------------

def test_organizer_puts_the_floorplan_and_anyone_reads_it(client, db, organizer_headers):
    event = hall_event()
    plan = copy.deepcopy(PLAN)
    plan["booths"] = plan["booths"][:2]
    response = client.put(_url(event, "/floorplan"), json=plan, headers=organizer_headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [b["code"] for b in body["booths"]] == ["A1", "A2"]
    assert body["zones"][1] == {"code": "B", "name": "Nông nghiệp số", "sector": "agritech",
                                "x": 0, "y": 10, "w": 20, "h": 10}
    assert client.get(_url(event, "/floorplan")).get_json()["booths"][0]["sector"] == "ai"


@pytest.mark.parametrize("change, field, words", [
    (lambda p: p["booths"][1].update(x=2), "booths.1", ["A2", "A1"]),  # overlap
    (lambda p: p["booths"][3].update(zone="Z"), "booths.3.zone", ["B1", "Z"]),  # unknown zone
    (lambda p: p["booths"][3].update(y=30), "booths.3", ["B1"]),  # outside its zone's outline
    (lambda p: p["booths"][2].update(code="A1"), "booths.2.code", ["A1"]),  # duplicate
    (lambda p: p["booths"][0].update(w=0), "booths.0.w", ["A1"]),  # non-positive size
    (lambda p: p["booths"][0].update(h=-3), "booths.0.h", ["A1"]),
])
def test_bad_plans_are_refused_naming_the_booth_and_nothing_is_stored(client, db, organizer_headers, change,
                                                                      field, words):
    event = hall_event()
    plan = copy.deepcopy(PLAN)
    plan["booths"].append({"code": "N1", "zone": "A", "x": 40, "y": 0, "w": 3, "h": 3, "size": "standard"})
    change(plan)
    fields = assert_field_errors(client.put(_url(event, "/floorplan"), json=plan, headers=organizer_headers),
                                 field)
    assert all(word in " ".join(fields[field]) for word in words), fields
    assert db.session.scalar(db.select(db.func.count(Booth.id))) == 5  # the old plan, untouched
    assert "N1" not in db.session.scalars(db.select(Booth.code))


@pytest.mark.parametrize("body", [{}, {"zones": "x", "booths": []}, {"zones": [], "booths": []},
                                  {"zones": [{"code": "A"}], "booths": [None]}, [1, 2],
                                  {"zones": [{"code": "A\x00", "name": "x"}], "booths": []},
                                  {"zones": [{"code": "A", "name": "x"}],
                                   "booths": [{"code": "A1", "zone": "A", "x": 10**30, "y": "1", "w": 1.5,
                                               "h": True, "size": 3}]}])
def test_malformed_plans_are_422_never_500(client, db, organizer_headers, body):
    event = hall_event()
    assert_error(client.put(_url(event, "/floorplan"), json=body, headers=organizer_headers), 422)


def test_the_plan_cannot_change_once_booths_are_assigned(client, db, organizer_headers):
    event = hall_event()
    apply(event)
    assert client.post(_url(event, "/booths/assign"), headers=organizer_headers).status_code == 200
    assert_error(client.put(_url(event, "/floorplan"), json=PLAN, headers=organizer_headers), 409,
                 "booths_assigned")


def test_floorplan_permissions(client, db):
    event = hall_event()
    assert_error(client.put(_url(event, "/floorplan"), json=PLAN), 401)
    assert_error(client.put(_url(event, "/floorplan"), json=PLAN, headers=token_headers(startup())), 403)
    assert_error(client.put("/api/v1/events/nope/floorplan", json=PLAN,
                            headers=token_headers(make_user("organizer"))), 404)


# --- applications --------------------------------------------------------------------------------

def test_a_startup_applies_and_is_submitted(client, db, outbox):
    event = hall_event()
    user = startup()
    rival = apply(event)
    response = client.post(_url(event, "/exhibitors"), headers=token_headers(user), json={
        "organization": "Công ty CP Lúa Vàng Farm", "sector": "agritech", "size": "standard",
        "preferences": ["B", "A1"], "avoid": [rival.id]})
    assert response.status_code == 201, response.get_json()
    assert set(response.get_json()) >= {"id"} and response.get_json()["status"] == "submitted"
    assert len(list(outbox.glob("*.eml"))) == 1
    again = client.post(_url(event, "/exhibitors"), headers=token_headers(user), json={
        "organization": "công ty cp lúa vàng farm", "sector": "ai", "size": "standard"})
    assert_error(again, 409, "already_applied")  # the same startup twice, whatever the letter case
    other = client.post(_url(event, "/exhibitors"), headers=token_headers(user), json={
        "organization": "Công ty TNHH Sen Xanh", "sector": "ai", "size": "standard"})
    assert other.status_code == 201, other.get_json()  # an incubator files for each of its startups


@pytest.mark.parametrize("body, field", [
    ({"organization": "X", "sector": "ai", "size": "huge"}, "size"),  # a size no booth has
    ({"organization": "X", "sector": "ai", "size": "standard", "preferences": ["Q9"]}, "preferences"),
    ({"organization": "X", "sector": "ai", "size": "standard", "avoid": [2**31 + 5]}, "avoid"),
    ({"organization": "X", "sector": "ai", "size": "standard", "avoid": [999]}, "avoid"),
    ({"organization": "X", "sector": "ai", "size": "standard", "days": ["2030-01-01"]}, "days"),
    ({"organization": "", "sector": "ai", "size": "standard"}, "organization"),
    ({"organization": 5, "sector": "ai", "size": "standard"}, "organization"),
    ({"sector": "ai", "size": "standard"}, "organization"),
    ({"organization": "X", "sector": "ai", "size": "standard", "stage": "unicorn"}, "stage"),
    ({"organization": "X\x00", "sector": "ai", "size": "standard"}, "organization"),
])
def test_bad_applications_are_422(client, db, body, field):
    event = hall_event()
    assert_field_errors(client.post(_url(event, "/exhibitors"), json=body, headers=token_headers(startup())),
                        field)


def test_only_participants_apply(client, db, organizer_headers):
    event = hall_event()
    body = {"organization": "X", "sector": "ai", "size": "standard"}
    assert_error(client.post(_url(event, "/exhibitors"), json=body), 401)
    assert_error(client.post(_url(event, "/exhibitors"), json=body, headers=organizer_headers), 403)


# --- the optimizer and placements ----------------------------------------------------------------

def test_assign_answers_exactly_the_contract(client, db, organizer_headers):
    event = hall_event()
    first = apply(event, preferences=["A2"])
    second = apply(event, preferences=["A2"], avoid=[first.id])
    large = apply(event, size="large")
    response = client.post(_url(event, "/booths/assign"), headers=organizer_headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {"assignments", "unassigned", "objective", "optimal"} <= set(body)
    assert body["optimal"] is True and isinstance(body["objective"], int | float)
    assert all(set(a) == {"exhibitor_id", "booth"} for a in body["assignments"])
    placed = {a["exhibitor_id"]: a["booth"] for a in body["assignments"]}
    assert set(placed) == {first.id, second.id, large.id} and body["unassigned"] == []
    assert placed[large.id] == "L1"
    neighbours = {frozenset(p) for p in (("A1", "A2"), ("A2", "A3"))}
    assert frozenset((placed[first.id], placed[second.id])) not in neighbours  # they avoid each other
    assert "A2" in (placed[first.id], placed[second.id])  # one of them got the preferred booth


def test_unplaced_exhibitors_are_listed_with_why(client, db, organizer_headers):
    event = hall_event()
    apply(event, size="large")
    late = apply(event, size="large")
    body = client.post(_url(event, "/booths/assign"), headers=organizer_headers).get_json()
    assert body["unassigned"] == [late.id]
    assert body["reasons"] == [{"exhibitor_id": late.id, "reason": "booths_of_size_taken"}]


def test_put_booth_locks_and_the_optimizer_keeps_it(client, db, organizer_headers):
    event = hall_event()
    exhibitor = apply(event, preferences=["A1"])
    response = client.put(_url(event, "/booths/B1"), json={"exhibitor_id": exhibitor.id, "locked": True},
                          headers=organizer_headers)
    assert response.status_code == 200, response.get_json()
    booth = response.get_json()
    assert booth["code"] == "B1" and booth["locked"] is True
    assert booth["exhibitor"]["id"] == exhibitor.id
    assert booth["exhibitor"]["organization"] == exhibitor.organization
    body = client.post(_url(event, "/booths/assign"), headers=organizer_headers).get_json()
    assert {"exhibitor_id": exhibitor.id, "booth": "B1"} in body["assignments"]


def test_locks_that_break_a_hard_rule_are_refused(client, db, organizer_headers):
    event = hall_event()
    small = apply(event)
    large = apply(event, size="large")
    rival = apply(event, avoid=[small.id])
    assert_field_errors(client.put(_url(event, "/booths/A1"), json={"exhibitor_id": large.id},
                                   headers=organizer_headers), "exhibitor_id")
    assert client.put(_url(event, "/booths/A1"), json={"exhibitor_id": small.id},
                      headers=organizer_headers).status_code == 200
    error = assert_error(client.put(_url(event, "/booths/A2"), json={"exhibitor_id": rival.id},
                                    headers=organizer_headers), 422, "avoid_conflict")
    assert small.organization in error["fields"]["exhibitor_id"][0]
    assert_error(client.put(_url(event, "/booths/A1"), json={"exhibitor_id": rival.id},
                            headers=organizer_headers), 409, "booth_locked")
    assert_error(client.put(_url(event, "/booths/Q1"), json={"exhibitor_id": rival.id},
                            headers=organizer_headers), 404, "booth_not_found")
    assert_field_errors(client.put(_url(event, "/booths/A3"), json={"exhibitor_id": 2**40},
                                   headers=organizer_headers), "exhibitor_id")
    assert_field_errors(client.put(_url(event, "/booths/A3"), json={"locked": True},
                                   headers=organizer_headers), "exhibitor_id")
    assert db.session.scalar(db.select(db.func.count(BoothPlacement.id))) == 1


def test_put_booth_with_null_empties_it_and_unlocked_occupants_make_room(client, db, organizer_headers):
    event = hall_event()
    first, second = apply(event), apply(event)
    client.put(_url(event, "/booths/A1"), json={"exhibitor_id": first.id, "locked": False},
               headers=organizer_headers)
    moved = client.put(_url(event, "/booths/A1"), json={"exhibitor_id": second.id}, headers=organizer_headers)
    assert moved.status_code == 200 and moved.get_json()["displaced"] == [first.id]
    emptied = client.put(_url(event, "/booths/A1"), json={"exhibitor_id": None}, headers=organizer_headers)
    assert emptied.status_code == 200 and emptied.get_json()["exhibitor"] is None


def test_booth_list_is_public_with_exhibitors_once_assigned(client, db, organizer_headers):
    event = hall_event()
    apply(event, organization="Công ty CP Hạt Ngọc Đồng Tháp", sector="agritech")
    items = assert_list(client.get(_url(event, "/booths")).get_json())
    assert len(items) == 5 and all(item["exhibitor"] is None for item in items)
    client.post(_url(event, "/booths/assign"), headers=organizer_headers)
    items = assert_list(client.get(_url(event, "/booths")).get_json())
    taken = [item for item in items if item["exhibitor"]]
    assert len(taken) == 1
    assert taken[0]["exhibitor"]["organization"] == "Công ty CP Hạt Ngọc Đồng Tháp"
    assert taken[0]["exhibitor"]["sector"] == "agritech" and taken[0]["zone"] == "B"
    assert_error(client.get(_url(event, "/booths?day=someday")), 422)


def test_assign_permissions_and_empty_plans(client, db, organizer_headers):
    event = hall_event()
    assert_error(client.post(_url(event, "/booths/assign")), 401)
    assert_error(client.post(_url(event, "/booths/assign"), headers=token_headers(startup())), 403)
    assert_error(client.put(_url(event, "/booths/A1"), json={"exhibitor_id": None},
                            headers=token_headers(startup())), 403)
    for limit in (10**9, 0, "soon"):
        assert_error(client.post(_url(event, "/booths/assign"), json={"time_limit": limit},
                                 headers=organizer_headers), 422)
    bare = hall_event()
    db.session.execute(db.delete(Booth).where(Booth.event_id == bare.id))
    db.session.execute(db.delete(Zone).where(Zone.event_id == bare.id))
    db.session.commit()
    assert_error(client.post(_url(bare, "/booths/assign"), headers=organizer_headers), 422)


def test_per_day_a_booth_holds_different_exhibitors(client, db, organizer_headers):
    event = hall_event(days=2)
    monday = apply(event, size="large", days=["2026-12-14"])
    tuesday = apply(event, size="large", days=["2026-12-15"])
    body = client.post(_url(event, "/booths/assign"), headers=organizer_headers).get_json()
    assert {a["exhibitor_id"]: a["booth"] for a in body["assignments"]} == {monday.id: "L1", tuesday.id: "L1"}
    large = next(b for b in client.get(_url(event, "/booths")).get_json()["items"] if b["code"] == "L1")
    assert [o["days"] for o in large["exhibitors"]] == [["2026-12-14"], ["2026-12-15"]]
    day2 = client.get(_url(event, "/booths?day=2026-12-15")).get_json()["items"]
    assert next(b for b in day2 if b["code"] == "L1")["exhibitor"]["id"] == tuesday.id


def test_review_through_the_api(client, db, organizer_headers, outbox):
    event = hall_event()
    exhibitor = apply(event)
    response = client.post(f"/api/v1/exhibitors/{exhibitor.id}/review", json={"decision": "approve"},
                           headers=organizer_headers)
    assert response.status_code == 200 and response.get_json()["status"] == "approved"
    assert_error(client.post(f"/api/v1/exhibitors/{exhibitor.id}/review", json={"decision": "approve"},
                             headers=organizer_headers), 409, "invalid_status")
    assert_error(client.post(f"/api/v1/exhibitors/{exhibitor.id}/review", json={"decision": "approve"},
                             headers=token_headers(startup())), 403)
    assert_error(client.post("/api/v1/exhibitors/99999/review", json={"decision": "approve"},
                             headers=organizer_headers), 404)
    listed = client.get(_url(event, "/exhibitors")).get_json()
    assert [e["id"] for e in listed["items"]] == [exhibitor.id]


def test_credentials_are_checked_before_the_body(client, db, organizer_headers):
    event = hall_event()
    assert_error(client.post(_url(event, "/exhibitors"), json={}), 401)
    assert_error(client.post(_url(event, "/exhibitors"), json={}, headers=organizer_headers), 403)
    assert_error(client.post("/api/v1/events/nope/exhibitors", json={},
                             headers=token_headers(startup())), 404)
    assert_error(client.put(_url(event, "/floorplan"), json={}), 401)
    assert_error(client.put(_url(event, "/booths/A1"), json={}, headers=token_headers(startup())), 403)
