"""The organizations' API (api.md "Organizations across the series"): shapes, search, merge and its refusals,
"not the same", and the tax code that exhibitor and profile bodies accept."""

from __future__ import annotations

from datetime import datetime

import pytest

from eventhub.booths import services as booths
from eventhub.extensions import db as _db
from eventhub.organizations import services
from eventhub.organizations.models import Organization
from tests.booths.factories import PLAN, apply, hall_event, startup
from tests.factories import HCMC, make_event, make_type, make_user, register, token_headers
from tests.matchmaking.factories import investor

MST = "0314409058"


@pytest.fixture
def world(db):
    early = make_event(slug="tuan-le-2025", starts_at=datetime(2025, 3, 1, 8, 0, tzinfo=HCMC),
                       ends_at=datetime(2025, 3, 1, 17, 0, tzinfo=HCMC))
    booths.replace_floorplan(early, PLAN)
    late = hall_event(slug="tuan-le-2026", registration_open=True)
    apply(early, organization="Công ty TNHH Sao Khuê", tax_code=MST)
    apply(late, organization="SAO KHUÊ")
    register(late, make_type(late), organization="Sao Khue Co., Ltd")
    investor(late, organization="Quỹ Đầu tư Mekong")
    apply(late, organization="Nông Sạch")
    organizer = make_user("organizer")
    khue = _db.session.scalar(_db.select(Organization).where(Organization.name_key == "sao khue"))
    return {"headers": token_headers(organizer), "khue": khue, "organizer": organizer}


def _get(client, url, headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_list_answers_api_mds_items(client, world):
    body = _get(client, "/api/v1/organizations?q=sao%20khue", world["headers"])
    assert body == {"items": [{"id": world["khue"].id, "name": "Công ty TNHH Sao Khuê", "kind": "startup",
                               "events": ["tuan-le-2025", "tuan-le-2026"], "tax_code": MST}],
                    "page": 1, "per_page": 50, "total": 1}
    everyone = _get(client, "/api/v1/organizations", world["headers"])
    # In Vietnamese order of the names without their legal form: Nông, Quỹ, (Công ty TNHH) Sao Khuê.
    assert [item["name"] for item in everyone["items"]] == [
        "Nông Sạch", "Quỹ Đầu tư Mekong", "Công ty TNHH Sao Khuê"]
    nong = everyone["items"][0]
    assert "tax_code" not in nong  # only when known
    investors = _get(client, "/api/v1/organizations?kind=investor", world["headers"])
    assert [item["name"] for item in investors["items"]] == ["Quỹ Đầu tư Mekong"]
    paged = _get(client, "/api/v1/organizations?per_page=1&page=2", world["headers"])
    assert paged["total"] == 3 and [item["name"] for item in paged["items"]] == ["Quỹ Đầu tư Mekong"]


@pytest.mark.parametrize("query", ["kind=fund", "per_page=0", "per_page=501", "page=0", "q=" + "a" * 201])
def test_bad_queries_are_422(client, world, query):
    response = client.get(f"/api/v1/organizations?{query}", headers=world["headers"])
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "validation_error"


def test_one_organization_with_its_history(client, world):
    body = _get(client, f"/api/v1/organizations/{world['khue'].id}", world["headers"])
    assert body["name"] == "Công ty TNHH Sao Khuê" and body["events"] == ["tuan-le-2025", "tuan-le-2026"]
    assert body["merged"] == [] and "merged_into" not in body
    assert isinstance(body["history"], list)
    for item in body["history"]:
        assert set(item) == {"event", "kind", "text", "at"}
        assert item["event"] in ("tuan-le-2025", "tuan-le-2026")
        assert len(item["at"]) == 10 or item["at"].endswith("+07:00")  # a date, or in the event's zone
    assert {item["kind"] for item in body["history"]} >= {"exhibited"}


def test_merge_answers_the_survivor_and_everything_moves(client, world):
    nong = services.resolve("Nông Sạch")
    response = client.post(f"/api/v1/organizations/{nong.id}/merge", json={"into": world["khue"].id},
                           headers=world["headers"])
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body == {"id": world["khue"].id, "name": "Công ty TNHH Sao Khuê", "kind": "startup",
                    "events": ["tuan-le-2025", "tuan-le-2026"], "tax_code": MST, "merged": [nong.id]}
    merged = _get(client, f"/api/v1/organizations/{nong.id}", world["headers"])
    assert merged["merged_into"] == world["khue"].id and merged["events"] == []
    listed = _get(client, "/api/v1/organizations?q=nong%20sach", world["headers"])
    assert [item["id"] for item in listed["items"]] == [world["khue"].id]  # found by its former name


def test_merge_refusals(client, world):
    khue, headers = world["khue"].id, world["headers"]
    nong = services.resolve("Nông Sạch").id
    fund = services.resolve("Quỹ Đầu tư Mekong").id

    def merge(org_id, body):
        response = client.post(f"/api/v1/organizations/{org_id}/merge", json=body, headers=headers)
        return response.status_code, response.get_json().get("error")

    status, error = merge(khue, {"into": khue})
    assert (status, error["code"]) == (409, "merge_into_itself")
    for body in ({}, {"into": "abc"}, {"into": "5"}, {"into": 1.5}, {"into": None}, {"into": True}):
        status, error = merge(khue, body)
        assert (status, error["code"]) == (422, "validation_error") and "into" in error["fields"], body
    for org_id, body in ((999999, {"into": khue}), (khue, {"into": 999999}), (khue, {"into": 2**63})):
        status, error = merge(org_id, body)
        assert (status, error["code"]) == (404, "organization_not_found"), body
    assert merge(nong, {"into": khue})[0] == 200
    for org_id, into in ((nong, fund), (fund, nong)):
        status, error = merge(org_id, {"into": into})
        assert (status, error["code"]) == (409, "organization_merged")


def test_not_the_same(client, world):
    khue, headers = world["khue"], world["headers"]
    nong = services.resolve("Nông Sạch")
    for _twice in range(2):
        response = client.post(f"/api/v1/organizations/{khue.id}/distinct", json={"other": nong.id},
                               headers=headers)
        assert response.status_code == 200 and response.get_json()["id"] == khue.id
    response = client.post(f"/api/v1/organizations/{khue.id}/distinct", json={"other": khue.id},
                           headers=headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "same_organization"
    response = client.post(f"/api/v1/organizations/{khue.id}/distinct", json={}, headers=headers)
    assert response.status_code == 422


def test_only_the_departments_organizers(client, world):
    url = f"/api/v1/organizations/{world['khue'].id}"
    assert client.get("/api/v1/organizations").status_code == 401
    for role in ("participant", "staff", "investor", "judge"):
        headers = token_headers(make_user(role))
        assert client.get("/api/v1/organizations", headers=headers).status_code == 403
        assert client.get(url, headers=headers).status_code == 403
        assert client.post(f"{url}/merge", json={"into": 1}, headers=headers).status_code == 403


def test_exhibitor_and_profile_bodies_take_a_tax_code(client, db):
    event = hall_event()
    founder = startup()
    response = client.post(f"/api/v1/events/{event.slug}/exhibitors", headers=token_headers(founder),
                           json={"organization": "Nông Sạch", "sector": "ai", "size": "standard",
                                 "tax_code": "0314409059"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"tax_code": ["Mã số thuế không hợp lệ."]}
    response = client.post(f"/api/v1/events/{event.slug}/exhibitors", headers=token_headers(founder),
                           json={"organization": "Nông Sạch", "sector": "ai", "size": "standard",
                                 "tax_code": "MST 0314 409 058"})
    assert response.status_code == 201, response.get_data(as_text=True)
    org = services.resolve("Nông Sạch")
    assert org.tax_code == MST
    fund = make_user("investor")
    body = {"kind": "investor", "organization": "Quỹ Mekong", "tax_code": "12", "sectors": ["ai"],
            "stages": ["seed"], "ticket_min": 1, "ticket_max": 2}
    response = client.put(f"/api/v1/events/{event.slug}/profiles/me", json=body,
                          headers=token_headers(fund))
    assert response.status_code == 422 and "tax_code" in response.get_json()["error"]["fields"]
