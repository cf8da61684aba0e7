"""An outside client that knows only api.md ("Exhibition booths") walks through the whole feature.

It creates its event with POST /events, signs in with POST /auth/tokens, puts a floor plan, lets
startups apply (nobody approves them: api.md has no approve call, so freshly posted applications are
what the optimizer places), locks one booth by hand, runs the optimizer and reads the booths back,
checking every field api.md states and the hard rules of an assignment.
"""

from __future__ import annotations

from eventhub.booths.geometry import Rect, share_edge
from tests.factories import PASSWORD, make_user
from tests.support.api import assert_error

API = "/api/v1"
SLUG = "ngay-hoi-trien-lam-2020"

ZONES = [{"code": "AI", "name": "Trí tuệ nhân tạo", "sector": "ai"},
         {"code": "NN", "name": "Nông nghiệp số"}]  # no sector: api.md makes it optional
BOOTHS = [  # a row AI1 | AI2 | AI3 (neighbours share an edge), NN1 apart, one large booth
    {"code": "AI1", "zone": "AI", "x": 0, "y": 0, "w": 3, "h": 3, "size": "standard"},
    {"code": "AI2", "zone": "AI", "x": 3, "y": 0, "w": 3, "h": 3, "size": "standard"},
    {"code": "AI3", "zone": "AI", "x": 6, "y": 0, "w": 3, "h": 3, "size": "standard"},
    {"code": "NN1", "zone": "NN", "x": 0, "y": 10, "w": 3, "h": 3, "size": "standard"},
    {"code": "XL1", "zone": "NN", "x": 10, "y": 10, "w": 6, "h": 3, "size": "large"},
]


def _token(client, user) -> dict[str, str]:
    response = client.post(f"{API}/auth/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def _apply(client, headers, **body):
    response = client.post(f"{API}/events/{SLUG}/exhibitors", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert isinstance(answer["id"], int)
    return answer["id"]


def test_booth_walkthrough_with_only_the_contract(client, db):
    organizer = _token(client, make_user("organizer", email="btc@startup.hochiminhcity.gov.vn"))
    founders = [_token(client, make_user("participant", email=f"founder{n}@startup.vn")) for n in range(6)]

    created = client.post(f"{API}/events", headers=organizer, json={
        "slug": SLUG, "name": "Ngày hội Triển lãm Khởi nghiệp", "kind": "startup_week",
        "starts_at": "2020-12-14T08:00:00+07:00", "ends_at": "2020-12-15T17:00:00+07:00",
        "venue": "Nhà Văn hóa Thanh niên"})
    assert created.status_code == 201, created.get_json()

    # Who may: no token 401, a startup 403, the organizer 200 with the plan.
    plan = {"zones": ZONES, "booths": BOOTHS}
    assert_error(client.put(f"{API}/events/{SLUG}/floorplan", json=plan), 401)
    assert_error(client.put(f"{API}/events/{SLUG}/floorplan", json=plan, headers=founders[0]), 403)
    assert client.put(f"{API}/events/{SLUG}/floorplan", json=plan, headers=organizer).status_code == 200

    # Applications with exactly api.md's fields; no approval anywhere.
    ai = _apply(client, founders[0], organization="Công ty CP Trí Tuệ Sài Gòn", sector="ai",
                size="standard", preferences=["AI2", "AI"])
    rival = _apply(client, founders[1], organization="Công ty TNHH Học Máy Gia Định", sector="ai",
                   size="standard", preferences=["AI2"], avoid=[ai])
    farm = _apply(client, founders[2], organization="Nông Nghiệp Số Đồng Tháp", sector="agritech",
                  size="standard", preferences=["NN"])
    locked = _apply(client, founders[3], organization="Ví Điện Tử Bến Thành", sector="fintech",
                    size="standard", preferences=[])
    big = _apply(client, founders[4], organization="Logistics Cần Giờ", sector="logistics", size="large",
                 preferences=["XL1"])
    assert_error(client.post(f"{API}/events/{SLUG}/exhibitors", headers=organizer, json={
        "organization": "BTC", "sector": "ai", "size": "standard", "preferences": []}), 403)
    assert_error(client.post(f"{API}/events/{SLUG}/exhibitors", json={
        "organization": "Ẩn danh", "sector": "ai", "size": "standard", "preferences": []}), 401)

    # Before any assignment every booth is listed, free.
    listed = client.get(f"{API}/events/{SLUG}/booths")
    assert listed.status_code == 200
    assert listed.get_json()["total"] == 5
    assert all(item["exhibitor"] is None for item in listed.get_json()["items"])

    # A manual placement: 200 with the booth.
    assert_error(client.put(f"{API}/events/{SLUG}/booths/AI3", headers=founders[0],
                            json={"exhibitor_id": locked, "locked": True}), 403)
    placed = client.put(f"{API}/events/{SLUG}/booths/AI3", headers=organizer,
                        json={"exhibitor_id": locked, "locked": True})
    assert placed.status_code == 200, placed.get_json()
    booth = placed.get_json()
    assert {k: booth[k] for k in ("code", "zone", "x", "y", "w", "h", "size")} == {
        "code": "AI3", "zone": "AI", "x": 6, "y": 0, "w": 3, "h": 3, "size": "standard"}
    assert booth["locked"] is True
    assert booth["exhibitor"]["organization"] == "Ví Điện Tử Bến Thành"
    assert booth["exhibitor"]["sector"] == "fintech"

    # The optimizer: exactly the answer's stated shape.
    assert_error(client.post(f"{API}/events/{SLUG}/booths/assign", headers=founders[0]), 403)
    response = client.post(f"{API}/events/{SLUG}/booths/assign", headers=organizer)
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    assert {"assignments", "unassigned", "objective", "optimal"} <= set(result)
    assert isinstance(result["objective"], int | float) and not isinstance(result["objective"], bool)
    assert result["optimal"] is True  # five exhibitors: small enough to prove
    for item in result["assignments"]:
        assert set(item) >= {"exhibitor_id", "booth"}
        assert isinstance(item["exhibitor_id"], int) and isinstance(item["booth"], str)
    where = {item["exhibitor_id"]: item["booth"] for item in result["assignments"]}
    assert len(where) == len(result["assignments"])  # one booth per exhibitor
    assert len(set(where.values())) == len(where)  # one exhibitor per booth
    # Every application is placed: there is room for all of them (the sixth founder never applied).
    assert set(where) == {ai, rival, farm, locked, big} and result["unassigned"] == []
    assert where[locked] == "AI3"  # the lock stays and is listed among the assignments
    assert where[big] == "XL1"  # sizes match
    # Four standard booths for four standard exhibitors, AI3 locked: the rivals take AI2 (the favourite
    # of both) and NN1 (the only booth not touching it); the farm the last one.
    assert {where[ai], where[rival]} == {"AI2", "NN1"} and where[farm] == "AI1"
    # ai and rival avoid each other: never on booths sharing an edge (AI2 touches AI1 and AI3).
    rects = {b["code"]: Rect(b["x"], b["y"], b["w"], b["h"]) for b in BOOTHS}
    assert not share_edge(rects[where[ai]], rects[where[rival]])

    # The public list: booths with their exhibitor (organization, sector) once assigned.
    items = {b["code"]: b for b in client.get(f"{API}/events/{SLUG}/booths").get_json()["items"]}
    names = {ai: ("Công ty CP Trí Tuệ Sài Gòn", "ai"), rival: ("Công ty TNHH Học Máy Gia Định", "ai"),
             farm: ("Nông Nghiệp Số Đồng Tháp", "agritech"), locked: ("Ví Điện Tử Bến Thành", "fintech"),
             big: ("Logistics Cần Giờ", "logistics")}
    for exhibitor_id, code in where.items():
        occupant = items[code]["exhibitor"]
        assert (occupant["organization"], occupant["sector"]) == names[exhibitor_id]
        assert items[code]["size"] == next(b["size"] for b in BOOTHS if b["code"] == code)

    # Re-running keeps the lock; the floor plan cannot change now.
    again = client.post(f"{API}/events/{SLUG}/booths/assign", headers=organizer).get_json()
    assert {i["exhibitor_id"]: i["booth"] for i in again["assignments"]}[locked] == "AI3"
    assert_error(client.put(f"{API}/events/{SLUG}/floorplan", json=plan, headers=organizer), 409)
